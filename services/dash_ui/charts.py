"""Pick the chart a result's shape suits, or none.

A date and a number make a line; one category and a number make a bar, or a pie when
there are at most 7 non-negative slices; anything else (a single number, a long list with
several text columns) gets no chart, because a wrong chart misleads more than none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from services.dash_ui import tables

ChartKind = Literal["line", "bar", "pie"]

MAX_PIE_SLICES = 7
MAX_BARS = 40
MAX_SERIES = 3


@dataclass(frozen=True)
class ChartChoice:
    kind: ChartKind
    x: str
    y: tuple[str, ...]


def choose_chart(table: dict[str, Any], frame: pd.DataFrame | None = None) -> ChartChoice | None:
    frame = tables.to_frame(table) if frame is None else frame
    if len(frame) < 2:
        return None
    kinds = tables.kinds(table)
    numbers = [name for name, kind in kinds.items() if kind == "number" and not _is_id(name)]
    dates = [name for name, kind in kinds.items() if kind == "date"]
    categories = [name for name, kind in kinds.items() if kind == "category"]
    if not numbers:
        return None
    y = tuple(numbers[:MAX_SERIES])
    if dates and not categories:
        return ChartChoice("line", dates[0], y)
    if dates or not categories or not all(frame[name].is_unique for name in categories):
        return None  # several rows per label (or per date and label): no honest single chart
    label = categories[0]
    if len(frame) <= MAX_PIE_SLICES and len(y) == 1 and (frame[y[0]].dropna() >= 0).all():
        return ChartChoice("pie", label, y)
    if len(frame) <= MAX_BARS:
        return ChartChoice("bar", label, y)
    return None


def _is_id(name: str) -> bool:
    lowered = name.lower()
    return lowered == "id" or lowered.endswith("_id")


def build_figure(choice: ChartChoice, frame: pd.DataFrame) -> go.Figure:
    if choice.kind == "pie":
        figure = go.Figure(go.Pie(labels=frame[choice.x], values=frame[choice.y[0]], hole=0.45))
    elif choice.kind == "line":
        ordered = frame.sort_values(choice.x)
        figure = go.Figure(
            [go.Scatter(x=ordered[choice.x], y=ordered[y], mode="lines+markers", name=y)
             for y in choice.y]
        )  # fmt: skip
    else:
        figure = go.Figure([go.Bar(x=frame[choice.x], y=frame[y], name=y) for y in choice.y])
    figure.update_layout(
        template="plotly_white",
        margin={"l": 56, "r": 16, "t": 16, "b": 48},
        height=300,
        showlegend=choice.kind == "pie" or len(choice.y) > 1,
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
        # see-through, so the card's own background shows in light and dark mode alike
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    if choice.kind != "pie":
        figure.update_xaxes(title_text=axis_title(choice.x))
        figure.update_yaxes(title_text=" / ".join(axis_title(y) for y in choice.y))
    return figure


def axis_title(column: str) -> str:
    """A column name as a reader says it: ``on_hand_qty`` → ``On hand qty``."""
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
