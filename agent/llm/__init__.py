"""The language model's side of the agent: its client, system message, history and tool loop.

Used only when a model is configured (``AGENT_LLM_ENDPOINT``, or ``AGENT_LLM_BASE_URL``
+ ``AGENT_LLM_MODEL``); otherwise the agent routes questions straight to Genie.
"""
