"""Fault injection: make the local Genie fail the ways the real one does, on demand.

Later tests (agent, worker, UI) need Genie to fail, hang, expire a result or rate-limit
without a real workspace. A fault comes from three places, the most specific winning:

- the ``X-Local-Genie-Fault`` header of one start-conversation/create-message request
  (``none`` exempts that request from the configured fault);
- the runtime config, changed with ``PUT /local/config`` without restarting the server
  (``{"fault": "fail", "fault_count": 2, "step_delay_s": 0.5, "retry_after_s": 3}``:
  the next two new questions fail, then the fault clears itself; ``fault_count`` null =
  until changed);
- ``LOCAL_GENIE_FAULT`` at start-up (the runtime config's initial value).

Effects: ``fail`` → the message ends FAILED with an error; ``stall`` → it stays in
ASKING_AI until deleted or the server stops; ``expire`` → it completes, but its query
result reads as expired (statement CLOSED, then the message shows QUERY_RESULT_EXPIRED)
until the client re-runs it with execute-query; ``cancel`` → it passes SUBMITTED,
FETCHING_METADATA and ASKING_AI, then ends CANCELLED, as when someone cancels it in the
Databricks UI (it stays readable, unlike a deleted conversation); ``rate_limit`` → the
request itself gets HTTP 429 RESOURCE_EXHAUSTED with a ``Retry-After`` of
``retry_after_s`` (``LOCAL_GENIE_RETRY_AFTER_S`` at start-up), as Databricks rate-limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from genie_local.server.errors import InvalidParameterError
from services.common.settings import GenieFault

FAULT_HEADER = "X-Local-Genie-Fault"
FAULTS: tuple[str, ...] = get_args(GenieFault)


@dataclass
class RuntimeConfig:
    """What ``PUT /local/config`` may change while the server runs."""

    fault: GenieFault | None = None
    fault_count: int | None = None  # faults left before it clears; None = no limit
    step_delay_s: float = 0.0
    retry_after_s: int = 1  # the Retry-After the rate_limit fault's 429s carry

    def as_dict(self) -> dict[str, object]:
        return {
            "fault": self.fault,
            "fault_count": self.fault_count,
            "step_delay_s": self.step_delay_s,
            "retry_after_s": self.retry_after_s,
        }

    def take(self, header_value: str | None) -> GenieFault | None:
        """The fault for one new question, using up one of the config's if it applies."""
        if header_value is not None and header_value.strip():
            return parse_fault(header_value)  # "none" exempts this request from the config's
        fault = self.fault
        if fault is not None and self.fault_count is not None:
            self.fault_count -= 1
            if self.fault_count <= 0:
                self.fault, self.fault_count = None, None
        return fault


def parse_fault(value: str | None) -> GenieFault | None:
    """A fault name from a header or body; empty or "none" means no fault."""
    if value is None or value.strip().lower() in {"", "none"}:
        return None
    name = value.strip().lower()
    if name not in FAULTS:
        raise InvalidParameterError(
            f"unknown fault {value!r}; use one of {', '.join(FAULTS)} or none"
        )
    return name  # type: ignore[return-value]
