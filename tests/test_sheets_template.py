"""The blank answer sheet: columns, rows per tier, allowed answers weakest first."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from test_sheets_support import AREAS, make_audit, tiny_set

from sgaudit.errors import SgauditError
from sgaudit.sheets import TEMPLATE_COLUMNS, import_answers, template_frame, write_template
from sgaudit.store.db import session_scope

COLUMNS = [
    "interview_id",
    "tier",
    "service_area",
    "consent",
    "question_id",
    "theme",
    "question",
    "allowed_answers",
    "answer",
    "note",
]


def test_the_template_has_exactly_the_documented_columns():
    assert list(TEMPLATE_COLUMNS) == COLUMNS
    assert list(template_frame(tiny_set()).columns) == COLUMNS


def test_one_row_per_question_per_tier_in_golden_thread_order():
    frame = template_frame(tiny_set())
    pairs = list(zip(frame["tier"], frame["question_id"], strict=True))
    assert pairs == [
        ("service_user", "CUL-01"),
        ("front_line", "POL-01"),
        ("front_line", "POL-02"),
        ("front_line", "CUL-01"),
        ("manager", "POL-01"),
        ("dsl", "POL-02"),
        ("dsl", "CUL-02"),
        ("board", "POL-01"),
        ("board", "CUL-01"),
        ("board", "CUL-02"),
    ]
    assert frame.loc[0, "question"] == "Wording of the item for service_user"
    assert (frame["answer"] == "").all() and (frame["interview_id"] == "").all()


def test_allowed_answers_run_weakest_to_strongest_then_dont_know_and_na():
    frame = template_frame(tiny_set()).set_index(["tier", "question_id"])
    assert (
        frame.loc[("front_line", "POL-01"), "allowed_answers"]
        == "strongly_disagree|disagree|neutral|agree|strongly_agree|dont_know|na"
    )
    # reverse-scored: "yes" is the weakest practice, so it comes first
    assert frame.loc[("front_line", "POL-02"), "allowed_answers"] == "yes|partly|no|dont_know"
    assert frame.loc[("board", "CUL-01"), "allowed_answers"] == "0|1|2|3|4|dont_know"
    assert frame.loc[("dsl", "CUL-02"), "allowed_answers"] == ""  # free text


def test_allowed_answers_equal_the_question_sets_own_list_for_the_core_set(core_set):
    frame = template_frame(core_set)
    for qid, allowed in zip(frame["question_id"], frame["allowed_answers"], strict=True):
        if allowed:
            assert allowed.split("|") == core_set.allowed_answers(qid)


def test_csv_template_is_utf8_with_bom_for_excel(db_url, tmp_path):
    audit_id = make_audit(db_url)
    path = tmp_path / "sheet.csv"
    with session_scope(db_url) as s:
        assert write_template(s, audit_id, path) == 10
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == COLUMNS and len(rows) == 11


def test_xlsx_template_has_a_bold_frozen_header_and_answer_dropdowns(db_url, tmp_path):
    audit_id = make_audit(db_url)
    path = tmp_path / "sheet.xlsx"
    with session_scope(db_url) as s:
        write_template(s, audit_id, path)
    wb = load_workbook(path)
    ws = wb["Answers"]
    assert [c.value for c in ws[1]] == COLUMNS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    validations = ws.data_validations.dataValidation
    answer_ranges = " ".join(str(v.sqref) for v in validations)
    assert "I2" in answer_ranges  # the first answer cell offers a dropdown
    assert "D2:D" in answer_ranges  # so does every consent cell (yes, no)
    lists = wb["Lists"]
    assert lists.sheet_state == "hidden"
    offered = {tuple(c.value for c in col if c.value is not None) for col in lists.iter_cols()}
    assert ("yes", "partly", "no", "dont_know") in offered
    assert tuple(AREAS) in offered
    assert ("yes", "no") in offered


def test_a_filled_in_template_imports(db_url, tmp_path):
    audit_id = make_audit(db_url)
    path = tmp_path / "sheet.csv"
    with session_scope(db_url) as s:
        write_template(s, audit_id, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    # fill in the second row (front_line, POL-01)
    header, cells = next(csv.reader([lines[0]])), next(csv.reader([lines[2]]))
    filled = {
        "interview_id": "FL-07",
        "service_area": "Youth Services",
        "consent": "yes",
        "answer": "Agree",
        "note": "=1+1",
    }
    for column, value in filled.items():
        cells[header.index(column)] = value
    buf = [lines[0], lines[1], ",".join(f'"{c}"' for c in cells), *lines[3:]]
    path.write_text("\n".join(buf) + "\n", encoding="utf-8-sig")
    with session_scope(db_url) as s:
        summary = import_answers(s, audit_id, path)
    assert summary.answers_written == 1 and summary.interviews_created == 1


def test_a_template_needs_a_csv_or_xlsx_name(db_url, tmp_path):
    audit_id = make_audit(db_url)
    with session_scope(db_url) as s, pytest.raises(SgauditError, match=".csv or .xlsx"):
        write_template(s, audit_id, tmp_path / "sheet.ods")
