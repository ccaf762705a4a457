"""Single questions in the space's language plan their business definition's SQL:
bare "low", one purchase order by id, gaps between quoted and actual, NOT EXISTS on stock
and order events, entity exclusions, country groups by continent, thresholds in words and
on a breakdown ("count per warehouse, only those over 12"), shares and percentages, the
quantity a status compares, compared and future periods. Each plan must be read-only, run
on the real demo database, carry the definition's SQL and leave out what was ruled out."""

from __future__ import annotations

import pytest

from tests.genie_local.nl2sql_cases import OfflineSpace, assert_fragments
from tests.genie_local.nl2sql_paraphrase_readings import (
    COLUMNS_ASKED_FOR,
    PARAPHRASE_FAMILIES,
    UNKNOWN_PARAPHRASES,
)

DEFINITIONS = [
    ("whats low in atlanta", ["< s.reorder_point", "'WH-ATL'"], []),
    ("h1 2026 demand for thermostat per wh", ["SUM(d.qty)", "GROUP BY w.warehouse_id"], []),
    ("# of open pos w/ german suppliers",
     ["COUNT(*)", "su.country = 'Germany'"], ["po.po_id,"]),
    ("Show me every stock position that has dropped below its reorder point.",
     ["s.part_id", "< s.reorder_point"], ["SUM("]),
    ("Which parts have nothing on hand in Newark?", ["s.on_hand_qty = 0", "'WH-NWK'"], []),
    ("How many Thermostat units has WH-DEN consumed over the whole demand history?",
     ["SUM(d.qty)", "'WH-DEN'"], ["GROUP BY"]),
    # "by part category": the owner noun qualifies the attribute, the breakdown is the attribute
    ("Open order quantity by part category.", ["GROUP BY p.category"], ["p.part_id,"]),
    ("Stock value by the product's category", ["GROUP BY p.category"], ["p.part_id,"]),
    # "low on stock": the noun goes with the status, so the list stays one row per position
    ("Which parts are low on stock but have no open purchase order at that warehouse?",
     ["s.warehouse_id", "< s.reorder_point", "NOT EXISTS"], ["SUM(", "GROUP BY"]),
    # "across": a totalling word asks for one figure; a plain "<measure> of X across our
    # warehouses" lists each warehouse
    ("What is the total worth of all the stock we hold across every site?",
     ["SUM(s.on_hand_qty * p.unit_cost)"], ["GROUP BY"]),
    ("Total stock of air filter across the warehouses", ["SUM(s.on_hand_qty)"], ["GROUP BY"]),
    ("Show me the stock of air filter across our warehouses.",
     ["GROUP BY w.warehouse_id", "'P-0019'"], []),
    # two periods joined by "or" in a which-is-higher question: the winning period, one row
    ("Was demand for Thermostat higher in April 2026 or in May 2026?",
     ["date_trunc('month', d.demand_date)", "DATE '2026-05-01'", "DESC", "LIMIT 1"], ["MAX("]),
    ("Did Thermostat see more demand in April or May?",
     ["DATE '2026-04-01'", "DATE '2026-05-31'", "SUM(d.qty)", "LIMIT 1"], ["MAX("]),
    ("Was demand for Thermostat higher in Q1 or Q2 2026?",
     ["date_trunc('quarter', d.demand_date)", "DATE '2026-01-01'", "DATE '2026-06-30'",
      "LIMIT 1"], []),
    ("Was Thermostat demand higher in Q4 2025 or Q1 2026?",
     ["date_trunc('quarter', d.demand_date)", "DATE '2025-10-01'", "LIMIT 1"], ["'year'"]),
    ("Was Thermostat demand lower last month or the month before?",
     ["DATE '2026-05-01'", "DATE '2026-06-30'", "ASC", "LIMIT 1"], []),
    ("Was Thermostat demand higher last month than the month before?",
     ["DATE '2026-05-01'", "DATE '2026-06-30'"], ["LIMIT"]),
    ("coolant 5l demand may vs june",
     ["'2026-05-01' AND DATE '2026-05-31' OR", "GROUP BY date_trunc('month'"], []),
    ("was shock absorber demand higher last month than the month before?",
     ["'2026-06-01' AND DATE '2026-06-30' OR", "'2026-05-01'", "GROUP BY date_trunc"], []),
    ("Which has more stock positions below safety stock, Chicago or Atlanta?",
     ["COUNT(*)", "GROUP BY w.warehouse_id", "DESC", "LIMIT 1"], ["MAX("]),
    ("Did Denver or Dallas see more demand last month?",
     ["SUM(d.qty)", "GROUP BY w.warehouse_id", "DESC", "LIMIT 1"], ["MAX("]),
    ("Which supplier quotes the longer lead time, Delta Precision or Kestrel Motors?",
     ["su.lead_time_days", "DESC", "LIMIT 1"], []),
    # "the better …, A or B": the winner, by the way the measure is good
    ("Who has the better actual on-time rate, Delta Precision or Kestrel Motors?",
     ["ORDER BY on_time_rate DESC", "LIMIT 1"], []),
    ("Which warehouse is worse for stockouts, Chicago or Atlanta?",
     ["s.on_hand_qty = 0", "ORDER BY count DESC", "LIMIT 1"], []),
    ("Which supplier performs worse, Delta Precision or Kestrel Motors?",
     ["AVG(CASE WHEN po.received_date <= po.expected_date", "ASC", "LIMIT 1"], []),
    # "the difference between A and B": one number, the first minus the second
    ("What's the gap in demand last month between Denver and Dallas?",
     ["WHEN warehouse_id = 'WH-DEN' THEN total_demand END), 0) - COALESCE(MAX(CASE WHEN "
      "warehouse_id = 'WH-DAL'"], []),
    ("How much less demand did Denver see than Dallas last month?",
     ["WHEN warehouse_id = 'WH-DAL' THEN total_demand END), 0) - COALESCE(MAX(CASE WHEN "
      "warehouse_id = 'WH-DEN'"], ["MAX(d.qty)"]),
    ("How many more units of Coil Spring does Seattle hold on hand than Los Angeles?",
     ["WHEN warehouse_id = 'WH-SEA' THEN on_hand_qty END), 0) - COALESCE(MAX(CASE WHEN "
      "warehouse_id = 'WH-LAX'"], ["MAX(s.on_hand_qty)"]),
    # the quotes of two named suppliers compared: not each one's actual against its quote
    ("What is the difference between the quoted lead times of Eastwind Trading and "
     "Ironclad Fasteners?",
     ["_difference", "AVG(su.lead_time_days) AS lead_time_days"], ["po.received_date"]),
    # two parts on an attribute, each behind an article: "than a B", "cheaper" reverses
    ("How much more does a Strut Assembly cost per unit than a Shock Absorber?",
     ["WHEN part_id = 'P-0024' THEN unit_cost END), 0) - COALESCE(MAX(CASE WHEN "
      "part_id = 'P-0023'"], ["MAX(p.unit_cost)"]),
    ("How much cheaper is a Shock Absorber than a Strut Assembly?",
     ["WHEN part_id = 'P-0024' THEN unit_cost END), 0) - COALESCE(MAX(CASE WHEN "
      "part_id = 'P-0023'"], []),
    ("What is the price difference between a Strut Assembly and a Shock Absorber?",
     ["WHEN part_id = 'P-0024' THEN unit_cost END), 0) - COALESCE(MAX(CASE WHEN "
      "part_id = 'P-0023'"], []),
    ("By how much does Strut Assembly's unit cost exceed Shock Absorber's?",
     ["WHEN part_id = 'P-0024' THEN unit_cost END), 0) - COALESCE(MAX(CASE WHEN "
      "part_id = 'P-0023'"], ["days_late"]),
    ("Is a Strut Assembly more expensive than a Shock Absorber, and by how much?",
     ["WHEN part_id = 'P-0024' THEN unit_cost END), 0) - COALESCE(MAX(CASE WHEN "
      "part_id = 'P-0023'"], ["days_late"]),
    ("How much longer is Kestrel Motors' lead time than Delta Precision's?",
     ["WHEN supplier_id = 'SUP-11' THEN lead_time_days END), 0) - COALESCE(MAX(CASE WHEN "
      "supplier_id = 'SUP-04'"], []),
    ("Compare the quoted lead time of German suppliers with that of Chinese suppliers",
     ["GROUP BY su.country", "AVG(su.lead_time_days)"], ["po.received_date"]),
    ("Which month of 2025 had the highest total demand?",
     ["GROUP BY date_trunc('month'", "DESC", "LIMIT 1"], ["MAX("]),
    ("reorder list for seattle", ["< s.reorder_point", "s.reorder_qty"], []),
    ("total reorder qty needed in the northeast",
     ["SUM(s.reorder_qty)", "< s.reorder_point"], []),
    ("parts low in at least 3 warehouses", ["< s.reorder_point", "HAVING COUNT(DISTINCT"], []),
    ("whats the status of PO-000042", ["po.po_id = 'PO-000042'", "po.status"], []),
    ("which supplier falls furthest short of its quoted on time rate",
     ["AVG(su.on_time_rate) - AVG(CASE", "DESC", "LIMIT 1"], []),
    ("rank suppliers by the gap between actual and quoted lead time",
     ["AVG(po.received_date - po.order_date) - AVG(su.lead_time_days)", "DESC"], []),
    ("which supplier was the latest on average",
     ["AVG(po.received_date - po.expected_date)", "DESC", "LIMIT 1"], []),
    ("parts that never stocked out anywhere",
     ["NOT EXISTS (SELECT 1 FROM stock_levels x", "x.on_hand_qty = 0"], []),
    # an order "on the way" is an open one; "replenishment order" asks no low-stock filter
    ("Which stocked-out items don't have a replenishment order on the way?",
     ["s.on_hand_qty = 0", "NOT EXISTS", "x.status = 'open'"], ["< s.reorder_point"]),
    # "punctuality" is the on-time rate; "poorest" its bad end
    ("Which vendor has the poorest real-world punctuality on the orders it has delivered?",
     ["AVG(CASE WHEN po.received_date <= po.expected_date", "ASC", "LIMIT 1"], []),
    # a negation after the verb ("delivered nothing to", "received nothing from") denies a
    # received order, with the place and the period inside
    ("Which suppliers delivered nothing to the Los Angeles warehouse in May 2026?",
     ["NOT EXISTS", "x.status = 'received'", "'WH-LAX'", "x.received_date BETWEEN"],
     ["DISTINCT"]),
    ("Which warehouses received nothing from Apex Components in May 2026?",
     ["NOT EXISTS", "x.status = 'received'", "x.supplier_id IN ('SUP-01')"], []),
    ("warehouses with no stockouts",
     ["x.warehouse_id = w.warehouse_id", "x.on_hand_qty = 0"], []),
    ("suppliers with no parts below safety stock", ["pp.supplier_id = su.supplier_id"], []),
    ("suppliers with no cancelled orders this year",
     ["x.status = 'cancelled'", "x.order_date BETWEEN DATE '2026-01-01'"], []),
    ("inventory value by warehouse excluding chicago and dallas",
     ["w.warehouse_id NOT IN ('WH-CHI', 'WH-DAL')"], []),
    ("low stock parts except fasteners", ["p.category NOT IN ('Fasteners')"], []),
    ("avg lead time for asian suppliers", ["su.country IN ('China'"], []),
    ("which suppliers take longer than quoted to deliver",
     ["HAVING AVG(po.received_date - po.order_date) > AVG(su.lead_time_days)"], []),
    ("how many pos did we cancel last quarter",
     ["po.status = 'cancelled'", "'2026-04-01'"], []),
    ("top 3 fast movers last month", ["SUM(d.qty)", "GROUP BY p.part_id", "LIMIT 3"], []),
    ("total demand the month before last", ["'2026-05-01' AND DATE '2026-05-31'"], []),
    ("Which vendors supply more than three items?", ["HAVING COUNT(*) > 3"], []),
    ("Which vendors have recorded more than one hundred late deliveries?",
     ["HAVING COUNT(*) > 100"], []),
    ("US vendors with a quoted lead time of under one week", ["su.lead_time_days < 7"], []),
    ("What percentage of item-location records are out of stock?",
     ["AVG(CASE WHEN s.on_hand_qty = 0 THEN 1.0 ELSE 0.0 END)", "100.0 * AVG("], []),
    ("Total value of purchase orders placed in 2025, excluding cancelled orders",
     ["po.status <> 'cancelled'", "po.order_date BETWEEN DATE '2025-01-01'"], []),
    ("Show the items whose available quantity is below safety stock in California",
     ["s.warehouse_id", "< s.safety_stock"], []),
    ("Which vendors deliver on time less often than they quote?",
     ["HAVING AVG(CASE WHEN po.received_date <= po.expected_date", "< AVG(su.on_time_rate)"],
     []),
    ("Compare total demand in the first half of 2026 with the first half of 2025",
     ["OR d.demand_date BETWEEN DATE '2025-01-01' AND DATE '2025-06-30'", "year("], []),
    # a number word before a time unit is a window, never a row limit
    ("total demand in Los Angeles over the last two quarters",
     ["d.demand_date BETWEEN DATE '2026-01-01' AND DATE '2026-06-30'"], ["LIMIT"]),
    ("demand in Newark in the second half of last year",
     ["d.demand_date BETWEEN DATE '2025-07-01' AND DATE '2025-12-31'"], []),
    # a quarter "of this/last year" is that quarter, not the whole year
    ("How many purchase orders placed in the second quarter of this year were cancelled?",
     ["po.order_date BETWEEN DATE '2026-04-01' AND DATE '2026-06-30'"], ["'2026-01-01'"]),
    ("total demand in Q3 of last year",
     ["d.demand_date BETWEEN DATE '2025-07-01' AND DATE '2025-09-30'"], []),
    ("suppliers with a lead time under a week", ["su.lead_time_days < 7"], ["AVG("]),
    ("open POs expected in the next 14 days",
     ["po.expected_date BETWEEN DATE '2026-07-01' AND DATE '2026-07-14'"], []),
    ("how many POs were placed before july", ["AND DATE '2026-06-30'"], []),
    ("slowest moving 5 parts", ["ASC", "LIMIT 5"], []),
    ("Average number of days late for late deliveries from Eastwind Trading",
     ["AVG(po.received_date - po.expected_date)"], []),
    ("Which items need replenishment in Boston, and in what quantity?",
     ["s.reorder_qty", "'WH-BOS'"], []),
    ("low stock count per warehouse, only those with more than 12",
     ["GROUP BY w.warehouse_id", "HAVING COUNT(*) > 12"], []),
    ("inventory value by category above 400k",
     ["GROUP BY p.category", "HAVING SUM(s.on_hand_qty * p.unit_cost) > 400000"],
     ["p.part_id,"]),
    ("open po value per supplier exceeding 50000",
     ["GROUP BY su.supplier_id", "> 50000"], ["po.po_id"]),
    ("countries with more than one supplier", ["HAVING COUNT(*) > 1"], []),
    ("parts stocked out in 2 or more warehouses", [") >= 2"], []),
    ("parts lacking an open purchase order", ["NOT EXISTS", "x.status = 'open'"], []),
    ("suppliers that never had an order cancelled", ["NOT EXISTS", "'cancelled'"], []),
    ("warehouses with no open pos from apex components",
     ["NOT EXISTS", "x.supplier_id IN ('SUP-01')"], ["su.supplier_id = 'SUP-01'"]),
    ("warehouses with no stockouts in electrical",
     ["NOT EXISTS", "pp.category IN ('Electrical')"], ["p.category = 'Electrical'"]),
    ("suppliers with nothing received at seattle last month",
     ["NOT EXISTS", "x.status = 'received'", "ww.warehouse_id IN ('WH-SEA')",
      "x.received_date BETWEEN DATE '2026-06-01'"], ["FROM purchase_orders po"]),
    ("how many purchase orders are past due and still not received",
     ["po.status = 'open'"], ["NOT EXISTS"]),
]  # fmt: skip


