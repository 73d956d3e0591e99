"""A register import writes through the database's bulk load (executemany on SQLite,
COPY on PostgreSQL): every row comes back as the file said it, with its row number,
and a second import of the same register replaces the first."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sgaudit.registers import read_register, rows_to_records
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import import_register
from sgaudit.store.models import RegisterEntry
from sgaudit.store.register_rows import register_records

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "registers"
AREAS = ["Youth Services", "Supported Housing", "Community Hub", "Day Opportunities"]


def _audit(url: str) -> int:
    from sgaudit.questionnaire import load_question_set

    with session_scope(url) as s:
        org = repo.create_organisation(s, "Bulk Register Trust", AREAS)
        return repo.create_audit(s, org, "Registers", load_question_set()).id


def test_every_register_row_comes_back_as_the_file_said_on_both_databases(any_db_url):
    audit_id = _audit(any_db_url)
    for kind in ("training", "concerns"):
        path = EXAMPLES / f"{kind}.csv"
        expected = rows_to_records(read_register(kind, path))
        with session_scope(any_db_url) as s:
            audit = repo.get_audit(s, audit_id)
            for _ in range(2):  # the second import replaces the first
                assert import_register(s, audit, kind, path) == len(expected)
        with session_scope(any_db_url) as s:
            stored = register_records(s, repo.get_audit(s, audit_id))[kind]
            numbers = s.scalars(
                select(RegisterEntry.row_number)
                .where(RegisterEntry.audit_id == audit_id, RegisterEntry.register == kind)
                .order_by(RegisterEntry.row_number)
            ).all()
        assert stored == expected
        assert numbers == list(read_register(kind, path).index)
