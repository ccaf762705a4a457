"""The space's business definitions as SQL: tables joined per question domain, measures,
status predicates and the aliases every builder uses.

Aliases are fixed: s = stock_levels, d = demand, po = purchase_orders, p = parts,
w = warehouses, su = suppliers, dd = 90-day average daily demand per (part, warehouse).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from genie_local.datagen.reference import AS_OF

#: the space's "today": the data is complete through it, and every relative date counts from it
AS_OF_SQL = f"DATE '{AS_OF.isoformat()}'"
#: the first day of the 90 days (as-of date inclusive) that average daily demand is taken over
DEMAND_90D_START = AS_OF - timedelta(days=89)
AVAILABLE = "(s.on_hand_qty - s.reserved_qty)"
DAILY_DEMAND_90D = (
    "LEFT JOIN (SELECT part_id, warehouse_id, SUM(qty) / 90.0 AS avg_daily_demand FROM demand"
    f" WHERE demand_date BETWEEN DATE '{DEMAND_90D_START.isoformat()}' AND {AS_OF_SQL}"
    " GROUP BY 1, 2) dd ON dd.part_id = s.part_id AND dd.warehouse_id = s.warehouse_id"
)

FROM = {
    "stock": "stock_levels s JOIN parts p ON p.part_id = s.part_id"
    " JOIN warehouses w ON w.warehouse_id = s.warehouse_id"
    " JOIN suppliers su ON su.supplier_id = p.supplier_id",
    "demand": "demand d JOIN parts p ON p.part_id = d.part_id"
    " JOIN warehouses w ON w.warehouse_id = d.warehouse_id"
    " JOIN suppliers su ON su.supplier_id = p.supplier_id",
    "po": "purchase_orders po JOIN parts p ON p.part_id = po.part_id"
    " JOIN warehouses w ON w.warehouse_id = po.warehouse_id"
    " JOIN suppliers su ON su.supplier_id = po.supplier_id",
    "part": "parts p JOIN suppliers su ON su.supplier_id = p.supplier_id",
    "supplier": "suppliers su",
    "warehouse": "warehouses w",
}

# Which aliases a domain's FROM has, to know which entity filters it can apply.
DOMAIN_ALIASES = {
    "stock": {"p", "w", "su"},
    "demand": {"p", "w", "su"},
    "po": {"p", "w", "su"},
    "part": {"p", "su"},
    "supplier": {"su"},
    "warehouse": {"w"},
}

FILTER_COLUMNS = {
    "part": "p.part_id",
    "category": "p.category",
    "warehouse": "w.warehouse_id",
    "state": "w.state",
    "region": "w.region",
    "supplier": "su.supplier_id",
    "country": "su.country",
    "po": "po.po_id",
}

STATUS_SQL = {
    "low": f"{AVAILABLE} < s.reorder_point",
    "critical": f"{AVAILABLE} < s.safety_stock",
    "out": "s.on_hand_qty = 0",
    "risk": f"dd.avg_daily_demand > 0 AND {AVAILABLE} / dd.avg_daily_demand < su.lead_time_days",
    "healthy": f"{AVAILABLE} >= s.reorder_point",
    "open": "po.status = 'open'",
    "overdue": f"po.status = 'open' AND po.expected_date < {AS_OF_SQL}",
    "received": "po.status = 'received'",
    "cancelled": "po.status = 'cancelled'",
    "not_cancelled": "po.status <> 'cancelled'",
    "late": "po.status = 'received' AND po.received_date > po.expected_date",
    "on_time": "po.status = 'received' AND po.received_date <= po.expected_date",
    "early": "po.status = 'received' AND po.received_date < po.expected_date",
}
STOCK_STATUSES = frozenset({"low", "critical", "out", "risk", "healthy"})
#: the stock statuses whose rows need replenishing (every one but healthy)
NEEDS_REPLENISHING = STOCK_STATUSES - {"healthy"}
STATUS_DOMAIN = {name: ("stock" if name in STOCK_STATUSES else "po") for name in STATUS_SQL}
#: the order statuses a question can name ("not_cancelled" is only ever implied by a measure)
PO_STATUSES = frozenset(s for s, domain in STATUS_DOMAIN.items() if domain == "po") - {
    "not_cancelled"
}
STATUS_WORDS = {
    "low": "low stock (available below reorder point)",
    "critical": "below safety stock (available below safety stock)",
    "out": "out of stock (on hand = 0)",
    "risk": "at risk of stocking out (days of supply below the supplier's lead time)",
    "healthy": "healthy stock (available at or above reorder point)",
    "open": "open",
    "overdue": f"overdue (open, expected before {AS_OF.isoformat()})",
    "received": "received",
    "cancelled": "cancelled",
    "not_cancelled": "not cancelled",
    "late": "delivered late (received after the expected date)",
    "on_time": "delivered on time",
    "early": "delivered early (received before the expected date)",
}


@dataclass(frozen=True)
class Measure:
    domain: str
    expr: str  # the per-row expression (or a full aggregate when ``aggregate`` is set)
    label: str  # column alias
    words: str
    agg: str = "sum"
    aggregate: str | None = None  # a ready aggregate expression (ratios)
    requires: tuple[str, ...] = ()  # statuses the definition implies
    attribute_of: str | None = None  # entity whose plain column this is

    @property
    def is_ratio(self) -> bool:
        """A share or a quotient (an on-time rate, utilization): its value over many rows is
        no sum or extreme of the rows' own, so it is never added up or maxed over them."""
        return self.aggregate is not None or self.expr.startswith("CASE")


