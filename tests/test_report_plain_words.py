"""The demo board report read as a trustee reads it: questions that are questions, no
"it" to resolve, counts in the right number, and a summary whose "most serious issues"
are the most serious (docs/report.md, "The summary for the board")."""

from __future__ import annotations

import random
import re

import pytest
from docx import Document
from test_report_fixtures import all_text, demo_report

from sgaudit.report import board_summary
from sgaudit.report.board_summary import _question, _thread_grounds
from sgaudit.report.build import build_report_context
from sgaudit.report.context_findings import FindingItem
from sgaudit.report.findings_view import AUDITOR_KIND
from sgaudit.store.db import session_scope
from sgaudit.vocab import FINDING_KIND_LABELS

SUMMARY = "SENTENCE OF THE FINDING: the organisation rates it 36 points higher."


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    document = Document(str(built["docx"]))
    with session_scope(built["url"]) as s:
        context = build_report_context(s, built["reaudit"], built["baseline"])
    return {**built, "document": document, "text": all_text(document), "context": context}


def _item(kind: str, theme_id: str = "complaints", severity: str = "high", **kw) -> FindingItem:
    title = theme_id.replace("_", " ").capitalize()
    fields = dict(
        key=f"{kind}:{theme_id}::", kind=kind, kind_label=kind, theme_id=theme_id, theme=title,
        severity=severity, severity_label=severity.capitalize(), summary=SUMMARY, evidence=[],
        areas="", tiers="", quotes=[], source="analysis",
    )  # fmt: skip
    return FindingItem.model_construct(**{**fields, **kw})


def _board_questions(document) -> list[str]:
    out, inside = [], False
    for p in document.paragraphs:
        if p.text.strip() == "What the board must decide or ask":
            inside = True
        elif inside and (p.text.startswith("Since the last audit") or p.style.name == "Heading 1"):
            break
        elif inside and p.text.strip():
            out.append(p.text.strip())
    return out


@pytest.mark.parametrize("kind", [*FINDING_KIND_LABELS, AUDITOR_KIND, "a_kind_added_later"])
def test_every_kind_of_finding_gets_a_whole_question_not_its_sentence(kind):
    item = _item(kind, areas="Domiciliary Care" if kind == "localised" else "")
    question = _question(item, _thread_grounds([item]))
    assert question.endswith("?") and question.count("?") == 1, question
    assert SUMMARY not in question and "being done about this" not in question, question
    assert "complaints" in question, question  # it names the theme it is about


def test_a_finding_without_a_theme_is_asked_about_in_words():
    item = _item("localised", theme_id="", theme="", areas="Domiciliary Care")
    question = _question(item)
    assert "need on ," not in question and "safeguarding across the themes" in question


def test_the_demo_board_questions_are_plain_questions(demo):
    questions = _board_questions(demo["document"])
    assert 5 <= len(questions) <= 8, questions
    for q in questions:
        assert q.endswith("?") and q.count("?") == 1, q
        assert ": The organisation" not in q and "being done about this" not in q, q
    # the self-assessment findings (complaints, governance) are asked about in one question
    own = [q for q in questions if "self-assessment" in q]
    assert own == [
        "On complaints and whistleblowing and on governance, why did the organisation's own "
        "self-assessment come out so much higher than the audit found, and how will the "
        "board test what it is told in future?"
    ]


def test_no_finding_says_points_below_it(demo):
    assert "below it" not in demo["text"]
    assert re.search(r"together they score it 44 \(16 points below 60,", demo["text"])


def test_the_concerns_log_reads_within_1_day_in_the_report(demo):
    assert "Concerns triaged within 1 day:" in demo["text"]
    assert "within 3 days of the concern" in demo["text"]
    assert "(s)" not in demo["text"]


def test_the_most_serious_issues_are_three_high_findings_of_the_demo_on_three_themes(demo):
    board = demo["context"].board
    items = [f for t in demo["context"].themes for f in t.findings]
    high = [f for f in items if f.severity == "high"]
    assert len(high) == 5  # complaints twice, culture twice, quality assurance
    assert [i.text for i in board.issues] == [
        f.summary for f in board_summary.serious_issues(items)
    ]
    listed = [f for f in high if f.summary in {i.text for i in board.issues}]
    assert len(listed) == 3 and len({f.theme_id for f in listed}) == 3
    # the organisation-wide weakness on complaints is listed; the High self-assessment on
    # the same theme waits behind it, as the rule says (three issues, three things)
    on_complaints = [f.kind for f in listed if f.theme_id == "complaints"]
    assert on_complaints == ["systemic"]
    assert any(f.kind == "self_assessment_optimism" for f in high if f not in listed)


def test_a_self_assessment_issue_says_whose_view_it_is():
    own = _item("self_assessment_optimism")
    assert board_summary._where(own) == "the organisation's own self-assessment"


def test_a_second_finding_on_a_theme_comes_after_other_themes_of_its_severity():
    items = [
        _item("systemic", "complaints", "high"),
        _item("self_assessment_optimism", "complaints", "high"),
        _item("systemic", "governance", "medium"),
        _item("knowledge_gap", "quality_assurance", "high"),
    ]
    chosen = board_summary.serious_issues(items)
    assert [(i.kind, i.theme_id) for i in chosen] == [
        ("systemic", "complaints"),
        ("knowledge_gap", "quality_assurance"),
        ("self_assessment_optimism", "complaints"),
    ]
    # with one High, the Mediums of other themes come next, one per theme first
    items = [
        _item("systemic", "complaints", "high"),
        _item("thread_break", "complaints", "medium"),
        _item("systemic", "governance", "medium"),
        _item("localised", "casework", "medium"),
    ]
    chosen = board_summary.serious_issues(items)
    assert [i.theme_id for i in chosen] == ["complaints", "governance", "casework"]


@pytest.mark.parametrize("seed", range(40))
def test_no_finding_left_out_is_more_serious_than_one_listed(seed):
    rng = random.Random(seed)
    kinds = [*FINDING_KIND_LABELS, AUDITOR_KIND]
    themes = ["complaints", "governance", "culture", "casework"]
    items = [
        _item(rng.choice(kinds), rng.choice(themes), rng.choice(["high", "medium", "low"]))
        for _ in range(rng.randint(0, 9))
    ]
    rank = {"high": 0, "medium": 1, "low": 2}
    chosen = board_summary.serious_issues(items)
    assert len(chosen) == min(3, len(items))
    left = [i for i in items if not any(i is c for c in chosen)]
    if chosen and left:
        assert max(rank[c.severity] for c in chosen) <= min(rank[i.severity] for i in left)
