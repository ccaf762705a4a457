"""Structured logs: question_id on every record of a question's task, secrets masked."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx

from harness.processes import Server
from services.common.logs import (
    JsonFormatter,
    KeyValueFormatter,
    QuestionIdFilter,
    bind_question,
    mask_secrets,
)


class Capture(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(formatter)
        self.addFilter(QuestionIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def test_each_task_logs_its_own_question_id():
    capture = Capture(JsonFormatter())
    logger = logging.getLogger("tests.logs.tasks")
    logger.addHandler(capture)
    logger.setLevel(logging.INFO)

    async def handle(question_id: str) -> None:
        bind_question(question_id)
        for step in range(3):
            logger.info("step %d", step)
            await asyncio.sleep(0)  # interleave the two tasks

    try:
        await asyncio.gather(handle("q_one"), handle("q_two"))
        logger.info("outside any question")
    finally:
        logger.removeHandler(capture)
    records = [json.loads(line) for line in capture.lines]
    assert sorted(r["question_id"] for r in records[:-1]) == ["q_one"] * 3 + ["q_two"] * 3
    assert "question_id" not in records[-1] and records[-1]["msg"] == "outside any question"
    assert {"ts", "level", "logger", "msg"} <= records[0].keys()


def test_key_value_lines_quote_and_mask():
    capture = Capture(KeyValueFormatter())
    logger = logging.getLogger("tests.logs.kv")
    logger.addHandler(capture)
    try:
        logger.warning(
            'GET /ws/stream?questions=q_1:-1&api_key=s3cret "x"', extra={"question_id": "q_9"}
        )
    finally:
        logger.removeHandler(capture)
    (line,) = capture.lines
    assert "s3cret" not in line and "api_key=***" in line
    assert " question_id=q_9 " in line and " level=WARNING " in line
    assert mask_secrets("Authorization: Bearer abc.def") == "Authorization: Bearer ***"


async def test_api_log_lines_carry_the_question_id(quiet_api: Server):
    async with httpx.AsyncClient(base_url=quiet_api.url) as http:
        response = await http.post("/questions", json={"question": "What is low on stock?"})
        question_id = response.json()["question_id"]
        await http.get(f"/questions/{question_id}")
    tagged = [line for line in quiet_api.log().splitlines() if f"question_id={question_id}" in line]
    assert any("logger=services.api.submission" in line for line in tagged)
    assert any("logger=uvicorn.access" in line and "GET /questions/" in line for line in tagged)
