"""Follow-ups refine the previous answer: move the window back or to the same period
last year, flip a ranking ("and the worst?"), change N, list the rows behind a count
("which ones?", "why?"), only regroup, widen a filter ("across all warehouses", "and
overall?"), turn a count into its rate, compare a second entity ("now X vs Y"), swap a
status, switch from quoted to actual, or move to another entity of the same rows ("who
supplies them"). Each plan must be read-only, run on the real demo database, carry the
definition's SQL and drop what the follow-up replaced."""

from __future__ import annotations

import pytest

from tests.genie_local.nl2sql_cases import OfflineSpace, assert_fragments

REFINEMENTS = [
    (("stockouts in seattle", "how many is that"), ["COUNT(*)", "'WH-SEA'"], []),
    (("low stock parts in chicago", "how many in dallas"),
     ["COUNT(*)", "'WH-DAL'", "< s.reorder_point"], ["'WH-CHI'"]),
    (("how many parts are low in boston", "list them"), ["s.part_id", "'WH-BOS'"], ["COUNT("]),
    (("late deliveries per supplier", "just the us ones"), ["su.country = 'USA'"], []),
    (("which supplier has the most open orders", "and the fewest"), ["ASC", "LIMIT 1"], []),
    (("open po value", "by warehouse"),
     ["SUM(po.qty * po.unit_price)", "GROUP BY w.warehouse_id"], ["stock_levels"]),
    (("stockouts by warehouse", "exclude fasteners"), ["p.category NOT IN ('Fasteners')"], []),
    (("demand for air filter last month", "what about the month before"),
     ["'2026-05-01' AND DATE '2026-05-31'"], ["'2026-06-01'"]),
    # a follow-up naming only a length replaces the window with that trailing one
    (("demand for air filter over the past 90 days", "make it 14 days"),
     ["'2026-06-17' AND DATE '2026-06-30'"], ["'2026-04-02'"]),
    (("demand for air filter over the past 90 days", "what about 2 weeks?"),
     ["'2026-06-17' AND DATE '2026-06-30'"], ["'2026-04-02'"]),
    (("late deliveries by supplier in the last 90 days", "extend to 180 days"),
     ["'2026-01-02' AND DATE '2026-06-30'"], ["'2026-04-02'"]),
    (("demand in q2 2026 by category", "what about the same quarter last year"),
     ["'2025-04-01' AND DATE '2025-06-30'"], []),
    # a quarter or month named without a year keeps the previous turn's year
    (("How many purchase orders were placed in Q3 2025?", "What about Q4?"),
     ["'2025-10-01' AND DATE '2025-12-31'"], ["'2026-10-01'"]),
    (("total demand in March 2025", "and April?"),
     ["'2025-04-01' AND DATE '2025-04-30'"], ["'2026-04-01'"]),
    (("Top 5 parts by demand in 2025", "only Engine parts", "make it 3"),
     ["p.category = 'Engine'", "LIMIT 3"], ["LIMIT 5"]),
    (("Which parts are out of stock in Atlanta?", "What about across all warehouses?"),
     ["s.on_hand_qty = 0"], ["'WH-ATL'"]),
    (("Available units of Coil Spring in Dallas", "per warehouse instead"),
     ["GROUP BY w.warehouse_id"], ["'WH-DAL'"]),
    (("How many late deliveries did each supplier have?", "Show it as a rate instead"),
     ["AVG(CASE WHEN po.received_date > po.expected_date"], ["COUNT("]),
    (("How many open purchase orders does Apex Components have?", "Which ones?"),
     ["po.po_id", "'SUP-01'"], ["COUNT("]),
    (("How many parts are below reorder point in Boston?", "Why?"),
     ["s.part_id", "'WH-BOS'"], ["COUNT("]),
    (("Capacity utilization by warehouse", "Which one is highest?"), ["DESC", "LIMIT 1"], []),
    (("Which warehouse has the most out-of-stock parts?",
      "And which has the most parts below safety stock?"),
     ["< s.safety_stock"], ["s.on_hand_qty = 0"]),
    (("Total inventory value in Georgia", "Compare with Massachusetts"),
     ["w.state IN ('GA', 'MA')", "GROUP BY w.state"], []),
    (("What's the actual on-time rate for Borealis Industrial?",
      "Compare it with its quoted rate"), ["AVG(su.on_time_rate)"], []),
    (("Which suppliers have an on-time rate under 90%?",
      "Use actual deliveries instead of the quoted rate"),
     ["HAVING AVG(CASE WHEN po.received_date <= po.expected_date"],
     ["su.on_time_rate < 0.9"]),
    (("Number of POs placed in March 2026", "And April?", "And May?"),
     ["'2026-05-01' AND DATE '2026-05-31'"], []),
    (("Open purchase orders for Dallas", "Which are expected next week?"),
     ["po.expected_date BETWEEN DATE '2026-07-06' AND DATE '2026-07-12'"], []),
    (("Total value of open purchase orders", "Break it down by supplier country"),
     ["GROUP BY su.country", "SUM(po.qty * po.unit_price)"], []),
    (("supplier with the best actual on time rate", "and the worst?"), ["ASC", "LIMIT 1"], []),
    (("open po count for fulcrum parts", "and overall?"), ["COUNT(*)"], ["SUP-06"]),
    (("compare inventory value chicago vs dallas", "now boston vs newark"),
     ["('WH-BOS', 'WH-NWK')"], ["WH-CHI"]),
    (("which suppliers are in the usa", "what parts do they supply"),
     ["SELECT p.part_id", "su.country = 'USA'"], []),
    (("which parts are out of stock in denver", "who supplies them"),
     ["SELECT DISTINCT su.supplier_id", "s.on_hand_qty = 0", "'WH-DEN'"], []),
    # a swapped entity or an added filter keeps the breakdown asked for before
    (("on hand for coil spring by wh", "same for ball joint"),
     ["GROUP BY w.warehouse_id", "SUM(s.on_hand_qty)"], []),
    (("count stockouts per wh", "just the west"),
     ["GROUP BY w.warehouse_id", "w.region = 'West'", "s.on_hand_qty = 0"], []),
    (("How many purchase orders are overdue?", "Break that down by supplier.",
      "Only the Canadian and Mexican ones."),
     ["GROUP BY su.supplier_id", "su.country IN ('Canada', 'Mexico')", "po.expected_date <"],
     ["FROM parts p"]),
    (("low stock in chicago for engine parts", "remove the engine filter"),
     ["'WH-CHI'", "< s.reorder_point"], ["p.category"]),
    # "the value of those": orders are worth their price, stock its cost
    (("overdue pos from apex components", "and the combined value of them?"),
     ["SUM(po.qty * po.unit_price)", "'SUP-01'"], ["po.po_id,"]),
    (("low stock parts in denver", "what is the total value of those"),
     ["SUM(s.on_hand_qty * p.unit_cost)", "'WH-DEN'"], ["ORDER BY s.part_id"]),
    # "too"/"also" adds a breakdown beside the old one rather than replacing it
    (("What's the inventory value by warehouse?", "Break that down by category too"),
     ["GROUP BY w.warehouse_id, w.name, p.category"], []),
    # "best"/"worst" after a breakdown follow the measure's good direction
    (("What is the actual on-time delivery rate of each supplier?", "Which one is the worst?"),
     ["ORDER BY on_time_rate ASC", "LIMIT 1"], []),
    (("late deliveries by supplier", "which one is the best?"),
     ["ORDER BY order_count ASC", "LIMIT 1"], []),
    # a bare place phrase swaps the location and keeps the question
    (("critical parts denver", "whole west region"),
     ["w.region = 'West'", "< s.safety_stock"], ["'WH-DEN'"]),
    (("oos parts atl", "same for den"), ["'WH-DEN'", "s.on_hand_qty = 0"], ["'WH-ATL'"]),
    # a bound on a measure in "which of them" filters the listed rows
    (("Which suppliers are based in the USA?", "Which of them quote a lead time under a week?"),
     ["su.country = 'USA'", "su.lead_time_days < 7"], ["AVG("]),
]  # fmt: skip