BREAKDOWN_THRESHOLDS = [
    ("which whs have more than 12 low stock parts",
     ["GROUP BY w.warehouse_id", "HAVING COUNT(DISTINCT p.part_id) > 12"], ["p.part_id,"]),
    ("whs over 20% capacity utilization",
     ["GROUP BY w.warehouse_id", "> 0.2"], ["p.part_id,"]),
    ("per wh count of low stock electrical parts, only whs with more than 2",
     ["GROUP BY w.warehouse_id", "HAVING COUNT(*) > 2"], ["p.part_id,"]),
    ("parts out of stock in 2+ warehouses", ["HAVING COUNT(DISTINCT w.warehouse_id) >= 2"], []),
    ("parts out of stock in multiple warehouses",
     ["HAVING COUNT(DISTINCT w.warehouse_id) >= 2"], []),
    ("suppliers where over 20% of received pos came in late",
     ["GROUP BY su.supplier_id",
      "HAVING AVG(CASE WHEN po.received_date > po.expected_date THEN 1.0 ELSE 0.0 END) > 0.2"],
     ["COUNT(*)"]),
    ("warehouses where at least half of the parts are low stock",
     ["GROUP BY w.warehouse_id", ">= 0.5"], ["p.part_id,"]),
    # idioms for a bound: "north of", "upwards of" above it; "shy of" below it
    ("which states have inventory value north of $300k",
     ["GROUP BY w.state", "HAVING SUM(s.on_hand_qty * p.unit_cost) > 300000"], []),
    ("categories with total demand shy of 5,000 units this year",
     ["GROUP BY p.category", "HAVING SUM(d.qty) < 5000"], []),
]  # fmt: skip


