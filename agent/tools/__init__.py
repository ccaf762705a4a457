"""The language model's tools: one module per tool, listed in registry.py."""
