"""An archive's answers as a stream: written, read, checked and stored in batches.

From format version 3 the answers of an archive are not inside `audit.json` but in
their own member, `responses.parquet` (one row per answer: the interview's code, the
question id, answer, note, quotable flag, when and by whom it was last changed). A
million answers go through in batches of `BATCH_ROWS`, so memory does not grow with the
size of the audit: export reads them from the store in batches and writes them as
Parquet row groups; import reads them back in batches, checks each batch column by
column against the question set and the archive's interviews (a few joins, no loop
over answers) and loads it with the store's bulk path in the import's one transaction.

Archives of versions 1 and 2 hold the answers inside each interview in `audit.json`;
they are turned into the same batches, so they pass exactly the same checks.

Every problem names its place: `responses.parquet[12].answer` (the 0-based row of the
member and its field) or, in an older archive, `interviews[3].responses[1].answer`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sgaudit.errors import Problem
from sgaudit.limits import MAX_ZIP_BYTES, MB

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlalchemy.orm import Session

    from sgaudit.archive_doc import ArchiveDoc
    from sgaudit.questionnaire import QuestionSet

RESPONSES_MEMBER = "responses.parquet"
BATCH_ROWS = 50_000  # answers read, checked and written at a time
MAX_RESPONSES = 20_000_000  # answers in one archive: far above any real audit
MAX_PROBLEMS = 1_000  # problems listed before the rest are only counted
TEXT_COLUMNS = ("interview", "question_id", "answer", "note", "updated_by")
COLUMNS = ("interview", "question_id", "answer", "note", "quotable", "updated_at", "updated_by")
MAX_LENGTH = {"question_id": 60, "updated_by": 200}  # the store's column widths


def member_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("interview", pa.string()),
            ("question_id", pa.string()),
            ("answer", pa.string()),
            ("note", pa.string()),
            ("quotable", pa.bool_()),
            ("updated_at", pa.timestamp("us")),
            ("updated_by", pa.string()),
        ]
    )


# ---- export ----------------------------------------------------------------------------
def write_member(session: Session, audit_id: int, zf: zipfile.ZipFile) -> int:
    """Write the audit's answers (consent withdrawn left out) into `zf` as the Parquet
    member, batch by batch; return how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sqlalchemy import select

    from sgaudit.store.models import Interview, Response

    query = (
        select(
            Interview.code,
            Response.question_id,
            Response.answer,
            Response.note,
            Response.quotable,
            Response.updated_at,
            Response.updated_by,
        )
        .join(Interview, Response.interview_id == Interview.id)
        .where(Interview.audit_id == audit_id, Interview.consent_withdrawn_at.is_(None))
        .order_by(Interview.id, Response.question_id)
        .execution_options(yield_per=BATCH_ROWS)
    )
    schema = member_schema()
    n = 0
    # Parquet needs to know where it is in the file, which a zip member being written
    # does not say; so the member is written to a temporary file first, then deflated
    # into the zip (a stream copy).
    with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
        # Uncompressed inside (the zip deflates it), so the zip's own limits on
        # expansion apply to the answers when the archive is read.
        with pq.ParquetWriter(tmp.name, schema, compression="none") as writer:
            for part in session.execute(query).partitions():
                columns = list(zip(*part, strict=True))
                batch = pa.RecordBatch.from_arrays(
                    [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)],
                    schema=schema,
                )
                writer.write_batch(batch, row_group_size=BATCH_ROWS)
                n += batch.num_rows
        zf.write(tmp.name, RESPONSES_MEMBER)
    return n


# ---- reading ---------------------------------------------------------------------------
class MemberError(Exception):
    """The member cannot be read at all (one message, no rows to point at)."""


@dataclass
class Source:
    """Where an archive's answers come from: the member, or audit.json of old archives."""

    name: str  # the archive's file name, for problems
    doc: ArchiveDoc
    path: str | None = None  # the extracted member (format 3)
    cleanup: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for fn in self.cleanup:
            fn()


def open_source(zf: zipfile.ZipFile, name: str, doc: ArchiveDoc) -> Source:
    """The answers of an opened, checked archive, ready to be read in batches."""
    if doc.responses is None:
        return Source(name, doc)
    member = doc.responses.member
    if member not in zf.namelist():
        raise MemberError(f"not an sgaudit archive: it has no {member}")
    # Copied out of the zip as it is inflated (a Parquet reader seeks; a zip member
    # does not), at most the size the zip declares, its CRC checked at the end.
    tmp = tempfile.NamedTemporaryFile(suffix=".parquet", delete=False)  # noqa: SIM115
    source = Source(name, doc, tmp.name)
    source.cleanup.append(lambda: os.unlink(tmp.name))
    try:
        with tmp, zf.open(member) as raw:
            shutil.copyfileobj(raw, tmp, MB)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        source.close()
        raise MemberError(f"{member} is damaged: {exc}") from None
    return source


