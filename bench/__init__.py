"""Benchmarks and the answer-quality evaluation: they print figures, never assert them."""
