"""Facts of the inventory space that both its local stand-in and the chat page show.

The sample questions are INVENTORY_SPACE.md's; the local Genie serves them as the space's
sample questions and the chat page offers them on an empty chat.
"""

from __future__ import annotations

SAMPLE_QUESTIONS = (
    "What parts are low stock?",
    "Which warehouse holds the most inventory value?",
    "Which suppliers deliver late most often?",
    "Show monthly demand for Brake Pad Set over the last 12 months.",
    "What should we reorder in Chicago?",
    "How many open purchase orders are overdue?",
)
