"""Export an audit's answers as a long sheet, import it into another audit: nothing
changes, however hostile the notes (formulas, markup, emoji, right-to-left text)."""

from __future__ import annotations

import itertools
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_sheets_support import AREAS, add_interviews, make_audit, tiny_set

from sgaudit.safe_csv import neutralise_formula, restore_formula
from sgaudit.sheets import export_answers, import_answers
from sgaudit.sheets.export import answers_frame
from sgaudit.store import repo
from sgaudit.store.db import session_scope

QS = tiny_set()
_orgs = itertools.count()

HOSTILE = [
    '=HYPERLINK("http://evil.example", "click")',
    "+1+1",
    "-2",
    "@SUM(A1:A9)",
    "\tindented",
    "'=already marked",
    "<script>alert('x')</script> & {{ jinja }} {% if %}",
    'She said "it\'s fine", then left; 100% sure',
    "line one\nline two\r\nline three",
    "\U0001f622 upset \U0001f44d",
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 (RTL)",
    "x" * 5000,
    "",
]

# Text a note may hold: anything but NUL (no database or CSV file can hold it) and
# lone surrogates (not valid Unicode).
note_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60),
)
# XLSX cannot hold most control characters at all.
xlsx_note_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=60),
)


@st.composite
def interviews(draw, notes=note_text):
    n = draw(st.integers(1, 5))
    codes = draw(
        st.lists(
            st.from_regex(r"[A-Z]{2}-[0-9]{1,4}", fullmatch=True),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    out = []
    for code in codes:
        tier = draw(st.sampled_from(["service_user", "front_line", "manager", "dsl", "board"]))
        mode = draw(st.sampled_from(["interview", "focus_group", "survey", "document_review"]))
        people = draw(st.integers(2, 12)) if mode == "focus_group" else draw(st.integers(1, 3))
        answers = []
        for q in QS.questions_for_tier(tier):
            if not draw(st.booleans()):
                continue
            if QS.scales[q.scale].kind == "text":
                answer = draw(st.sampled_from(["Quarterly report", "=2+2", "We don't know"]))
            else:
                answer = draw(st.sampled_from(QS.allowed_answers(q.id)))
            answers.append((q.id, answer, draw(notes), draw(st.booleans())))
        out.append(
            {
                "code": code,
                "tier": tier,
                "area": draw(st.sampled_from(AREAS)),
                "mode": mode,
                "people": people,
                "held_on": draw(st.none() | st.dates(date(2020, 1, 1), date(2030, 12, 31))),
                "auditor": draw(st.sampled_from(["", "A. Auditor", "B. Zweite", "=cmd"])),
                "answers": answers,
            }
        )
    return out


def _fill(url: str, data) -> int:
    audit_id = make_audit(url, QS, org_name=f"Org {next(_orgs)}")
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        add_interviews(s, audit, data, consent=True)
    return audit_id


def _frame(url: str, audit_id: int) -> pd.DataFrame:
    with session_scope(url) as s:
        return (
            answers_frame(s, audit_id)
            .sort_values(["interview_id", "question_id"])
            .reset_index(drop=True)
        )


def _round_trip(url, tmp_path, data, suffix):
    source = _fill(url, data)
    target = make_audit(url, QS, org_name=f"Org {next(_orgs)}")
    path = tmp_path / f"answers{next(_orgs)}{suffix}"
    with session_scope(url) as s:
        export_answers(s, source, path)
    with session_scope(url) as s:
        summary = import_answers(s, target, path)
    before, after = _frame(url, source), _frame(url, target)
    assert summary.answers_written == len(before)
    pd.testing.assert_frame_equal(before, after)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=interviews())
def test_long_csv_export_then_import_changes_nothing(db_url, tmp_path, data):
    _round_trip(db_url, tmp_path, data, ".csv")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=interviews(notes=xlsx_note_text))
def test_long_xlsx_export_then_import_changes_nothing(db_url, tmp_path, data):
    _round_trip(db_url, tmp_path, data, ".xlsx")


@given(st.text())
def test_neutralising_then_restoring_gives_back_any_text(text):
    assert restore_formula(neutralise_formula(text)) == text


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    out = neutralise_formula(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_exported_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(db_url, tmp_path):
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
                "answers": [("POL-01", "agree", '=HYPERLINK("http://x")', True)],
            }
        ],
    )
    path = tmp_path / "a.csv"
    with session_scope(db_url) as s:
        export_answers(s, audit_id, path)
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ',"=HYPERLINK' not in text and ",=HYPERLINK" not in text
