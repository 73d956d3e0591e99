"""Reading an audit's answers out of the store for analysis, and `sgaudit analyse` end to end.

    .venv/bin/python bench/bench_store_read.py                  # 1M responses, 3 runs
    .venv/bin/python bench/bench_store_read.py --responses 200000 --repeat 5
    .venv/bin/python bench/bench_store_read.py --skip-slow     # without 0.1's slow paths
    .venv/bin/python bench/bench_store_read.py --no-postgres --code ../before --code .
                     # the floors, the read and `sgaudit analyse`, for two checkouts
                     # on the same store

Builds one synthetic audit (`audit_of_size`, 60 answers per interview) in a SQLite file
and, when PostgreSQL is installed, in a throwaway local server; then runs each read
path in its own fresh interpreter, `--repeat` times, and prints the median CPU seconds
(user + system of that process, all its threads), wall seconds and peak resident MB
(the process's high-water mark, Python and libraries included). The floors, measured
in the same run: the driver's own fetch of the same rows into Python tuples (sqlite3,
psycopg), and a bare interpreter with pandas and pyarrow imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

JOINED = (
    "SELECT i.code, i.tier, i.service_area, i.mode, i.people, r.question_id, r.answer, "
    "r.note, r.quotable FROM interview i JOIN response r ON r.interview_id = i.id "
    "WHERE i.audit_id = {audit} ORDER BY i.id, r.id"
)

# Each read path, run as `python -c` in a fresh interpreter with URL and AUDIT set.
PATHS = {
    "interpreter + pandas + pyarrow (floor)": "import pandas, pyarrow",
    "driver fetch into tuples (floor)": """
import sqlalchemy as sa
e = sa.create_engine(URL)
with e.connect() as c:
    rows = c.exec_driver_sql(JOINED).fetchall()
""",
    "0.1: ORM rows -> DataFrame": """
import pandas as pd
from sqlalchemy import select
from sgaudit.store.db import session_scope
from sgaudit.store.frames import _responses_query
with session_scope(URL) as s:
    rows = s.execute(_responses_query(AUDIT)).all()
    frame = pd.DataFrame(rows)
""",
    "pandas.read_sql": """
import pandas as pd, sqlalchemy as sa
e = sa.create_engine(URL)
with e.connect() as c:
    frame = pd.read_sql(sa.text(JOINED), c)
""",
    "ADBC (adbc-driver-sqlite / -postgresql) -> Arrow": """
import pyarrow
if URL.startswith("sqlite"):
    import adbc_driver_sqlite.dbapi as adbc
    uri = URL.removeprefix("sqlite:///")
else:
    import adbc_driver_postgresql.dbapi as adbc
    uri = URL.replace("postgresql+psycopg", "postgresql")
with adbc.connect(uri) as c, c.cursor() as cur:
    cur.execute(JOINED)
    frame = cur.fetch_arrow_table().to_pandas()
""",
}

# Candidates for SQLite that read through Python's own sqlite3 (ADBC's SQLite driver
# links a second copy of SQLite: see bench/README.md), each to the same DataFrame.
SQLITE_CANDIDATES = {
    "sqlite3, JSON lines parsed by pyarrow.json (before)": """
import io, sqlite3
import pyarrow as pa, pyarrow.compute as pc, pyarrow.json as pajson
con = sqlite3.connect(URL.removeprefix("sqlite:///"))
iv = con.execute("SELECT id, code, tier, service_area, mode, people FROM interview "
                 "WHERE audit_id = ? ORDER BY id", (AUDIT,)).fetchall()
ids = pa.array([r[0] for r in iv], type=pa.int64())
schema = pa.schema([("i", pa.int64()), ("r", pa.int64()), ("q", pa.string()),
                    ("a", pa.string()), ("n", pa.string()), ("b", pa.int64())])
sql = ("SELECT group_concat(json_object('i', interview_id, 'r', id, 'q', question_id, "
       "'a', answer, 'n', note, 'b', quotable), char(10)) FROM response "
       "WHERE interview_id BETWEEN ? AND ?")
