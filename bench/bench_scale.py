"""A partnership's store: many organisations, two audits each; how the store's reads scale.

    .venv/bin/python bench/bench_scale.py                        # 25, 50, 100, 200 orgs
    .venv/bin/python bench/bench_scale.py --orgs 8 --steps 4,8   # a quick run
    .venv/bin/python bench/bench_scale.py --keep /tmp/scale.db   # keep the store file
    .venv/bin/python bench/bench_scale.py --postgres             # on PostgreSQL instead
    .venv/bin/python bench/bench_scale.py --orgs 25 --steps 25 --code ../before --code .
    .venv/bin/python bench/bench_scale.py --store /tmp/scale.db --workers 2 --no-dashboard
                     # an existing store as it is (built with --keep), the roll-up also
                     # across 2 worker processes

Builds a SQLite store (or with `--postgres` a throwaway PostgreSQL one) step by step (by default 25, then 50, 100 and 200 organisations),
each organisation with an audit and its re-audit of `--responses` answers each (20,000:
at 200 organisations, 400 audits and 8 million answers), written through the bulk
write path (`sgaudit/store/bulk.py`) from a synthetic audit (`audit_of_size`). At every
step, each figure in a fresh interpreter (CPU = user + system of that process; peak =
its resident high-water mark):

- `sgaudit audit list`, the command as its user runs it, and the listing's own work in
  process (the audits and their counts);
- opening one audit's dashboard: the server's work for a first opening of the
  Dashboard page, in process, after another audit's dashboard was opened (imports and
  the Python caches warm, as in a running app): the cache stamp, reading the audit,
  its register evidence and `analyse()`, its question set and finding reviews. The same
  audit (the first organisation's re-audit) at every step, so the time should not grow;
- the partnership roll-up's work: every organisation's latest audit read and analysed,
  one after another in one process, with the read and the analysis timed apart; with
  `--workers N`, also as `sgaudit.store.roll_up.analyse_audits` runs it across N worker
  processes (CPU of the process and its workers together, and wall time).

Floors in the same run: `python -c "import typer"` for the command, and a fixed
pure-Python workload (`sum(range(1_000_000))`) for the machine's speed at that moment.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _scale_store import Store  # noqa: E402 - after the checkout is on the path

FLOOR = (
    "import time\nt = time.process_time()\nsum(range(1_000_000))\nprint(time.process_time() - t)"
)

LISTING = """
import json, time
from sqlalchemy import func, select
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import Interview, Response
with session_scope(URL) as s:
    t, w = time.process_time(), time.perf_counter()
    audits = repo.list_audits(s)
    counts = repo.audits_counts(s, audits)
    listing, listing_wall = time.process_time() - t, time.perf_counter() - w
    # the same numbers the way the listing got them before the counts were kept
    t, w = time.process_time(), time.perf_counter()
    counted = dict(s.execute(
        select(Interview.audit_id, func.count()).select_from(Response).join(Interview)
        .where(Interview.audit_id.in_([a.id for a in audits])).group_by(Interview.audit_id)
    ).all())
    recount, recount_wall = time.process_time() - t, time.perf_counter() - w
    assert counted == {a: c["answers"] for a, c in counts.items() if c["answers"]}
    print(json.dumps({"listing": listing, "listing wall": listing_wall,
                      "recount": recount, "recount wall": recount_wall}))
"""

DASHBOARD = """
import json, time
from sgaudit.analysis import analyse
from sgaudit.store import repo
from sgaudit.store.capture import audit_revision
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import audit_evidence
from sgaudit.store.frames import analysis_view, load_audit_data

def open_dashboard(s, audit_id):
    wall = time.perf_counter()
    marks, t = {}, time.process_time()
    stamp = (analysis_view(s, audit_id), *audit_revision(s, audit_id))
    marks["stamp"] = time.process_time() - t
    t = time.process_time()
    data = load_audit_data(s, audit_id)
    marks["read"] = time.process_time() - t
    t = time.process_time()
    audit = repo.get_audit(s, audit_id)
    evidence = audit_evidence(s, audit, data)
    result = analyse(data, evidence.findings if evidence else ())
    marks["analyse"] = time.process_time() - t
    t = time.process_time()
    reviews = repo.finding_reviews(s, audit)
    questions = repo.audit_question_set(audit)
    marks["page"] = time.process_time() - t
    marks["total"] = sum(marks.values())
    marks["wall"] = time.perf_counter() - wall
    return marks

with session_scope(URL) as s:
    open_dashboard(s, WARM)
with session_scope(URL) as s:
    print(json.dumps(open_dashboard(s, AUDIT)))