def test_which_of_them_thresholds_the_listed_entity_within_its_filter(
    offline_space: OfflineSpace,
):
    sql = offline_space.sql(
        "Which suppliers are based in the USA?",
        "Which of them have had more than 15 late deliveries?",
    )
    assert_fragments(
        sql,
        ["su.country = 'USA'", "GROUP BY su.supplier_id", "HAVING COUNT(*) > 15",
         "po.received_date > po.expected_date"],
        ["po.po_id"],
    )  # fmt: skip


BREAKDOWNS_AND_DROPPED_KINDS = [
    # "split/divide that by": a breakdown keeping the part filter and the measure
    (("total units of Fuel Filter on hand", "divide it by warehouse"),
     ["SUM(s.on_hand_qty)", "GROUP BY w.warehouse_id", "p.part_id = 'P-"],
     ["COUNT("]),
    # "drop the <kind>" takes back that kind's filter, the rest of the turn still applies
    (("out of stock in the west", "remove the region, only filters"),
     ["p.category = 'Filters'", "s.on_hand_qty = 0"], ["w.region"]),
    (("demand for brakes last quarter", "lose the date range"),
     ["SUM(d.qty)", "p.category = 'Brakes'"], ["d.demand_date"]),
    # "inv value" is inventory value; "across all warehouses" drops the region too
    (("inv value by category, West region", "what about across all warehouses?"),
     ["SUM(s.on_hand_qty * p.unit_cost)", "GROUP BY p.category"], ["w.region ="]),
    # a bare count with a grouping has no subject of its own: the last rows, counted
    (("Which warehouses have parts below safety stock?", "count per warehouse"),
     ["COUNT(*)", "GROUP BY w.warehouse_id", "< s.safety_stock"], ["FROM warehouses w"]),
    (("show overdue purchase orders", "how many by supplier"),
     ["COUNT(*)", "GROUP BY su.supplier_id", "po.status = 'open'"], []),
]  # fmt: skip


