"""Exports a spreadsheet cannot turn against its reader (issue 10, items 10 and 16)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from test_sheets_roundtrip import _fill, _frame
from test_sheets_support import AREAS

from sgaudit.safe_csv import neutralise_formula, restore_formula, xlsx_text
from sgaudit.sheets.export import export_answers
from sgaudit.store.db import session_scope

RUNNABLE = [
    " =1+1",  # spreadsheets trim the space, then run it
    "   @SUM(A1)",
    '\n=HYPERLINK("http://evil.example")',
    "\u3000=1+1",  # an ideographic space
    "\uff1d1+1",  # full-width equals sign
    "\uff0bcmd",
    "\uff0d2",
    "\uff20SUM(A1)",
    "\nplain text after a line feed",
]


@pytest.mark.parametrize("text", RUNNABLE)
def test_text_a_spreadsheet_could_run_gets_an_apostrophe_and_comes_back_unchanged(text):
    assert neutralise_formula(text) == "'" + text
    assert restore_formula(neutralise_formula(text)) == text


@pytest.mark.parametrize("text", ["plain", " plain with a space", "'quoted", "50% - better"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise_formula(text) == text


def test_control_characters_are_dropped_only_from_the_excel_copy():
    assert xlsx_text("a\x00b\x0bc\x1fd\te\nf") == "abcd\te\nf"
    assert xlsx_text("\x00=1+1") == "'=1+1"


def test_a_note_with_nul_and_control_characters_exports_to_excel_and_stays_stored(db_url, tmp_path):
    note = "She said\x00 it was\x0b fine\x1b[31m =1+1"
    audit_id = _fill(
        db_url,
        [
            {
                "code": "FL-1",
                "tier": "front_line",
                "area": AREAS[0],
                "mode": "interview",
                "people": 1,
                "held_on": None,
                "auditor": "",
                "answers": [("POL-01", "agree", note, False)],
            }
        ],
    )
    path = tmp_path / "answers.xlsx"
    with session_scope(db_url) as s:
        export_answers(s, audit_id, path)
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("note") + 1).value
    assert cell == "She said it was fine[31m =1+1"
    assert _frame(db_url, audit_id)["note"].tolist() == [note]  # the stored text is kept
