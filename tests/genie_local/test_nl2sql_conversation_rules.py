"""The follow-up rules of a conversation, one case table each (issue 14):

- a follow-up keeps the previous subject, measure, filters and window unless it replaces them;
- "break this/that down by X" adds X as a grouping to the previous measure and filters;
- a question that names its own subject and needs no antecedent is a new question;
- "of those / them" keeps the previous rows;
- a plural "which X …" ranks a list (top 10), a singular one names one row;
- the answer is a sentence that states the result.

Each plan must be read-only and run on the demo database (``OfflineSpace.sql``).
"""

from __future__ import annotations

import re

import pytest

from tests.genie_local.nl2sql_cases import OfflineSpace, assert_fragments

KEEPS_UNLESS_REPLACED = [
    # the window, status and breakdown stay; only the place changes
    (("late deliveries by supplier in 2025", "just in Chicago"),
     ["'WH-CHI'", "po.received_date > po.expected_date", "'2025-01-01' AND DATE '2025-12-31'",
      "GROUP BY su.supplier_id"], []),
    # the measure and the part stay; only the window changes
    (("Show monthly demand for Brake Pad Set over the last 12 months.", "what about 2025?"),
     ["SUM(d.qty)", "'P-0001'", "'2025-01-01' AND DATE '2025-12-31'"], ["'2025-07-01'"]),
    # the status stays; the place is swapped, not added
    (("What parts are low stock?", "just in Atlanta", "and in Dallas?"),
     ["'WH-DAL'", "< s.reorder_point"], ["'WH-ATL'"]),
    # a new measure replaces the old one, the filters stay
    (("open purchase orders in Chicago", "what is their total value?"),
     ["SUM(po.qty * po.unit_price)", "'WH-CHI'", "po.status = 'open'"], ["COUNT("]),
]  # fmt: skip

BREAK_DOWN_BY = [
    (("Show monthly demand for Brake Pad Set over the last 12 months.",
      "Break this down by warehouse"),
     ["SUM(d.qty)", "'P-0001'", "date_trunc('month', d.demand_date)", "w.warehouse_id",
      "'2025-07-01' AND DATE '2026-06-30'"], ["COUNT("]),
    (("open po value by supplier", "break it down by warehouse"),
     ["SUM(po.qty * po.unit_price)", "GROUP BY su.supplier_id, su.name, w.warehouse_id"], []),
    (("late deliveries in 2025", "break that down by category"),
     ["COUNT(*)", "po.received_date > po.expected_date", "GROUP BY p.category",
      "'2025-01-01' AND DATE '2025-12-31'"], []),
    (("What parts are low stock?", "Break this down by warehouse"),
     ["COUNT(", "< s.reorder_point", "GROUP BY w.warehouse_id"], []),
    (("Show monthly demand for Brake Pad Set over the last 12 months.",
      "Can you break that down by warehouse?"),
     ["SUM(d.qty)", "'P-0001'", "date_trunc('month', d.demand_date)", "w.warehouse_id"], []),
    (("Show monthly demand for Brake Pad Set over the last 12 months.",
      "please break it out by warehouse"),
     ["SUM(d.qty)", "'P-0001'", "date_trunc('month', d.demand_date)", "w.warehouse_id"], []),
    (("Show monthly demand for Brake Pad Set over the last 12 months.", "Break down by warehouse"),
     ["SUM(d.qty)", "'P-0001'", "date_trunc('month', d.demand_date)", "w.warehouse_id"], []),
    # after the breakdown, a place swaps the warehouse filter back in and keeps the rest
    (("Show monthly demand for Brake Pad Set over the last 12 months.",
      "Break this down by warehouse", "Just in Chicago"),
     ["SUM(d.qty)", "'P-0001'", "'WH-CHI'", "date_trunc('month', d.demand_date)"], []),
    # the one top warehouse broken down: every warehouse and category, ranked
    (("Which warehouse holds the most inventory value?", "break it down by category"),
     ["GROUP BY w.warehouse_id, w.name, p.category", "DESC"], ["LIMIT"]),
    (("open po value", "could you split it by supplier?"),
     ["SUM(po.qty * po.unit_price)", "GROUP BY su.supplier_id"], []),
]  # fmt: skip

NEW_QUESTIONS = [
    (("What parts are low stock?", "just in Atlanta", "How many warehouses are there?"),
     ["SELECT COUNT(*) AS count FROM warehouses w"], ["WH-ATL", "reorder_point"]),
    (("What should we reorder in Chicago?", "How many suppliers are there?"),
     ["FROM suppliers su"], ["WH-CHI", "reorder_point"]),
    (("What parts are low stock?", "just in Atlanta", "How many suppliers do we have?"),
     ["FROM suppliers su"], ["WH-ATL", "reorder_point"]),
    (("What parts are low stock?", "just in Atlanta", "How many parts are in the catalog?"),
     ["FROM parts p"], ["WH-ATL", "reorder_point"]),
    (("Which warehouse holds the most inventory value?", "How many parts are out of stock?"),
     ["s.on_hand_qty = 0"], ["LIMIT", "inventory_value"]),
    # a bare count still counts the previous rows
    (("low stock parts in Boston", "how many are there?"),
     ["COUNT(*)", "'WH-BOS'", "< s.reorder_point"], []),
]  # fmt: skip