ONE_CONDITION_CHANGED = [
    # "only the ones above N <unit>": a HAVING on the previous measure, its unit word
    # naming that measure rather than a new one
    (("Total demand per part last month", "Only show the ones above 3000 units."),
     ["HAVING SUM(d.qty) > 3000", "d.demand_date BETWEEN"], ["on_hand_qty"]),
    (("Count open purchase orders per supplier", "Only the suppliers with more than 15."),
     ["HAVING COUNT(*) > 15", "po.status = 'open'"], []),
    (("Inventory value by warehouse", "Only warehouses above $400,000."),
     ["HAVING SUM(s.on_hand_qty * p.unit_cost) > 400000"], []),
    (("Open PO value by supplier", "show only those over 50k"),
     ["HAVING SUM(po.qty * po.unit_price) > 50000", "po.status = 'open'"], []),
    (("Total demand per part last month", "which of those are above 3000?"),
     ["HAVING SUM(d.qty) > 3000", "d.demand_date BETWEEN"], []),
    # a share of the grand total: the same measure, rows and window in the total
    (("Inventory value by region", "which regions make up more than 20% of the total?"),
     ["GROUP BY w.region", "HAVING SUM(s.on_hand_qty * p.unit_cost) > 0.2 * (SELECT"], []),
    # a swapped metric keeps the ranking's shape, drops the statuses the old measure was
    # made of, and counts units of the same rows
    (("Which warehouse has the most units on hand?",
      "Which one has the highest inventory value?"),
     ["GROUP BY w.warehouse_id", "ORDER BY inventory_value DESC", "LIMIT 1"], ["MAX("]),
    (("Count early deliveries per supplier", "Now show the early rate instead."),
     ["AVG(CASE WHEN po.received_date < po.expected_date", "GROUP BY su.supplier_id"],
     ["po.status = 'received' AND po.received_date < po.expected_date"]),
    (("Count late deliveries per supplier", "Now show the actual on-time rate instead."),
     ["AVG(CASE WHEN po.received_date <= po.expected_date", "GROUP BY su.supplier_id"],
     ["po.received_date > po.expected_date"]),
    (("What's the total value of open purchase orders for Lumen Lighting?",
      "And how many units is that?"),
     ["SUM(po.qty)", "po.status = 'open'", "su.supplier_id = 'SUP-"], ["stock_levels"]),
    (("total demand last month", "how many units is that per warehouse?"),
     ["SUM(d.qty)", "GROUP BY w.warehouse_id", "'2026-06-01'"], ["stock_levels"]),
    # "not just overdue ones, all open ones": the status named replaces the old one
    (("Show overdue purchase orders for Borealis Industrial",
      "Not just overdue ones, all open ones."),
     ["po.status = 'open'", "su.supplier_id = 'SUP-"], ["po.expected_date <"]),
    # "in the West region" locates the rows: the parts stay what is listed
    (("Low stock parts in the West region from Chinese suppliers",
      "Remove the supplier condition."),
     ["SELECT s.part_id", "w.region = 'West'", "< s.reorder_point"], ["su.country"]),
    # "which of those …" narrows the listed rows and keeps listing them; a superlative
    # ranks them rather than asking for one extreme value
    (("Which parts are low stock in Atlanta?", "Which of those come from US suppliers?"),
     ["SELECT s.part_id", "su.country = 'USA'", "'WH-ATL'"], ["SELECT DISTINCT su."]),
    (("Which parts are at risk of stocking out?",
      "Which of those are in the Chicago warehouse?"),
     ["SELECT s.part_id", "'WH-CHI'", "< su.lead_time_days"], ["SELECT DISTINCT w."]),
    (("Which suppliers are from the USA?", "Which of them has the shortest lead time?"),
     ["su.supplier_id", "su.country = 'USA'", "ASC", "LIMIT 1"], ["MIN("]),
]  # fmt: skip


#: each kind of follow-up the engine must read, with its conversations
READINGS = {
    "a follow-up refines the previous answer": REFINEMENTS,
    "breakdowns and dropped kinds refine the previous answer": BREAKDOWNS_AND_DROPPED_KINDS,
    "adding or removing one condition keeps measure and shape": ONE_CONDITION_CHANGED,
}


@pytest.mark.parametrize(
    ("turns", "present", "absent"),
    [
        pytest.param(*case, id=f"{reading}: {' / '.join(case[0])}")
        for reading, cases in READINGS.items()
        for case in cases
    ],
)
def test_follow_up_reads_as_defined(
    offline_space: OfflineSpace, turns: tuple[str, ...], present: list[str], absent: list[str]
):
    assert_fragments(offline_space.sql(*turns), present, absent)
