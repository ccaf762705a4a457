"""The terminal client: ask a question and watch its chunks stream in."""