OF_THOSE = [
    (("What parts are low stock?", "which of them are in Dallas?"),
     ["s.part_id", "'WH-DAL'", "< s.reorder_point"], ["COUNT("]),
    (("open purchase orders in Chicago", "how many of them are overdue?"),
     ["COUNT(*)", "'WH-CHI'", "po.expected_date < DATE '2026-06-30'"], []),
    (("What parts are low stock?", "Of them, which have no open purchase order?"),
     ["< s.reorder_point", "NOT EXISTS", "x.status = 'open'"], []),
    (("What parts are low stock?", "show me those in the South region"),
     ["s.part_id", "w.region = 'South'", "< s.reorder_point"], []),
    (("What parts are out of stock?", "just those in Chicago"),
     ["s.part_id", "'WH-CHI'", "s.on_hand_qty = 0"], []),
    # another entity of the same rows: who supplies them, where the counted ones are
    (("What parts are out of stock?", "who supplies them?"),
     ["su.supplier_id", "s.on_hand_qty = 0"], ["COUNT("]),
    (("How many open purchase orders are overdue?", "which suppliers are they from?"),
     ["su.supplier_id", "po.expected_date < DATE '2026-06-30'"], ["COUNT("]),
    (("which parts are low in Dallas", "of those, which are critical?"),
     ["'WH-DAL'", "< s.safety_stock"], []),
    # "of those" said first, then a supplier or a warehouse: a filter on the same rows, not
    # a list of that supplier or warehouse
    (("What parts are out of stock in Denver?", "Of those, which come from Apex Components?"),
     ["SELECT s.part_id", "'WH-DEN'", "s.on_hand_qty = 0", "su.supplier_id = 'SUP-"],
     ["SELECT DISTINCT su.supplier_id"]),
    (("Show open purchase orders", "of them, which are going to the Boston warehouse?"),
     ["SELECT po.po_id", "'WH-BOS'", "po.status = 'open'"], ["SELECT DISTINCT w.warehouse_id"]),
    (("low stock parts in Atlanta", "out of those, how many are Brakes parts?"),
     ["COUNT(", "'WH-ATL'", "p.category = 'Brakes'", "< s.reorder_point"], []),
]  # fmt: skip

COMPARE_PERIODS = [
    # the previous period stays and the compared one stands beside it, one row per period
    (("open po value this year", "how does that compare to 2025?"),
     ["SUM(po.qty * po.unit_price)", "po.status = 'open'", "'2026-01-01' AND DATE '2026-06-30'",
      "OR po.order_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'",
      "GROUP BY date_trunc('year', po.order_date)"], []),
    (("How many purchase orders were received this year?", "and vs last year?"),
     ["COUNT(*)", "'2026-01-01' AND DATE '2026-06-30'", "'2025-01-01' AND DATE '2025-12-31'",
      "GROUP BY date_trunc('year'"], []),
    (("demand for Brake Rotor last month", "versus the month before"),
     ["SUM(d.qty)", "'P-0002'", "'2026-06-01' AND DATE '2026-06-30'",
      "'2026-05-01' AND DATE '2026-05-31'", "GROUP BY date_trunc('month'"], []),
    # without "compare", a new period still replaces the old one
    (("demand for Brake Rotor last month", "what about the month before?"),
     ["'2026-05-01' AND DATE '2026-05-31'"], ["'2026-06-01'"]),
]  # fmt: skip

TOP_OF_A_RANKING = [
    # "only the top 3" of a ranking keeps its direction: the top of the lowest is the lowest
    (("Which parts had the lowest demand this year?", "only the top 3"),
     ["total_demand ASC", "LIMIT 3"], ["DESC"]),
    (("Which suppliers have the worst on-time rate?", "just the top 2"),
     ["on_time_rate ASC", "LIMIT 2"], ["DESC"]),
    (("Which parts have the highest inventory value?", "only the top 3"),
     ["DESC", "LIMIT 3"], []),
    # "just the 3 lowest" after an unranked breakdown ranks it, then cuts it
    (("open po value by supplier", "just the 3 lowest"),
     ["GROUP BY su.supplier_id", "order_value ASC", "LIMIT 3"], []),
    (("late delivery rate by supplier", "only the 2 best"),
     ["late_rate ASC", "LIMIT 2"], ["DESC"]),
    (("on-time rate by warehouse", "just the 4 worst"),
     ["GROUP BY w.warehouse_id", "on_time_rate ASC", "LIMIT 4"], []),
]  # fmt: skip

