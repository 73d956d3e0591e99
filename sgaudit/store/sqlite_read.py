"""Reading an audit's answers out of SQLite as Arrow columns, on the session's connection.

SQLite has no columnar result format, and a Python tuple per answer costs more than
everything else the read does. So the database writes each column of a slice of
answers as one string, its values joined by a separator (`group_concat`, values copied
as they are), and Arrow splits and types them in C. The interview columns (code, tier,
area, mode, people) are read once per interview and spread over its answers by
position.

The read goes through the session's own `sqlite3` connection, so it sees the session's
uncommitted writes and shares its locks. (ADBC's SQLite driver is not used: it links a
second copy of SQLite into the process, and two copies working on one file release each
other's locks; measured, it read stale rows. bench/README.md has the measurements.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Interviews per slice of CSV text (about 300,000 answers): bounds the size of one
# string well below SQLite's 1 GB limit and keeps memory flat.
INTERVIEWS_PER_SLICE = 5_000

# Each column of a slice as one string, the values joined by a separator (one scan,
# every aggregate fed the same rows in the same order). No quoting, no formatting: the
# values are copied as they are, NUL characters included, so this is cheaper for SQLite
# than writing CSV lines. The ids and flags are digits; the texts are joined with the
# ASCII record separator, and if a text holds one, the slice splits into more values
# than it has answers: such a slice (rare: pasted binary) is read row by row instead.
SEPARATOR = "\x1e"
_COLUMNS = """
SELECT count(*),
  CAST(group_concat(interview_id) AS BLOB),
  CAST(group_concat(id) AS BLOB),
  CAST(group_concat(question_id, char(30)) AS BLOB),
  CAST(group_concat(answer, char(30)) AS BLOB),
  CAST(group_concat(note, char(30)) AS BLOB),
  CAST(group_concat(quotable, '') AS BLOB)
FROM response WHERE interview_id BETWEEN ? AND ?
"""
_ROWS = """
SELECT interview_id, id, question_id, answer, note, quotable
FROM response WHERE interview_id BETWEEN ? AND ? ORDER BY interview_id, id
"""
_NAMES = ["interview", "id", "question_id", "answer", "note", "quotable"]


def _types() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "interview": pa.int64(),
        "id": pa.int64(),
        "question_id": pa.string(),
        "answer": pa.string(),
        "note": pa.string(),
        "quotable": pa.int8(),
    }


def read_answers(session: Session, interview_ids: Sequence[int]) -> pa.Table:
    """The answers of these interviews (ids ascending): columns `interview` (its
    position in `interview_ids`), question_id, answer, note, quotable; in interview then
    answer order."""
    import numpy as np
    import pyarrow as pa

    types = _types()
    slices = []
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        for start in range(0, len(interview_ids), INTERVIEWS_PER_SLICE):
            chunk = interview_ids[start : start + INTERVIEWS_PER_SLICE]
            n, *joined = cursor.execute(_COLUMNS, (chunk[0], chunk[-1])).fetchone()
            if not n:
                continue
            columns = _split_columns(n, joined)
            if columns is None:  # a text holding the separator
                rows = cursor.execute(_ROWS, (chunk[0], chunk[-1])).fetchall()
                slices.append(_rows_table(rows, types))
            else:
                slices.append(pa.table(columns))
    finally:
        cursor.close()
    if not slices:
        return _empty()
    answers = pa.concat_tables(slices)
    position, keep = _positions(np.asarray(interview_ids, dtype=np.int64), answers)
    if not keep.all():  # answers of other audits' interviews inside an id range
        answers = answers.filter(pa.array(keep))
        position = position[keep]
    ids = answers["id"].to_numpy()
    if not _in_order(position, ids):  # only if the database gave them out of order
        order = np.lexsort((ids, position))
        answers, position = answers.take(pa.array(order)), position[order]
    return pa.table(
        {
            "interview": pa.array(position, type=pa.int32()),
            "question_id": answers["question_id"],
            "answer": answers["answer"],
            "note": answers["note"],
            "quotable": answers["quotable"].cast(pa.bool_()),
        }
    )


def _split_columns(n: int, joined: list[bytes | None]) -> dict[str, pa.Array] | None:
    """The slice's columns from their joined values, typed as `_types`; None when a
    column does not split into exactly `n` values."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    *texts, flags = (b"" if v is None else bytes(v) for v in joined)
    columns = {}
    for name, text, sep in zip(_NAMES[:5], texts, (",", ",", *[SEPARATOR] * 3), strict=True):
        values = pc.split_pattern(pa.array([text], type=pa.binary()), sep).flatten()
        if len(values) != n:
            return None
        values = values.cast(pa.string())  # checks the UTF-8
        columns[name] = values if name not in ("interview", "id") else values.cast(pa.int64())
    quotable = np.frombuffer(flags, dtype=np.uint8) - ord("0")
    if len(quotable) != n or (quotable > 1).any():
        return None
    columns["quotable"] = pa.array(quotable.astype(np.int8))
    return columns


def _rows_table(rows: list[tuple], types: dict[str, Any]) -> pa.Table:
    """A slice read row by row (a text holding the separator), typed like the joined read."""
    import pyarrow as pa

    columns = list(zip(*rows, strict=True))
    return pa.table(
        {name: pa.array(col, type=types[name]) for name, col in zip(_NAMES, columns, strict=True)}
    )


def _positions(interview_ids: np.ndarray, answers: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """Each answer's interview as a position in `interview_ids`, and which are ours."""
    import numpy as np

    of = answers["interview"].to_numpy()
    position = np.searchsorted(interview_ids, of).clip(max=len(interview_ids) - 1)
    return position, interview_ids[position] == of


def _in_order(position: np.ndarray, ids: np.ndarray) -> bool:
    import numpy as np

    step, id_step = np.diff(position), np.diff(ids)
    return bool(((step > 0) | ((step == 0) & (id_step > 0))).all())


def _empty() -> pa.Table:
    import pyarrow as pa

    return pa.table(
        {
            "interview": pa.array([], type=pa.int32()),
            "question_id": pa.array([], type=pa.string()),
            "answer": pa.array([], type=pa.string()),
            "note": pa.array([], type=pa.string()),
            "quotable": pa.array([], type=pa.bool_()),
        }
    )
