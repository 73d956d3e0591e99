"""The demo's board report, read back through python-docx: every section a board needs,
the golden-thread table cell by cell, every kind of finding, the change section and the
action plan."""

from __future__ import annotations

import math
import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from test_report_fixtures import (
    all_text,
    demo_report,
    paragraphs_with_style,
    table_with_header,
)

from sgaudit.analysis.result import analyse
from sgaudit.report.build import report_inputs
from sgaudit.report.render import as_printed
from sgaudit.report.words import RAG_FILLS, SUPPRESSED_FILL
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import responses_frame
from sgaudit.vocab import FINDING_KIND_LABELS, TIERS

THREAD_HEADER = [
    "Theme",
    "Overall",
    "People using services",
    "Front line",
    "Managers",
    "DSL team",
    "Senior leaders",
    "Board",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as session:
        inputs = report_inputs(session, built["reaudit"], built["baseline"])
        reviews = repo.finding_reviews(session, repo.get_audit(session, built["reaudit"]))
        recs = [
            (r.text, r.owner, r.due_date)
            for r in repo.list_recommendations(session, repo.get_audit(session, built["reaudit"]))
            if r.review_status not in ("achieved", "no_longer_relevant")
        ]
        responses = responses_frame(session, built["reaudit"])
    document = Document(str(built["docx"]))
    return {
        **built,
        "inputs": inputs,
        "reviews": reviews,
        "recs": recs,
        "responses": responses,
        "document": document,
        "text": all_text(document),
    }


def test_the_report_has_every_section_a_board_needs(demo):
    headings = paragraphs_with_style(demo["document"], "Heading 1")
    assert headings == [
        "Summary for the board",
        "Executive summary",
        "How the audit was done",
        "The golden thread",
        "Localised and systemic issues",
        "What the analysis could not settle",
        "Findings by theme",
        "Change since the last audit",
        "Progress on the last audit's recommendations",
        "What the records show",
        "What people said and what the records say",
        "Self-assessment against the evidence",
        "Action plan",
        "Management response",
        "Sign-off and version control",
        "Appendix: how the numbers are worked out",
    ]
    assert "Riverside Community Trust" in paragraphs_with_style(demo["document"], "Subtitle")
    assert paragraphs_with_style(demo["document"], "Cover Status") == ["DRAFT"]


def test_every_theme_has_its_own_numbered_section(demo):
    themes = demo["inputs"].question_set.themes
    headings = paragraphs_with_style(demo["document"], "Heading 2")
    for number, theme in enumerate(themes, 1):
        assert f"{number}. {theme.title}" in headings


def test_the_contents_page_lists_the_sections_linked_to_their_headings(demo):
    entries = paragraphs_with_style(demo["document"], "toc 1")
    assert entries[:3] == ["Summary for the board", "Executive summary", "How the audit was done"]
    anchors = {h.get(qn("w:anchor")) for h in demo["document"].element.body.iter(qn("w:hyperlink"))}
    marks = {b.get(qn("w:name")) for b in demo["document"].element.body.iter(qn("w:bookmarkStart"))}
    assert anchors and anchors <= marks


def _expected(cell, settings) -> tuple[str, str]:
    """(text, fill) a thread-table cell must show, worked out from the analysis model."""
    if cell is None:
        return "Not asked", "FFFFFF"
    if cell.suppressed:
        return "Suppressed", SUPPRESSED_FILL
    number = str(math.floor(cell.score))  # the whole points reached: 69.6 is "69 Amber"
    return f"{number} {cell.rag.capitalize()}", RAG_FILLS[cell.rag]


def _fill(cell) -> str:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return "FFFFFF" if shd is None else shd.get(qn("w:fill"))


def test_the_thread_table_shows_score_and_rating_in_words_with_the_rag_shading(demo):
    analysis = demo["inputs"].analysis
    table = table_with_header(demo["document"], THREAD_HEADER)
    rows = {r.cells[0].text: r for r in table.rows[1:]}
    assert len(rows) == len(demo["inputs"].question_set.themes)
    for theme in analysis.themes:
        row = rows[theme.title]
        text, fill = _expected(theme, analysis.settings)
        assert (row.cells[1].text, _fill(row.cells[1])) == (text, fill), theme.theme
        by_tier = {c.tier: c for c in theme.by_tier}
        for i, tier in enumerate(TIERS, start=2):
            text, fill = _expected(by_tier.get(tier), analysis.settings)
            assert (row.cells[i].text, _fill(row.cells[i])) == (text, fill), (theme.theme, tier)
            assert re.fullmatch(
                r"\d{1,3} (Red|Amber|Green)|Suppressed|Not asked", row.cells[i].text
            )


def test_findings_of_every_kind_appear_with_their_label_and_summary(demo):
    analysis, text = demo["inputs"].analysis, demo["text"]
    kinds = {f.kind for f in analysis.findings}
    assert kinds == set(FINDING_KIND_LABELS)  # the demo has every kind
    for finding in analysis.findings:
        review = demo["reviews"].get(finding.key)
        if review is not None and review.status == "dismissed":
            assert finding.summary not in text
            continue
        summary = (
            review.summary if review is not None and review.status == "edited" else finding.summary
        )
        assert as_printed(summary) in text, finding.key  # negative numbers: true minus
        assert FINDING_KIND_LABELS[finding.kind] in text


def test_the_auditors_own_finding_is_in_its_theme(demo):
    added = [r for r in demo["reviews"].values() if r.status == "added"]
    assert added
    for review in added:
        assert review.summary in demo["text"]
    assert "Medium \u00b7 Auditors' finding: " in demo["text"]


def test_quotes_are_only_quotable_notes_and_no_respondent_code_appears(demo):
    responses = demo["responses"]
    quotable = set(responses.loc[responses["quotable"], "note"].str.strip())
    # each quote may end with the tier it came from: "...” (front-line staff)"
    quotes = [
        re.sub(r"\u201d \([^()]+\)$", "\u201d", q).strip("\u201c\u201d")
        for q in paragraphs_with_style(demo["document"], "Quote")
    ]
    assert quotes, "the demo report should carry quotes"
    assert set(quotes) <= quotable
    codes = set(responses["interview_id"].astype(str))
    assert not [c for c in codes if c in demo["text"]]


def test_the_change_section_shows_direction_and_size_per_theme_and_tier(demo):
    document, text = demo["document"], demo["text"]
    comparison = demo["inputs"].comparison
    overall = table_with_header(document, ["Theme", "Last audit", "This audit", "Change"])
    shown = {r.cells[0].text: r.cells[3].text for r in overall.rows[1:]}
    for change in comparison.theme_changes:
        if change.tier is None and change.service_area is None:
            cell = shown[change.title]
            if change.direction == "not_comparable":
                assert cell == "Not comparable"
            else:
                word = {"improved": "Better", "worsened": "Worse", "unchanged": "Steady"}
                assert cell.endswith(word[change.direction])
                assert str(abs(round(change.change))) in cell
    tiers = table_with_header(document, ["Theme", "People using services", "Front line"])
    assert len(tiers.rows) == 1 + len(demo["inputs"].question_set.themes)
    for heading in ("Findings no longer found", "Findings found again", "New findings"):
        assert heading in paragraphs_with_style(document, "Heading 2")
    resolved = table_with_header(document, ["Finding last time", "Then", "Now", "Status"])
    assert len(resolved.rows) == 1 + len(comparison.findings_resolved)
    assert all(r.cells[3].text.startswith("No longer found") for r in resolved.rows[1:])
    assert "Since the last audit (" in text


def test_the_action_plan_lists_every_recommendation_with_blanks_for_the_board(demo):
    table = table_with_header(
        demo["document"], ["No.", "Recommendation", "Theme", "Priority", "Owner", "Due by"]
    )
    rows = table.rows[1:]
    # Achieved actions of the last audit leave the plan (the progress table shows them).
    assert len(rows) == len(demo["recs"])
    by_text = {r.cells[1].text.split(" (carried over")[0]: r for r in rows}
    for text, owner, due in demo["recs"]:
        row = by_text[text]
        assert row.cells[4].text == (owner or "")
        assert (row.cells[5].text == "") == (due is None)
    assert [r.cells[0].text for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    # Most urgent first: the High actions, the one answering the gravest finding (the
    # complaints weakness the board summary puts first) leading; the training action the
    # auditors carried at Medium once its finding fell to Low comes after every High one.
    assert rows[0].cells[1].text.startswith("Rewrite the complaints procedure")
    priorities = [r.cells[3].text for r in rows]
    assert priorities == sorted(priorities, key=["High", "Medium", "Low"].index)
    training = next(r for r in rows if r.cells[1].text.startswith("Bring Group E"))
    assert training.cells[3].text == "Medium"


def test_every_picture_has_alt_text_and_the_evidence_section_has_the_training_table(demo):
    pictures = list(demo["document"].element.body.iter(qn("wp:docPr")))
    assert pictures
    for pic in pictures:
        assert len(pic.get("descr") or "") > 40
    # An abbreviation keeps its capitals mid-sentence: a screen reader says "D S L", not
    # "dsl" (the demo's Safer recruitment is highest among the DSL team).
    texts = " ".join(pic.get("descr") or "" for pic in pictures)
    assert "(DSL team)" in texts
    assert "dsl team" not in texts
    table = table_with_header(demo["document"], ["Role group", "People", "Meeting the requirement"])
    assert len(table.rows) > 2


def test_a_hidden_training_figure_says_suppressed_as_every_other_table_does(demo):
    table = table_with_header(demo["document"], ["Role group", "People", "Meeting the requirement"])
    shown = [r.cells[2].text for r in table.rows[1:]]
    # The demo's register hides two groups' figures (complementary suppression); the
    # report names them as its method section promises, and says under the table why.
    assert shown.count("Suppressed") == 2, shown
    assert all(re.fullmatch(r"\d+%|Suppressed", s) for s in shown), shown
    assert "\u201cSuppressed\u201d marks a figure not shown" in all_text(demo["document"])
    # The glossary defines the word for both reasons a figure is hidden, and says what a
    # focus group counts for (its people are heard; its answers are one voice).
    glossary = table_with_header(demo["document"], ["Term", "Meaning"])
    meaning = {r.cells[0].text: r.cells[1].text for r in glossary.rows[1:]}
    assert "cannot be worked out" in meaning["Suppressed"]
    assert "one voice" in meaning["Focus group"]


def test_the_report_without_comparison_or_registers_leaves_those_sections_out(tmp_path, db_url):
    from test_report_fixtures import AREAS, store_audit

    from sgaudit.report import generate_report

    with session_scope(db_url) as session:
        org = repo.create_organisation(session, "Plain Org", AREAS)
        audit = store_audit(session, org, "First audit", per_tier_area=1)
        path = generate_report(session, audit.id, tmp_path / "plain.docx")
    document = Document(str(path))
    headings = paragraphs_with_style(document, "Heading 1")
    assert "Change since the last audit" not in headings
    assert "What the records show" not in headings
    assert "Action plan" in headings
    assert "No recommendations have been recorded for this audit yet." in all_text(document)


def test_the_analysis_the_report_uses_is_the_analysis_with_register_evidence(demo):
    """The report analyses exactly the stored answers, with the evidence gaps added."""
    from sgaudit.report import evidence
    from sgaudit.store.frames import load_audit_data

    with session_scope(demo["url"]) as session:
        audit = repo.get_audit(session, demo["reaudit"])
        data = load_audit_data(session, audit.id)
        gaps = evidence.for_audit(session, audit, data).findings
    assert gaps
    assert demo["inputs"].analysis == analyse(data, gaps)


def test_the_report_says_which_tiers_were_heard_in_fewer_voices_than_the_guide(demo):
    # The demo's baseline heard people who use services in one focus group per service
    # area: one voice each, where the fieldwork guide asks 5; every other tier is heard
    # enough. The re-audit also heard four of them on their own in each area: no note.
    from sgaudit.report import generate_report

    assert "were heard in fewer voices than the analysis needs" not in demo["text"]
    with session_scope(demo["url"]) as session:
        docx = generate_report(session, demo["baseline"], demo["folder"] / "baseline.docx")
    text = all_text(Document(str(docx)))
    assert (
        "People who use services were heard in fewer voices than the analysis needs to find "
        "a 30-point difference in their view 19 times in 20 (5 voices in each service area"
    ) in text
    assert "1 in each of Supported Housing, Youth Services" in text
    assert text.count("were heard in fewer voices than the analysis needs") == 1


def test_every_thread_break_in_the_executive_summary_says_how_sure_it_is(demo):
    # The baseline has thread breaks on three themes, one of them a single tier against
    # the front line (the DSL team): each bullet is the finding with its interval and the
    # people on both sides, never a bare "see X very differently: 40 and 73".
    from sgaudit.report import build_report_context

    with session_scope(demo["url"]) as session:
        context = build_report_context(session, demo["baseline"])
    thread = context.summary.thread
    assert len(thread) >= 4, thread
    for bullet in thread:
        assert re.search(r"interval -?\u2212?\d+ to -?\u2212?\d+; \d+ and \d+ people", bullet), bullet
    assert not any("very differently" in b for b in thread)
