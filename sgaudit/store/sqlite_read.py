"""Reading an audit's answers out of SQLite as Arrow columns, on the session's connection.

SQLite has no columnar result format, and a Python tuple per answer costs more than
everything else the read does. So the database writes each slice of answers as one
block of CSV text (`printf`, one call per answer, strings quoted the SQL way: in single
quotes, a quote inside doubled), and Arrow's CSV reader parses it in C, reading the
question ids and answers straight into dictionary columns (an audit has a few hundred
distinct of each). The interview columns (code, tier, area, mode, people) are read once
per interview and spread over its answers by position.

The read goes through the session's own `sqlite3` connection, so it sees the session's
uncommitted writes and shares its locks. (ADBC's SQLite driver is not used: it links a
second copy of SQLite into the process, and two copies working on one file release each
other's locks; measured, it read stale rows. bench/README.md has the measurements.)
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Interviews per slice of CSV text (about 300,000 answers): bounds the size of one
# string well below SQLite's 1 GB limit and keeps memory flat.
INTERVIEWS_PER_SLICE = 5_000

# One line per answer, in the index's order (interview, then answer id). NOT NULL
# columns, so %Q never writes NULL. SQLite's text functions stop at a NUL character, so
# a note holding one would come out cut short: the second column counts the answers
# whose text holds a NUL (byte-wise), and such a slice (rare: pasted binary) is read
# row by row instead, whole.
_CSV_LINES = """
SELECT group_concat(
    printf('%d,%d,%Q,%Q,%Q,%d', interview_id, id, question_id, answer, note, quotable),
    char(10)),
  sum(instr(CAST(note AS BLOB), x'00') + instr(CAST(answer AS BLOB), x'00'))
FROM response WHERE interview_id BETWEEN ? AND ?
"""
_ROWS = """
SELECT interview_id, id, question_id, answer, note, quotable
FROM response WHERE interview_id BETWEEN ? AND ? ORDER BY interview_id, id
"""
_NAMES = ["interview", "id", "question_id", "answer", "note", "quotable"]


def _csv_options() -> tuple[Any, Any, Any]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    reading = pacsv.ReadOptions(column_names=_NAMES, use_threads=False)
    parsing = pacsv.ParseOptions(quote_char="'", double_quote=True, newlines_in_values=True)
    converting = pacsv.ConvertOptions(
        column_types={
            "interview": pa.int64(),
            "id": pa.int64(),
            "question_id": pa.string(),
            "answer": pa.string(),
            "note": pa.string(),
            "quotable": pa.int8(),
        },
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return reading, parsing, converting


def read_answers(session: Session, interview_ids: Sequence[int]) -> pa.Table:
    """The answers of these interviews (ids ascending): columns `interview` (its
    position in `interview_ids`), question_id, answer, note, quotable; in interview then
    answer order."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    reading, parsing, converting = _csv_options()
    slices = []
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        for start in range(0, len(interview_ids), INTERVIEWS_PER_SLICE):
            chunk = interview_ids[start : start + INTERVIEWS_PER_SLICE]
            lines, with_nul = cursor.execute(_CSV_LINES, (chunk[0], chunk[-1])).fetchone()
            if with_nul:
                rows = cursor.execute(_ROWS, (chunk[0], chunk[-1])).fetchall()
                slices.append(_rows_table(rows, converting.column_types))
            elif lines:
                slices.append(
                    pacsv.read_csv(
                        io.BytesIO(lines.encode()),
                        read_options=reading,
                        parse_options=parsing,
                        convert_options=converting,
                    )
                )
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


def _rows_table(rows: list[tuple], types: dict[str, Any]) -> pa.Table:
    """A slice read row by row (text holding NUL characters), typed like the CSV read."""
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
