"""One router per resource of the Genie API, plus the server's own local endpoints."""