VALUES_PER_ROW = [
    # "their X" / "X for them" after a list: X for each listed entity, the filters kept
    (("Which parts are below safety stock in Denver?", "what are their reorder points?"),
     ["GROUP BY p.part_id", "SUM(s.reorder_point)", "'WH-DEN'", "< s.safety_stock"], ["LIMIT"]),
    (("Which suppliers are based in Germany?", "what are their quoted lead times?"),
     ["GROUP BY su.supplier_id", "su.lead_time_days", "su.country = 'Germany'"], []),
    (("Which parts are out of stock in Denver?", "what is the reorder quantity for them?"),
     ["GROUP BY p.part_id", "SUM(s.reorder_qty)", "'WH-DEN'", "s.on_hand_qty = 0"], []),
    # a total over them is still one number
    (("Which parts are out of stock in Denver?", "what is the total reorder quantity for them?"),
     ["SUM(s.reorder_qty)", "'WH-DEN'", "s.on_hand_qty = 0"], ["GROUP BY"]),
    # after a ranking: the same ranked rows, the new value beside the ranked one
    (("Which suppliers have the lowest on-time rate?", "top 3 only",
      "show me their quoted on-time rates"),
     ["AVG(su.on_time_rate) AS quoted_on_time_rate", "ASC", "LIMIT 3"], ["DESC"]),
]  # fmt: skip

RANKED_LISTS = [
    (("Which suppliers deliver late most often?",),
     ["GROUP BY su.supplier_id", "DESC", "LIMIT 10"], []),
    (("Which warehouses have the most stockouts?",), ["s.on_hand_qty = 0", "LIMIT 10"], []),
    (("Which supplier delivers late most often?",), ["DESC", "LIMIT 1"], ["LIMIT 10"]),
    (("Which warehouse holds the most inventory value?",), ["LIMIT 1"], []),
    (("Which 3 parts have the highest inventory value in Denver?",), ["LIMIT 3"], []),
    (("Which parts have the highest inventory value?",), ["GROUP BY p.part_id", "LIMIT 10"], []),
    (("Which categories have the most stockouts?",), ["GROUP BY p.category", "LIMIT 10"], []),
    # overdue orders ranked by the days past their due date: a list, or the one
    (("what are the most overdue orders from Eastwind Trading?",),
     ["days_overdue DESC", "'SUP-05'", "LIMIT 10"], []),
    (("which purchase order is the most overdue?",), ["days_overdue DESC", "LIMIT 1"], []),
    (("List overdue purchase orders",), ["po.expected_date < DATE '2026-06-30'"],
     ["days_overdue", "LIMIT"]),
]  # fmt: skip

PLACES_ASKED = [
    # "where …" answers with the place: a bound on one part applies in each warehouse
    (("Where do we have more than 2,000 units of one part on hand?",),
     ["GROUP BY p.part_id, p.name, w.warehouse_id", "HAVING SUM(s.on_hand_qty) > 2000"], []),
    (("where are more than 300 units of a single part reserved?",),
     ["GROUP BY p.part_id, p.name, w.warehouse_id", "HAVING SUM(s.reserved_qty) > 300"], []),
    # without "where", the bound is on the part's total
    (("Which parts have more than 5,000 units on hand in total?",),
     ["GROUP BY p.part_id, p.name HAVING SUM(s.on_hand_qty) > 5000"], ["w.warehouse_id, w.name"]),
]  # fmt: skip

RANKED_ROWS_KEPT = [
    # "of those" after a top N: a subset of the N ranked entities, not a new ranking
    (("Top 8 suppliers by open PO value", "of those, which are in Canada?"),
     ["su.country = 'Canada'", "su.supplier_id IN (SELECT supplier_id FROM (",
      "LIMIT 8) AS ranked"], []),
    # a breakdown of a top N: every row of those N entities
    (("Which 3 categories had the most demand in 2025?", "break that down by warehouse"),
     ["p.category IN (SELECT category FROM (", "LIMIT 3) AS ranked", "w.warehouse_id"], []),
    # "that supplier" after the top one: a question of its own about the one named
    (("Which supplier has the highest open PO value?", "which parts do we buy from that supplier?"),
     ["FROM parts p", "su.supplier_id IN (SELECT supplier_id FROM (", "LIMIT 1) AS ranked"], []),
    (("Which warehouse holds the most inventory value?",
      "break it down by category for that warehouse"),
     ["w.warehouse_id IN (SELECT warehouse_id FROM (",
      "GROUP BY w.warehouse_id, w.name, p.category"], []),
]  # fmt: skip

ONE_VALUE_PER_LISTED_ROW = [
    (("List the suppliers based in Mexico", "what is the open PO value of each?"),
     ["GROUP BY su.supplier_id", "su.country = 'Mexico'", "po.status = 'open'"], []),
    (("Which suppliers are based in Canada?", "how many late deliveries did each have?",
      "just the top 1"),
     ["GROUP BY su.supplier_id", "su.country = 'Canada'", "po.received_date > po.expected_date",
      "DESC", "LIMIT 1"], []),
    # the one attribute each ranked row has, beside it
    (("Top 4 parts by inventory value", "who makes them?"),
     ["GROUP BY p.part_id, p.name, su.supplier_id, su.name", "LIMIT 4"], []),
    (("How many open purchase orders are overdue?", "list them for Cobalt Manufacturing"),
     ["po.po_id", "su.supplier_id = 'SUP-03'", "po.expected_date < DATE '2026-06-30'"],
     ["DISTINCT su.supplier_id"]),
]  # fmt: skip