parts = []
for k in range(0, len(iv), 5000):
    c = iv[k:k + 5000]
    (lines,) = con.execute(sql, (c[0][0], c[-1][0])).fetchone()
    parts.append(pajson.read_json(io.BytesIO(lines.encode()),
        read_options=pajson.ReadOptions(use_threads=False),
        parse_options=pajson.ParseOptions(explicit_schema=schema)))
t = pa.concat_tables(parts)
p = pc.index_in(t["i"], value_set=ids)
cols = {n: pa.array([r[k] for r in iv]).take(p) for k, n in enumerate(
    ["interview_id", "tier", "service_area", "mode", "people"], start=1)}
cols |= {"question_id": t["q"], "answer": t["a"], "note": t["n"],
         "quotable": pc.not_equal(t["b"], 0)}
frame = pa.table(cols).to_pandas()
""",
    "sqlite3, narrow columns into tuples, interview columns by position": """
import numpy as np, pandas as pd, sqlite3
con = sqlite3.connect(URL.removeprefix("sqlite:///"))
iv = pd.read_sql("SELECT id, code, tier, service_area, mode, people FROM interview "
                 "WHERE audit_id = %d ORDER BY id" % AUDIT, con)
rows = con.execute("SELECT interview_id, question_id, answer, note, quotable FROM response "
                   "WHERE interview_id BETWEEN ? AND ?",
                   (int(iv.id.iloc[0]), int(iv.id.iloc[-1]))).fetchall()
a = pd.DataFrame(rows, columns=["i", "question_id", "answer", "note", "quotable"])
p = np.searchsorted(iv.id.to_numpy(), a.i.to_numpy())
frame = pd.concat([iv.iloc[p].reset_index(drop=True).drop(columns="id"),
                   a.drop(columns="i")], axis=1)
""",
}

CHOSEN = {
    "interpreter + the store's imports + a session, no read (floor for the next row)": """
import pandas, pyarrow
from sgaudit.store.db import session_scope
from sgaudit.store.frames import responses_frame
from sgaudit.store.repo import get_audit
with session_scope(URL) as s:
    get_audit(s, AUDIT)
""",
    "chosen: sgaudit.store.frames.responses_frame": """
from sgaudit.store.db import session_scope
from sgaudit.store.frames import responses_frame
with session_scope(URL) as s:
    frame = responses_frame(s, AUDIT)
""",
}


def run_child(code: str, env: dict[str, str]) -> tuple[float, float, float]:
    """(CPU s, wall s, peak MB) of one fresh interpreter running `code`."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=env.get("PYTHONPATH", REPO),  # `python -c` puts the working directory first
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"failed: {code[:200]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def build(url: str, n: int) -> tuple[int, float]:
    """Store a synthetic audit of about `n` answers; (audit id, seconds of bulk load)."""

    from sgaudit.analysis.synthetic import BENCH_AREAS, audit_of_size, synthetic_question_set
    from sgaudit.store import repo
    from sgaudit.store.bulk import insert_audit_data
    from sgaudit.store.db import dispose_engines, session_scope

    data = audit_of_size(n)
    r = data.responses
    with session_scope(url) as s:
        org = repo.create_organisation(s, f"Bench {time.time()}", list(BENCH_AREAS))
        audit = repo.create_audit(s, org, "Bench", synthetic_question_set())
        t0 = time.process_time()
        insert_audit_data(s, audit.id, r)
        s.commit()
        seconds = time.process_time() - t0
        audit_id = audit.id
    dispose_engines()
    return audit_id, seconds


def build_in_child(url: str, n: int) -> tuple[int, float]:
    """`build` in its own interpreter, so that this process stays small: a child
    forked from a large parent starts with the parent's pages counted in its peak."""
    code = (
        "import sys\nsys.path.insert(0, 'bench')\nfrom bench_store_read import build\n"
        f"print(*build({url!r}, {n}))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, check=True, capture_output=True
    ).stdout.split()
    return int(out[-2]), float(out[-1])


