"""The no-LLM router: data questions to Genie, definition/policy questions to the documents."""

from __future__ import annotations

import pytest

from agent.tool_router import Route, route_question
from services.common.inventory_space import SAMPLE_QUESTIONS

CASES = {
    Route.DATA: [
        *SAMPLE_QUESTIONS,  # the space's own sample questions are all data questions
        "Which fasteners are low stock?",
        "What is the lead time of Apex Components?",
        "What is the days of supply of Brake Rotor in Chicago?",
        "List out of stock parts in Seattle",
        "Which parts have stockout risk?",
        "Top 5 parts by demand last month",
        "What's the total inventory value?",
        "Are any brake parts below safety stock in Boston?",
        "just in Seattle",
        "How much inventory do we hold in Denver?",
        "What is the reorder point for Brake Pad Set in Seattle?",
        "What's our on-time rate with Kestrel Motors?",
        "Which warehouse is receiving the most orders this year?",
        "Which orders are still open for Apex Components?",
        "What is the mean daily usage of Brake Rotor over the last 90 days?",
        "What is the difference between the quoted lead times of Apex and Fulcrum?",
        "How many units should we order to replenish everything low in Dallas?",
        "How many Oil Pumps are free to ship from Newark right now?",
        "How many units of Fuse Kit are reserved in Boston, net of reservations?",
        "positions needing replenishment",
        "How full is each distribution center right now?",
        # a rule's words asking for the list to act on, or for a value, stay with the data
        "What should we reorder in Dallas?",
        "How many units must we order to replenish Denver?",
        "How many parts do we have to reorder in Boston?",
        "Which orders should have arrived by now?",
        "When is PO-004211 expected?",
        "When was the last delivery from Granite Supply received?",
        "What's the total value of stock in Seattle including reserved?",
        "Which suppliers ship from Germany?",
        "Which parts should be reordered in Boston?",
        "Which suppliers should we chase for overdue orders?",
        "When do the open orders from Apex arrive?",
        "Which suppliers may deliver late this month?",
        # an everyday part word beside another sign of the business
        "How many Starter Motors are on hand in Boston?",
        "How many lights do we have in Newark?",
        "How many fuel filters did we sell in May 2026?",
    ],
    Route.DOCUMENTS: [
        "Who has to sign off before a cycle count adjustment is posted?",
        "Which port do Kestrel Motors containers enter through?",
        "What do the reports mean by 'last 30 days'?",
        "What is our reorder policy for fasteners?",
        "What does days of supply mean?",
        "What is days of supply?",
        "What is a late delivery?",
        "How is stockout risk calculated?",
        "What penalty does Ironclad Fasteners charge for late deliveries?",
        "What are the receiving hours in Boston?",
        "What is the minimum order for Eastwind Trading?",
        "Who approves cancelling a purchase order?",
        "How should batteries be stored?",
        "What happens in Atlanta during a hurricane?",
        "What is the difference between low stock and critical stock?",
        "How do we handle damaged goods on arrival?",
        "What should we do when a part is out of stock?",
        "When does the Chicago warehouse receive deliveries?",
        "How do we count inventory in the warehouses?",
        "How much safety stock do we keep for fasteners?",
        "How long are reservations held before they are released?",
        "Can we buy fasteners from a supplier other than the assigned one?",
        "How is inventory value worked out?",
        "What makes a delivery late?",
        "When is the Denver DC open for receiving?",
        "Do we adjust filter order quantities for the season?",
        "How many days of demand should brake safety stock cover?",
        # what must, should or may be done: a rule
        "How many days of demand must cooling safety stock cover?",
        "How much safety stock ought brake positions to hold?",
        "Should engine parts be reviewed weekly?",
        "What's the most we may spend on an expedited order?",
        "Is it OK to order more than 90 days of supply of fasteners?",
        "Are buyers permitted to split an order across suppliers?",
        "Can we restock opened electrical parts?",
        "Why do we keep safety stock at all?",
        # what a term covers
        "Does days of supply count reserved units?",
        "Do cancelled orders count as late deliveries?",
        "Is reserved stock included in available quantity?",
        "What does inventory value include?",
        "What does A-class stand for?",
        # a site's times of day and a supplier's shipping terms
        "What time does receiving close in Seattle?",
        "When does the Boston dock open on Mondays?",
        "Where does Eastwind Trading ship out of?",
        "What's the surcharge for a rush order from Helix Electronics?",
        # claims, deadlines, what a site does
        "How long do we have to raise a quality claim?",
        "What's the deadline to claim a penalty credit from Apex?",
        "What does the Atlanta site do when a hurricane is coming?",
        "What's the seasonal uplift for cooling?",
        "How should coolant be disposed of?",
        "How do I raise a purchase order?",
        "What should I do when a battery arrives damaged?",
        "How are A-class positions chosen?",
        "What's the process for a customer return?",
        "What does a buyer have to do when an order is overdue?",
    ],
    Route.BOTH: [
        "Which fasteners are low stock, and what is our reorder policy for them?",
        "Show overdue orders from Ironclad Fasteners and its penalty terms",
        "What does days of supply mean and which parts have the lowest days of supply?",
        "How many brake parts are low in Chicago? What is the brakes reorder policy?",
        "List late deliveries from Eastwind; what penalty do they owe?",
        "List late deliveries from Helix Electronics and the grace period in their contract",
        "Define days of supply and then list the parts with the fewest days of supply",
        "Show Apex's late deliveries alongside the penalty terms in their contract",
        "What is Boston's capacity utilization, and what is supposed to happen above 90%?",
    ],
    Route.NEITHER: [
        "Hello!",
        "Tell me a joke",
        "What's the weather forecast for Seattle tomorrow?",
        "What is Apple's stock price?",
        "thanks",
        "",
        "Any good coffee shops near downtown Seattle?",
        "What's the weather in Denver today?",
        # the weather to come at one of the space's places
        "Will it rain in Dallas this weekend?",
        "What's the temperature in Boston right now?",
        "Is a storm going to hit Atlanta next week?",
        # everyday uses of a part word, and a person's own things
        "How do I bake a loaf of bread?",
        "What's a good starter for a dinner party?",
        "Which lightbulbs are best for a reading lamp?",
        "What's the best search engine?",
        "How do I replace the battery in my phone?",
        "Can you help me fix my bike's brakes?",
    ],
}


