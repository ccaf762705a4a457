"""How long the demo data takes to generate, how big it is, and how much memory it needs.

Each scale runs as its own ``inventory-agent data generate`` process, so the peak
resident memory is that run's alone. Wall time includes the interpreter's start-up.

    python -m bench.datagen [--scales 1 10 100] [--seed 42]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from genie_local.database import connect_read_only

TABLES = ("parts", "stock_levels", "demand", "purchase_orders")


def run_once(scale: int, seed: int, directory: Path) -> dict[str, float | int]:
    path = directory / f"scale{scale}.duckdb"
    argv = [sys.executable, "-m", "cli.main", "--log-level", "WARNING", "data", "generate"]
    argv += ["--db", str(path), "--scale", str(scale), "--seed", str(seed)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"scale {scale}: generation failed with exit code {process.returncode}")
    with connect_read_only(path) as connection:
        counts = {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    figures: dict[str, float | int] = {"scale": scale, "seconds": elapsed}
    figures["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    figures["file_mb"] = path.stat().st_size / 2**20
    return figures | counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    header = f"{'scale':>5} {'seconds':>8} {'peak RSS MB':>11} {'file MB':>8}"
    header += "".join(f" {table:>15}" for table in TABLES)
    print(header)
    with tempfile.TemporaryDirectory(prefix="bench-datagen-") as directory:
        for scale in args.scales:
            row = run_once(scale, args.seed, Path(directory))
            line = f"{row['scale']:>5} {row['seconds']:>8.2f} {row['peak_rss_mb']:>11.0f}"
            line += f" {row['file_mb']:>8.1f}" + "".join(f" {row[t]:>15,}" for t in TABLES)
            print(line, flush=True)


if __name__ == "__main__":
    main()