ABSENT_EVENTS = [
    ("critical items in chicago w/o an open po",
     ["< s.safety_stock", "NOT EXISTS (SELECT 1 FROM purchase_orders x",
      "x.warehouse_id = s.warehouse_id AND x.status = 'open'"], []),
    ("suppliers w/o any late delivery since april",
     ["FROM suppliers su", "NOT EXISTS", "x.received_date BETWEEN DATE '2026-04-01'"],
     ["po.po_id"]),
    ("Which suppliers have not had a single late delivery in the last 90 days?",
     ["NOT EXISTS", "x.received_date > x.expected_date", "x.received_date BETWEEN"],
     ["days_late"]),
    ("parts that aren't low stock in any warehouse",
     ["FROM parts p", "NOT EXISTS (SELECT 1 FROM stock_levels x WHERE x.part_id = p.part_id"],
     ["x.warehouse_id = w.warehouse_id"]),
    ("which parts havent been ordered for newark this year",
     ["'WH-NWK'", "NOT EXISTS", "x.order_date BETWEEN DATE '2026-01-01'"], []),
    # the negation before the verb, the filter inside the subquery with the event
    ("warehouses that don't have a single Cooling part out of stock",
     ["FROM warehouses w", "x.on_hand_qty = 0", "pp.category IN ('Cooling')"],
     ["p.category = 'Cooling'"]),
    ("suppliers that do not make any Lighting parts",
     ["FROM suppliers su", "NOT EXISTS (SELECT 1 FROM parts x WHERE x.supplier_id = su.supplier_id",
      "pp.category IN ('Lighting')"], ["p.category = 'Lighting'"]),
    # "no longer in demand" denies the demand rows: they are not also summed outside
    ("parts no longer in demand in Denver, nothing sold there since March 1, 2026",
     ["NOT EXISTS (SELECT 1 FROM demand x", "x.demand_date BETWEEN DATE '2026-03-01'", "'WH-DEN'"],
     ["AND TRUE)", "SUM(d.qty)"]),
]  # fmt: skip


