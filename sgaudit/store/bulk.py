"""The store's bulk write path: many interviews and answers in the caller's transaction.

Capture writes one answer at a time through the ORM (`interviews.save_answer`); an
import of a whole sheet or archive goes through here instead, as the database's own
bulk load: `executemany` of one prepared INSERT on SQLite, `COPY ... FROM STDIN` on
PostgreSQL. Both run on the session's own connection, so the rows commit or roll back
with everything else the import does (all or nothing), and nothing is checked here:
the callers validate first.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import repeat
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from sgaudit.store.models import Interview, utcnow

if TYPE_CHECKING:
    import pandas as pd

INTERVIEW_COLUMNS = (
    "audit_id",
    "code",
    "tier",
    "service_area",
    "mode",
    "held_on",
    "auditor",
    "people",
    "consent_confirmed",
    "completed",
    "created_at",
)
RESPONSE_COLUMNS = (
    "interview_id",
    "question_id",
    "answer",
    "note",
    "quotable",
    "updated_at",
    "updated_by",
)
# The trigger that counts each answer inserted (migration i14b_answer_counts).
COUNTING_TRIGGER = "response_counted_insert"
# A flag on the session: it has written rows that are not committed yet, so a reader on
# another connection would not see them (see frames.py).
WROTE = "sgaudit_uncommitted_writes"


def _driver_connection(session: Session) -> Any:
    """The DBAPI connection under the session's transaction (sqlite3 or psycopg)."""
    return session.connection().connection.driver_connection


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _copy_csv(session: Session, table: str, columns: Sequence[str], rows: Any) -> None:
    """PostgreSQL: stream `rows` (an Arrow table) into `table` as CSV through COPY."""
    import pyarrow.csv as pacsv

    conn = _driver_connection(session)
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    step = 200_000
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for start in range(0, rows.num_rows, step):
            chunk = rows.slice(start, step)
            buf = io.BytesIO()
            pacsv.write_csv(chunk, buf, write_options=options)
            copy.write(buf.getbuffer())


def _executemany(session: Session, table: str, columns: Sequence[str], rows: Iterable) -> None:
    """SQLite: one prepared INSERT run over every row."""
    conn = _driver_connection(session)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _insert_answers_sqlite(session: Session, rows: Iterable, interview_ids: Any) -> None:
    """SQLite: insert answers without the per-answer counting trigger, then add each
    interview's new answers to its count once (`interview_ids`: one per row).

    A row trigger costs about 3.5 microseconds an answer (a quarter of a million-answer
    import), and SQLite cannot switch one off for a while; so the trigger is dropped
    for the insert and created again from its own stored text, all inside this
    transaction: a kill or an error at any point rolls the drop back with the rows, and
    no other connection ever sees the store without it (SQLite has one writer). A
    failed insert is taken back whole by a savepoint before the error goes on.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    conn = _driver_connection(session)
    # The UPDATE opens the transaction if nothing has yet (the driver begins one before
    # a write, not before a SAVEPOINT, whose RELEASE would then commit).
    conn.execute("UPDATE interview SET answer_count = answer_count WHERE 0")
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        (COUNTING_TRIGGER,),
    ).fetchone()
    conn.execute("SAVEPOINT sgaudit_bulk_answers")
    try:
        if trigger is not None:
            conn.execute(f"DROP TRIGGER {COUNTING_TRIGGER}")
        _executemany(session, "response", RESPONSE_COLUMNS, rows)
    except BaseException:
        conn.execute("ROLLBACK TO sgaudit_bulk_answers")
        raise
    finally:
        conn.execute("RELEASE sgaudit_bulk_answers")
        if trigger is not None and not _has_trigger(conn):
            conn.execute(trigger[0])
    if not isinstance(interview_ids, pa.Array):
        interview_ids = pa.array(interview_ids, pa.int64())
    counts = pc.value_counts(interview_ids)
    conn.executemany(
        "UPDATE interview SET answer_count = answer_count + ? WHERE id = ?",
        zip(counts.field("counts").to_pylist(), counts.field("values").to_pylist(), strict=True),
    )


def _has_trigger(conn: Any) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (COUNTING_TRIGGER,)
        ).fetchone()
        is not None
    )


def _load(
    session: Session,
    table: str,
    columns: Sequence[str],
    frame: pd.DataFrame,
    constants: dict[str, Any],
) -> None:
    """Write `frame`'s rows, with `constants` (one value for every row) beside them."""
    session.flush()  # anything pending in the ORM goes first, in order
    if _dialect(session) == "postgresql":
        import pyarrow as pa

        table_ = pa.Table.from_pandas(
            frame[[c for c in columns if c not in constants]], preserve_index=False
        )
        for name, value in constants.items():
            table_ = table_.append_column(name, pa.repeat(pa.scalar(value), len(frame)))
        _copy_csv(session, table, columns, table_.select(list(columns)))
    else:
        # Timestamps as SQLAlchemy writes them to SQLite, formatted once, not per row.
        constants = {
            k: v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
            for k, v in constants.items()
        }
        cells = [
            repeat(constants[c], len(frame)) if c in constants else frame[c].tolist()
            for c in columns
        ]
        rows = zip(*cells, strict=True)
        if table == "response":
            _insert_answers_sqlite(session, rows, frame["interview_id"].to_numpy())
        else:
            _executemany(session, table, columns, rows)
    session.info[WROTE] = True