def _nested_batches(doc: ArchiveDoc) -> Iterator[pa.RecordBatch]:
    """The answers of an archive of format 1 or 2 (already checked by its models)."""
    import pyarrow as pa

    schema = member_schema()
    rows = [
        (iv.code, r.question_id, r.answer, r.note, r.quotable, r.updated_at, r.updated_by)
        for iv in doc.interviews
        for r in iv.responses
    ]
    for start in range(0, len(rows), BATCH_ROWS):
        columns = list(zip(*rows[start : start + BATCH_ROWS], strict=True))
        yield pa.RecordBatch.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(columns, schema, strict=True)],
            schema=schema,
        )


def _member_batches(source: Source) -> Iterator[pa.RecordBatch]:
    """The member's rows in batches, each with types as the schema says; MemberError for
    a member that is not such a Parquet file, or one that would expand past the limits."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    member = source.doc.responses.member
    try:
        pf = pq.ParquetFile(source.path)
    except (pa.ArrowException, OSError) as exc:
        raise MemberError(f"{member} is not a Parquet file: {exc}") from None
    meta = pf.metadata
    names = set(pf.schema_arrow.names)
    schema = member_schema()
    if names != set(COLUMNS):
        raise MemberError(
            f"{member} must have the columns {', '.join(COLUMNS)}"
            + (
                f"; missing {', '.join(sorted(set(COLUMNS) - names))}"
                if set(COLUMNS) - names
                else ""
            )
            + (
                f"; unknown {', '.join(sorted(names - set(COLUMNS)))}"
                if names - set(COLUMNS)
                else ""
            )
        )
    if meta.num_rows > MAX_RESPONSES:
        raise MemberError(
            f"{member} holds {meta.num_rows} answers, over the limit of {MAX_RESPONSES}"
        )
    if meta.num_rows != source.doc.responses.rows:
        raise MemberError(
            f"{member} holds {meta.num_rows} answers where audit.json says "
            f"{source.doc.responses.rows} (a damaged or edited archive)"
        )
    for i in range(meta.num_row_groups):
        for j in range(meta.num_columns):
            codec = meta.row_group(i).column(j).compression
            if codec != "UNCOMPRESSED":  # the zip compresses; a codec inside could hide a bomb
                raise MemberError(
                    f"{member} is compressed inside ({codec}); sgaudit writes it plain"
                )
    # Text read as dictionaries, so its decoded size can be counted before decoding.
    pf = pq.ParquetFile(source.path, read_dictionary=list(TEXT_COLUMNS))
    expanded = 0
    try:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=list(COLUMNS)):
            arrays = []
            for f in schema:
                col = batch.column(f.name)
                if pa.types.is_dictionary(col.type):
                    # what the text would take decoded, counted before decoding it
                    lengths = pc.binary_length(col.dictionary).take(col.indices)
                    expanded += pc.sum(lengths).as_py() or 0
                    if expanded > MAX_ZIP_BYTES:
                        raise MemberError(
                            f"{member} expands to more than {MAX_ZIP_BYTES / MB:.0f} MB of text, "
                            "the limit for an archive"
                        )
                    col = col.dictionary_decode()
                if col.type != f.type:
                    try:
                        col = col.cast(f.type)
                    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                        raise MemberError(
                            f"{member}: column '{f.name}' holds {col.type} values where "
                            f"{f.type} is expected"
                        ) from None
                arrays.append(col)
            out = pa.RecordBatch.from_arrays(arrays, schema=schema)
            out.validate(full=True)  # text that is not valid UTF-8 is refused here
            yield out
    except pa.ArrowInvalid as exc:
        raise MemberError(f"{member} is damaged or not valid UTF-8 text: {exc}") from None
    except OSError as exc:
        raise MemberError(f"{member} is damaged: {exc}") from None


def batches(source: Source) -> Iterator[pa.RecordBatch]:
    """The archive's answers in batches (member or audit.json)."""
    if source.doc.responses is None:
        return _nested_batches(source.doc)
    return _member_batches(source)


# ---- storing ---------------------------------------------------------------------------
def store(
    session: Session, source: Source, question_set: QuestionSet, interview_ids: list[int]
) -> tuple[int, list[Problem]]:
    """Check and write every answer, batch by batch, in the session's transaction.

    `interview_ids` are the new database ids of the archive's interviews, in the
    archive's order. Returns how many answers were written and the problems found;
    once a problem is found nothing more is written (the caller rolls back), but the
    rest is still checked, so every problem is listed at once.
    """
    import pyarrow as pa

    from sgaudit.archive_response_checks import Checker
    from sgaudit.store.bulk import insert_response_table

    postgres = session.get_bind().dialect.name == "postgresql"
    checker = Checker(source, question_set, refuse_nul=postgres)
    ids = pa.array(interview_ids, pa.int64())
    n = 0
    try:
        for batch in batches(source):
            sound = checker.check(batch)
            if sound is None or checker.problems:
                continue
            table = pa.table(
                {
                    "interview_id": ids.take(sound.column("_iv")),
                    "question_id": sound.column("question_id"),
                    "answer": sound.column("answer"),
                    "note": sound.column("note"),
                    "quotable": sound.column("quotable"),
                    "updated_at": sound.column("updated_at"),
                    "updated_by": sound.column("updated_by"),
                }
            )
            insert_response_table(session, table)
            n += table.num_rows
    except MemberError as exc:
        return n, [*checker.all_problems(), Problem(source.name, None, None, str(exc))]
    return n, checker.all_problems()
