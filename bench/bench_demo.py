"""Benchmark: `sgaudit demo` and `sgaudit analyse 2 --format json` as their user runs them.

Run:  .venv/bin/python bench/bench_demo.py              (3 runs of each)
      .venv/bin/python bench/bench_demo.py --repeat 5

Each run is a new process (imports included); CPU = user + system of the child, from
the operating system's accounting, and wall time beside it. `sgaudit demo` runs in a
fresh data directory each time. Floors, measured in the same run:
- imports: a process that only imports what any analysing command must load (pandas,
  pyarrow, SQLAlchemy's ORM; scipy.special until the analysis stopped needing it);
- the analysis: `analyse()` of the demo re-audit in process, the audit already read
  and the libraries warm (median of 5), which is the least `analyse` can do.
`analyse`'s floor is imports + one analysis; the demo's is imports + two analyses (it
must analyse each audit once to store the auditors' decisions on its findings).
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

REPO = Path(__file__).resolve().parents[1]
IMPORTS = "import pandas, pyarrow, sqlalchemy.orm"
ANALYSIS = """
import statistics, sys, time
from sgaudit.analysis.result import analyse
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data

with session_scope(sys.argv[1]) as s:
    data = load_audit_data(s, 2)
analyse(data)
times = []
for _ in range(5):
    t = time.process_time()
    analyse(data)
    times.append(time.process_time() - t)
print(statistics.median(times))
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(cpu, wall, stdout) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    out = subprocess.run(
        cmd, env=env, check=True, capture_output=True, text=True, cwd=env["PYTHONPATH"]
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, out.stdout


def median(runs, i: int) -> float:
    return statistics.median(r[i] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--code", type=Path, default=REPO, help="measure the sgaudit of another checkout"
    )
    args = parser.parse_args(argv)
    py = sys.executable
    env = {**os.environ, "PYTHONPATH": str(args.code)}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="sgaudit-bench-demo-") as work:
        demo_runs = []
        for i in range(args.repeat):
            fresh = {**env, "SGAUDIT_DATA_DIR": str(Path(work) / f"data{i}")}
            demo_runs.append(run([py, "-m", "sgaudit", "demo"], fresh))
        store = {**env, "SGAUDIT_DATA_DIR": str(Path(work) / "data0")}
        url = f"sqlite:///{Path(work) / 'data0' / 'sgaudit.db'}"
        analyse_runs, import_runs, analysis = [], [], []
        for _ in range(args.repeat):
            import_runs.append(run([py, "-c", IMPORTS], env))
            analyse_runs.append(
                run([py, "-m", "sgaudit", "analyse", "2", "--format", "json"], store)
            )
            analysis.append(float(run([py, "-c", ANALYSIS, url], env)[2]))
        load.append(os.getloadavg()[0])
    imports, one = median(import_runs, 0), statistics.median(analysis)
    rows = [
        ("floor: " + IMPORTS, import_runs, None),
        ("floor: analyse() of the re-audit, in process (warm)", [(one, one)], None),
        ("sgaudit analyse 2 --format json", analyse_runs, imports + one),
        ("sgaudit demo (fresh store)", demo_runs, imports + 2 * one),
    ]
    print(f"median of {args.repeat} runs, load average {load[0]:.1f} before, {load[1]:.1f} after")
    print("| | CPU (s) | wall (s) | floor CPU (s) | CPU / floor |")
    print("|---|---:|---:|---:|---:|")
    for label, runs, floor in rows:
        cpu, wall = median(runs, 0), median(runs, 1)
        tail = f"{floor:.2f} | {cpu / floor:.1f}x" if floor else " | "
        print(f"| {label} | {cpu:.2f} | {wall:.2f} | {tail} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
