"""One question and its answer, declared: the card, and the parts a result fills in.

Every string from the user or from Genie goes in as a component child or a Markdown
source with HTML off, so React renders it as text and nothing in it can become markup.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from services.dash_ui import ask_buttons, charts, ids, tables

GRID_PAGE_SIZE = 10


def number_format(places: int) -> str:
    """AG Grid's formatter for a number cell: thousands separators, the column's decimals.

    The cell keeps its number, so sorting, filtering and the CSV use the value itself.
    """
    return f"params.value == null ? '' : d3.format(',.{places}f')(params.value)"


FIT_COLUMNS = 5


def new_live(position: int | None) -> dict[str, Any]:
    """What a question's live store holds before its first chunk: the 202's queue place."""
    return {"seq": -1, "status": "queued", "message": "⏳ Queued", "position": position}


def question_card(entry: dict[str, Any]) -> html.Div:
    """``entry`` is one item of the conversation store: qid, question, position."""
    qid = entry["qid"]
    return html.Div(
        [
            html.Div(html.Div(entry["question"], className="iga-bubble"), className="iga-ask"),
            html.Div(
                [
                    _status_line(qid),
                    html.Div(id=ids.per_question(ids.RESULT_TOP, qid)),
                    dcc.Markdown(
                        id=ids.per_question(ids.ANSWER_TEXT, qid),
                        className="iga-answer-text",
                        link_target="_blank",
                    ),
                    html.Div(id=ids.per_question(ids.RESULT_BOTTOM, qid)),
                    dcc.Download(id=ids.per_question(ids.DOWNLOAD, qid)),
                ],
                className="iga-reply",
            ),
            # Stored data wins over these initial values on a refresh (dcc.Store mount rule).
            dcc.Store(
                id=ids.per_question(ids.LIVE, qid),
                storage_type="session",
                data=new_live(entry.get("position")),
            ),
            dcc.Store(id=ids.per_question(ids.RESULT, qid), storage_type="session", data={}),
            dcc.Store(id=ids.per_question(ids.OUTCOME, qid), storage_type="session", data={}),
        ],
        id=ids.per_question(ids.CARD, qid),
        className="iga-turn",
        **{"data-qid": qid},
    )


def _status_line(qid: str) -> html.Div:
    return html.Div(
        [
            html.Span(className="iga-dot", **{"aria-hidden": "true"}),
            html.Span(
                "⏳ Queued", id=ids.per_question(ids.STATUS_TEXT, qid), className="iga-status-text"
            ),
            html.Span(className="iga-elapsed", **{"data-qid": qid}),
            dbc.Button(
                "Cancel",
                id=ids.per_question(ids.CANCEL, qid),
                size="sm",
                color="link",
                className="iga-cancel",
                n_clicks=0,
            ),
        ],
        id=ids.per_question(ids.STATUS, qid),
        className="iga-status is-running",
        role="status",
    )


def result_top(qid: str, result: dict[str, Any]) -> list[Any]:
    """SQL, then table and chart: the parts that exist before the answer text."""
    parts: list[Any] = []
    if result.get("sql"):
        parts.append(_sql_block(qid, result["sql"], result.get("description")))
    if result.get("table"):
        parts.extend(_table_block(qid, result["table"]))
    return parts


def _sql_block(qid: str, sql: str, description: str | None) -> html.Div:
    code_id = ids.per_question("q-sql-code", qid)
    return html.Div(
        [
            html.P(description, className="iga-description") if description else None,
            html.Details(
                [
                    html.Summary("Show the SQL", className="iga-sql-summary"),
                    html.Div(
                        [
                            dcc.Clipboard(
                                target_id=code_id,
                                title="Copy the SQL",
                                className="iga-copy",
                            ),
                            html.Pre(html.Code(sql), id=code_id, className="iga-sql"),
                        ],
                        className="iga-sql-wrap",
                    ),
                ],
                className="iga-sql-details",
            ),
        ],
        className="iga-sql-block",
    )


def _table_block(qid: str, table: dict[str, Any]) -> list[Any]:
    frame = tables.to_frame(table)
    places = tables.number_decimals(table)
    row_count = int(table.get("row_count") or len(frame))
    summary = f"{row_count:,} row{'s' if row_count != 1 else ''}"
    if table.get("truncated") or row_count > len(frame):
        summary += f" · showing the first {len(frame):,}: the result was truncated"
    blocks: list[Any] = [
        html.Div(
            [
                html.Span(summary, className="iga-rowcount"),
                dbc.Button(
                    "⬇ CSV",
                    id=ids.per_question(ids.DOWNLOAD_BUTTON, qid),
                    size="sm",
                    color="light",
                    className="iga-csv",
                    n_clicks=0,
                ),
            ],
            className="iga-table-head",
        ),
        dag.AgGrid(
            id=ids.per_question("q-grid", qid),
            rowData=tables.to_grid_rows(frame),
            columnDefs=[
                _column_def(name, kind, places.get(name, 0))
                for name, kind in tables.kinds(table).items()
            ],
            defaultColDef={"resizable": True, "sortable": True, "filter": True},
            # few columns fill the width; many keep their content's width and scroll
            columnSize="sizeToFit" if len(frame.columns) <= FIT_COLUMNS else "autoSize",
            dashGridOptions={
                "pagination": True,
                "paginationPageSize": GRID_PAGE_SIZE,
                "paginationPageSizeSelector": False,
                "domLayout": "autoHeight",
                "suppressFieldDotNotation": True,
            },
            className="iga-grid",
            style={"width": "100%"},
        ),
    ]
    choice = charts.choose_chart(table, frame)
    if choice is not None:
        blocks.append(
            dcc.Graph(
                figure=charts.build_figure(choice, frame),
                config={"displayModeBar": False, "responsive": True},
                className=f"iga-chart iga-chart-{choice.kind}",
            )
        )
    return blocks


def _column_def(name: str, kind: tables.Kind, places: int) -> dict[str, Any]:
    column: dict[str, Any] = {"field": name, "headerName": name}
    if kind == "number":
        column.update(
            type="rightAligned",
            filter="agNumberColumnFilter",
            valueFormatter={"function": number_format(places)},
        )
    return column


def result_bottom(qid: str, outcome: dict[str, Any]) -> list[Any]:
    """Sources, error and retry, follow-ups, feedback: what comes with or after the answer."""
    parts: list[Any] = []
    if outcome.get("sources"):
        parts.append(_sources_block(outcome["sources"]))
    error = outcome.get("error")
    if error:
        parts.append(
            dbc.Alert(
                [
                    html.Span(error.get("message") or "Something went wrong.", className="me-2"),
                    ask_buttons.retry_button(qid),
                ],
                color="danger",
                className="iga-error",
            )
        )
    suggestions = outcome.get("suggested_questions") or []
    if suggestions:
        parts.append(
            html.Div(
                [ask_buttons.ask_chip(text, size="sm") for text in suggestions],
                className="iga-chips iga-followups",
            )
        )
    if (outcome.get("done") or {}).get("status") == "completed":
        parts.append(_feedback(qid))
    return parts


def _sources_block(sources: list[dict[str, Any]]) -> html.Div:
    """The documents an answer rests on: title and section, the passage one click away."""
    return html.Div(
        [
            html.Div("📚 Sources", className="iga-sources-label"),
            *(
                html.Details(
                    [
                        html.Summary(
                            f"{source.get('title', '')} — {source.get('section', '')}",
                            className="iga-source-summary",
                        ),
                        dcc.Markdown(source.get("text", ""), className="iga-source-text"),
                    ],
                    className="iga-source",
                )
                for source in sources
            ),
        ],
        className="iga-sources",
    )


def _feedback(qid: str) -> html.Div:
    return html.Div(
        [
            html.Span("Was this helpful?", className="iga-feedback-label"),
            dbc.Button(
                "👍",
                id=ids.per_question(ids.FEEDBACK_UP, qid),
                color="light",
                size="sm",
                title="Helpful",
                n_clicks=0,
            ),
            dbc.Button(
                "👎",
                id=ids.per_question(ids.FEEDBACK_DOWN, qid),
                color="light",
                size="sm",
                title="Not helpful",
                n_clicks=0,
            ),
            html.Span(id=ids.per_question(ids.FEEDBACK_NOTE, qid), className="iga-feedback-note"),
            _feedback_form(qid),
        ],
        className="iga-feedback",
    )


def _feedback_form(qid: str) -> html.Div:
    """Shown after a thumbs-down: what was wrong, in the user's words, for Genie's authors."""
    return html.Div(
        [
            dbc.Textarea(
                id=ids.per_question(ids.FEEDBACK_COMMENT, qid),
                placeholder="What was wrong? (optional: it goes to the Genie space's authors)",
                rows=2,
                maxLength=2000,
                className="iga-feedback-comment",
            ),
            dbc.Button(
                "Send comment",
                id=ids.per_question(ids.FEEDBACK_SEND, qid),
                color="primary",
                size="sm",
                n_clicks=0,
            ),
        ],
        id=ids.per_question(ids.FEEDBACK_FORM, qid),
        className="iga-feedback-form",
        style={"display": "none"},
    )


def history_list(conversations: list[dict[str, Any]], current: str | None) -> list[Any]:
    """The sidebar's entries: each conversation titled by its first question."""
    if not conversations:
        return [history_note("Your conversations appear here.")]
    return [
        html.Button(
            [
                html.Span(item["title"], className="iga-history-title"),
                html.Span(_questions_count(item["question_count"]), className="iga-history-meta"),
            ],
            id=ids.history_item(item["conversation_id"]),
            className="iga-history-item"
            + (" is-current" if item["conversation_id"] == current else ""),
            title=item["title"],
            n_clicks=0,
        )
        for item in conversations
    ]


def history_note(text: str) -> html.P:
    return html.P(text, className="iga-history-empty")


def _questions_count(count: int) -> str:
    return f"{count} question{'s' if count != 1 else ''}"