MEASURES = {
    "inventory_value": Measure("stock", "s.on_hand_qty * p.unit_cost", "inventory_value",
                               "inventory value (on hand × unit cost)"),
    "on_hand": Measure("stock", "s.on_hand_qty", "on_hand_qty", "on-hand quantity"),
    "last_updated": Measure("stock", "s.updated_at", "updated_at",
                            "when the stock level was last updated", agg="max"),
    "reserved": Measure("stock", "s.reserved_qty", "reserved_qty", "reserved quantity"),
    "available": Measure("stock", AVAILABLE, "available_qty",
                         "available quantity (on hand − reserved)"),
    "reorder_qty": Measure("stock", "s.reorder_qty", "reorder_qty", "reorder quantity"),
    "reorder_cost": Measure("stock", "s.reorder_qty * p.unit_cost", "reorder_cost",
                            "cost of the reorder quantities (reorder quantity × unit cost)"),
    "reorder_point": Measure("stock", "s.reorder_point", "reorder_point", "reorder point"),
    "safety_stock": Measure("stock", "s.safety_stock", "safety_stock", "safety stock"),
    "days_of_supply": Measure(
        "stock", f"{AVAILABLE} / dd.avg_daily_demand", "days_of_supply",
        "days of supply (available ÷ average daily demand over the last 90 days)",
        aggregate=f"SUM({AVAILABLE}) / SUM(dd.avg_daily_demand)"),
    "utilization": Measure(
        "stock", "s.on_hand_qty", "capacity_utilization",
        "capacity utilization (total on hand ÷ capacity units)",
        aggregate="SUM(s.on_hand_qty) / ANY_VALUE(w.capacity_units)"),
    "demand": Measure("demand", "d.qty", "total_demand", "demand (units)"),
    "avg_daily_demand": Measure("demand", "d.qty", "avg_daily_demand",
                                "average daily demand (total ÷ days in the window)"),
    "po_count": Measure("po", "*", "order_count", "number of purchase orders", agg="count"),
    "po_units": Measure("po", "po.qty", "units_ordered", "units ordered"),
    "po_value": Measure("po", "po.qty * po.unit_price", "order_value",
                        "order value (qty × unit price)"),
    "po_unit_price": Measure("po", "po.unit_price", "avg_unit_price", "unit price", agg="avg"),
    "on_time_rate": Measure(
        "po", "CASE WHEN po.received_date <= po.expected_date THEN 1.0 ELSE 0.0 END",
        "on_time_rate", "actual on-time rate (share of received orders not late)",
        agg="avg", requires=("received",)),
    "late_rate": Measure(
        "po", "CASE WHEN po.received_date > po.expected_date THEN 1.0 ELSE 0.0 END",
        "late_rate", "late-delivery rate (share of received orders that were late)",
        agg="avg", requires=("received",)),
    "early_rate": Measure(
        "po", "CASE WHEN po.received_date < po.expected_date THEN 1.0 ELSE 0.0 END",
        "early_rate", "early-delivery rate (share of received orders before the expected date)",
        agg="avg", requires=("received",)),
    "late_by": Measure("po", "po.received_date - po.expected_date", "days_late",
                       "days late (received − expected)", agg="avg", requires=("late",)),
    "actual_lead_time": Measure("po", "po.received_date - po.order_date", "actual_lead_time_days",
                                "actual lead time (received − ordered, days)", agg="avg",
                                requires=("received",)),
    "on_time_gap": Measure(
        "po", "su.on_time_rate", "on_time_shortfall",
        "on-time shortfall (quoted on-time rate − actual on-time rate)", agg="avg",
        aggregate="AVG(su.on_time_rate) - AVG(CASE WHEN po.received_date <= po.expected_date"
        " THEN 1.0 ELSE 0.0 END)", requires=("received",)),
    "lead_time_gap": Measure(
        "po", "po.received_date - po.order_date", "lead_time_overrun_days",
        "lead-time overrun (actual − quoted lead time, days)", agg="avg",
        aggregate="AVG(po.received_date - po.order_date) - AVG(su.lead_time_days)",
        requires=("received",)),
    "lead_time": Measure("supplier", "su.lead_time_days", "lead_time_days",
                         "quoted lead time (days)", agg="avg", attribute_of="supplier"),
    "quoted_on_time": Measure("supplier", "su.on_time_rate", "quoted_on_time_rate",
                              "quoted on-time rate", agg="avg", attribute_of="supplier"),
    "unit_cost": Measure("part", "p.unit_cost", "unit_cost", "unit cost", agg="avg",
                         attribute_of="part"),
    "capacity": Measure("warehouse", "w.capacity_units", "capacity_units", "capacity (units)",
                        attribute_of="warehouse"),
    "count": Measure("any", "*", "count", "count", agg="count"),
    **{
        f"{status}_share": Measure(
            "stock", f"CASE WHEN {STATUS_SQL[status]} THEN 1.0 ELSE 0.0 END", f"{status}_share",
            f"share of part-warehouse rows {words}", agg="avg")
        for status, words in (("out", "out of stock"), ("low", "low on stock"),
                              ("critical", "below safety stock"),
                              ("risk", "at risk of stocking out"))
    },
}  # fmt: skip
RATE_MEASURES = {"on_time_rate", "late_rate", "early_rate", "quoted_on_time", "utilization",
                 *(name for name in MEASURES if name.endswith("_share"))}  # fmt: skip

