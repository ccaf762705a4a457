"""One router per resource of the Genie API, plus the server's own local endpoints.

Every handler is ``async``: the conversation store is then only touched from the event
loop thread, and message tasks can be scheduled on the running loop.
"""