SHORT_WORDS = [
    ("what's going short in Denver", ["< s.reorder_point", "'WH-DEN'"], []),
    ("are we short on stock anywhere in the west", ["< s.reorder_point", "'West'"], []),
    ("low stock in sea", ["< s.reorder_point", "'WH-SEA'"], []),
    ("open po value for german-made parts", ["su.country = 'Germany'"], []),
    ("demand for wiper blades last 3 mos", ["BETWEEN DATE '2026-04-01'"], []),
    ("open pos this yr by wk", ["date_trunc('week'", "DATE '2026-01-01'"], []),
    ("oos parts atl", ["s.on_hand_qty = 0", "'WH-ATL'"], []),
    ("# pos placed last 90 days", ["COUNT(*)", "po.order_date BETWEEN"], ["po.po_id,"]),
    ("cats w/ avg unit cost > $60",
     ["GROUP BY p.category", "HAVING AVG(p.unit_cost) > 60"], ["WHERE p.unit_cost"]),
]  # fmt: skip


NEGATED_VERBS = [
    ("warehouses that never received a late delivery from apex components",
     ["NOT EXISTS", "x.received_date > x.expected_date", "x.supplier_id IN ('SUP-01')"],
     ["days_late"]),
    ("parts never on an open po", ["NOT EXISTS", "x.status = 'open'"], ["po.status"]),
    ("low stock parts in dallas that are not part of any open order",
     ["< s.reorder_point", "NOT EXISTS", "x.status = 'open'"], ["po.status"]),
]  # fmt: skip