# How an entity kind appears as output columns and as a GROUP BY key.
DIMENSIONS = {
    "part": (("p.part_id", "p.name AS part_name"), "p"),
    "warehouse": (("w.warehouse_id", "w.name AS warehouse_name"), "w"),
    "supplier": (("su.supplier_id", "su.name AS supplier_name"), "su"),
    "category": (("p.category",), "p"),
    "region": (("w.region",), "w"),
    "state": (("w.state",), "w"),
    "city": (("w.city",), "w"),
    "country": (("su.country",), "su"),
    "status": (("po.status",), "po"),
    "po": (("po.po_id",), "po"),
}
#: the attributes one row of an entity has exactly one value of (a part has one supplier
#: and one category), so they can be listed beside it without splitting the row
DETERMINED_BY = {
    "part": ("supplier", "category", "country"),
    "warehouse": ("region", "state", "city"),
    "supplier": ("country",),
}
KEY_COLUMN = {
    "part": "p.part_id",
    "warehouse": "w.warehouse_id",
    "supplier": "su.supplier_id",
    "category": "p.category",
    "region": "w.region",
    "state": "w.state",
    "city": "w.city",
    "country": "su.country",
    "po": "po.po_id",
    "status": "po.status",
}
DATE_COLUMNS = {
    "demand": "d.demand_date",
    "ordered": "po.order_date",
    "received": "po.received_date",
    "expected": "po.expected_date",
}
TIME_GRAINS = ("day", "week", "month", "quarter", "year")