def insert_interviews(session: Session, audit_id: int, interviews: pd.DataFrame) -> dict[str, int]:
    """Insert interviews (columns: code, tier, service_area, mode, held_on, auditor,
    people, consent_confirmed) into an audit; return every new code's database id."""
    import pandas as pd

    from sgaudit.store.locks import ensure_writable

    ensure_writable(session, audit_id, "an interview")

    frame = pd.DataFrame(
        {
            "audit_id": audit_id,
            "code": interviews["code"].astype(str).to_numpy(),
            "tier": interviews["tier"].astype(str).to_numpy(),
            "service_area": interviews["service_area"].astype(str).to_numpy(),
            "mode": interviews["mode"].astype(str).to_numpy(),
            "held_on": interviews["held_on"]
            .astype(object)
            .where(interviews["held_on"].notna(), None)
            .to_numpy(),
            "auditor": interviews["auditor"].fillna("").astype(str).to_numpy(),
            "people": interviews["people"].astype("int64").to_numpy(),
            "consent_confirmed": interviews["consent_confirmed"].astype(bool).to_numpy(),
            "completed": interviews.get("completed", pd.Series(False, index=interviews.index))
            .astype(bool)
            .to_numpy(),
        }
    )

    if frame.empty:
        return {}
    _load(session, "interview", INTERVIEW_COLUMNS, frame, {"created_at": utcnow()})
    codes = set(frame["code"])
    rows = session.execute(
        select(Interview.code, Interview.id).where(Interview.audit_id == audit_id)
    )
    return {code: pk for code, pk in rows if code in codes}


def insert_responses(session: Session, responses: pd.DataFrame, *, actor: str = "") -> int:
    """Insert answers (columns: interview_pk, question_id, answer, note, quotable, and
    optionally updated_by, who gave each answer; `actor` otherwise); returns how many."""
    import pandas as pd

    if responses.empty:
        return 0
    frame = pd.DataFrame(
        {
            "interview_id": responses["interview_pk"].astype("int64").to_numpy(),
            "question_id": responses["question_id"].astype(str).to_numpy(),
            "answer": responses["answer"].fillna("").astype(str).to_numpy(),
            "note": responses["note"].fillna("").astype(str).to_numpy(),
            "quotable": responses["quotable"].fillna(False).astype(bool).to_numpy(),
        }
    )
    constants: dict[str, Any] = {"updated_at": utcnow()}
    if "updated_by" in responses.columns:
        frame["updated_by"] = responses["updated_by"].fillna(actor).astype(str).to_numpy()
    else:
        constants["updated_by"] = actor
    _load(session, "response", RESPONSE_COLUMNS, frame, constants)
    return len(frame)


def insert_audit_data(session: Session, audit_id: int, responses: pd.DataFrame) -> int:
    """Store the interviews and answers of an analysis frame (`AuditData.responses`:
    interview_id, tier, service_area, mode, people, question_id, answer, note, quotable)
    under an audit, through the bulk path; returns how many answers. Used to fill a
    store with a synthetic audit (benches, tests)."""
    import pandas as pd

    interviews = (
        responses.drop_duplicates("interview_id")[
            ["interview_id", "tier", "service_area", "mode", "people"]
        ]
        .rename(columns={"interview_id": "code"})
        .assign(held_on=None, auditor="", consent_confirmed=True)
    )
    ids = insert_interviews(session, audit_id, interviews)
    answers = pd.DataFrame(
        {
            "interview_pk": responses["interview_id"].map(ids),
            "question_id": responses["question_id"],
            "answer": responses["answer"],
            "note": responses["note"],
            "quotable": responses["quotable"],
        }
    )
    return insert_responses(session, answers)