#: more of my own wording, one row per shape of question (docs/documents-tool.md)
MORE_CASES = {
    Route.DATA: [
        "Which parts in Newark have fewer than 20 units available?",
        "How many purchase orders does Kestrel Motors currently have open?",
        "What was the on-time rate of Granite Supply in 2025?",
        "List the five parts with the highest inventory value in Dallas.",
        "How much did we spend on purchase orders with Delta Precision last quarter?",
        "Which warehouse received the most deliveries in June 2026?",
        "What is the safety stock of Brake Caliper in Atlanta?",
        "Which suppliers are based in Germany?",
        "How many critical positions does each warehouse have?",
        "What's the average daily demand for Headlight Bulb in Seattle?",
        "Which cooling parts have stockout risk in Denver?",
        "Show all overdue purchase orders with their expected dates.",
        "Are we out of Oil Pump anywhere?",
        "Which region holds the most stock?",
        "What's Boston's current capacity utilization?",
        "How many units of Strut Assembly are on order?",
        "Apex lead time?",
        "What's Juniper's quoted on-time rate?",
        "How many A-class positions are in Boston?",
        "When was the last stockout in Seattle?",
        "Which supplier has the longest lead time?",
        "What's the capacity of each warehouse?",
        "Which parts were counted as out of stock last week?",
        "How many units of coolant are reserved?",
        "Get me the list of low stock parts in Boston",
        "Show me the overdue orders",
        "Which Atlanta parts are out of stock, and which Dallas parts are low?",
        "How many orders did Apex deliver late, and what was the average delay?",
        "Show demand for Brake Rotor and Brake Pad Set last month",
        "Who do we buy the Timing Belt from?",
        "Top 10 low stock parts, limit to Boston",
        "How many brake rotors were received last week?",
        "Which parts are critical in Atlanta right now?",
        "Does Boston have any Spark Plugs in stock?",
        "Is Kestrel Motors late more often than Helix Electronics?",
        "What share of Apex's orders arrived on time this year?",
        "How many days of supply do we have for Alternator in Denver?",
        "Which supplier supplies the Radiator?",
        "When did we last order Fuse Kit?",
        "What's the average days late for Eastwind's deliveries?",
        "Do we have more than 500 Hex Bolt M8 in Chicago?",
        "Total units on open purchase orders by supplier",
        "Which warehouse is closest to capacity?",
        "How many positions are below their reorder point?",
        "What's the reorder quantity of Oil Pump in Newark?",
        "Which Seattle positions should be transferred in first?",
        "How much demand did cooling parts have in summer 2025?",
        "Are there any cancelled orders from Lumen Lighting this year?",
        "Which warehouses have the most reserved units?",
        "What was the last date Ironclad delivered to Boston?",
        "Show the expected date of every open PO for Juniper",
        "Which parts are critical in Dallas and Denver?",
        "How many A-class positions are low stock?",
        "Who is the assigned supplier for Brake Rotor?",
        "Which supplier delivers to Seattle the most?",
        "What's the capacity of the Newark DC?",
        "How many orders did Fulcrum Parts deliver late in 2025?",
        "What was the average days late for Kestrel last year?",
        "Which parts had a stockout in May 2026?",
        "How many units are reserved at Atlanta?",
        "What's the total value of critical positions?",
        "What is the quoted lead time of Borealis Industrial?",
        "Which positions in Boston have less than 10 days of supply?",
    ],
    Route.DOCUMENTS: [
        "What is the minimum order quantity policy for Kestrel Motors?",
        "How do we decide the reorder point for a lighting part?",
        "What does it mean when a supplier's actual on-time rate is below its quoted rate?",
        "Is the Newark DC open on Saturdays?",
        "What are the rules for storing brake fluid?",
        "Who has to sign off on an order when a warehouse is above 90% full?",
        "How many business days do we have to raise a quality claim?",
        "Does Granite Supply charge a penalty after a grace period?",
        "What should a warehouse do if a hurricane warning is issued?",
        "How are fasteners rounded when we order them?",
        "Which suppliers are we allowed to use for engine parts?",
        "What is the escalation path for an overdue Borealis order?",
        "How is a supplier's scorecard put together?",
        "What's the transfer partner for the Los Angeles DC?",
        "What does Cobalt say about border delays?",
        "What does the Boston site do with brake fluid deliveries?",
        "What day is Atlanta's A-class count?",
        "Reservation expiry rules?",
        "Lumen Lighting penalty cap?",
        "Which Incoterm applies to Delta Precision shipments?",
        "What is Fulcrum Parts' order cutoff?",
        "How many dock doors at Los Angeles?",
        "What's the Dallas site's capacity rule?",
        "Is Juniper reviewed monthly or quarterly?",
        "What are the steps after a stockout?",
        "Where should coolant go when it arrives?",
        "When do auditors sample count records?",
        "What happens to partial deliveries?",
        "What triggers a recount?",
        "What's the difference between quoted and actual lead time?",
        "How long is the grace period for late deliveries from Apex?",
        "What's a position?",
        "How do filters get reordered?",
        "What is the reorder policy owner for cooling?",
        "What are the receiving hours in Boston and in Dallas?",
        "What is the minimum order for Apex and what penalty do they pay when late?",
        "Is the Denver site closed in snowstorms?",
        "Will a blizzard close Boston?",
        "How many days of grace does Apex get?",
        "Is there a limit on how much stock we can order for one position?",
        "Which supplier do we switch to for electrical parts when stock is at risk?",
        "What are Apex Components' payment terms?",
        "Where do the goods from Delta Precision come from?",
        "What does stockout risk measure?",
        "What is counted as a late delivery for Cobalt?",
        "How many dock doors does Newark have?",
        "When do the auditors check the count records?",
        "How soon must a brake shortage be resupplied?",
        "What's the order cutoff time for Granite Supply?",
        "Who approves adjustments over $5,000?",
        "What's the policy on reordering critical positions?",
        "Does Ironclad Fasteners charge us for cancelled orders?",
        "What does our fasteners policy say about safety stock?",
        "How is the expected date of a purchase order set?",
        "What should happen when capacity utilization passes 90%?",
        "Is reserved quantity part of inventory value?",
        "How long does a sending site have to ship a transfer?",
        "Who do we call if a Fulcrum Parts order is stuck?",
        "Tell me about the Chicago receiving schedule",
        "Remind me what the grace period is for Kestrel",
        "I need the escalation steps for a late Juniper order",
        "Give me the fasteners reorder rules",
        "What's the lead time policy for brakes?",
        "What do planners check before expediting?",
        "Which bay do batteries go into at Dallas?",
        "How many days does Apex get before a penalty applies?",
        "What's the tolerance for a cycle count?",
        "How does the site decide which warehouse to ask for stock first?",
        "What is Granite Supply's minimum PO value?",
        "Is a stockout review needed for every category?",
        "Do suppliers pay us when they deliver late?",
        "At what utilization does a warehouse stop putaway?",
        "How are overdue orders followed up?",
        "Which days are A-class items counted in Seattle?",
        "What's the rule for combining orders to reach a minimum?",
        "Why are filters never allowed to run out?",
        "What does the scorecard show for each supplier?",
        "What's our approach when a supplier's on-time rate keeps slipping?",
        "How should a part that arrives broken be recorded?",
        "Are opened electrical parts restocked?",
        "When can a reservation be released?",
        "What time zone are Cobalt's order cutoffs in?",
    ],
    Route.BOTH: [
        "Which electrical parts are low in Chicago, and who are the approved electrical suppliers?",
        "How many overdue orders does Helix have, and what does their contract say about "
        "escalation?",
        "What's the lead time policy for brakes, and which brake parts are at risk of "
        "stocking out?",
        "Show out-of-stock positions in Atlanta and explain what counts as out of stock.",
        "What is the total reserved quantity in Boston and when are reservations released?",
        "How many brake parts are critical in Boston — and how fast must they be resupplied?",
        "List Cobalt's open orders; what's their escalation rule?",
        "What's the grace period for Eastwind, and how many of their deliveries were late "
        "this year?",
        "Which Atlanta parts are out of stock, and what does Atlanta do in a hurricane?",
        "Show me electrical parts below reorder point, plus the electrical review days",
        "Tell me the penalty terms for Helix Electronics as well as their late deliveries in 2025",
        "What is our inventory value in Chicago and how is inventory value defined?",
        "How is on-time rate measured, and what is Kestrel's actual on-time rate?",
        "Give me the capacity utilization of every warehouse and the rule above 90%",
        "Which fasteners are low in Dallas? Also, what's Ironclad's minimum order?",
        "What's the seasonal adjustment for batteries and what was battery demand last January?",
        "Who is Newark's transfer partner and what does Newark have out of stock?",
        "What's Denver's transfer partner and which Denver parts are out of stock?",
        "How many late deliveries did Apex have last month, and what penalty applies?",
        "Explain days of supply, then show the 5 lowest in Boston",
        "Which suspension parts are below safety stock in Seattle and what's the safety stock "
        "rule for suspension?",
    ],
    Route.NEITHER: [
        "Good afternoon!",
        "Who wrote Pride and Prejudice?",
        "What's the weather like in Atlanta this week?",
        "How do I boil an egg?",
        "Can you recommend a laptop?",
        "Can you order me a pizza?",
        "Where is my parcel?",
        "Buy me a coffee",
        "Is it going to snow in Denver tomorrow?",
        "Who is the CEO of Tesla?",
        "Play some music",
        "What's the population of Texas?",
        "Is it going to be sunny in Los Angeles this weekend?",
        "How do I cook rice?",
        "Book me a flight to Boston",
        "Set a reminder for 3pm",
        "What's the square root of 144?",
    ],
}


