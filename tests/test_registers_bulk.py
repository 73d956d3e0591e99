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


def test_a_register_is_turned_into_records_a_batch_at_a_time(any_db_url, monkeypatch):
    """A million-row register is never held as a million dicts: the bulk write asks for
    one batch of records at a time, and what it stores is the same."""
    import sgaudit.store.bulk_registers as bulk
    from sgaudit.registers.records import FrameRecords

    monkeypatch.setattr(bulk, "REGISTER_BATCH", 7)
    built: list[int] = []
    whole = FrameRecords.__getitem__

    def counted(self, index):
        records = whole(self, index)
        built.append(len(records) if isinstance(index, slice) else 1)
        return records

    monkeypatch.setattr(FrameRecords, "__getitem__", counted)
    audit_id = _audit(any_db_url)
    path = EXAMPLES / "training.csv"
    expected = rows_to_records(read_register("training", path))
    with session_scope(any_db_url) as s:
        assert import_register(s, repo.get_audit(s, audit_id), "training", path) == len(expected)
    with session_scope(any_db_url) as s:
        stored = register_records(s, repo.get_audit(s, audit_id))["training"]
    assert stored == expected
    assert len(expected) > 7 and max(built) == 7 and sum(built) == len(expected)
