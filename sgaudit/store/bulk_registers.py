"""A register's rows into the store by the database's own bulk load (`COPY` on
PostgreSQL, `executemany` on SQLite), in the caller's transaction, a batch at a time.

The caller (`store.register_rows.replace_register`) has validated every row; a
million-row training register is written without its JSON text or its records ever
being held whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from sgaudit.store.bulk import WROTE, _copy_csv, _dialect, _executemany

# Register rows written (and, from a lazy sequence, built) at once.
REGISTER_BATCH = 50_000


def insert_register_rows(
    session: Session,
    audit_id: int,
    register: str,
    row_numbers: Sequence[int],
    records: Sequence[dict[str, Any]],
) -> int:
    """Insert a register's rows (`data` as JSON, serialised here once per row, as
    SQLAlchemy's JSON type would) by the database's bulk load, a batch at a time so
    the JSON text of the whole register is never held at once. `records` is sliced a
    batch at a time, so a lazy sequence (`registers.records.FrameRecords`) builds only
    one batch of dicts at once."""
    session.flush()
    columns = ("audit_id", "register", "row_number", "data")
    step = REGISTER_BATCH
    if _dialect(session) == "postgresql":
        import pyarrow as pa

        for start in range(0, len(records), step):
            texts = [json.dumps(r) for r in records[start : start + step]]
            numbers = [int(n) for n in row_numbers[start : start + step]]
            table = pa.table(
                {
                    "audit_id": pa.repeat(pa.scalar(audit_id, pa.int64()), len(texts)),
                    "register": pa.repeat(pa.scalar(register), len(texts)),
                    "row_number": pa.array(numbers, pa.int64()),
                    "data": pa.array(texts, pa.string()),
                }
            )
            _copy_csv(session, "register_entry", columns, table)
    else:
        for start in range(0, len(records), step):
            batch = records[start : start + step]
            numbers = row_numbers[start : start + step]
            rows = (
                (audit_id, register, int(n), json.dumps(r))
                for n, r in zip(numbers, batch, strict=True)
            )
            _executemany(session, "register_entry", columns, rows)
    session.info[WROTE] = True
    return len(records)
