"""Exporting and restoring an audit archive, against floors measured in the same run.

    .venv/bin/python bench/bench_archive.py                      # 1M answers, SQLite + PostgreSQL
    .venv/bin/python bench/bench_archive.py --rows 100000 --no-postgres --repeat 1

Builds a store holding one synthetic audit (`audit_of_size`: 60 answers per interview,
with mode, people and notes; restored from an archive written by `write_archive`),
then, each in a fresh interpreter, `--repeat` times:

- `export_audit` of the audit to a zip (audit.json and responses.parquet), against the
  floor: the same answer columns read with the database driver alone (`fetchmany` on
  SQLite, a server-side cursor on PostgreSQL) and written with pyarrow to a plain
  Parquet file;
- `import_archive` of that zip as a copy of the audit (document checked, every answer
  checked, everything written in one transaction), against the floor: the same
  Parquet file read with pyarrow and its rows loaded by the database's own bulk load
  (`executemany` on SQLite, `COPY` on PostgreSQL) into the same tables, the interviews
  first, in one transaction.

Figures: CPU seconds of the process (user + system, all threads), wall seconds, and
its peak resident MB (`ru_maxrss` of the child); medians of the runs, and ratios.
"""

from __future__ import annotations

import argparse
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

from bench_import import new_audit, run_child  # noqa: E402


def write_archive(path: Path, n: int) -> int:
    """An archive of a synthetic audit of about `n` answers (`audit_of_size`), written
    straight from the generator: audit.json from an export of an empty audit with the
    interviews filled in, and responses.parquet in batches. Returns the answer count.

    (A long answer sheet of a million rows is over the sheet readers' limits, so the
    store is filled by restoring this archive, not by an import.)"""
    import json
    import zipfile
    from datetime import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    from sgaudit.analysis.synthetic import BENCH_AREAS, audit_of_size, synthetic_question_set
    from sgaudit.archive import export_audit
    from sgaudit.archive_responses import BATCH_ROWS, RESPONSES_MEMBER, member_schema
    from sgaudit.store import repo
    from sgaudit.store.db import dispose_engines, session_scope

    url = f"sqlite:///{path.with_suffix('.empty.db')}"
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Archive Bench Trust", list(BENCH_AREAS))
        audit_id = repo.create_audit(s, org, "Archived", synthetic_question_set()).id
        export_audit(s, audit_id, path)
    dispose_engines()
    with zipfile.ZipFile(path) as zf:
        doc = json.loads(zf.read("audit.json"))
    r = audit_of_size(n).responses
    now = datetime(2026, 1, 5, 9, 30, 0, 123456)
    firsts = r.drop_duplicates("interview_id")
    doc["interviews"] = [
        {
            "code": code, "tier": tier, "service_area": area, "mode": mode, "held_on": None,
            "auditor": "", "people": int(people), "consent_confirmed": True, "completed": True,
            "created_at": now.isoformat(), "response_key": None,
        }
        for code, tier, area, mode, people in zip(
            firsts["interview_id"], firsts["tier"], firsts["service_area"], firsts["mode"],
            firsts["people"], strict=True,
        )
    ]  # fmt: skip
    doc["responses"] = {"member": RESPONSES_MEMBER, "rows": len(r)}
    schema = member_schema()
    parquet = path.with_suffix(".parquet")
    with pq.ParquetWriter(parquet, schema, compression="none") as writer:
        for start in range(0, len(r), BATCH_ROWS):
            part = r.iloc[start : start + BATCH_ROWS]
            writer.write_table(
                pa.table(
                    {
                        "interview": part["interview_id"].to_numpy(),
                        "question_id": part["question_id"].to_numpy(),
                        "answer": part["answer"].to_numpy(),
                        "note": part["note"].to_numpy(),
                        "quotable": part["quotable"].to_numpy(),
                        "updated_at": pa.array([now] * len(part), pa.timestamp("us")),
                        "updated_by": pa.array(["bench"] * len(part)),
                    },
                    schema=schema,
                )
            )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.write(parquet, RESPONSES_MEMBER)
        zf.writestr("audit.json", json.dumps(doc))
    parquet.unlink()
    return len(r)


