"""The HTTP and websocket API: questions in, chunks out (DESIGN.md, "The API")."""
