"""The arq worker: runs each question through the agent and publishes its chunks."""