# The slow paths of 0.1, measured and kept in bench/README.md; `--skip-slow` leaves them out.
SLOW = ("0.1: ORM rows -> DataFrame", "pandas.read_sql")


def measure(
    url: str,
    label: str,
    n: int,
    repeat: int,
    skip_slow: bool = False,
    codes: list[Path] | None = None,
) -> None:
    audit_id, load_s = build_in_child(url, n)
    for code in codes or [REPO]:
        if codes and len(codes) > 1:
            print(f"\n{code.name}:", end="")
        analyse_only = codes is not None
        measure_paths(url, label, n, repeat, skip_slow, audit_id, load_s, code, analyse_only)


def measure_paths(url, label, n, repeat, skip_slow, audit_id, load_s, code, analyse_only):
    env = {**os.environ, "PYTHONPATH": str(code)}
    print(f"\n### {label}: {n:,} responses (bulk load in {load_s:.1f} CPU s)\n")
    print("| read path | median CPU (s) | median wall (s) | peak MB |")
    print("|---|---:|---:|---:|")
    prelude = f"URL = {url!r}\nAUDIT = {audit_id}\nJOINED = {JOINED.format(audit=audit_id)!r}\n"
    cases = dict(PATHS)
    if url.startswith("sqlite"):
        cases |= SQLITE_CANDIDATES
    cases |= CHOSEN
    if skip_slow:
        cases = {k: v for k, v in cases.items() if k not in SLOW}
    if analyse_only:  # the floors, the chosen read and the command, for each checkout
        keep = ("interpreter + pandas + pyarrow (floor)", *CHOSEN)
        cases = {k: v for k, v in cases.items() if k in keep}
    cases["`sgaudit analyse AUDIT --format json`, end to end"] = (
        "import sys\nfrom sgaudit.cli import main\n"
        "sys.argv = ['sgaudit', 'analyse', str(AUDIT), '--format', 'json', '--db', URL]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    for name, code in cases.items():
        runs = [run_child(prelude + code, env) for _ in range(repeat)]
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        peak = max(r[2] for r in runs)
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {peak:.0f} |")
    splits = [where_analyse_goes(prelude, env) for _ in range(repeat)]
    print("\nWhere `analyse` goes, in one process (median CPU s):", end=" ")
    print(", ".join(f"{k} {statistics.median(s[k] for s in splits):.2f}" for k in splits[0]))


# The command's steps one by one, in one fresh interpreter, CPU seconds each.
SPLIT = """
import json, time
t = time.process_time
marks = {}
t0 = t()
from sgaudit.analysis import analyse
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
marks["imports"] = t() - t0
t0 = t()
with session_scope(URL) as s:
    data = load_audit_data(s, AUDIT)
marks["load the audit"] = t() - t0
t0 = t()
result = analyse(data)
marks["analyse(), with what it imports on first use"] = t() - t0
t0 = t()
text = json.dumps(result.to_json_dict())
marks["to JSON"] = t() - t0
print(json.dumps(marks))
"""


def where_analyse_goes(prelude: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", prelude + SPLIT],
        env=env,
        cwd=env.get("PYTHONPATH", REPO),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--responses", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--skip-slow", action="store_true", help="leave out 0.1's slow paths")
    ap.add_argument(
        "--code",
        type=Path,
        action="append",
        help="time the floors, the read and `sgaudit analyse` with the sgaudit of this "
        "checkout (repeatable)",
    )
    args = ap.parse_args()
    codes = [c.resolve() for c in args.code] if args.code else None
    with tempfile.TemporaryDirectory() as tmp:
        measure(
            f"sqlite:///{Path(tmp) / 'read.db'}",
            "SQLite",
            args.responses,
            args.repeat,
            args.skip_slow,
            codes,
        )
    if args.no_postgres:
        return
    from _pg import throwaway_postgres

    with throwaway_postgres() as url:
        if url is None:
            print("\n(PostgreSQL not installed: skipped)")
            return
        measure(url, "PostgreSQL", args.responses, args.repeat, args.skip_slow)


if __name__ == "__main__":
    main()
