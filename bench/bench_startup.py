"""Start-up of the command line, and `audit list` on a store with many audits.

    .venv/bin/python bench/bench_startup.py                # 7 runs each, 200 audits
    .venv/bin/python bench/bench_startup.py --repeat 15 --audits 400
    .venv/bin/python bench/bench_startup.py --code ../other-checkout   # another checkout's sgaudit

Each command runs in a fresh interpreter; its CPU time (user + system, from the
kernel's accounting of the child) and wall time are taken, and the median of the runs
is printed beside the floors measured in the same run: `python -c pass` and
`python -c "import typer"` (the least a typer command line can cost).
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


def child_cost(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of running `cmd` once."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=env["PYTHONPATH"])
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def store_with_audits(path: Path, n: int) -> str:
    """A SQLite store with `n` audits of the core question set (no answers), made once."""
    from sgaudit.questionnaire import load_question_set
    from sgaudit.store import repo
    from sgaudit.store.db import dispose_engines, session_scope

    url = f"sqlite:///{path}"
    qs = load_question_set(None)
    with session_scope(url) as s:
        orgs = [
            repo.create_organisation(s, f"Organisation {i:03d}", ["A", "B"])
            for i in range(n // 2 or 1)
        ]
        for i in range(n):
            repo.create_audit(s, orgs[i % len(orgs)], f"Audit {i}", qs)
    dispose_engines()
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--audits", type=int, default=200)
    ap.add_argument(
        "--code", type=Path, default=REPO, help="measure the sgaudit of another checkout"
    )
    args = ap.parse_args()

    env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
    print(f"load average {os.getloadavg()[0]:.1f} before")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        url = store_with_audits(Path(tmp) / "many.db", args.audits)
        child_cost([py, "-m", "sgaudit", "audit", "list", "--db", url], env)  # migrations, cache
        cases = {
            "python -c pass (floor)": [py, "-c", "pass"],
            "python -c 'import typer' (floor)": [py, "-c", "import typer"],
            "sgaudit --help": [py, "-m", "sgaudit", "--help"],
            "sgaudit import --help": [py, "-m", "sgaudit", "import", "--help"],
            f"sgaudit audit list ({args.audits} audits)": [
                py,
                "-m",
                "sgaudit",
                "audit",
                "list",
                "--db",
                url,
            ],
        }
        print("| command | median CPU (s) | median wall (s) | runs |")
        print("|---|---:|---:|---:|")
        for label, cmd in cases.items():
            runs = [child_cost(cmd, env) for _ in range(args.repeat)]
            cpu = statistics.median(r[0] for r in runs)
            wall = statistics.median(r[1] for r in runs)
            print(f"| {label} | {cpu:.3f} | {wall:.3f} | {args.repeat} |")

        # In process: the listing's own work, without interpreter start-up and imports.
        from sgaudit.store import repo
        from sgaudit.store.db import session_scope

        times = []
        for _ in range(args.repeat):
            t0 = time.process_time()
            with session_scope(url) as s:
                audits = repo.list_audits(s)
                repo.audits_counts(s, audits)
            times.append(time.process_time() - t0)
        print(
            f"| list_audits + audits_counts in process ({len(audits)} audits) | "
            f"{statistics.median(times):.3f} | | {args.repeat} |"
        )
    print(f"load average {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    main()
