"""Run a set of child processes, prefix their output, and act when one of them dies.

Two commands use it, with opposite needs:

- ``inventory-agent run`` (``make run``, one laptop) stops everything when any child
  dies — a half-started stack only confuses — but first says which child failed and
  its first error line (a traceback's exception line), so the cause is on screen, not
  lost above a screenful of shutdown lines;
- ``inventory-agent app`` (a Databricks App container) restarts a dead child after a
  back-off and logs it: one crashed worker must not take the user's page down.

Children start in their own sessions, so a Ctrl-C in the terminal reaches only the
supervisor, which then stops them in reverse order (the web servers before Redis).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import os
import re
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

#: how long a child has to exit after SIGTERM before it is killed
STOP_GRACE_S = 10.0
#: the last lines of a child's output kept to explain its death
TAIL_LINES = 50
#: lines after a traceback's exception line still shown (a ValidationError's details)
EXCEPTION_DETAIL_LINES = 3

_ERROR_LOG_LINE = re.compile(r"\b(ERROR|CRITICAL|FATAL)\b|\berror: ")
#: a traceback's header, also behind a log prefix (uvicorn writes "ERROR:    Traceback …")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\):\s*$")
#: an exception line: a (dotted) class name, then its message or nothing
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(: |$)")
_CHAIN_LINES = ("During handling of the above exception", "The above exception was")


class OnExit(enum.Enum):
    """What the supervisor does when a child exits on its own."""

    STOP_ALL = "stop_all"
    RESTART = "restart"


@dataclass(frozen=True)
class Child:
    """One process to run: its log prefix, argv and extra environment."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Backoff:
    """Restart delays: ``first_s``, doubling up to ``max_s``; a child that stayed up
    ``stable_s`` starts again from ``first_s``."""

    first_s: float = 1.0
    max_s: float = 30.0
    stable_s: float = 60.0

    def delay_s(self, failures_in_a_row: int) -> float:
        return min(self.max_s, self.first_s * 2 ** max(0, failures_in_a_row - 1))


class ErrorLines:
    """Reads a child's output for the line that best explains why it died.

    A traceback's exception line (with a few lines of its message) wins — the first
    one, the root of a chain; else the first line logged at ERROR; else the last line
    the child wrote.
    """

    def __init__(self) -> None:
        self._in_traceback = False
        self._collecting = False
        self.exception: list[str] = []
        self.first_error_log: str | None = None
        self.tail: list[str] = []

    def feed(self, line: str) -> None:
        self.tail = [*self.tail[-(TAIL_LINES - 1) :], line]
        text = line.strip()
        if self._collecting:  # the exception's message, when it spans lines
            ends = not text or _TRACEBACK.search(line) or text.startswith(_CHAIN_LINES)
            if ends or len(self.exception) > EXCEPTION_DETAIL_LINES:
                self._collecting = False
            else:
                self.exception.append(text)
                return
        if _TRACEBACK.search(line):
            self._in_traceback = True
        elif self._in_traceback and text and not line.startswith((" ", "\t")):
            self._in_traceback = False
            if not self.exception and _EXCEPTION_LINE.match(text):
                self.exception = [text]
                self._collecting = True
        if self.first_error_log is None and _ERROR_LOG_LINE.search(line):
            self.first_error_log = text

    def explain(self) -> str:
        if self.exception:
            return " | ".join(self.exception)
        if self.first_error_log:
            return self.first_error_log
        return self.tail[-1].strip() if self.tail else "(it wrote nothing)"


@dataclass
class _Running:
    child: Child
    process: asyncio.subprocess.Process
    errors: ErrorLines
    output_done: asyncio.Task


