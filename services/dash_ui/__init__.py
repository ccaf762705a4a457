"""The Dash chat page: a client of the API that shows every chunk of an answer as it lands."""
