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

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# Interviews per slice (about 300,000 answers): bounds the size of one
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
FROM response WHERE interview_id BETWEEN :first AND :last
"""
# Where a slice's answers lie by answer id. The unique (interview, question) index gives
# them in question order, one table lookup each, and they must then be sorted back into
# answer order; when they lie close together (as an import writes them), scanning the
# table by id over that range is cheaper and gives them in answer order already. Other
# audits' answers inside the range are left out by the interview condition.
#
# When each interview's answers fill a run of ids of their own, one after the other in
# interview order, and the runs together fill the range (as an import writes them), the
# scan by id needs neither column of ids: each answer's interview and id follow from the
# runs (checked here, and the scan's count checked against them). Most answers have no
# note and are not quotable, so only the ids of those that do are read with the notes
# (`FILTER` on an aggregate: SQLite 3.30 or later). The runs are read by one statement
# and the answers by the next, and another writer may commit in between: an answer
# cleared and another saved for a different interview of the slice can take the freed
# id, keeping the count. So the answers' statement also sums each answer's interview,
# plain and weighted by its place in the range (small moduli: the sums cannot
# overflow), and the runs are used only when both sums are what they say; otherwise the
# slice is read with its columns of ids.
_ID_RANGES = """
SELECT interview_id, min(id), max(id), count(*) FROM response
WHERE interview_id BETWEEN ? AND ? GROUP BY interview_id ORDER BY interview_id
"""
_BY_ID = " AND id BETWEEN :low AND :high"
_IN_RUNS = """
SELECT count(*), sum(interview_id), sum((interview_id % 65521) * ((id - :low) % 65521)),
  CAST(group_concat(question_id, char(30)) AS BLOB),
  CAST(group_concat(answer, char(30)) AS BLOB),
  CAST(group_concat(note, char(30)) FILTER (WHERE note <> '') AS BLOB),
  CAST(group_concat(id) FILTER (WHERE note <> '') AS BLOB),
  CAST(group_concat(id) FILTER (WHERE quotable) AS BLOB)
FROM response WHERE interview_id BETWEEN :first AND :last AND id BETWEEN :low AND :high
"""
# Scan by id when at least this share of the id range is the slice's own answers.
_OWN_SHARE = 0.5
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

    last = len(interview_ids) - 1
    chunks = [
        (interview_ids[k], interview_ids[min(k + INTERVIEWS_PER_SLICE - 1, last)])
        for k in range(0, len(interview_ids), INTERVIEWS_PER_SLICE)
    ]
    slices = []
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        for chunk, table in _each_slice(cursor, chunks):
            if table is _NOT_SPLIT:  # a text holding the separator, or rows written meanwhile
                table = _read_rows(cursor, *chunk)
            if table is not None:
                slices.append(table)
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
    if not in_answer_order(position, ids):  # only if the database gave them out of order
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


def _each_slice(cursor: Any, chunks: list[tuple[int, int]]) -> list[tuple[tuple[int, int], Any]]:
    """Each chunk of interviews with its slice's table (None: no answers; `_NOT_SPLIT`).

    The database's part of each slice runs here, on the session's connection; splitting
    and typing the columns of one slice (Arrow, which lets go of the interpreter lock, as
    SQLite does while it scans) runs on a second thread while SQLite reads the next.
    """
    if len(chunks) < 2:
        return [(chunk, _decoded(_fetch_slice(cursor, *chunk))) for chunk in chunks]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="sgaudit-read") as pool:
        decoding = []
        for chunk in chunks:
            decode = _fetch_slice(cursor, *chunk)
            decoding.append((chunk, None if decode is None else pool.submit(decode)))
        return [(chunk, None if d is None else d.result()) for chunk, d in decoding]


# What a slice's decoding returns when its joined values do not split into its answers.
_NOT_SPLIT = object()


def _fetch_slice(cursor: Any, first: int, last: int) -> Callable[[], Any] | None:
    """The database's part of reading the answers of the interviews with ids
    first..last: None if there are none, else what turns the values read into the
    slice's table (typed as `_types`, in any order), or into `_NOT_SPLIT` when the slice
    must be read row by row (`_read_rows`). That part touches no connection."""
    runs = _runs(cursor, first, last)
    if not len(runs):
        return None
    interview, low, high, count = runs.T
    where = {"first": first, "last": last, "low": int(low.min()), "high": int(high.max())}
    span = where["high"] - where["low"] + 1
    in_runs = bool(
        (high - low + 1 == count).all() and (low[1:] > high[:-1]).all() and count.sum() == span
    )
    if in_runs:
        n, plain, weighted, *joined = cursor.execute(_IN_RUNS, where).fetchone()
        if n != span or (plain, weighted) != _run_sums(interview, low, count, where["low"]):
            return lambda: _NOT_SPLIT
        return partial(_runs_table, n, where["low"], interview, count, joined)
    by_id = count.sum() >= _OWN_SHARE * span
    n, *joined = cursor.execute(_COLUMNS + (_BY_ID if by_id else ""), where).fetchone()
    return partial(_columns_table, n, joined)


def _decoded(decode: Callable[[], Any] | None) -> Any:
    return None if decode is None else decode()


def _runs_table(n: int, low: int, interview, count, joined: list[bytes | None]) -> Any:
    import numpy as np
    import pyarrow as pa

    rest = _runs_columns(n, low, joined)
    if rest is None:
        return _NOT_SPLIT
    ids = np.arange(low, low + n)
    columns = {"interview": pa.array(np.repeat(interview, count)), "id": pa.array(ids)}
    return pa.table(columns | rest)


def _columns_table(n: int, joined: list[bytes | None]) -> Any:
    import pyarrow as pa

    columns = _split_columns(n, joined) if n else None
    return _NOT_SPLIT if columns is None else pa.table(columns)


def _read_rows(cursor: Any, first: int, last: int) -> pa.Table | None:
    """A slice read row by row."""
    rows = cursor.execute(_ROWS, (first, last)).fetchall()
    return _rows_table(rows, _types()) if rows else None


def _runs(cursor: Any, first: int, last: int) -> np.ndarray:
    """interview, lowest and highest answer id, and answers, of each interview first..last."""
    import numpy as np

    return np.array(cursor.execute(_ID_RANGES, (first, last)).fetchall(), dtype=np.int64)


def _run_sums(interview, low, count, first_id: int) -> tuple[int, int]:
    """What `_IN_RUNS` sums when the answers are the runs: each interview's id times its
    answers, and each answer's interview weighted by its place, as SQLite works them."""
    import numpy as np

    start = low - first_id
    places = np.zeros(int((start + count).max()) + 1, dtype=np.int64)
    np.cumsum(np.arange(len(places) - 1) % 65521, out=places[1:])  # places[k]: sum below k
    per_run = places[start + count] - places[start]
    return int((interview * count).sum()), int(((interview % 65521) * per_run).sum())


