"""Read an audit out of the store as the DataFrames the pure analysis takes.

Columns for analysis, rows for capture: an audit's answers come out as Arrow columns,
never as ORM objects (bench/README.md has the measurements behind each choice).

- PostgreSQL: through the ADBC driver, straight into Arrow. It reads on its own
  connection, which sees committed rows only, so a session that has written rows it has
  not committed yet reads through its own connection instead: an analysis never sees
  stale answers.
- SQLite: through the session's own connection (Python's sqlite3), which sees its
  uncommitted writes. The database joins each column of a slice of answers into one
  string, which Arrow splits and types in C, so no Python object is made per answer
  (`store/sqlite_read.py`; ADBC's SQLite driver is not used, see there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sgaudit.access.policy import READ_ANSWERS, VIEW_AGGREGATES
from sgaudit.store.bulk import WROTE
from sgaudit.store.erasure import counted
from sgaudit.store.models import Interview, Response
from sgaudit.store.repo import audit_question_set, audit_ref, get_audit
from sgaudit.store.scope import allowed, check

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from sgaudit.analysis.data import AuditData

# The columns of docs/ARCHITECTURE.md, in order, with the dtype the analysis gets.
_DTYPES = {
    "interview_id": "string",
    "tier": "string",
    "service_area": "string",
    "mode": "string",
    "people": "int64",
    "question_id": "string",
    "answer": "string",
    "note": "string",
    "quotable": "bool",
}
_INTERVIEW_FIELDS = ("interview_id", "tier", "service_area", "mode", "people")


def _interviews_of(audit_id: int) -> list[Any]:
    """Which interviews an audit's analysis reads (one place for every read path)."""
    return [Interview.audit_id == audit_id, counted()]  # withdrawn consent: left out


def _interviews_query(audit_id: int):
    return (
        select(
            Interview.id,
            Interview.code.label("interview_id"),
            Interview.tier,
            Interview.service_area,
            Interview.mode,
            Interview.people,
        )
        .where(*_interviews_of(audit_id))
        .order_by(Interview.id)
    )


def _responses_query(audit_id: int, ordered: bool = True):
    """The answers with their interview's columns; in interview, then answer order, or
    in any order with both ids first (`ordered=False`: `_ordered_by_answer` orders them)."""
    ids = () if ordered else (Interview.id.label("iv"), Response.id.label("answer_id"))
    stmt = (
        select(
            *ids,
            Interview.code.label("interview_id"),
            Interview.tier,
            Interview.service_area,
            Interview.mode,
            Interview.people,
            Response.question_id,
            Response.answer,
            Response.note,
            Response.quotable,
        )
        .join(Response, Response.interview_id == Interview.id)
        .where(*_interviews_of(audit_id))
    )
    return stmt.order_by(Interview.id, Response.id) if ordered else stmt


def _ordered_by_answer(table: pa.Table) -> pa.Table:
    """The rows of an unordered read (`_responses_query(ordered=False)`) in interview, then
    answer order, without the two ids. Ordered here rather than by the server: for a
    million answers PostgreSQL's sort took three times as long as its join (0.65 s of
    0.85 s), numpy's takes a tenth of a second."""
    import numpy as np

    from sgaudit.store.sqlite_read import in_answer_order

    interview, answer = table["iv"].to_numpy(), table["answer_id"].to_numpy()
    if not in_answer_order(interview, answer):
        table = table.take(np.lexsort((answer, interview)))
    return table.drop_columns(["iv", "answer_id"])


