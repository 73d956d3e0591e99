"""User text comes through the report literally: markup, ampersands, Jinja and docxtpl
tags, very long text, emoji, right-to-left script. Nothing is dropped, evaluated or
rewritten; only characters a Word file cannot hold are removed."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_report_fixtures import store_audit

from sgaudit.analysis import synthetic as syn
from sgaudit.analysis.result import analyse
from sgaudit.report import generate_report, render_report
from sgaudit.report.assemble import assemble_context
from sgaudit.report.context import RecommendationItem
from sgaudit.report.inputs import AuditFacts, ReportInputs
from sgaudit.report.words import clean_text
from sgaudit.store import repo
from sgaudit.store.db import session_scope

ORG = '<Care & "Safe"> Ltd {{ organisation }} \U0001F642'
TITLE = "{% for x in range(3) %}loop{% endfor %} & <b>bold</b> {# hidden? #}"
AUDITOR = "Siobhán O'Brien & {_{ Smith }_}"
AREAS = ("North & <East>", "الشمال", "South {%p if x %}")
NOTE = ("She said: \"they told me <nothing> & I stopped asking\" {{ 7*7 }} {%- raw %} "
        "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \U0001F469\U0001F3FD\u200d\u2695\ufe0f")
NOTE_WITH_LINES = "First line & more\nSecond line <here>\tafter a tab"
CONTROL = "bell\x07 vertical\x0b escape\x1b form\x0c feed and a NUL\x00 end"
FINDING = "Trustees {{ summary }} never see <raw> data & the DSL is {% stretched %}."
LONG = ("A very long recommendation with an ampersand & a <tag> and {{ braces }}. " * 70
        + "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 end")
OWNER = "{{ owner }} & Chair <of> Trustees"


def paragraph_texts(document) -> list[str]:
    """Every paragraph's text as python-docx reads it (line breaks and tabs included)."""
    out = []
    for part in [document.element, *[s.footer._element for s in document.sections]]:
        out += [Paragraph(p, None).text for p in part.iter(qn("w:p"))]
    return out


def full_text(document) -> str:
    return "\n".join(paragraph_texts(document))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'store.db'}"
    from sgaudit.store.db import get_engine

    get_engine(url)
    with session_scope(url) as session:
        org = repo.create_organisation(session, ORG, AREAS)
        audit = store_audit(session, org, TITLE, plants=syn.systemic("culture", 40),
                            note_share=0.0, seed=3)
        audit.auditor_1 = AUDITOR
        notes = {"culture": NOTE, "governance": NOTE_WITH_LINES, "training": CONTROL}
        qs = repo.audit_question_set(audit)
        for iv in repo.list_interviews(session, audit):
            if iv.tier != "front_line":
                continue
            for qid, response in repo.interview_answers(session, iv).items():
                theme = qs.questions_by_id[qid].theme
                if theme in notes:
                    repo.save_answer(session, iv, qid, response.answer, note=notes[theme],
                                     quotable=True, commit=False)
        session.commit()
        repo.add_own_finding(session, audit, theme="governance", summary=FINDING,
                             severity="high")
        repo.save_recommendation(session, audit, theme="culture", text=LONG, priority="high",
                                 owner=OWNER, due_date=date(2026, 12, 31))
        path = generate_report(session, audit.id, folder / "report.docx")
    return Document(str(path))


@pytest.mark.parametrize(
    "value", [ORG, TITLE, AUDITOR, *AREAS, NOTE, FINDING, LONG, OWNER],
    ids=["organisation", "title", "auditor", "area1", "area2", "area3", "note", "finding",
         "long", "owner"],
)
def test_user_text_appears_exactly_as_entered(hostile, value):
    assert value in full_text(hostile)


def test_jinja_in_user_text_is_never_evaluated(hostile):
    text = full_text(hostile)
    assert "looploop" not in text  # the title's for loop did not run
    assert "{{ 7*7 }}" in text and " 49 " not in text


def test_a_line_break_in_a_note_stays_a_line_break_and_a_tab_a_tab(hostile):
    assert NOTE_WITH_LINES in paragraph_texts(hostile) or any(
        NOTE_WITH_LINES in p for p in paragraph_texts(hostile))


def test_characters_word_cannot_hold_are_dropped_and_the_rest_kept(hostile):
    assert clean_text(CONTROL) == "bell vertical escape form feed and a NUL end"
    assert clean_text(CONTROL) in full_text(hostile)


def test_the_organisation_name_in_the_footer_and_properties_is_literal(hostile):
    footer = "".join(p.text for s in hostile.sections for p in s.footer.paragraphs)
    assert ORG in footer
    assert ORG in hostile.core_properties.title


# ---- property: any text round-trips ---------------------------------------------------
@pytest.fixture(scope="module")
def small_context():
    qs = syn.synthetic_question_set(questions_per_theme=3)
    data = syn.synthetic_audit(question_set=qs, per_tier_area=1, areas=("A", "B", "C"))
    inputs = ReportInputs(
        audit=AuditFacts(organisation="Org", title="Audit", service_areas=("A", "B", "C")),
        question_set=qs, data=data, analysis=analyse(data),
    )
    return assemble_context(inputs)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=200))
def test_any_text_round_trips_through_a_rendered_report(small_context, tmp_path, text):
    action = RecommendationItem(
        number=1, text=text, theme_id="culture", theme="Culture", priority="high",
        priority_label="High", owner=text, due="", carried_over=False, follow_up="",
    )
    context = small_context.model_copy(update={"organisation": text, "actions": [action]})
    path = render_report(context, tmp_path / "any.docx", charts=False)
    expected = clean_text(text)
    texts = paragraph_texts(Document(str(path)))
    assert any(expected == t for t in texts) or expected.strip() == ""
