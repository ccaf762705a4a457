"""The agent package stands alone (it is what Model Serving builds), and the services
reach it only through its stream contract — or, to run it in process, its agent class."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: the one place the services may import the agent beyond its contract: the worker's
#: in-process mode, which runs the agent itself
IN_PROCESS = {"agent.genie_agent", "agent.thread_bridge"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return names


def _top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_the_agent_imports_nothing_of_the_project_but_itself() -> None:
    project = {"services", "genie_local", "harness", "bench", "cli", "tests"}
    for path in (REPO / "agent").rglob("*.py"):
        assert not _top_level(_imports(path)) & project, path


def test_the_services_use_the_agents_contract_only() -> None:
    for path in (REPO / "services").rglob("*.py"):
        used = {name for name in _imports(path) if name.split(".")[0] == "agent"}
        allowed = {"agent.stream_contract"}
        if path.name == "agent_client.py":
            allowed |= IN_PROCESS
        assert used <= allowed, (path, used - allowed)
