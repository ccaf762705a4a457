"""What tests and benchmarks both drive: the project's real processes and its clients.

Starting servers as child processes (``processes``), the arq worker (``worker``), asking the
API and reading a question's stream (``questions``), reading an agent answer with the
openai client (``agent_stream``) and a stand-in language model (``scripted_model``). Not
part of the installed product.
"""
