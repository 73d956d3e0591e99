"""Importing a long answer sheet, against the database's own bulk load of the same rows.

    .venv/bin/python bench/bench_import.py                      # 1M rows, SQLite + PostgreSQL
    .venv/bin/python bench/bench_import.py --rows 100000 --no-postgres
    .venv/bin/python bench/bench_import.py --register 400000    # a training register

Writes a long CSV of a synthetic audit (`audit_of_size`: 60 answers per interview, with
mode, people and notes), then in a fresh interpreter each: `sgaudit.sheets.import_answers`
(read, validate every row, store, one change-log entry, commit) into a new audit, and
the floor: the same answer rows loaded by the database itself in one transaction
(`executemany` of one prepared INSERT on SQLite, `COPY` of the CSV on PostgreSQL) into a
copy of the response table. Figures: CPU seconds of the importing process (user +
system, all threads), wall seconds and its peak resident MB. On PostgreSQL the server
does part of the work in its own processes, so wall time is the fairer comparison there.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

HEADER = ["interview_id", "tier", "service_area", "mode", "people", "question_id", "answer", "note"]


def write_sheet(path: Path, n: int) -> int:
    from sgaudit.analysis.synthetic import audit_of_size

    r = audit_of_size(n).responses
    r[HEADER].assign(consent="yes").to_csv(path, index=False)
    return len(r)


def new_audit(url: str) -> int:
    from sgaudit.analysis.synthetic import BENCH_AREAS, synthetic_question_set
    from sgaudit.store import repo
    from sgaudit.store.db import dispose_engines, session_scope

    with session_scope(url) as s:
        org = repo.create_organisation(s, f"Import bench {time.time()}", list(BENCH_AREAS))
        audit_id = repo.create_audit(s, org, "Import", synthetic_question_set()).id
    dispose_engines()
    return audit_id


IMPORT = """
from sgaudit.sheets import import_answers
from sgaudit.store.db import session_scope
with session_scope(URL) as s:
    summary = import_answers(s, AUDIT, SHEET)
assert summary.answers_created > 0
"""

# The floor: the same rows into the same tables (indexes, constraints) by the
# database's own bulk load, in one transaction: interviews first, then the answers.
FLOOR_COMMON = """
import csv
from sgaudit.store.bulk import INTERVIEW_COLUMNS, RESPONSE_COLUMNS
NOW = "2026-01-01 00:00:00.000000"
with open(SHEET, newline="") as f:
    rows = list(csv.reader(f))[1:]
firsts = {}
for r in rows:
    firsts.setdefault(r[0], r)
interviews = [(AUDIT, c, r[1], r[2], r[3], None, "", int(r[4]), False, False, NOW)
              for c, r in firsts.items()]
"""

FLOOR_SQLITE = (
    FLOOR_COMMON
    + """
import sqlite3
conn = sqlite3.connect(URL.removeprefix("sqlite:///"))
conn.execute("PRAGMA foreign_keys=ON")
marks = lambda cols: ", ".join("?" for _ in cols)
with conn:
    conn.executemany(f"INSERT INTO interview ({', '.join(INTERVIEW_COLUMNS)}) "
                     f"VALUES ({marks(INTERVIEW_COLUMNS)})", interviews)
    ids = dict(conn.execute("SELECT code, id FROM interview WHERE audit_id = ?", (AUDIT,)))
    conn.executemany(f"INSERT INTO response ({', '.join(RESPONSE_COLUMNS)}) "
                     f"VALUES ({marks(RESPONSE_COLUMNS)})",
                     ((ids[r[0]], r[5], r[6], r[7], False, NOW, "") for r in rows))
"""
)

FLOOR_POSTGRES = (
    FLOOR_COMMON
    + """
import io, psycopg
with psycopg.connect(URL.replace("postgresql+psycopg", "postgresql")) as conn:
    with conn.cursor() as cur:
        with cur.copy(f"COPY interview ({', '.join(INTERVIEW_COLUMNS)}) FROM STDIN") as copy:
            for row in interviews:
                copy.write_row(row)
        cur.execute("SELECT code, id FROM interview WHERE audit_id = %s", (AUDIT,))
        ids = dict(cur.fetchall())
        buf = io.StringIO()
        w = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC)
        for r in rows:
            w.writerow((ids[r[0]], r[5], r[6], r[7], "f", NOW, ""))
        with cur.copy(f"COPY response ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN "
                      "WITH (FORMAT csv)") as copy:
            copy.write(buf.getvalue())
"""
)


def write_register(path: Path, n: int) -> int:
    """A training register of `n` rows: five learning records per person, the people
    spread over role groups and the example register's service areas, the learning
    drawn from the example register's rows."""
    import numpy as np
    import pandas as pd

    example = pd.read_csv(
        REPO / "examples" / "registers" / "training.csv", dtype=str, keep_default_na=False
    )
    example = example[example["kind"].ne("") & example["date"].ne("")].reset_index(drop=True)
    rng = np.random.default_rng(14)
    person = np.arange(n) // 5
    pick = rng.integers(0, len(example), n)
    areas = np.array(REGISTER_AREAS)
    frame = pd.DataFrame(
        {
            "person_code": pd.Series(person).map("P-{:07d}".format),
            "role_group": np.array(["A", "B", "C"])[person % 3],
            "service_area": areas[person % len(areas)],
            "start_date": "2019-04-01",
            "date": (
                pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1400, n), unit="D")
            ).strftime("%Y-%m-%d"),
            "hours": rng.integers(1, 8, n),
            **{c: example[c].to_numpy()[pick] for c in ("mode", "topic", "kind", "multi_agency")},
        }
    )
    frame.to_csv(path, index=False)
    return n