@pytest.mark.parametrize(
    ("question", "route"),
    [
        (question, route)
        for cases in (CASES, MORE_CASES)
        for route, questions in cases.items()
        for question in questions
    ],
)
def test_each_question_goes_where_it_can_be_answered(question: str, route: Route):
    assert route_question(question).route is route


def test_both_asks_genie_the_data_clause_and_the_documents_the_policy_and_its_names():
    question = "Which fasteners are low stock, and what is our reorder policy for them?"
    routing = route_question(question)
    assert routing.data_question == "Which fasteners are low stock"
    assert routing.documents_query == "what is our reorder policy for them fasteners"


def test_a_data_question_reaches_genie_unchanged():
    routing = route_question("What parts are low stock?")
    assert (routing.data_question, routing.documents_query) == ("What parts are low stock?", None)


def test_the_routing_says_which_source_answered():
    notes = {route_question(q).note for q in ("What parts are low stock?", "Tell me a joke")}
    assert notes == {
        "Answered from the inventory data (Genie).",
        "This is not a question about the inventory data or its documents.",
    }


@pytest.mark.parametrize("question", ["just in 2025", "top 3 instead", "what about last year?"])
def test_a_follow_up_without_inventory_words_refines_the_data_question(question: str):
    assert route_question(question).route is Route.NEITHER  # alone, it is about nothing
    assert route_question(question, follow_up=True).route is Route.DATA


@pytest.mark.parametrize("question", ["thanks!", "Tell me a joke", "What's their stock price?"])
def test_small_talk_in_a_conversation_is_still_neither(question: str):
    assert route_question(question, follow_up=True).route is Route.NEITHER


def test_the_eval_sets_data_questions_still_reach_genie():
    """Every question of the answer-quality files is a data question or one Genie must
    decline: only the declined ones (storage bins, who approved an order: no table holds
    them, and the procedures describe them) may go to the documents."""
    import json

    from harness.processes import REPO_ROOT

    routed, declined = [], set()
    for path in sorted((REPO_ROOT / "bench" / "eval_cases").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            case = json.loads(line) if line.strip() else {}
            turns = case.get("turns", [])
            if case.get("expect") == "abstain" and turns:
                declined.add(turns[-1])
            for number, turn in enumerate(turns):
                question = turn if isinstance(turn, str) else turn["question"]
                routed.append((route_question(question, follow_up=number > 0).route, question))
    assert len(routed) > 1000
    to_documents = [q for route, q in routed if route is Route.DOCUMENTS and q not in declined]
    assert not to_documents, to_documents
