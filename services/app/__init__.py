"""The product as one Databricks App: the chat page and the API on one port."""
