"""Offline NL→SQL for the local inventory Genie space.

``Engine(db).plan(question, history)`` returns a ``Plan`` (a read-only SELECT with its
description, or an abstain/refuse message); ``Engine.summarize(plan, result)`` words the
executed result.
"""

from genie_local.nl2sql.engine import Engine
from genie_local.nl2sql.plan import Intent, Plan

__all__ = ["Engine", "Intent", "Plan"]