def interview_ids(session: Session, audit_id: int) -> dict[str, int]:
    """Every interview code of an audit with its database id."""
    rows = session.execute(
        select(Interview.code, Interview.id).where(Interview.audit_id == audit_id)
    )
    return {code: pk for code, pk in rows}


def write_plan(
    session: Session,
    audit_id: int,
    plan: Any,
    *,
    actor: str = "",
    consent_given: bool = False,
    completed: bool = False,
) -> None:
    """Write an import's plan (`sgaudit.sheets.changes.ImportPlan`) in the session's
    transaction: new interviews and answers in bulk, changed ones by primary key.

    `consent_given` and `completed` are stored on the new interviews: a survey import's
    respondents consented and submitted; a long sheet's new interviews each recorded
    consent yes (the import refuses any other), and are not marked complete."""
    from sgaudit.access.policy import CAPTURE
    from sgaudit.store.audits import audit_ref

    audit_ref(session, audit_id, CAPTURE)  # the whole plan is a capture into this audit
    from sqlalchemy import delete, update

    from sgaudit.store.locks import ensure_writable

    ensure_writable(session, audit_id, "an answer")

    from sgaudit.store.models import Response

    if len(plan.new_interviews):
        insert_interviews(
            session,
            audit_id,
            plan.new_interviews.assign(consent_confirmed=consent_given, completed=completed),
        )
    if len(plan.interview_updates):
        records = plan.interview_updates.astype(object).to_dict("records")
        for r in records:
            r["people"] = int(r["people"])
            r["held_on"] = (
                None if r["held_on"] is None or r["held_on"] != r["held_on"] else r["held_on"]
            )
        session.execute(update(Interview), records)
    if len(plan.new_answers):
        ids = interview_ids(session, audit_id)
        insert_responses(
            session,
            plan.new_answers.assign(interview_pk=plan.new_answers["interview_id"].map(ids)),
            actor=actor,
        )
    if len(plan.answer_updates):
        now = utcnow()
        # Core executemany, so each row's revision goes up by one as any other save's
        # does (the ORM's bulk UPDATE wants every row's old revision instead) and a
        # reviewer holding an older revision is told the answer changed.
        table = Response.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                answer=bindparam("b_answer"),
                note=bindparam("b_note"),
                quotable=bindparam("b_quotable"),
                updated_at=bindparam("b_updated_at"),
                updated_by=bindparam("b_updated_by"),
                revision=table.c.revision + 1,
            )
        )
        records = [
            {
                "b_id": int(i),
                "b_answer": a,
                "b_note": n,
                "b_quotable": bool(q),
                "b_updated_at": now,
                "b_updated_by": actor,
            }
            for i, a, n, q in zip(
                plan.answer_updates["id"],
                plan.answer_updates["answer"],
                plan.answer_updates["note"],
                plan.answer_updates["quotable"],
                strict=True,
            )
        ]
        session.execute(statement, records)
    for start in range(0, len(plan.answer_deletes), 10_000):
        chunk = plan.answer_deletes[start : start + 10_000]
        session.execute(delete(Response).where(Response.id.in_(chunk)))
    session.info[WROTE] = True


def insert_response_table(session: Session, table: Any) -> int:
    """Insert answers given as an Arrow table with the columns of `RESPONSE_COLUMNS`
    (each row its own `updated_at` and `updated_by`, as an archive restores them)."""
    session.flush()
    table = table.select(list(RESPONSE_COLUMNS))
    if _dialect(session) == "postgresql":
        _copy_csv(session, "response", RESPONSE_COLUMNS, table)
    else:
        import pyarrow.compute as pc

        # Timestamps as SQLAlchemy writes them to SQLite ("%S" carries the microseconds).
        stamps = pc.strftime(table.column("updated_at"), "%Y-%m-%d %H:%M:%S")
        cells = [
            (stamps if c == "updated_at" else table.column(c)).to_pylist() for c in RESPONSE_COLUMNS
        ]
        _insert_answers_sqlite(
            session, zip(*cells, strict=True), table.column("interview_id").combine_chunks()
        )
    session.info[WROTE] = True
    return table.num_rows
