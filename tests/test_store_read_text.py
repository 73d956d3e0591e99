"""Whatever text an auditor typed comes back out of the store whole for the analysis:
quotes, commas, line breaks and even a NUL character (which SQLite's text functions
stop at) on both databases."""

from __future__ import annotations

import dataclasses

from sgaudit.analysis.synthetic import audit_of_size
from sgaudit.store import frames
from sgaudit.store.db import session_scope
from tests.test_store_frames import store_audit

AWKWARD = [
    "She said 'it''s fine', then \"no\", then, well, nothing",
    "First line\nsecond line\r\nthird, with a comma",
    "a NUL\x00 in the middle and more after it",
    "\x00",
    "  spaces kept  ",
    "%s %d %Q printf's own codes",
]


def _stored_and_read(url: str, notes: list[str], name: str):
    data = audit_of_size(600, seed=5)
    responses = data.responses.copy()
    responses.loc[: len(notes) - 1, "note"] = notes
    data = dataclasses.replace(data, responses=responses)
    with session_scope(url) as s:
        audit_id = store_audit(s, data, name=name)
    with session_scope(url) as s:
        return responses, frames.load_audit_data(s, audit_id).responses


def test_notes_come_back_whole_on_both_databases(any_db_url):
    notes = [n for n in AWKWARD if "\x00" not in n]
    written, read = _stored_and_read(any_db_url, notes, "Text Trust")
    assert list(read["note"][: len(notes)]) == notes
    assert read["note"].tolist() == written["note"].tolist()


def test_a_note_holding_a_nul_comes_back_whole_from_sqlite(db_url):
    # PostgreSQL's text type cannot hold a NUL at all; SQLite's can, but its printf
    # stops at one, so the fast read must notice and read that slice row by row.
    written, read = _stored_and_read(db_url, AWKWARD, "Nul Trust")
    assert list(read["note"][: len(AWKWARD)]) == AWKWARD
    assert read["note"].tolist() == written["note"].tolist()