MEASURE_WORDS = [
    ("How many POs are still waiting to be received?",
     ["COUNT(*)", "po.status = 'open'"], ["'received'"]),
    ("worst late delivery in days for apex components",
     ["MAX(po.received_date - po.expected_date)", "'SUP-01'"], ["po.po_id"]),
    ("suppliers averaging more than 5 days late",
     ["HAVING AVG(po.received_date - po.expected_date) > 5"], ["COUNT(*)"]),
    ("suppliers that provide only 3 parts", ["HAVING COUNT(*) = 3"], []),
    ("Is there more stock on hand in the West or the South?",
     ["SUM(s.on_hand_qty)", "GROUP BY w.region", "LIMIT 1"], ["MAX("]),
    # an amount "a day" over a window is a daily rate: the total over the window's days
    ("parts averaging more than 100 units a day of demand last month",
     ["HAVING SUM(d.qty) / 30.0 > 100"], ["HAVING SUM(d.qty) > 100"]),
    ("parts that sold over 20 per day last quarter", ["HAVING SUM(d.qty) / 91.0 > 20"], []),
]  # fmt: skip


# Quantities of a named part, shares of a grand total, stock rows counted as items,
# and "in every warehouse" / "no X below" as NOT EXISTS over the stock rows.
QUANTITIES_AND_SHARES = [
    ("How many Oil Filters are available to sell across all warehouses?",
     ["SUM((s.on_hand_qty - s.reserved_qty))"], ["COUNT("]),
    ("How many Oil Filters did we use in March 2026?",
     ["SUM(d.qty)", "'2026-03-01'"], ["COUNT("]),
    ("thermostat avail qty denver", ["(s.on_hand_qty - s.reserved_qty)", "'WH-DEN'"], []),
    ("Which parts are completely depleted at the Denver DC?",
     ["s.on_hand_qty = 0", "'WH-DEN'"], []),
    ("Compare the open order quantities for Apex Components and its rivals",
     ["SUM(po.qty)", "po.status = 'open'"], ["reorder_qty"]),
    ("Show the reorder point and safety stock for Coolant 5L in every warehouse.",
     ["AS reorder_point", "AS safety_stock", "GROUP BY w.warehouse_id"], []),
    ("How many low-stock items does each region have?",
     ["COUNT(*)", "GROUP BY w.region"], ["DISTINCT"]),
    ("How many distinct items are out of stock?", ["COUNT(DISTINCT"], []),
    ("whs with 3+ stockouts",
     ["s.on_hand_qty = 0", "HAVING COUNT(DISTINCT p.part_id) >= 3"], []),
    ("Which categories account for more than 15% of total inventory value?",
     ["HAVING SUM(s.on_hand_qty * p.unit_cost) > 0.15 * (SELECT SUM("], []),
    ("What percentage of open purchase order value is with Apex Components?",
     ["100.0 * SUM(po.qty * po.unit_price) / NULLIF((SELECT", "WHERE po.status = 'open'), 0)"],
     []),
    ("Which warehouses hold more than 15% of all on-hand units?",
     ["GROUP BY w.warehouse_id", "HAVING SUM(s.on_hand_qty) > 0.15 * (SELECT"], []),
    # a share of all orders / all late rows / all stockouts: those rows counted per entity
    # against the grand count, not each entity's own rate
    ("Which suppliers account for more than 10% of all purchase orders?",
     ["GROUP BY su.supplier_id", "HAVING COUNT(*) > 0.1 * (SELECT COUNT(*) FROM purchase_orders"],
     []),
    ("Which suppliers represent 10% or more of all open purchase orders?",
     ["HAVING COUNT(*) >= 0.1 * (SELECT COUNT(*)", "po.status = 'open')"], []),
    ("Which suppliers account for over 10% of the total number of purchase orders?",
     ["GROUP BY su.supplier_id", "HAVING COUNT(*) > 0.1 * (SELECT COUNT(*)"], []),
    ("Which warehouses make up over 20% of all late deliveries?",
     ["HAVING COUNT(*) > 0.2 * (SELECT COUNT(*)", "po.received_date > po.expected_date)"],
     ["AVG("]),
    ("Which warehouses account for more than 15% of all stockouts?",
     ["s.on_hand_qty = 0", "HAVING COUNT(*) > 0.15 * (SELECT COUNT(*)"], ["AVG(", "DISTINCT"]),
    # "none of their <rows> <state>": no row of the entity's in that state
    ("Which suppliers have none of their parts out of stock anywhere?",
     ["NOT EXISTS (SELECT 1 FROM stock_levels x", "pp.supplier_id = su.supplier_id",
      "x.on_hand_qty = 0"], ["WHERE s.on_hand_qty = 0"]),
    ("Which categories have no part of theirs below safety stock?",
     ["NOT EXISTS", "pp.category = p.category", "x.safety_stock"], []),
    ("Which suppliers have not a single part that is out of stock?",
     ["NOT EXISTS", "pp.supplier_id = su.supplier_id", "x.on_hand_qty = 0"],
     ["WHERE s.on_hand_qty = 0"]),
    ("Which suppliers have none of their orders overdue?",
     ["NOT EXISTS", "x.status = 'open' AND x.expected_date <"], ["WHERE po.status"]),
    ("Which warehouses had none of their deliveries arrived late?",
     ["NOT EXISTS", "x.received_date > x.expected_date"], ["WHERE po.status"]),
    ("Which warehouses have no Brakes parts below their reorder point?",
     ["NOT EXISTS", "pp.category IN ('Brakes')"], ["WHERE p.category"]),
    ("Which parts are in stock in every warehouse?",
     ["FROM stock_levels x WHERE x.part_id = p.part_id AND x.on_hand_qty = 0"],
     ["GROUP BY"]),
    ("How many units of Coolant 5L are in stock in every warehouse?",
     ["SUM(s.on_hand_qty)", "GROUP BY w.warehouse_id"], ["NOT EXISTS"]),
]  # fmt: skip