"""

ROLL_UP = """
import json, resource, time
from sgaudit.analysis import analyse
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
read = analysis = 0.0
results = []
t0, w0 = time.process_time(), time.perf_counter()
with session_scope(URL) as s:
    latest = {}
    for audit in repo.list_audits(s):
        latest[audit.organisation_id] = audit.id  # oldest first: the last is the latest
    for audit_id in latest.values():
        t = time.process_time()
        data = load_audit_data(s, audit_id)
        read += time.process_time() - t
        t = time.process_time()
        results.append(analyse(data))
        analysis += time.process_time() - t
print(json.dumps({"audits": len(results), "read": read, "analyse": analysis,
                  "total": time.process_time() - t0, "wall": time.perf_counter() - w0,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

# The same work as the library does it across worker processes (`store/roll_up.py`).
ROLL_UP_POOL = """
import json, resource, time
from sgaudit.store.db import session_scope
from sgaudit.store.roll_up import analyse_audits, latest_audits
t0, w0 = time.process_time(), time.perf_counter()
with session_scope(URL) as s:
    ids = latest_audits(s)
results = list(analyse_audits(URL, ids, workers=WORKERS))
own = time.process_time() - t0
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"audits": len(results), "wall": time.perf_counter() - w0, "own": own,
                  "workers cpu": kids.ru_utime + kids.ru_stime,
                  "workers peak": kids.ru_maxrss / 1024,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(cmd: list[str], env: dict[str, str], capture: bool = False) -> tuple[float, float, str]:
    """(CPU s, peak MB, stdout) of one fresh process running `cmd`."""
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=env.get("PYTHONPATH", REPO),  # `python -c` puts the working directory first
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    out = proc.stdout.read() if capture else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"failed: {' '.join(cmd)[:200]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def python(code: str, env: dict[str, str]) -> tuple[float, float, dict]:
    cpu, peak, out = run([sys.executable, "-c", code], env, capture=True)
    return cpu, peak, json.loads(out.splitlines()[-1])


def measure(
    store: Store,
    repeat: int,
    roll_up: bool,
    dashboard: bool = True,
    code: Path = REPO,
    workers: int = 0,
) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    prelude = f"URL = {store.url!r}\nAUDIT = {store.first_reaudit}\nWARM = {store.first_audit}\n"
    floor = [float(run([sys.executable, "-c", FLOOR], env, True)[2]) for _ in range(repeat)]
    typer_floor = [run([sys.executable, "-c", "import typer"], env)[0] for _ in range(repeat)]
    command = [
        run([sys.executable, "-m", "sgaudit.cli", "audit", "list", "--db", store.url], env)
        for _ in range(repeat)
    ]
    listing = [python(prelude + LISTING, env)[2] for _ in range(repeat)]
    dashboards = [python(prelude + DASHBOARD, env)[2] for _ in range(repeat if dashboard else 0)]
    row = {
        "orgs": store.orgs,
        "floor": statistics.median(floor),
        "typer": statistics.median(typer_floor),
        "list cpu": statistics.median(c[0] for c in command),
        "list peak": max(c[1] for c in command),
        "listing": statistics.median(x["listing"] for x in listing),
        "listing wall": statistics.median(x["listing wall"] for x in listing),
        "recount": statistics.median(x["recount"] for x in listing),
        "recount wall": statistics.median(x["recount wall"] for x in listing),
        **{
            f"dashboard {k}": statistics.median(d[k] for d in dashboards)
            for k in (dashboards[0] if dashboards else ())
        },
    }
    if roll_up:
        cpu, peak, out = python(prelude + ROLL_UP, env)
        row |= {
            "roll-up audits": out["audits"],
            "roll-up cpu": cpu,
            "roll-up read": out["read"],
            "roll-up analyse": out["analyse"],
            "roll-up peak": peak,
            "roll-up wall": out["wall"],
        }
    if roll_up and workers and (code / "sgaudit" / "store" / "roll_up.py").exists():
        cpu, peak, out = python(prelude + f"WORKERS = {workers}\n" + ROLL_UP_POOL, env)
        row |= {
            "pool workers": workers,
            "pool cpu": cpu,  # the process and its workers (wait4 counts reaped children)
            "pool own cpu": out["own"],
            "pool workers cpu": out["workers cpu"],
            "pool wall": out["wall"],
            "pool peak": out["peak"],
            "pool workers peak": out["workers peak"],
        }
    return row


def report(rows: list[dict]) -> None:
    print(
        "\n| organisations (audits) | answers | floor (ms) | `audit list` CPU (s) "
        "| listing in process (s) | dashboard (s): read / analyse / all | roll-up CPU (s) "
        "| of it reading / analysing (s) | s per latest audit | roll-up peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for r in rows:
        n = r.get("roll-up audits")
        rollup = (
            f"{r['roll-up cpu']:.1f} | {r['roll-up read']:.1f} / {r['roll-up analyse']:.1f} "
            f"| {r['roll-up cpu'] / n:.3f} | {r['roll-up peak']:.0f}"
            if n
            else "| | |"
        )
        dashboard = (
            f"{r['dashboard read']:.2f} / {r['dashboard analyse']:.2f} / {r['dashboard total']:.2f}"
            if "dashboard total" in r
            else ""
        )
        print(
            f"| {r['orgs']} ({2 * r['orgs']}){' ' + r['code'] if r.get('code') else ''} "
            f"| {r['answers']:,} | {1000 * r['floor']:.1f} "
            f"| {r['list cpu']:.2f} | {r['listing']:.3f} | {dashboard} | {rollup} |"
        )
    print(
        "\n| organisations | listing in process, wall (s) | answers recounted as before: "
        "CPU / wall (s) | dashboard, wall (s) |"
    )
    print("|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['orgs']} | {r['listing wall']:.3f} "
            f"| {r['recount']:.3f} / {r['recount wall']:.3f} "
            f"| {r.get('dashboard wall', float('nan')):.2f} |"
        )
    print(f"\n`import typer` floor: {statistics.median(r['typer'] for r in rows):.2f} s CPU")
    if any("pool wall" in r for r in rows):
        print(
            "\n| organisations | roll-up in one process: CPU / wall (s) | across workers: "
            "CPU all / of it the workers / wall (s) | peak MB: caller / largest worker |"
        )
        print("|---:|---|---|---|")
        for r in rows:
            if "pool wall" in r:
                print(
                    f"| {r['orgs']}{' ' + r['code'] if r.get('code') else ''} "
                    f"| {r['roll-up cpu']:.1f} / {r['roll-up wall']:.1f} "
                    f"| {r['pool cpu']:.1f} / {r['pool workers cpu']:.1f} / {r['pool wall']:.1f} "
                    f"({r['pool workers']} workers) "
                    f"| {r['pool peak']:.0f} / {r['pool workers peak']:.0f} |"
                )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, default=200)
    ap.add_argument("--steps", default="25,50,100,200", help="organisations at each step")
    ap.add_argument("--responses", type=int, default=20_000, help="answers per audit")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-roll-up", action="store_true")
    ap.add_argument("--no-dashboard", action="store_true", help="time the listing only")
    ap.add_argument("--keep", type=Path, help="build the store in this file and keep it")
    ap.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server")
    ap.add_argument("--store", type=Path, help="measure this store (built with --keep) as it is")
    ap.add_argument("--workers", type=int, default=0, help="also the roll-up across N workers")
    ap.add_argument(
        "--code",
        type=Path,
        action="append",
        help="measure the sgaudit of this checkout (repeat for a before/after in one run)",
    )
    args = ap.parse_args()
    args.code = [c.resolve() for c in args.code or [REPO]]
    steps = sorted({min(int(n), args.orgs) for n in args.steps.split(",")} | {args.orgs})
    if args.postgres:
        sys.path.insert(0, str(REPO / "bench"))
        from _pg import throwaway_postgres

        with throwaway_postgres() as url:
            if url is None:
                sys.exit("PostgreSQL is not installed")
            grow_and_measure(url, steps, args)
        return
    if args.store:
        measure_store(Store.existing(args.store), args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "scale.db"
        grow_and_measure(f"sqlite:///{path}", steps, args)


def grow_and_measure(url: str, steps: list[int], args: argparse.Namespace) -> None:
    from sgaudit.store.db import dispose_engines

    store = Store(url, args.responses)
    rows = []
    for orgs in steps:
        store.grow_to(orgs)
        store.answers = sum(len(d.responses) for d in store.data) * store.orgs
        dispose_engines()
        rows += measure_codes(store, args)
    print(f"\nLoad average at the end: {os.getloadavg()}")
    report(rows)


def measure_store(store: Store, args: argparse.Namespace) -> None:
    print(f"Load average at the start: {os.getloadavg()}")
    rows = measure_codes(store, args)
    print(f"\nLoad average at the end: {os.getloadavg()}")
    report(rows)


def measure_codes(store: Store, args: argparse.Namespace) -> list[dict]:
    rows = []
    for code in args.code:
        row = measure(
            store, args.repeat, not args.no_roll_up, not args.no_dashboard, code, args.workers
        )
        row["answers"] = store.answers
        row["code"] = code.name if len(args.code) > 1 else ""
        rows.append(row)
        print(
            f"{store.orgs} organisations (built in {store.load_cpu:.0f} CPU s so far): {row}",
            flush=True,
        )
    return rows


if __name__ == "__main__":
    main()