REGISTER_AREAS = ["Community Hub", "Supported Housing", "Youth Services"]

REGISTER_IMPORT = """
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import import_register
with session_scope(URL) as s:
    n = import_register(s, repo.get_audit(s, AUDIT), "training", SHEET)
assert n > 0
"""

# The floor: the file read with the csv module, each row as the JSON the store keeps,
# loaded by the database's own bulk load in one transaction.
REGISTER_FLOOR = """
import csv, io, json
with open(SHEET, newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = [(AUDIT, "training", i + 2, json.dumps(dict(zip(header, r))))
            for i, r in enumerate(reader)]
COLUMNS = "audit_id, register, row_number, data"
if URL.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(URL.removeprefix("sqlite:///"))
    with conn:
        conn.executemany(f"INSERT INTO register_entry ({COLUMNS}) VALUES (?, ?, ?, ?)", rows)
else:
    import psycopg
    with psycopg.connect(URL.replace("postgresql+psycopg", "postgresql")) as conn:
        with conn.cursor() as cur, cur.copy(f"COPY register_entry ({COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
"""


def measure_register(url: str, label: str, sheet: Path, rows: int) -> None:
    from sgaudit.analysis.synthetic import synthetic_question_set
    from sgaudit.store import repo
    from sgaudit.store.db import dispose_engines, session_scope

    audits = []
    for _ in range(2):
        with session_scope(url) as s:
            org = repo.create_organisation(s, f"Register bench {time.time()}", REGISTER_AREAS)
            audits.append(repo.create_audit(s, org, "Registers", synthetic_question_set()).id)
        dispose_engines()
    prelude = "URL = {url!r}\nAUDIT = {audit}\nSHEET = {sheet!r}\n"
    imp = run_child(prelude.format(url=url, audit=audits[0], sheet=str(sheet)) + REGISTER_IMPORT)
    base = run_child(prelude.format(url=url, audit=audits[1], sheet=str(sheet)) + REGISTER_FLOOR)
    print(
        f"\n### {label}: training register, {rows:,} rows ({sheet.stat().st_size / 1e6:.0f} MB CSV)\n"
    )
    print("| | CPU (s) | wall (s) | peak MB |")
    print("|---|---:|---:|---:|")
    print(f"| `import_register` | {imp[0]:.1f} | {imp[1]:.1f} | {imp[2]:.0f} |")
    print(
        f"| floor: csv + json + the database's bulk load | {base[0]:.1f} | {base[1]:.1f} | {base[2]:.0f} |"
    )
    print(f"| ratio | {imp[0] / base[0]:.1f}x | {imp[1] / base[1]:.1f}x | |")


def run_child(code: str) -> tuple[float, float, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("child failed")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def measure(url: str, label: str, sheet: Path, rows: int, floor: str) -> None:
    prelude = "URL = {url!r}\nAUDIT = {audit}\nSHEET = {sheet!r}\n"
    imp = run_child(prelude.format(url=url, audit=new_audit(url), sheet=str(sheet)) + IMPORT)
    base = run_child(prelude.format(url=url, audit=new_audit(url), sheet=str(sheet)) + floor)
    print(f"\n### {label}: {rows:,} answer rows ({sheet.stat().st_size / 1e6:.0f} MB CSV)\n")
    print("| | CPU (s) | wall (s) | peak MB |")
    print("|---|---:|---:|---:|")
    print(f"| `import_answers` | {imp[0]:.1f} | {imp[1]:.1f} | {imp[2]:.0f} |")
    print(
        f"| floor: the database's own bulk load | {base[0]:.1f} | {base[1]:.1f} | {base[2]:.0f} |"
    )
    print(f"| ratio | {imp[0] / base[0]:.1f}x | {imp[1] / base[1]:.1f}x | |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--register", type=int, default=0, help="bench a training register of N rows")
    args = ap.parse_args()
    if args.register:
        bench_register(args.register, args.no_postgres)
        return
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "answers.csv"
        # Written by a child, so that this process stays small: a child forked from a
        # large parent starts with the parent's pages counted in its peak memory.
        code = (
            "import sys\nsys.path.insert(0, 'bench')\nfrom bench_import import write_sheet\n"
            f"print(write_sheet(__import__('pathlib').Path({str(sheet)!r}), {args.rows}))"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        rows = int(
            subprocess.run(
                [sys.executable, "-c", code], env=env, cwd=REPO, check=True, capture_output=True
            ).stdout.split()[-1]
        )
        measure(f"sqlite:///{Path(tmp) / 'import.db'}", "SQLite", sheet, rows, FLOOR_SQLITE)
        if args.no_postgres:
            return
        from _pg import throwaway_postgres

        with throwaway_postgres() as url:
            if url is None:
                print("\n(PostgreSQL not installed: skipped)")
                return
            measure(url, "PostgreSQL", sheet, rows, FLOOR_POSTGRES)


def bench_register(n: int, no_postgres: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "training.csv"
        code = (
            "import sys\nsys.path.insert(0, 'bench')\nfrom bench_import import write_register\n"
            f"print(write_register(__import__('pathlib').Path({str(sheet)!r}), {n}))"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, check=True)
        measure_register(f"sqlite:///{Path(tmp) / 'register.db'}", "SQLite", sheet, n)
        if no_postgres:
            return
        from _pg import throwaway_postgres

        with throwaway_postgres() as url:
            if url is not None:
                measure_register(url, "PostgreSQL", sheet, n)
        print(f"\n(load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
