"""Where what people said contradicts the records or the action plan, the report sets
them side by side; where they agree it does not. The rule reads scores and review
statuses only, and a quote never carries a tier together with a service area."""

from __future__ import annotations

import dataclasses

import pytest
from docx import Document
from test_report_fixtures import demo_report

from sgaudit.analysis.findings import quotable_notes
from sgaudit.report import build_report_context
from sgaudit.report.build import report_inputs
from sgaudit.report.records_view import said_and_recorded
from sgaudit.report.words import tier_people
from sgaudit.store.db import session_scope
from sgaudit.vocab import TIERS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_report(tmp_path_factory)


@pytest.fixture(scope="module")
def inputs(demo):
    with session_scope(demo["url"]) as s:
        return report_inputs(s, demo["reaudit"], demo["baseline"])


def rows(inputs, recommendations=None, indicators="same"):
    titles = {t.id: t.title for t in inputs.question_set.themes}
    return {
        r.theme_id: r
        for r in said_and_recorded(
            inputs.tables,
            quotable_notes(inputs.tables),
            inputs.indicators if indicators == "same" else indicators,
            inputs.recommendations if recommendations is None else recommendations,
            titles,
        )
    }


def test_out_of_hours_calls_ringing_out_are_set_beside_the_plan_that_calls_cover_reliable(
    inputs,
):
    casework = rows(inputs)["casework"]
    assert any("often just rings out" in q for q in casework.said)
    plan = " ".join(casework.recorded)
    assert "partly achieved" in plan and "out-of-hours cover is now reliable" in plan
    assert "Domiciliary Care" in casework.scores and "people)" in casework.scores


def test_the_quote_picked_for_a_weak_service_area_names_no_tier(inputs):
    casework = rows(inputs)["casework"]
    quote = next(q for q in casework.said if "rings out" in q)
    assert not any(f"({tier_people(t)})" in quote for t in TIERS)


def test_no_side_by_side_when_records_and_plan_agree_with_what_people_said(inputs):
    # the same interviews, but the last audit's actions were not achieved and there are
    # no registers: both sides say the theme is weak, so nothing is set side by side
    not_done = [dataclasses.replace(r, review_status="not_achieved") for r in
                inputs.recommendations]  # fmt: skip
    assert rows(inputs, not_done, indicators=None) == {}
    # themes people rate soundly never get a row, however good the records
    assert "policies" not in rows(inputs) and "dsl" not in rows(inputs)


def test_sound_records_alone_are_enough_to_set_a_weak_theme_beside_them(inputs):
    no_plan = [dataclasses.replace(r, review_status="not_achieved") for r in
               inputs.recommendations]  # fmt: skip
    complaints = rows(inputs, no_plan)["complaints"]
    assert complaints.recorded[0].startswith("The registers score this")
    assert not any("Last audit's action" in x for x in complaints.recorded)


def test_quotes_with_a_tier_come_from_groups_large_enough_to_show(inputs):
    shown = inputs.tables.by_tier
    for row in rows(inputs).values():
        for quote in row.said:
            for tier in TIERS:
                if quote.endswith(f"({tier_people(tier)})"):
                    cell = shown[(shown["theme"] == row.theme_id) & (shown["tier"] == tier)]
                    assert not cell["suppressed"].any() and len(cell) == 1


def test_the_demo_report_prints_the_side_by_side_table(demo, tmp_path):
    from sgaudit.report import render_report

    with session_scope(demo["url"]) as s:
        context = build_report_context(s, demo["reaudit"], compare_to=demo["baseline"])
    path = render_report(context, tmp_path / "r.docx", charts=False)
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "What people said and what the records say" in headings
    cells = [
        c.text
        for t in doc.tables
        for r in t.rows
        for c in r.cells
        if t.rows[0].cells[0].text == "Theme" and len(t.columns) == 3
    ]
    text = "\n".join(cells)
    assert "often just rings out" in text and "now reliable" in text