ORDERS_OF_STOCK_ROWS = [
    # an order status over stock rows: an order for the same part and site exists
    (("which parts are below safety stock in Newark and have an open order?",),
     ["< s.safety_stock", "EXISTS (SELECT 1 FROM purchase_orders po WHERE po.part_id = s.part_id",
      "po.status = 'open'"], ["NOT EXISTS"]),
    # "how many of them have open POs" counts the listed stock rows, not the orders
    (("Which parts are low stock in Denver?", "how many of those have an open purchase order?"),
     ["SELECT COUNT(*) AS count FROM stock_levels s", "EXISTS (SELECT 1 FROM purchase_orders po",
      "'WH-DEN'"], ["FROM purchase_orders po JOIN"]),
]  # fmt: skip

MEASURE_CHANGES = [
    # "per day" turns the demand total into a daily rate over the same window
    (("How much demand did Dallas have in May?", "what is that per day?"),
     ["SUM(d.qty) / 31.0", "'WH-DAL'"], []),
    # a daily rate keeps the breakdown ("daily" is the measure, not a new grouping)
    (("Total demand by supplier last month", "what about the average daily demand?"),
     ["SUM(d.qty) / 30.0", "GROUP BY su.supplier_id"], []),
]  # fmt: skip

MORE_FOLLOWUPS = [
    # "does each supplier" names its own grouping: a new question, not per listed row
    (("Which parts are out of stock in Boston?", "How many parts does each supplier make?"),
     ["FROM parts p", "GROUP BY su.supplier_id"], ["'WH-BOS'", "s.on_hand_qty = 0"]),
    # a measure the previous rows' status defines refines them
    (("How many late deliveries did Granite Supply have?", "what's the average late-by?"),
     ["AVG(po.received_date - po.expected_date)", "su.supplier_id = 'SUP-07'"], []),
    # "their" after a swapped supplier keeps that supplier
    (("How many open POs does Delta Precision have?", "and Kestrel Parts?",
      "and their total units on order?"),
     ["SUM(po.qty)", "po.status = 'open'"], ["'SUP-04'"]),
    # another kind of rows "of those": listed, within the ranking's entities
    (("Top 6 parts by demand this year", "of those, which are out of stock in Seattle?"),
     ["FROM stock_levels s", "s.on_hand_qty = 0", "'WH-SEA'", "LIMIT 6) AS ranked"],
     ["SUM(d.qty) AS total_demand FROM demand d JOIN parts p ON p.part_id = d.part_id JOIN "
      "warehouses w ON w.warehouse_id = d.warehouse_id JOIN suppliers su ON su.supplier_id = "
      "p.supplier_id WHERE w.warehouse_id"]),
    # a new time grain replaces the old one
    (("Monthly demand for Oil Filter in 2025", "break it down by week instead"),
     ["date_trunc('week', d.demand_date)"], ["date_trunc('month'"]),
    # the rows behind the top count, within the entity that came top
    (("Which warehouse has the most low-stock parts?", "which parts are they?"),
     ["s.part_id", "< s.reorder_point", "w.warehouse_id IN (SELECT warehouse_id FROM ("],
     ["GROUP BY w.warehouse_id, w.name ORDER BY count DESC NULLS LAST, w.warehouse_id LIMIT 1 "
      "ORDER"]),
    # each listed row's one supplier, beside it
    (("Which parts are out of stock in Newark?", "which supplier makes each one?"),
     ["s.part_id", "su.supplier_id, su.name AS supplier_name", "'WH-NWK'"], ["DISTINCT"]),
    # "for May" names the month, not the verb
    (("Top 5 parts by demand last month", "now for May"),
     ["'2026-05-01' AND DATE '2026-05-31'", "LIMIT 5"], ["'2026-06-01'"]),
    # "now the top 5" after the bottom 5 turns the ranking round
    (("Bottom 4 suppliers by open PO value", "now the top 4"),
     ["order_value DESC", "LIMIT 4"], ["ASC"]),
    # "show all of them" drops the cut
    (("Top 3 categories by inventory value", "show me all of them"),
     ["GROUP BY p.category", "inventory_value DESC"], ["LIMIT", "AS ranked"]),
    # "which warehouse had the most?" ranks the breakdown by warehouse it follows
    (("Open PO value for Fulcrum Parts by warehouse", "which warehouse has the most?"),
     ["GROUP BY w.warehouse_id", "order_value DESC", "LIMIT 1", "'SUP-06'"], []),
    # the sibling measure asked bare keeps the part and the window
    (("Total demand for Oil Filter in 2025", "what was the average daily demand?"),
     ["SUM(d.qty) / 365.0", "'2025-01-01' AND DATE '2025-12-31'"], []),
    # "how many parts does each of them supply?" counts parts per listed supplier
    (("Which suppliers are based in Canada?", "how many parts does each of them supply?"),
     ["FROM parts p", "GROUP BY su.supplier_id", "su.country = 'Canada'"], []),
    # "which one" after a top 3 turned round: the one
    (("Which supplier has the most open PO value?", "top 4", "and which one has the least?"),
     ["order_value ASC", "LIMIT 1"], ["LIMIT 4"]),
    # "which of them …" after a count lists the counted rows
    (("How many open purchase orders are overdue?", "which of them are for Seattle?"),
     ["po.po_id", "'WH-SEA'", "po.expected_date < DATE '2026-06-30'"], ["COUNT("]),
    # "worst" of an on-time rate is its low end
    (("Which supplier has the best on-time rate?", "show the worst 4"),
     ["on_time_rate ASC", "LIMIT 4"], []),
    # "instead" replaces the breakdown
    (("Total reserved units in the West region", "per warehouse", "and by category instead"),
     ["GROUP BY p.category", "w.region = 'West'"], ["w.warehouse_id, w.name, p.category"]),
    # "who supplies <part>?" names its own subject: a new question
    (("Which parts are out of stock in Boston?", "Who supplies the Radiator Cap?"),
     ["FROM parts p", "su.supplier_id"], ["'WH-BOS'", "s.on_hand_qty = 0"]),
    # "how many are available?" after units on hand: available units, not a count
    (("How many units of Spark Plug are on hand in each warehouse?", "and how many are available?"),
     ["(s.on_hand_qty - s.reserved_qty)", "GROUP BY w.warehouse_id"], ["COUNT("]),
    # "its" refers back: the warehouse just asked about
    (("How much capacity does the Denver DC have?", "so what's its utilization?"),
     ["capacity_units", "'WH-DEN'"], []),
    # a bound with no measure of its own on "those" bounds the previous measure
    (("What's the quoted lead time for each supplier?", "of those, which quote over 20 days?"),
     ["HAVING AVG(su.lead_time_days) > 20"], []),
    # "same part in Seattle" keeps the part and the measure, swaps the place
    (("days of supply for Spark Plug in Dallas", "same part in Seattle"),
     ["days_of_supply", "'P-0006'", "'WH-SEA'"], ["'WH-DAL'"]),
    # "late-by days" is days late, not a breakdown by day
    (("Average late-by days for Helix Electronics' late deliveries",),
     ["AVG(po.received_date - po.expected_date)", "'SUP-08'"], ["GROUP BY"]),
    # "have any overdue orders" asks that one exists
    (("List the suppliers with a quoted on-time rate below 95%",
      "of those, which have any overdue orders?"),
     ["po.expected_date < DATE '2026-06-30'"], ["NOT EXISTS"]),
    # the units of rows that need reordering are their reorder quantities
    (("What should we reorder in Atlanta?", "how many units is that in total?"),
     ["SUM(s.reorder_qty)", "'WH-ATL'"], ["GROUP BY"]),
    # a count of a named subject after another measure: a count now
    (("Average unit cost of Brakes parts", "and how many Lighting parts are there?"),
     ["COUNT(", "p.category = 'Lighting'"], ["AVG(p.unit_cost)"]),
    # "in each warehouse" alone regroups the last answer
    (("What's the inventory value of Alternator?", "in each warehouse"),
     ["SUM(s.on_hand_qty * p.unit_cost)", "GROUP BY w.warehouse_id", "'P-0012'"], ["COUNT("]),
    # "who supplies it?" after one part's figure: that part's supplier
    (("What's the unit cost of Oil Pump?", "who supplies it?"),
     ["su.supplier_id", "'P-0009'"], ["AVG(p.unit_cost)"]),
    # the total over a monthly series drops the months
    (("Show monthly demand for Spark Plug over the last 12 months.",
      "what's the total over that period?"),
     ["SUM(d.qty)", "'P-0006'"], ["date_trunc"]),
    # units of a list of orders are their ordered units
    (("Show open purchase orders for Apex Components", "how many units in total?"),
     ["SUM(po.qty)", "po.status = 'open'", "'SUP-01'"], ["s.on_hand_qty"]),
    # "add Boston too" beside a compared pair: three places
    (("Compare inventory value between Chicago and Seattle", "add Boston too"),
     ["IN ('WH-CHI', 'WH-SEA', 'WH-BOS')"], []),
    # parts counted over a list of suppliers
    (("List suppliers based in the USA", "how many parts do they supply in total?"),
     ["COUNT(", "FROM parts p", "su.country = 'USA'"], ["GROUP BY"]),
    # "per warehouse" after two named warehouses: those two, each
    (("What is the inventory value of Spark Plug?", "just in Denver and Atlanta",
      "per warehouse please"),
     ["GROUP BY w.warehouse_id", "IN ('WH-DEN', 'WH-ATL')"], []),
    # "sort them" orders every row
    (("on-time rate per supplier", "only Canadian suppliers", "sort them from worst to best"),
     ["on_time_rate ASC", "su.country = 'Canada'"], ["LIMIT"]),
    # "of those, which one …" after a category's parts ranks the parts
    (("Parts in the Lighting category", "of those, which one has the highest unit cost?"),
     ["GROUP BY p.part_id", "unit_cost DESC", "LIMIT 1", "p.category = 'Lighting'"], []),
    # units we would reorder for rows: one total of their reorder quantities
    (("What parts are low stock?", "just in Boston", "of those, which are critical?",
      "how many units would we reorder for them?"),
     ["SUM(s.reorder_qty)", "< s.safety_stock", "'WH-BOS'"], ["GROUP BY"]),
    # "what's their average X" is one average over the listed rows
    (("Which suppliers are based in Mexico?", "what's their average lead time?"),
     ["AVG(su.lead_time_days)", "su.country = 'Mexico'"], ["GROUP BY"]),
    # "only those with more than 30 days" bounds a lead time
    (("What is the quoted lead time for each supplier?", "only those with more than 25 days"),
     ["HAVING AVG(su.lead_time_days) > 25"], []),
    # "with them" after the suppliers of one part: those suppliers' orders, every part
    (("Which supplier provides the Radiator Cap?", "how many open POs do we have with them?"),
     ["su.supplier_id IN (SELECT supplier_id FROM (", "po.status = 'open'"],
     ["WHERE p.part_id = 'P-0042' AND po.status"]),
    # "as a share of its capacity" is utilization
    (("How much total on-hand stock does Boston hold?", "as a share of its capacity?"),
     ["capacity_units", "'WH-BOS'", "capacity_utilization"], []),
    # "and the total?" after a breakdown: one figure
    (("What is the on-hand quantity of Fuse Kit in each warehouse?", "and the total?"),
     ["SUM(s.on_hand_qty)", "'P-0017'"], ["GROUP BY"]),
    # "show all warehouses" after the top one: the whole ranking
    (("Which warehouse holds the most inventory value?", "show all warehouses"),
     ["GROUP BY w.warehouse_id", "inventory_value DESC"], ["LIMIT"]),
    # "longer than" / "shorter than" bound an attribute
    (("List suppliers with a quoted lead time longer than 20 days",),
     ["su.lead_time_days > 20"], ["GROUP BY"]),
    # orders ranked by their date: the oldest open one, the newest received ones
    (("Which open purchase order was placed first?",),
     ["po.status = 'open'", "ORDER BY po.order_date ASC", "LIMIT 1"], []),
    (("which order was received most recently?",),
     ["ORDER BY po.received_date DESC", "LIMIT 1"], []),
    (("the 3 newest open orders",),
     ["po.status = 'open'", "ORDER BY po.order_date DESC", "LIMIT 3"], []),
    # the same measure aggregated another way in each group, not a ranking
    (("Average unit cost by supplier", "now the minimum unit cost"),
     ["MIN(p.unit_cost)", "GROUP BY su.supplier_id"], ["LIMIT"]),
]  # fmt: skip

