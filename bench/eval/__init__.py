"""Answer-quality evaluation: execution match of the space's answers against gold SQL,
scored as /work/shared/eval/README.md defines (``python -m bench.eval --db PATH``).
"""