SYNONYMS_AND_ROW_COUNTS = [
    # available stock said as what is free, uncommitted or net of reservations
    ("how much Spark Plug stock is uncommitted overall",
     ["SUM((s.on_hand_qty - s.reserved_qty))"], ["SUM(s.on_hand_qty)"]),
    # units a site went through are units consumed; "since March" runs to the as-of date
    ("how many Oil Filters did Denver burn through since March",
     ["SUM(d.qty)", "'WH-DEN'", "DATE '2026-03-01' AND DATE '2026-06-30'"], ["COUNT("]),
    # a month range without "from", the year closing both ends; "<noun> count"
    ("order count by vendor feb-apr 2025",
     ["COUNT(*)", "FROM purchase_orders", "'2025-02-01' AND DATE '2025-04-30'"],
     ["FROM suppliers su GROUP"]),
    # "run dry" is out of stock; "where" lists the stock rows, not the part
    ("where did Coolant 5L go dry", ["s.warehouse_id", "s.on_hand_qty = 0"], []),
    # "<owner>'s parts" lists the parts; "X-supplied parts …, and in which warehouses" too
    ("List the German vendor's items that are below safety stock",
     ["s.part_id", "s.warehouse_id", "su.country = 'Germany'"], ["DISTINCT su."]),
    ("Which Japanese-supplied parts are low, and at which sites?",
     ["s.part_id", "s.warehouse_id", "su.country = 'Japan'"], ["DISTINCT w."]),
    # one site named by its state adjective locates the rows listed
    ("texan warehouse stocked out", ["s.part_id", "w.state = 'TX'"], ["DISTINCT w."]),
    # exposure to stockouts is the at-risk definition; a safety buffer is safety stock
    ("stock-out exposure at the Dallas DC", ["days_of_supply", "su.lead_time_days"], []),
    ("stock rows sitting under the safety buffer", ["< s.safety_stock"], []),
    # a count of status rows thresholded per warehouse
    ("sites with over 5 out of stock rows",
     ["GROUP BY w.warehouse_id", "HAVING COUNT(*) > 5", "s.on_hand_qty = 0"], ["DISTINCT"]),
    # "per part" is what the average is taken over, the warehouses stay the breakdown
    ("which DCs average over 300 reserved units per part",
     ["GROUP BY w.warehouse_id", "HAVING AVG(s.reserved_qty) > 300"], ["GROUP BY p.part_id"]),
    # a phrase is read from a word's start: "show late" holds no "how late"
    ("Show late deliveries from Apex Components",
     ["po.po_id", "po.received_date > po.expected_date"], ["AVG("]),
]  # fmt: skip