THE_LAST_ANSWER_MEASURED_AGAIN = [
    # "X instead": another measure over the same rows, grouping, order and cut kept
    (("Number of open purchase orders by supplier", "show the units on order instead"),
     ["SUM(po.qty)", "GROUP BY su.supplier_id", "po.status = 'open'"], ["COUNT("]),
    (("Which suppliers have the most open purchase orders?", "top 3 only",
      "what about by units on order instead?"),
     ["SUM(po.qty)", "ORDER BY units_ordered DESC", "LIMIT 3"], ["COUNT("]),
    (("How many open purchase orders do we have?", "break down by warehouse",
      "show the value instead of the count"),
     ["SUM(po.qty * po.unit_price)", "GROUP BY w.warehouse_id"], ["COUNT("]),
    # "and X too": a second measure beside the first
    (("What's the inventory value of Wheel Lug Nut?", "by warehouse", "and on-hand units too"),
     ["SUM(s.on_hand_qty * p.unit_cost)", "SUM(s.on_hand_qty) AS", "GROUP BY w.warehouse_id"], []),
    # a bound with no measure of its own bounds the breakdown's measure
    (("What is the actual on-time rate for each supplier?", "which suppliers are below 85%?"),
     ["HAVING AVG(CASE WHEN po.received_date <= po.expected_date THEN 1.0 ELSE 0.0 END) < 0.85"],
     []),
    # "which parts contribute the most?" after one figure: its rows by part, ranked, top 10
    (("Inventory value in Denver", "which parts contribute the most?"),
     ["SUM(s.on_hand_qty * p.unit_cost)", "'WH-DEN'", "GROUP BY p.part_id",
      "inventory_value DESC", "LIMIT 10"], []),
    # "who is the worst?" ranks the breakdown's own measure by its bad end
    (("Average late by days for each supplier", "who is the worst?"),
     ["AVG(po.received_date - po.expected_date)", "days_late DESC", "LIMIT 1"], ["on_time_rate"]),
    # "the worst one" of one supplier's late deliveries: the largest delay
    (("How many late deliveries has Apex Components had?", "what was its worst one, in days late?"),
     ["MAX(po.received_date - po.expected_date)", "'SUP-01'"], ["LIMIT"]),
    # "which one is the most full?": a ratio per warehouse ranked, then turned round
    (("What's the capacity utilization of each warehouse?", "which one is the most full?",
      "and the least full?"),
     ["capacity_utilization ASC", "LIMIT 1"], []),
    # what needs reordering, totalled and priced
    (("What should we reorder in Dallas?", "what's the total reorder quantity?"),
     ["SUM(s.reorder_qty)", "'WH-DAL'", "< s.reorder_point"], []),
    (("What should we reorder in Denver?", "how much would that cost at our unit costs?"),
     ["SUM(s.reorder_qty * p.unit_cost)", "'WH-DEN'", "< s.reorder_point"], ["AVG("]),
    (("what's out of stock in Boston?", "how much will it cost to reorder them?"),
     ["SUM(s.reorder_qty * p.unit_cost)", "'WH-BOS'", "s.on_hand_qty = 0"], []),
    (("how much would it cost to reorder everything low in Dallas?",),
     ["SUM(s.reorder_qty * p.unit_cost)", "'WH-DAL'", "< s.reorder_point"], []),
    # one figure over the previous breakdown's rows as shown: its total, its average
    (("How many parts are out of stock in each warehouse?", "what's the total across all of them?"),
     ["SELECT SUM(g.count)", "GROUP BY w.warehouse_id"], []),
    (("Show the available quantity of Ball Joint in every warehouse",
      "and the average per warehouse?"),
     ["SELECT AVG(g.available_qty)", "GROUP BY w.warehouse_id"], []),
    (("Demand for Fuel Filter by month this year", "what's the monthly average?"),
     ["SELECT AVG(g.total_demand)", "date_trunc('month', d.demand_date)"], []),
    (("Which suppliers deliver late most often?", "show the top 3",
      "what's the combined number of late deliveries for those three?"),
     ["SELECT SUM(g.order_count)", "LIMIT 3"], []),
    (("Average unit cost by category", "which category is the most expensive on average?"),
     ["ORDER BY unit_cost DESC", "LIMIT 1"], ["SELECT AVG(g."]),
    # a measure per listed stock row; then its total over those rows
    (("what's running low in Atlanta?", "what are their reorder quantities?"),
     ["GROUP BY p.part_id, p.name, w.warehouse_id", "SUM(s.reorder_qty)", "'WH-ATL'"], []),
    (("Which parts are below safety stock in Newark?",
      "how many units would we need to bring each of them back up to safety stock?",
      "what's the total reorder quantity for them?"),
     ["SUM(s.reorder_qty)", "'WH-NWK'", "< s.safety_stock"], ["GROUP BY"]),
    # the difference of the two values just compared
    (("What's the inventory value in Seattle?", "compare with Denver",
      "how much higher is Seattle than Denver?"),
     ["inventory_value_difference", "WHEN warehouse_id = 'WH-SEA'"], []),
    # "how many were cancelled?" counts a status of the rows just counted
    (("How many purchase orders did we place with Delta Precision in 2025?",
      "how many were cancelled?"),
     ["po.status = 'cancelled'", "su.supplier_id = 'SUP-04'",
      "po.order_date BETWEEN DATE '2025-01-01'"], []),
    # "so far" ends a period at the space's today
    (("How many purchase orders did we place with Delta Precision in 2025?", "and in 2026 so far?"),
     ["DATE '2026-01-01' AND DATE '2026-06-30'"], []),
    # "so what's the utilization?" keeps the warehouse just named
    (("total on-hand units in Newark", "and what's its capacity?", "so what's the utilization?"),
     ["'WH-NWK'"], []),
    # "there" is the place the ranking named; after a region, that region
    (("Which warehouse holds the most inventory value?", "What parts are out of stock there?"),
     ["s.on_hand_qty = 0", "w.warehouse_id IN (SELECT"], []),
    (("Which warehouse has the highest capacity utilization?", "in the Northeast only",
      "and the lowest there?"),
     ["w.region = 'Northeast'", "capacity_utilization ASC", "LIMIT 1"], ["IN (SELECT"]),
    # a share of a larger total: what the question says again stays, the rest goes
    (("What's the inventory value of the Atlanta warehouse?",
      "what percentage of our total inventory value is that?"),
     ["AS inventory_value_pct", "NULLIF((SELECT SUM(s.on_hand_qty * p.unit_cost) FROM"], []),
    (("Total demand for Lighting parts last year",
      "what percentage of all demand last year was that?"),
     ["AS total_demand_pct", "p.category = 'Lighting'"], []),
    (("How many parts are low in Boston?", "what percentage of Boston's parts is that?"),
     ["AS count_pct", "WHERE w.warehouse_id = 'WH-BOS'), 0)"], []),
    # "30 days or more" is a bound on the attribute, the old bound kept
    (("Which suppliers have an actual on-time rate below 85%?",
      "which of them have a quoted lead time of 30 days or more?"),
     ["su.lead_time_days >= 30", "< 0.85"], []),
    # "of those" keeps the window on the date it was asked on (orders placed in 2025)
    (("How many purchase orders did we place with Granite Supply in 2025?",
      "how many of those arrived late?"),
     ["po.order_date BETWEEN DATE '2025-01-01'", "po.received_date > po.expected_date"],
     ["po.received_date BETWEEN"]),
]  # fmt: skip