class Supervisor:
    """Starts ``children`` in order and keeps watch until stopped or (STOP_ALL) one dies."""

    def __init__(
        self,
        children: Sequence[Child],
        on_exit: OnExit,
        out: TextIO = sys.stdout,
        backoff: Backoff | None = None,
        stop_grace_s: float = STOP_GRACE_S,
    ) -> None:
        self.children = list(children)
        self.on_exit = on_exit
        self.out = out
        self.backoff = backoff or Backoff()
        self.stop_grace_s = stop_grace_s
        self._width = max(len(child.name) for child in self.children)
        self._running: dict[str, _Running] = {}
        self._stopping = asyncio.Event()
        self._failed: str | None = None

    def say(self, name: str, line: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        self.out.write(f"{stamp} {name.ljust(self._width)} | {line}\n")
        self.out.flush()

    def stop(self) -> None:
        """Ask every child to stop (what Ctrl-C and SIGTERM do)."""
        self._stopping.set()

    async def run(self, when_started: Callable[[], Awaitable[None]] | None = None) -> int:
        """Run until stopped; 0 after a requested stop, 1 when a child's death ended it."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.stop)
        watchers = [asyncio.create_task(self._keep(child)) for child in self.children]
        extra = asyncio.create_task(when_started()) if when_started else None
        try:
            await self._stopping.wait()
        finally:
            for task in [*watchers, *([extra] if extra else [])]:
                task.cancel()
            await asyncio.gather(*watchers, *([extra] if extra else []), return_exceptions=True)
            await self._stop_all()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
        if self._failed:
            self.out.write(f"\n{self._failed}\n")
            self.out.flush()
            return 1
        return 0

    async def _keep(self, child: Child) -> None:
        """Run ``child``; when it exits on its own, restart it or stop everything."""
        failures_in_a_row = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                running = await self._start(child)
            except OSError as error:  # not even started (a missing executable…)
                ended, why = "could not start", str(error)
            else:
                code = await running.process.wait()
                await running.output_done
                del self._running[child.name]
                ended, why = f"exited with code {code}", running.errors.explain()
            if self._stopping.is_set():
                return
            if self.on_exit is OnExit.STOP_ALL:
                self._failed = f"✗ {child.name} failed ({ended}): {why}"
                self.say(child.name, self._failed)
                self.stop()
                return
            uptime_s = time.monotonic() - started
            failures_in_a_row = 1 if uptime_s >= self.backoff.stable_s else failures_in_a_row + 1
            delay_s = self.backoff.delay_s(failures_in_a_row)
            self.say(
                child.name,
                f"✗ {ended} after {uptime_s:.0f} s ({why}); "
                f"restarting in {delay_s:.1f} s (restart #{failures_in_a_row})",
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay_s)

    async def _start(self, child: Child) -> _Running:
        process = await asyncio.create_subprocess_exec(
            *child.argv,
            env={**os.environ, **child.env, "PYTHONUNBUFFERED": "1"},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops children
        )
        errors = ErrorLines()
        output_done = asyncio.create_task(self._relay(child.name, process, errors))
        running = _Running(child, process, errors, output_done)
        self._running[child.name] = running
        self.say(child.name, f"started (pid {process.pid})")
        return running

    async def _relay(
        self, name: str, process: asyncio.subprocess.Process, errors: ErrorLines
    ) -> None:
        assert process.stdout is not None
        while raw := await process.stdout.readline():
            line = raw.decode(errors="replace").rstrip("\n")
            errors.feed(line)
            self.say(name, line)

    async def _stop_all(self) -> None:
        """SIGTERM every running child, latest first; SIGKILL what outlives the grace."""
        for running in reversed(list(self._running.values())):
            with contextlib.suppress(ProcessLookupError):
                running.process.send_signal(signal.SIGTERM)
            try:
                code = await asyncio.wait_for(running.process.wait(), self.stop_grace_s)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    running.process.kill()
                code = await running.process.wait()
            with contextlib.suppress(asyncio.CancelledError):
                await running.output_done
            self.say(running.child.name, f"stopped (exit code {code})")
        self._running.clear()
