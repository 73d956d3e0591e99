"""The printable question sheet per tier, and fieldwork coverage (library and CLI)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import require_or_skip
from docx import Document
from docx.oxml.ns import qn

from sgaudit.question_sheet import answer_options, write_question_sheet
from sgaudit.report import convert_to_pdf
from sgaudit.store import repo
from sgaudit.store.coverage import fieldwork_coverage
from sgaudit.store.db import session_scope


def _text(path) -> str:
    doc = Document(str(path))
    return "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )


def test_the_sheet_holds_the_tiers_own_wording_its_options_and_room_for_notes(core_set, tmp_path):
    out = tmp_path / "board.docx"
    n = write_question_sheet(core_set, "board", out)
    board = core_set.questions_for_tier("board")
    assert n == len(board)
    text = _text(out)
    for q in board:
        assert f"{q.id}  {q.wording('board')}" in text
        for label in answer_options(core_set, q):
            assert f"\u2610 {label}" in text
    assert text.count("Notes (what was said; no names):") == sum(
        1 for q in board if answer_options(core_set, q)
    )
    front_line_only = {q.id for q in core_set.questions_for_tier("front_line")} - {
        q.id for q in board
    }
    assert not any(f"{qid}  " in text for qid in front_line_only)


def test_each_question_is_kept_on_one_page_with_its_boxes_and_notes(core_set, tmp_path):
    out = tmp_path / "su.docx"
    write_question_sheet(core_set, "service_user", out)
    doc = Document(str(out))
    asked = [p for p in doc.paragraphs if re.match(r"^[A-Z]+-\d+  ", p.text)]
    boxes = [p for p in doc.paragraphs if p.text.startswith("\u2610 ") and "Don't know" in p.text]
    assert len(asked) == len(boxes) == len(core_set.questions_for_tier("service_user"))
    assert all(p.paragraph_format.keep_with_next for p in asked + boxes)
    rows = [t.rows[0]._tr for t in doc.tables]
    assert rows and all(
        r.trPr is not None and r.trPr.find(qn("w:cantSplit")) is not None for r in rows
    )


@pytest.mark.libreoffice
@pytest.mark.slow
def test_printed_no_page_ends_with_a_question_whose_notes_space_is_overleaf(core_set, tmp_path):
    require_or_skip(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    require_or_skip(shutil.which("pdftotext") is not None, "poppler (pdftotext)")
    out = tmp_path / "front_line.docx"
    n = write_question_sheet(core_set, "front_line", out)
    pdf = convert_to_pdf(out)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    pages = text.split("\f")
    seen = 0
    for number, page in enumerate(pages, 1):
        ids = re.findall(r"^\s*([A-Z]{2,4}-\d{2})\s", page, re.M)
        spaces = page.count("Notes (what was said; no names):") + page.count("Answer and notes:")
        assert len(ids) == spaces, f"page {number}: questions {ids} but {spaces} notes spaces"
        seen += len(ids)
    assert seen == n and len(pages) > 5


def test_coverage_counts_people_per_cell_and_names_what_is_still_missing(db_url, core_set):
    with session_scope(db_url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline", core_set, auditor_1="Sam")
        repo.start_interview(
            s,
            audit,
            tier="front_line",
            service_area="Housing",
            mode="focus_group",
            people=4,
            consent_confirmed=True,
        )
        withdrawn = repo.start_interview(
            s,
            audit,
            tier="front_line",
            service_area="Youth",
            mode="focus_group",
            people=5,
            consent_confirmed=True,
        )
        board = repo.start_interview(
            s, audit, tier="board", service_area="Housing", consent_confirmed=True
        )
        first_board_q = core_set.questions_for_tier("board")[0]
        repo.save_answer(s, board, first_board_q.id, "agree")
        repo.withdraw_consent(s, withdrawn)
        cov = fieldwork_coverage(s, audit)
    cells = cov.cells.set_index(["tier", "service_area"])
    assert cells.loc[("front_line", "Housing"), "people"] == 4
    assert not cells.loc[("front_line", "Housing"), "below_minimum"]
    assert cells.loc[("front_line", "Youth"), "people"] == 0  # withdrawn consent
    assert cells.loc[("board", "Housing"), "below_minimum"]
    assert first_board_q.theme not in cov.board_themes_missing
    assert cov.board_themes_missing


def test_question_sheet_and_coverage_from_the_cli(run, db_url, core_set, tmp_path):
    with session_scope(db_url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing"])
        audit_id = repo.create_audit(s, org, "Baseline", core_set, auditor_1="Sam").id
    out = tmp_path / "fl.docx"
    status, stdout, err = run(
        "question-sheet", audit_id, "--tier", "front_line", "--out", out, "--db", db_url
    )
    assert status == 0, err
    assert "Harbour Trust" in _text(out)
    status, _, err = run(
        "question-sheet", audit_id, "--tier", "nobody", "--out", out, "--db", db_url
    )
    assert status == 1 and "asks nothing of tier 'nobody'" in err
    status, stdout, err = run("coverage", audit_id, "--db", db_url)
    assert status == 0, err
    assert "Themes not yet asked at board level" in stdout
