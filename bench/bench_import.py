"""Importing a long answer sheet, against the database's own bulk load of the same rows.

    .venv/bin/python bench/bench_import.py                      # 1M rows, SQLite + PostgreSQL
    .venv/bin/python bench/bench_import.py --rows 100000 --no-postgres

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
    r[HEADER].to_csv(path, index=False)
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

FLOOR_SQLITE = """
import csv, sqlite3
path = URL.removeprefix("sqlite:///")
with open(SHEET, newline="") as f:
    rows = [(i, r[5], r[6], r[7], 0) for i, r in enumerate(csv.reader(f)) if i]
conn = sqlite3.connect(path)
conn.execute("CREATE TABLE IF NOT EXISTS floor_response AS SELECT * FROM response WHERE 0")
with conn:
    conn.executemany(
        "INSERT INTO floor_response (interview_id, question_id, answer, note, quotable) "
        "VALUES (?, ?, ?, ?, ?)", rows)
"""

FLOOR_POSTGRES = """
import psycopg
with psycopg.connect(URL.replace("postgresql+psycopg", "postgresql")) as conn:
    conn.execute("CREATE TABLE IF NOT EXISTS floor_sheet (interview_id text, tier text, "
                 "service_area text, mode text, people int, question_id text, answer text, "
                 "note text)")
    with conn.cursor() as cur, open(SHEET, "rb") as f:
        with cur.copy("COPY floor_sheet FROM STDIN WITH (FORMAT csv, HEADER)") as copy:
            while data := f.read(1 << 20):
                copy.write(data)
"""


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
    audit_id = new_audit(url)
    prelude = f"URL = {url!r}\nAUDIT = {audit_id}\nSHEET = {str(sheet)!r}\n"
    imp = run_child(prelude + IMPORT)
    base = run_child(prelude + floor)
    print(f"\n### {label}: {rows:,} answer rows ({sheet.stat().st_size / 1e6:.0f} MB CSV)\n")
    print("| | CPU (s) | wall (s) | peak MB |")
    print("|---|---:|---:|---:|")
    print(f"| `import_answers` | {imp[0]:.1f} | {imp[1]:.1f} | {imp[2]:.0f} |")
    print(
        f"| floor: the database's own bulk load | {base[0]:.1f} | {base[1]:.1f} | {base[2]:.0f} |"
    )
    print(f"| ratio (wall) | | {imp[1] / base[1]:.1f}x | |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "answers.csv"
        rows = write_sheet(sheet, args.rows)
        measure(f"sqlite:///{Path(tmp) / 'import.db'}", "SQLite", sheet, rows, FLOOR_SQLITE)
        if args.no_postgres:
            return
        from _pg import throwaway_postgres

        with throwaway_postgres() as url:
            if url is None:
                print("\n(PostgreSQL not installed: skipped)")
                return
            measure(url, "PostgreSQL", sheet, rows, FLOOR_POSTGRES)


if __name__ == "__main__":
    main()