SINGLE_QUESTIONS = [
    # a place names the rows' location, not what is listed
    (("What needs reordering in the Midwest region?",),
     ["s.part_id", "w.region = 'Midwest'", "< s.reorder_point"], ["DISTINCT w.region"]),
    # "the total X for the items" is one total
    (("What is the total reorder quantity for the out-of-stock items in Boston?",),
     ["SUM(s.reorder_qty)", "'WH-BOS'", "s.on_hand_qty = 0"], ["GROUP BY"]),
    (("Suppliers whose open order value exceeded 200k",),
     ["HAVING SUM(po.qty * po.unit_price) > 200000"], []),
    # a stock row's settings in the plural: each row's value
    (("Show the safety stock levels for everything below reorder point in Atlanta",),
     ["GROUP BY p.part_id, p.name, w.warehouse_id", "SUM(s.safety_stock)", "'WH-ATL'"], []),
    (("What's the longest any order from Juniper Filtration has run late, in days?",),
     ["MAX(po.received_date - po.expected_date)"], []),
    # a bound on the gap between actual and quoted
    (("Which suppliers' actual on-time rate falls short of their quoted rate by over 4 points?",),
     ["HAVING AVG(su.on_time_rate) - AVG(", "> 0.04"], []),
]  # fmt: skip

