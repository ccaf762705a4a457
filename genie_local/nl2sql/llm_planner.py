"""Optional SQL planning by a language model on any OpenAI-compatible chat endpoint.

Used only when settings name an endpoint (llm_base_url, llm_model). The model gets the
space's schema, definitions and example SQL; whatever it answers must pass the same
read-only guard and actually run, otherwise the offline engine answers instead. Any
failure (no endpoint, an error, a refusal, garbage) is a fallback, never an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from genie_local.database import ReadOnlyDatabase
from genie_local.nl2sql.measures import AS_OF, DEMAND_90D_START
from genie_local.nl2sql.plan import Plan
from genie_local.sql_guard import UnsafeSQLError, validate_readonly

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = """You write one DuckDB SELECT statement answering a question about an \
inventory database. Reply with the SQL only.

Tables:
- warehouses(warehouse_id, name, city, state, region, capacity_units)
- suppliers(supplier_id, name, country, lead_time_days, on_time_rate)
- parts(part_id, name, category, supplier_id, unit_cost)
- stock_levels(part_id, warehouse_id, on_hand_qty, reserved_qty, reorder_point, \
safety_stock, reorder_qty, updated_at)
- demand(demand_date, part_id, warehouse_id, qty)
- purchase_orders(po_id, part_id, supplier_id, warehouse_id, order_date, expected_date, \
received_date, qty, unit_price, status)  -- status: open | received | cancelled

Definitions (today is {as_of}): available = on_hand_qty - reserved_qty; low stock: \
available < reorder_point; below safety stock: available < safety_stock; out of stock: \
on_hand_qty = 0; inventory value = on_hand_qty * unit_cost; overdue: status = 'open' AND \
expected_date < DATE '{as_of}'; late delivery: status = 'received' AND received_date > \
expected_date; days of supply = available / (demand of the last 90 days / 90); capacity \
utilization = SUM(on_hand_qty) / capacity_units. "Last month" is {last_month}, "last 90 \
days" {days_90}..{as_of}, "last year" {last_year}. Return ids with names.

Examples:
Q: What parts are low stock?
SQL: SELECT s.part_id, s.warehouse_id FROM stock_levels s WHERE (s.on_hand_qty - \
s.reserved_qty) < s.reorder_point
Q: Which warehouse holds the most inventory value?
SQL: SELECT s.warehouse_id, SUM(s.on_hand_qty * p.unit_cost) AS value FROM stock_levels s \
JOIN parts p USING (part_id) GROUP BY 1 ORDER BY 2 DESC LIMIT 1
""".format(
    as_of=AS_OF.isoformat(),
    last_month=AS_OF.strftime("%B %Y"),
    days_90=DEMAND_90D_START.isoformat(),
    last_year=AS_OF.year - 1,
)

_FENCE = re.compile(r"```(?:sql)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


class LLMPlanner:
    """Asks the model for SQL; returns it only when it is read-only and runs."""

    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout_s: float = 30.0
    ) -> None:
        from openai import OpenAI

        self.model = model
        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "unused", timeout=timeout_s, max_retries=0
        )

    def sql_for(self, question: str, history: Sequence[Plan], db: ReadOnlyDatabase) -> str | None:
        messages = [{"role": "system", "content": SYSTEM_PROMPT}]
        for plan in history:
            if plan.kind == "query" and plan.sql:
                messages += [
                    {"role": "user", "content": plan.question},
                    {"role": "assistant", "content": plan.sql},
                ]
        messages.append({"role": "user", "content": question})
        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=messages, temperature=0
            )
            sql = extract_sql(response.choices[0].message.content or "")
            validate_readonly(sql)
            db.query(sql, max_rows=1)
        except UnsafeSQLError as error:
            logger.warning("language-model SQL rejected by the guard: %s", error)
            return None
        except Exception as error:  # endpoint down, timeout, SQL that does not run
            logger.warning(
                "language-model planner unavailable, using the offline engine: %s", error
            )
            return None
        return sql


def extract_sql(content: str) -> str:
    """The SQL in a chat reply: a fenced block if present, else the text, without a final ';'."""
    match = _FENCE.search(content)
    sql = (match.group(1) if match else content).strip()
    sql = re.sub(r"^sql:\s*", "", sql, flags=re.IGNORECASE)
    return sql.rstrip().rstrip(";").strip()


def planner_from_settings() -> LLMPlanner | None:
    from services.common.settings import get_settings

    settings = get_settings()
    if not (settings.llm_base_url and settings.llm_model):
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return LLMPlanner(settings.llm_base_url, settings.llm_model, key)