def _runs_columns(n: int, low: int, joined: list[bytes | None]) -> dict[str, pa.Array] | None:
    """question_id, answer, note and quotable of a slice read by `_IN_RUNS` (answer ids
    low, low + 1, ...); None when a text holds the separator."""
    import numpy as np
    import pyarrow as pa

    questions, answers, notes, noted, quoted = (b"" if v is None else bytes(v) for v in joined)
    questions, answers = _split(questions, n), _split(answers, n)
    at = _ids(noted)
    notes = _split(notes, len(at)) if len(at) else pa.array([], type=pa.string())
    if questions is None or answers is None or notes is None:
        return None
    where = np.full(n, len(at))  # the empty string appended after the notes
    where[at - low] = np.arange(len(at))
    quotable = np.zeros(n, dtype=np.int8)
    quotable[_ids(quoted) - low] = 1
    return {
        "question_id": questions,
        "answer": answers,
        "note": pa.concat_arrays([notes, pa.array([""])]).take(pa.array(where)),
        "quotable": pa.array(quotable),
    }


def _split(text: bytes, n: int) -> pa.Array | None:
    """The `n` texts joined by SEPARATOR in `text` (None if they are not `n`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.split_pattern(pa.array([text], type=pa.binary()), SEPARATOR).flatten()
    return values.cast(pa.string()) if len(values) == n else None


def _ids(text: bytes):
    import numpy as np

    return np.array(text.split(b","), dtype=np.int64) if text else np.zeros(0, dtype=np.int64)


def _split_columns(
    n: int, joined: list[bytes | None], names: list[str] = _NAMES
) -> dict[str, pa.Array] | None:
    """The slice's columns from their joined values, typed as `_types`; None when a
    column does not split into exactly `n` values."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    *texts, flags = (b"" if v is None else bytes(v) for v in joined)
    columns = {}
    for name, text in zip(names[:-1], texts, strict=True):
        sep = "," if name in ("interview", "id") else SEPARATOR
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


def in_answer_order(position: np.ndarray, ids: np.ndarray) -> bool:
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