FILL = """
from sgaudit.archive import import_archive
from sgaudit.store.db import session_scope
with session_scope(URL) as s:
    print(import_archive(s, SOURCE).audit_id)
"""

EXPORT = """
from sgaudit.archive import export_audit
from sgaudit.store.db import session_scope
with session_scope(URL) as s:
    export_audit(s, AUDIT, OUT)
"""

IMPORT = """
import time
from sgaudit.archive import import_archive
from sgaudit.store.db import session_scope
with session_scope(URL) as s:
    result = import_archive(s, OUT, organisation_name=f"Copy {time.time()}")
assert result.responses > 0
"""

# Floors: the driver and pyarrow alone, no sgaudit.
READ_SQL = (
    "SELECT i.code, r.question_id, r.answer, r.note, r.quotable, r.updated_at, r.updated_by "
    "FROM response r JOIN interview i ON i.id = r.interview_id WHERE i.audit_id = {audit} "
    "ORDER BY i.id, r.question_id"
)
EXPORT_FLOOR = """
import pyarrow as pa, pyarrow.parquet as pq
names = ["interview", "question_id", "answer", "note", "quotable", "updated_at", "updated_by"]
if URL.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(URL.removeprefix("sqlite:///"))
    cur = conn.cursor()
else:
    import psycopg
    conn = psycopg.connect(URL.replace("postgresql+psycopg", "postgresql"))
    cur = conn.cursor(name="floor")
cur.execute(SQL)
writer = None
while True:
    rows = cur.fetchmany(50_000)
    if not rows:
        break
    batch = pa.RecordBatch.from_arrays([pa.array(c) for c in zip(*rows)], names=names)
    if writer is None:
        writer = pq.ParquetWriter(FLOOR_OUT, batch.schema, compression="none")
    writer.write_batch(batch)
writer.close()
conn.close()
"""
IMPORT_FLOOR = """
import io, pyarrow as pa, pyarrow.compute as pc, pyarrow.csv as pacsv, pyarrow.parquet as pq
from sgaudit.store.bulk import RESPONSE_COLUMNS
NOW = "2026-01-01 00:00:00.000000"
pf = pq.ParquetFile(FLOOR_OUT)
codes = pc.unique(pq.read_table(FLOOR_OUT, columns=["interview"]).column("interview")).to_pylist()
interviews = [(AUDIT, c, "front_line", "Area", "interview", "", 1, False, False, NOW) for c in codes]
ICOLS = "audit_id, code, tier, service_area, mode, auditor, people, consent_confirmed, completed, created_at"
def batches(ids):
    for b in pf.iter_batches(batch_size=50_000):
        yield pa.table({
            "interview_id": pa.array(ids).take(pc.index_in(b.column("interview"), pa.array(codes))),
            "question_id": b.column("question_id"), "answer": b.column("answer"),
            "note": b.column("note"), "quotable": b.column("quotable"),
            "updated_at": b.column("updated_at"), "updated_by": b.column("updated_by"),
        })
if URL.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(URL.removeprefix("sqlite:///"))
    conn.execute("PRAGMA foreign_keys=ON")
    with conn:
        conn.executemany(f"INSERT INTO interview ({ICOLS}) VALUES ({', '.join('?' * 10)})", interviews)
        found = dict(conn.execute("SELECT code, id FROM interview WHERE audit_id = ?", (AUDIT,)))
        for t in batches([found[c] for c in codes]):
            if pa.types.is_timestamp(t.schema.field("updated_at").type):  # text already from sqlite3
                t = t.set_column(5, "updated_at", pc.strftime(t.column("updated_at"), "%Y-%m-%d %H:%M:%S"))
            conn.executemany(
                f"INSERT INTO response ({', '.join(RESPONSE_COLUMNS)}) VALUES ({', '.join('?' * 7)})",
                zip(*(t.column(c).to_pylist() for c in RESPONSE_COLUMNS)),
            )
else:
    import psycopg
    with psycopg.connect(URL.replace("postgresql+psycopg", "postgresql")) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY interview ({ICOLS}) FROM STDIN") as copy:
            for row in interviews:
                copy.write_row(row)
        cur.execute("SELECT code, id FROM interview WHERE audit_id = %s", (AUDIT,))
        found = dict(cur.fetchall())
        opts = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
        with cur.copy(f"COPY response ({', '.join(RESPONSE_COLUMNS)}) FROM STDIN WITH (FORMAT csv)") as copy:
            for t in batches([found[c] for c in codes]):
                buf = io.BytesIO()
                pacsv.write_csv(t, buf, write_options=opts)
                copy.write(buf.getbuffer())
"""


