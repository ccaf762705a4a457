"""The committed lock says what gets installed, and it agrees with pyproject.toml.

`make install` installs requirements-dev.lock (the Dockerfile and the Databricks App:
requirements.lock), both exported from uv.lock. A dependency added to or changed in
pyproject.toml without `make lock` fails here, before a fresh machine installs something
else than what the tests ran on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from harness.processes import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
UV_LOCK = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
EXPORTS = {
    "requirements.lock": ["--no-dev"],
    "requirements-dev.lock": ["--extra", "dev"],
}
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", re.MULTILINE)


def declared() -> set[tuple[str, str, str]]:
    """(name, specifier, extra) for every dependency pyproject.toml declares."""
    project = PYPROJECT["project"]
    found = set()
    groups = [("", project["dependencies"]), *sorted(project["optional-dependencies"].items())]
    for extra, lines in groups:
        for line in lines:
            requirement = Requirement(line)
            found.add((canonicalize_name(requirement.name), str(requirement.specifier), extra))
    return found


def recorded() -> set[tuple[str, str, str]]:
    """The same, as uv.lock recorded them when it was last resolved."""
    (project,) = [p for p in UV_LOCK["package"] if p.get("source") == {"editable": "."}]
    found = set()
    for entry in project["metadata"]["requires-dist"]:
        extra = re.fullmatch(r"extra == '(.+)'", entry.get("marker", ""))
        specifier = str(Requirement(f"x{entry.get('specifier', '')}").specifier)
        found.add((canonicalize_name(entry["name"]), specifier, extra[1] if extra else ""))
    return found


def pins(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, version in PIN.findall(path.read_text()):
        found.setdefault(canonicalize_name(name), set()).add(version)
    return found


def test_uv_lock_was_resolved_from_this_pyproject():
    stale = declared() ^ recorded()
    assert not stale, f"pyproject.toml and uv.lock disagree, run `make lock`: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_declared_dependency_is_pinned_within_its_range(name: str):
    locked = pins(REPO_ROOT / name)
    wanted = [(n, s, e) for n, s, e in declared() if name != "requirements.lock" or not e]
    for dependency, specifier, _ in wanted:
        assert dependency in locked, f"{dependency} is not in {name}"
        for version in locked[dependency]:
            assert Requirement(f"x{specifier}").specifier.contains(Version(version)), (
                f"{name} pins {dependency}=={version}, outside {specifier}"
            )


def test_every_pin_carries_hashes():
    for name in EXPORTS:
        text = (REPO_ROOT / name).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[2])
        unhashed = [b.split()[0] for b in blocks if "==" in b and "--hash=sha256:" not in b]
        assert not unhashed, f"{name}: pins without hashes: {unhashed}"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_are_what_uv_lock_exports_now(name: str):
    """requirements*.lock are uv.lock exported (offline, --frozen), never edited by hand."""
    uv = shutil.which("uv", path=str(REPO_ROOT / ".venv" / "bin")) or shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed (it is in the dev lock: `make install`)")
    result = subprocess.run(
        [uv, "export", "--frozen", "--offline", "--quiet", "--format", "requirements-txt"]
        + ["--no-emit-project"]
        + EXPORTS[name],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    body = result.stdout.split("\n", 2)[2]  # the header names the output file
    assert body == (REPO_ROOT / name).read_text().split("\n", 2)[2], f"run `make lock`: {name}"