#: each reading the engine must make, with its questions
READINGS = {
    "the definition's SQL": DEFINITIONS,
    "a threshold bounds the entity asked for": BREAKDOWN_THRESHOLDS,
    "a negated event is absent for the entity asked for": ABSENT_EVENTS,
    "short words are read, not dropped": SHORT_WORDS,
    "a negation before a verb denies the event": NEGATED_VERBS,
    "measure words pick the measure and aggregate": MEASURE_WORDS,
    "quantities, shares and universals": QUANTITIES_AND_SHARES,
    "synonyms, row thresholds, listed rows": SYNONYMS_AND_ROW_COUNTS,
    "definitions in unknown words": UNKNOWN_PARAPHRASES,
    "columns the question asks for": COLUMNS_ASKED_FOR,
    "paraphrases by verb and noun family": PARAPHRASE_FAMILIES,
}


@pytest.mark.parametrize(
    ("question", "present", "absent"),
    [
        pytest.param(*case, id=f"{reading}: {case[0]}")
        for reading, cases in READINGS.items()
        for case in cases
    ],
)
def test_question_reads_as_defined(
    offline_space: OfflineSpace, question: str, present: list[str], absent: list[str]
):
    assert_fragments(offline_space.sql(question), present, absent)


def test_us_as_a_pronoun_is_not_a_country(offline_space: OfflineSpace):
    assert "su.country" not in offline_space.sql("show us the low stock parts")