def _median(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))  # type: ignore[return-value]


def measure(url: str, label: str, source: Path, rows: int, folder: Path, repeat: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = f"URL = {url!r}\nSOURCE = {str(source)!r}\n" + FILL
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, check=True, capture_output=True
    )
    audit = int(done.stdout.split()[-1])
    out, floor_out = folder / f"{label}.zip", folder / f"{label}.parquet"
    prelude = (
        f"URL = {url!r}\nAUDIT = {audit}\nOUT = {str(out)!r}\nFLOOR_OUT = {str(floor_out)!r}\n"
        f"SQL = {READ_SQL.format(audit=audit)!r}\n"
    )
    runs: dict[str, list] = {k: [] for k in ("export", "export floor", "import", "import floor")}
    for _ in range(repeat):
        runs["export"].append(run_child(prelude + EXPORT))
        runs["export floor"].append(run_child(prelude + EXPORT_FLOOR))
        runs["import"].append(run_child(prelude + IMPORT))
        floor_audit = new_audit(url)
        runs["import floor"].append(
            run_child(
                prelude.replace(f"AUDIT = {audit}\n", f"AUDIT = {floor_audit}\n") + IMPORT_FLOOR
            )
        )
    med = {k: _median(v) for k, v in runs.items()}
    print(
        f"\n### {label}: {rows:,} answers (archive {out.stat().st_size / 1e6:.0f} MB; "
        f"median of {repeat}; load average {os.getloadavg()[0]:.1f})\n"
    )
    print("| | CPU (s) | wall (s) | peak MB |")
    print("|---|---:|---:|---:|")
    for way in ("export", "import"):
        name = "`export_audit`" if way == "export" else "`import_archive`"
        m, f = med[way], med[f"{way} floor"]
        print(f"| {name} | {m[0]:.1f} | {m[1]:.1f} | {m[2]:.0f} |")
        what = (
            "driver read + pyarrow Parquet write"
            if way == "export"
            else "pyarrow read + the database's bulk load"
        )
        print(f"| floor: {what} | {f[0]:.1f} | {f[1]:.1f} | {f[2]:.0f} |")
        print(f"| ratio | {m[0] / f[0]:.1f}x | {m[1] / f[1]:.1f}x | |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "source.zip"
        code = (
            "import sys\nsys.path.insert(0, 'bench')\nfrom bench_archive import write_archive\n"
            f"print(write_archive(__import__('pathlib').Path({str(source)!r}), {args.rows}))"
        )
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        rows = int(
            subprocess.run(
                [sys.executable, "-c", code], env=env, cwd=REPO, check=True, capture_output=True
            ).stdout.split()[-1]
        )
        started = time.perf_counter()
        measure(f"sqlite:///{folder / 'archive.db'}", "SQLite", source, rows, folder, args.repeat)
        if not args.no_postgres:
            from _pg import throwaway_postgres

            with throwaway_postgres() as url:
                if url is None:
                    print("\n(PostgreSQL not installed: skipped)")
                else:
                    measure(url, "PostgreSQL", source, rows, folder, args.repeat)
        print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
