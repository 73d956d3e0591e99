"""Benchmark: the demo's report command as its user runs it, imports included.

Run:  .venv/bin/python bench/bench_report_cli.py            (3 runs of each)
      .venv/bin/python bench/bench_report_cli.py --repeat 5 --demo

`sgaudit demo` builds the demo in a fresh data directory (not timed unless --demo,
which times it too, each time in a new directory). Each run then starts a new process
for `sgaudit report 2 --compare 1 --out report.docx` and measures its wall time and its
CPU time (user + system, from the operating system's accounting of the child).

The floor, measured in the same run (`report_floor.py`, its own process): a Word file of
the same size as the report just written (as many paragraphs, tables and table cells,
counted in it) with a grid of chart panels as many as the report's, drawn and written
with the same libraries (matplotlib, docxtpl), after importing pandas and SQLAlchemy.
The ratio says how much the report costs beyond what any report of its size costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_SCRIPT = Path(__file__).resolve().parent / "report_floor.py"


def shape(docx: str) -> list[str]:
    """report_floor.py's arguments for a Word file shaped like `docx`."""
    from docx import Document

    doc = Document(docx)
    cells = sum(len(row.cells) for table in doc.tables for row in table.rows)
    return [
        "--paragraphs", str(max(len(doc.paragraphs) - len(doc.tables), 1)),
        "--tables", str(len(doc.tables)), "--cells", str(cells), "--panels", "11",
    ]  # fmt: skip


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    # in the measured checkout (`python -m` puts the working directory first on the path)
    cwd = env.get("PYTHONPATH") or None
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=cwd)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def line(label: str, runs: list[tuple[float, float]], floor: float | None = None) -> str:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    ratio = f" | {cpu / floor:.1f}x" if floor else " |"
    return f"| {label} | {cpu:.2f} | {wall:.2f}{ratio}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--demo", action="store_true", help="also time `sgaudit demo`")
    parser.add_argument(
        "--code", type=Path, default=None, help="measure the sgaudit of another checkout"
    )
    args = parser.parse_args(argv)
    py = sys.executable
    sgaudit = [py, "-m", "sgaudit.cli"]
    code = {"PYTHONPATH": str(args.code or Path(__file__).resolve().parents[1])}
    with tempfile.TemporaryDirectory(prefix="sgaudit-bench-cli-") as work:
        env = {**os.environ, **code, "SGAUDIT_DATA_DIR": str(Path(work) / "data")}
        demo_runs = [run([*sgaudit, "demo"], env)]
        out = str(Path(work) / "report.docx")
        report = [*sgaudit, "report", "2", "--compare", "1", "--out", out]
        floor_runs, report_runs = [], []
        report_runs.append(run(report, env))
        floor_cmd = [py, str(FLOOR_SCRIPT), str(Path(work) / "floor.docx"), *shape(out)]
        for i in range(args.repeat):
            floor_runs.append(run(floor_cmd, env))
            if i:
                report_runs.append(run(report, env))
        if args.demo:
            for i in range(args.repeat - 1):
                fresh = {**env, "SGAUDIT_DATA_DIR": str(Path(work) / f"data{i}")}
                demo_runs.append(run([*sgaudit, "demo"], fresh))
    floor = statistics.median(r[1] for r in floor_runs)
    print(f"median of {args.repeat} runs, load average {os.getloadavg()[0]:.1f}")
    print("floor: report_floor.py " + " ".join(floor_cmd[3:]))
    print("| | CPU (s) | wall (s) | CPU / floor |")
    print("|---|---:|---:|---:|")
    print(line("floor: a Word file of the same size, charts drawn the same way", floor_runs))
    print(line("sgaudit report 2 --compare 1", report_runs, floor))
    print(line(f"sgaudit demo ({len(demo_runs)} run(s))", demo_runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