RULES = {
    "keeps what it does not replace": KEEPS_UNLESS_REPLACED,
    "break this down by X adds a grouping": BREAK_DOWN_BY,
    "a self-contained question is new": NEW_QUESTIONS,
    "of those keeps the previous rows": OF_THOSE,
    "compare with another period keeps both": COMPARE_PERIODS,
    "the top of a ranking keeps its direction": TOP_OF_A_RANKING,
    "their X gives X per listed row": VALUES_PER_ROW,
    "plural which ranks a list": RANKED_LISTS,
    "where answers with the place": PLACES_ASKED,
    "of those after a top N keeps the N": RANKED_ROWS_KEPT,
    "each gives one value per listed row": ONE_VALUE_PER_LISTED_ROW,
    "a new measure keeps the rest": MEASURE_CHANGES,
    "single questions": SINGLE_QUESTIONS,
    "more follow-ups": MORE_FOLLOWUPS,
    "an order status over stock rows is an EXISTS": ORDERS_OF_STOCK_ROWS,
    "the last answer measured again": THE_LAST_ANSWER_MEASURED_AGAIN,
}


@pytest.mark.parametrize(
    ("turns", "present", "absent"),
    [
        pytest.param(*case, id=f"{rule}: {' / '.join(case[0])}")
        for rule, cases in RULES.items()
        for case in cases
    ],
)
def test_conversation_rule(
    offline_space: OfflineSpace, turns: tuple[str, ...], present: list[str], absent: list[str]
):
    assert_fragments(offline_space.sql(*turns), present, absent)