# ---- is there anything this session wrote and has not committed? --------------------
@event.listens_for(Session, "after_flush")
def _mark_written(session: Session, _flush_context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _mark_dml(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _clear_written(session: Session) -> None:
    session.info.pop(WROTE, None)


# ---- PostgreSQL -----------------------------------------------------------------------
def _read_postgresql(session: Session, audit_id: int) -> pa.Table:
    session.flush()
    if session.info.get(WROTE):
        return _read_in_session(session, _responses_query(audit_id))
    stmt = _responses_query(audit_id, ordered=False)
    import adbc_driver_postgresql.dbapi as adbc

    uri = session.get_bind().url.set(drivername="postgresql")
    sql = str(
        stmt.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    )
    with adbc.connect(uri.render_as_string(hide_password=False)) as conn, conn.cursor() as cur:
        # The same identity as the session's own transactions, for row-level security
        # (store/rls.py): SET LOCAL in this read's transaction.
        user_id, is_admin = _principal_settings(session)
        cur.execute(
            f"SELECT set_config('sgaudit.user_id', '{user_id}', true), "
            f"set_config('sgaudit.is_admin', '{is_admin}', true)"
        )
        cur.fetchall()
        cur.execute(sql)
        return _ordered_by_answer(cur.fetch_arrow_table())


def _principal_settings(session: Session) -> tuple[str, str]:
    """(user id, 'on'/'off') as store/rls.py sends them, checked to be safe to inline."""
    from sgaudit.store.rls import _settings

    user_id, is_admin = _settings(session)
    if not (user_id == "" or user_id.isdigit()) or is_admin not in ("on", "off"):
        raise ValueError("unexpected principal settings")  # pragma: no cover
    return user_id, is_admin


def _read_in_session(session: Session, stmt: Any) -> pa.Table:
    """The same rows through the session's own connection (sees its uncommitted writes)."""
    import pyarrow as pa

    rows = session.execute(stmt).all()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in _DTYPES]
    return pa.table(
        {
            name: pa.array(values, type=_arrow_type(name))
            for name, values in zip(_DTYPES, columns, strict=True)
        }
    )


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    return {"people": pa.int64(), "quotable": pa.bool_()}.get(name, pa.string())


# ---- SQLite ---------------------------------------------------------------------------
def _read_sqlite(session: Session, audit_id: int) -> pa.Table:
    import pyarrow as pa

    from sgaudit.store.sqlite_read import read_answers

    if session.autoflush:
        session.flush()  # what the session holds unwritten is read too, as a query reads it
    # Plain rows on the session's connection: the ORM's result machinery cost 3x the
    # query itself for an audit's 17,000 interviews.
    interviews = session.connection().execute(_interviews_query(audit_id)).all()
    answers = read_answers(session, [iv[0] for iv in interviews])
    picked = answers["interview"]
    columns = {
        name: pa.array([iv[k + 1] for iv in interviews], type=_arrow_type(name)).take(picked)
        for k, name in enumerate(_INTERVIEW_FIELDS)
    }
    columns |= {name: answers[name] for name in ("question_id", "answer", "note", "quotable")}
    return pa.table(columns)


def responses_table(session: Session, audit_id: int) -> pa.Table:
    """An audit's answers as Arrow columns (see `responses_frame` for the columns).

    Raw answers, notes and codes: needs `read_answers` on the audit."""
    audit_ref(session, audit_id, READ_ANSWERS)
    return _responses_table(session, audit_id)


def _responses_table(session: Session, audit_id: int) -> pa.Table:
    if session.get_bind().dialect.name == "postgresql":
        return _read_postgresql(session, audit_id)
    if session.get_bind().dialect.name == "sqlite":
        return _read_sqlite(session, audit_id)
    return _read_in_session(session, _responses_query(audit_id))


def responses_frame(session: Session, audit_id: int) -> pd.DataFrame:
    """One row per answer, in the columns of docs/ARCHITECTURE.md (`interview_id` is the
    pseudonymous code, never a database id or a name). Needs `read_answers`."""
    audit_ref(session, audit_id, READ_ANSWERS)
    return _responses(session, audit_id)


def _responses(session: Session, audit_id: int) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    strings = pd.StringDtype()
    frame = _responses_table(session, audit_id).to_pandas(
        types_mapper=lambda t: strings if pa.types.is_string(t) else None
    )
    return frame.astype(_DTYPES)


def without_identifiers(responses: pd.DataFrame) -> pd.DataFrame:
    """The responses with no note, no quote and no respondent code (R1, R2, ...).

    What a reader of suppressed results (an organisation viewer, a partnership
    analyst) is analysed from: the counts and scores are the same, the words are gone.
    """
    import pandas as pd

    codes = pd.factorize(responses["interview_id"])[0] + 1
    return responses.assign(
        interview_id=pd.Series([f"R{c}" for c in codes], index=responses.index, dtype="string"),
        note=pd.Series("", index=responses.index, dtype="string"),
        quotable=False,
    )


def load_audit_data(session: Session, audit_id: int) -> AuditData:
    """The audit's responses with the question set it was run with, ready to analyse.

    The one way an audit reaches the analysis. Those who may read the answers get
    them whole; those who may only see suppressed results get them without notes,
    quotes or respondent codes (`without_identifiers`); anyone else is refused.
    """
    from sgaudit.analysis.data import AuditData

    audit = get_audit(session, audit_id)
    check(session, VIEW_AGGREGATES, audit)
    responses = _responses(session, audit.id)
    if not allowed(session, READ_ANSWERS, audit):
        responses = without_identifiers(responses)
    return AuditData.from_question_set(audit_question_set(audit), responses)


def analysis_view(session: Session, audit_id: int) -> str:
    """Which view of the audit the principal's analysis is made from, after checking they
    may see its dashboard: "answers" (whole) or "suppressed" (`without_identifiers`).

    A screen that caches an analysis keys it on this too, so a cached analysis made
    for an auditor is never handed to an organisation viewer.
    """
    from sgaudit.access.policy import VIEW_DASHBOARD

    ref = audit_ref(session, audit_id, VIEW_DASHBOARD)
    return "answers" if allowed(session, READ_ANSWERS, ref) else "suppressed"
