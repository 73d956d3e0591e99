"""Hand-checked small cases: how a score, a rating, a change, a date and a list read in
the report, and how an audit with unusual shape is reported."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgaudit import printed
from sgaudit.analysis import synthetic as syn
from sgaudit.analysis.result import CellScore, analyse
from sgaudit.errors import ReportError
from sgaudit.questionnaire.settings import AnalysisSettings, RagBand
from sgaudit.report import build_report_context
from sgaudit.report.assemble import assemble_context
from sgaudit.report.cells import rag_key, score_cell, score_number
from sgaudit.report.inputs import AuditFacts, ReportInputs
from sgaudit.report.words import (
    clean_text,
    date_range,
    join_words,
    plural,
    signed,
)
from sgaudit.store import repo
from sgaudit.store.db import session_scope

DEFAULT = AnalysisSettings()
FOUR_BANDS = AnalysisSettings(
    rag_bands=(
        RagBand(label="poor", min=0),
        RagBand(label="fair", min=40),
        RagBand(label="good", min=60),
        RagBand(label="excellent", min=85),
    )
)


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (72.4, "72"),
        (72.6, "72"),
        (69.6, "69"),
        (69.96, "69"),
        (70.0, "70"),
        (49.5, "49"),
        (50.4, "50"),
        (0.0, "0"),
        (100.0, "100"),
        (69.99999999999999, "69"),
    ],
)
def test_a_score_is_printed_as_the_whole_points_it_has_reached(score, shown):
    assert score_number(score, DEFAULT) == shown


@given(st.floats(min_value=0, max_value=100))
def test_the_number_shown_always_lies_in_the_band_shown(score):
    assert DEFAULT.rag(float(score_number(score, DEFAULT))) == DEFAULT.rag(score)


@pytest.mark.parametrize(
    ("low", "high", "shown", "text"),
    [
        (21.97, 26.2, 25, "22 to 26"),  # not "21 to 26": a bound is not a score
        (-26.2, -21.97, -25, "-26 to -22"),  # turned round, it reads the same
        (35.5, 69.9, 53, "36 to 70"),  # a half goes away from zero
        (-48.1, -18.4, -33, "-48 to -18"),
        (0.4, 7.1, 5, "0 to 7"),
        (25.6, 27.4, 25, "25 to 27"),  # widened to take in the printed gap
        (25.6, 27.4, None, "26 to 27"),
        (None, 3.0, None, ""),
    ],
)
def test_an_interval_is_printed_with_each_bound_at_the_nearest_whole_point(low, high, shown, text):
    assert printed.interval_text(low, high, shown) == text


def test_an_interval_in_a_table_is_signed_with_the_true_minus():
    assert printed.interval_text(21.97, 26.2, 25, sign=True) == "+22 to +26"
    assert printed.interval_text(-2.54, 2.3, 0, sign=True) == "\u22123 to +2"


@given(
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=30),
    st.floats(min_value=0, max_value=30),
)
def test_a_printed_gap_always_lies_inside_its_printed_interval_which_reads_the_same_flipped(
    a, b, below, above
):
    low, high = (a - b) - below, (a - b) + above
    gap = printed.gap(a, b)
    lo, hi = printed.interval(low, high, gap)
    assert lo <= gap <= hi
    assert lo <= printed.bound(low) and hi >= printed.bound(high)  # widened, never narrowed
    assert printed.interval(-high, -low, -gap) == (-hi, -lo)


def test_a_cell_says_the_score_and_its_rating_or_why_there_is_none():
    cell = score_cell(CellScore(tier="board", score=72.4, rag="green", n=5), DEFAULT)
    assert (cell.text, cell.fill, cell.n) == ("72 Green", "B8E0CF", 5)
    hidden = score_cell(CellScore(tier="board", suppressed=True), DEFAULT)
    assert (hidden.text, hidden.score, hidden.number, hidden.n) == ("Suppressed", None, "", None)
    assert score_cell(None, DEFAULT).text == "Not asked"
    assert score_cell(CellScore(tier="board", n=4), DEFAULT).text == "No score"


def test_the_rag_key_reads_as_ranges_of_whole_scores_with_custom_bands():
    assert [(k.label, k.range) for k in rag_key(DEFAULT)] == [
        ("Red", "0 to 49"),
        ("Amber", "50 to 69"),
        ("Green", "70 to 100"),
    ]
    four = rag_key(FOUR_BANDS)
    assert [(k.label, k.range) for k in four] == [
        ("Poor", "0 to 39"),
        ("Fair", "40 to 59"),
        ("Good", "60 to 84"),
        ("Excellent", "85 to 100"),
    ]
    assert len({k.fill for k in four}) == 4  # four bands, four shades


def test_words_read_as_a_person_would_write_them():
    assert join_words(["A"]) == "A" and join_words(["A", "B", "C"]) == "A, B and C"
    assert plural(1, "theme") == "one theme" and plural(3, "theme") == "three themes"
    assert plural(12, "person", "people") == "12 people"
    assert (signed(12.4), signed(-8), signed(0.2)) == ("+12", "\u22128", "0")
    assert date_range(date(2026, 3, 3), date(2026, 3, 14)) == "3 to 14 March 2026"
    assert date_range(date(2026, 2, 28), date(2026, 3, 14)) == "28 February to 14 March 2026"
    assert date_range(date(2025, 12, 1), date(2026, 1, 9)) == "1 December 2025 to 9 January 2026"
    assert date_range(None, None) == ""


def test_clean_text_keeps_everything_a_document_can_hold():
    text = "<a> & {{ b }} \u05e9\u05dc\u05d5\u05dd \U0001f642\ttab\nline"
    assert clean_text(text) == text
    assert clean_text("a\x00b\x08c\x1fd\ud800e\uffff") == "abcde"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text(None) == ""


def test_custom_rag_bands_flow_through_to_the_report():
    qs = syn.synthetic_question_set(questions_per_theme=3, settings=FOUR_BANDS)
    data = syn.synthetic_audit(question_set=qs, per_tier_area=1, areas=("A", "B", "C"))
    context = assemble_context(
        ReportInputs(
            audit=AuditFacts(organisation="Org", title="Audit"),
            question_set=qs,
            data=data,
            analysis=analyse(data),
        )
    )
    labels = {c.rag for r in context.thread.rows for c in r.cells if c.status == "scored"}
    assert labels <= {"Poor", "Fair", "Good", "Excellent"}
    assert [k.label for k in context.appendix.rag_bands] == ["Poor", "Fair", "Good", "Excellent"]
    assert context.summary.strengths  # "No theme is rated Excellent overall." or the list


def test_a_theme_nobody_was_asked_about_is_reported_as_not_covered():
    qs = syn.synthetic_question_set(questions_per_theme=3)
    data = syn.synthetic_audit(question_set=qs, per_tier_area=1, areas=("A", "B", "C"))
    data = data.__class__(
        **{
            **data.__dict__,
            "responses": data.responses[~data.responses["question_id"].str.startswith("CUL")],
        }
    )
    context = assemble_context(
        ReportInputs(
            audit=AuditFacts(organisation="Org", title="Audit"),
            question_set=qs,
            data=data,
            analysis=analyse(data),
        )
    )
    culture = next(t for t in context.themes if t.id == "culture")
    assert culture.headline == "Culture was not covered in this audit's fieldwork."
    assert culture.by_tier == [] and "not covered" in culture.no_findings
    row = next(r for r in context.thread.rows if r.theme_id == "culture")
    # The set asks every tier about culture and nobody answered: not heard, not "not asked".
    assert {c.text for c in row.cells} == {"Not heard"}


def test_an_audit_without_answers_or_compared_with_another_organisation_is_refused(db_url):
    from test_report_fixtures import AREAS, store_audit

    from sgaudit.questionnaire import load_question_set

    with session_scope(db_url) as session:
        org = repo.create_organisation(session, "Empty Org", AREAS)
        empty = repo.create_audit(session, org, "Not started", load_question_set())
        with pytest.raises(ReportError, match="no answers yet"):
            build_report_context(session, empty.id)
        other = repo.create_organisation(session, "Other Org", AREAS)
        theirs = store_audit(session, other, "Theirs", per_tier_area=1)
        ours = store_audit(session, org, "Ours", per_tier_area=1)
        with pytest.raises(ReportError, match="only audits of one organisation"):
            build_report_context(session, ours.id, theirs.id)


def test_a_negative_number_is_printed_with_the_true_minus_sign_and_never_split():
    from sgaudit.report.render import as_printed

    assert as_printed("(difference -25 points, interval -38 to -12)") == (
        "(difference \u221225 points, interval \u221238 to \u221212)"
    )
    # hyphens inside words, ranges and phone numbers stay as typed
    assert as_printed("well-led; ages 5-11; 0800-123") == "well-led; ages 5-11; 0800-123"


def test_the_numbers_behind_a_finding_are_named_in_words():
    from sgaudit.report.findings_view import evidence_rows

    rows = evidence_rows(
        {
            "beyond_usual_gap": -25.1,
            "base_tier": "front_line",
            "direction": "higher_rates_worse",
            "a_key_not_listed": 3,
        }
    )
    assert rows == [
        {"measure": "Gap beyond the two tiers' usual gap (points)", "value": "\u221225"},
        {"measure": "Set against", "value": "Front-line staff and volunteers"},
        {"measure": "Direction", "value": "rates it lower than the tier it is set against"},
        {"measure": "A key not listed", "value": "3"},
    ]


def test_a_theme_every_tier_scores_alike_reads_one_number_not_between_x_and_x():
    from sgaudit.report.context import ScoreCell, ThreadRow
    from sgaudit.report.theme_sections import theme_headline

    def cell(n):
        return ScoreCell(text=f"{n} Green", number=str(n), score=n, rag="Green", n=8)

    def row(*scores):
        tiers = dict(zip(("front_line", "senior_leader", "board"), map(cell, scores), strict=True))
        return ThreadRow(theme_id="t", theme="T", overall=cell(scores[0]), tier=tiers,
                         cells=list(tiers.values()))  # fmt: skip

    result = object()  # anything but None: the theme was covered
    assert theme_headline("Safer recruitment", result, row(78, 78, 78)).endswith(
        "Every tier we could score gives it 78."
    )
    assert theme_headline("Safer recruitment", result, row(78, 80, 79)).endswith(
        "much the same way (between 78 and 80)."
    )


@pytest.mark.parametrize(
    ("covered", "rag", "open_here", "starts"),
    [
        (True, "Green", False, "We found no particular concern on this theme."),
        (True, "Amber", False, "We found no particular concern on this theme beyond its Amber"),
        (True, "Red", False, "We found no particular concern on this theme beyond its Red"),
        (True, "", False, "We found no particular concern on this theme."),  # no score shown
        (True, "Green", True, "We found no finding on this theme that the people we heard"),
        (True, "Amber", True, "We found no finding on this theme that the people we heard"),
        (False, "", False, "This theme was not covered in this audit"),
    ],
)
def test_a_theme_without_a_finding_says_what_its_rating_and_open_questions_leave(
    covered, rag, open_here, starts
):
    # "No particular concern" under an Amber or Red rating, or over a question the people
    # heard left open, would read to a trustee as all being well.
    from sgaudit.report.theme_sections import no_finding_words

    said = no_finding_words(covered, rag, "Green", open_here)
    assert said.startswith(starts)
    assert ("beyond its" in said) == (covered and not open_here and rag in ("Amber", "Red"))
