"""What tests and benchmarks both drive: the project's real processes and its clients.

Starting servers as child processes (``processes``), the arq worker (``worker``), asking the
API and reading a question's stream (``questions``), reading an agent answer with the
openai client (``agent_stream``), a stand-in language model (``scripted_model``) and a
stand-in Model Serving endpoint in front of the agent server (``serving_endpoint``). Not
part of the installed product.
"""