SENTENCES = [
    (("How many open purchase orders are overdue?",), r"^\d+ purchase orders are overdue\. "),
    (("What parts are low stock?",),
     r"^\d+ parts are below their reorder point; [A-Za-z ]+ DC has the most \(\d+\)\. "),
    (("Which suppliers deliver late most often?",),
     r"^10 suppliers ranked by number of purchase orders delivered late; [A-Z][\w ]+ has the "
     r"most \([\d,]+\)\. "),
    (("Which warehouse holds the most inventory value?",),
     r"^[A-Za-z ]+ DC has the highest inventory value \([\d,.]+\)\. "),
    (("Show monthly demand for Brake Pad Set over the last 12 months.",),
     r"^12 months by demand; [A-Z][a-z]+ 20\d\d has the highest \([\d,]+\)\. "),
    (("What parts are low stock?", "just in Atlanta", "How many warehouses are there?"),
     r"^There are 8 warehouses\. "),
    (("total inventory value",), r"^The inventory value is [\d,.]+\. "),
    (("which parts are out of stock in Atlanta",), r"^\d+ parts are out of stock: \w"),
    (("What parts are out of stock?", "who supplies them?"),
     r"^\d+ suppliers with parts out of stock: \w"),
    (("Demand for Fuel Filter by month this year", "what's the monthly average?"),
     r"^The average demand per month is [\d,.]+\. "),
    (("How many parts are out of stock in each warehouse?", "what's the total across all of them?"),
     r"^Added up over the warehouses, the number of parts out of stock is \d+\. "),
    (("How many parts are low in Boston?", "what percentage of Boston's parts is that?"),
     r"^\d+ parts are below their reorder point: [\d.]+% of the total\. "),
]  # fmt: skip


@pytest.mark.parametrize(("turns", "pattern"), SENTENCES, ids=[" / ".join(t) for t, _ in SENTENCES])
def test_the_answer_is_a_sentence_stating_the_result(
    offline_space: OfflineSpace, turns: tuple[str, ...], pattern: str
):
    plan = offline_space.last_plan(*turns)
    text = offline_space.engine.summarize(plan, offline_space.db.query(plan.sql or ""))
    assert re.search(pattern, text), text
    assert "One row:" not in text and "_id" not in text
