"""A tiny OpenAI-compatible chat endpoint returning canned SQL, to prove the planner's
wiring, its read-only guard and its fallback (run with uvicorn on loopback in tests)."""

from __future__ import annotations

import time

from fastapi import FastAPI, Request

app = FastAPI()

VALID_SQL = "SELECT part_id, warehouse_id FROM stock_levels WHERE on_hand_qty = 0"
CANNED = {
    "low stock": f"```sql\n{VALID_SQL};\n```",
    "overdue": "DELETE FROM purchase_orders",
    "brake": "Sorry, I think you should look at the brakes yourself.",
}


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/v1/chat/completions")
async def chat(request: Request) -> dict:
    body = await request.json()
    question = body["messages"][-1]["content"].lower()
    content = next((sql for key, sql in CANNED.items() if key in question), "SELECT 1")
    return {
        "id": "stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": [
            {"index": 0, "finish_reason": "stop",
             "message": {"role": "assistant", "content": content}}
        ],
    }  # fmt: skip
