"""The auditors have the last word: dismissed findings are left out everywhere, edited
ones appear in the auditors' words, their own findings are included; recommendations
and the action plan come from the store, in order, with blanks for the board."""

from __future__ import annotations

import pytest
from test_report_fixtures import demo_pair

from sgaudit.analysis.result import analyse
from sgaudit.report import build_report_context
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.frames import load_audit_data

EDITED = "Trustees and front-line staff disagree sharply about governance; we saw why."


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('reviews') / 'store.db'}"
    get_engine(url)
    with session_scope(url) as session:
        baseline, reaudit = demo_pair(session)
        findings = analyse(load_audit_data(session, reaudit.id)).findings
        by_kind = {}
        for f in findings:
            by_kind.setdefault(f.kind, f)
        dismissed, edited = by_kind["systemic"], by_kind["thread_break"]
        repo.review_finding(session, reaudit, dismissed.key, kind=dismissed.kind,
                            theme=dismissed.theme, status="dismissed")
        repo.review_finding(session, reaudit, edited.key, kind=edited.kind, theme=edited.theme,
                            status="edited", summary=EDITED, severity="high")
        repo.add_own_finding(session, reaudit, theme="dsl", severity="low",
                             summary="The DSL's deputy has no protected time.")
        context = build_report_context(session, reaudit.id, baseline.id)
    return {"context": context, "dismissed": dismissed, "edited": edited}


def _all_findings(context):
    items = [f for t in context.themes for f in t.findings]
    items += context.localised_systemic.systemic
    items += [f for g in context.localised_systemic.localised for f in g.findings]
    if context.change is not None:
        items += context.change.new + context.change.persisting
    return items


def test_a_dismissed_finding_is_left_out_everywhere(reviewed):
    context, dismissed = reviewed["context"], reviewed["dismissed"]
    assert dismissed.key not in {f.key for f in _all_findings(context)}
    assert dismissed.summary not in context.summary.systemic
    assert dismissed.summary not in context.model_dump_json()


def test_an_edited_finding_reads_in_the_auditors_words_wherever_it_appears(reviewed):
    context, edited = reviewed["context"], reviewed["edited"]
    shown = [f for f in _all_findings(context) if f.key == edited.key]
    assert shown and all(f.summary == EDITED and f.severity == "high" for f in shown)
    assert EDITED in context.summary.thread


def test_the_auditors_own_finding_is_in_its_theme(reviewed):
    dsl = next(t for t in reviewed["context"].themes if t.id == "dsl")
    own = [f for f in dsl.findings if f.source == "auditor"]
    assert [f.summary for f in own] == ["The DSL's deputy has no protected time."]
    assert own[0].kind_label == "Auditors' finding"


def test_the_action_plan_is_in_priority_order_with_blanks_for_the_board(reviewed):
    actions = reviewed["context"].actions
    assert [a.priority for a in actions] == sorted(
        (a.priority for a in actions), key=["high", "medium", "low"].index)
    assert [a.number for a in actions] == list(range(1, len(actions) + 1))
    carried = [a for a in actions if a.carried_over]
    assert [a.text for a in carried] == ["Give every role group training matched to its role."]
    trustees = next(a for a in actions if a.text.startswith("Trustees visit"))
    assert (trustees.owner, trustees.due) == ("Chair of trustees", "30 Sep 2026")
    risk = next(a for a in actions if a.text.startswith("Add safeguarding"))
    assert (risk.owner, risk.due) == ("", "")
    culture = next(t for t in reviewed["context"].themes if t.id == "culture")
    assert [r.number for r in culture.recommendations] == [trustees.number]


def test_within_a_priority_the_action_answering_the_gravest_finding_comes_first():
    from types import SimpleNamespace

    from sgaudit.report.assemble import action_plan
    from sgaudit.report.inputs import RecommendationFacts

    titles = {"training": "Training", "culture": "Culture", "complaints": "Complaints"}
    recs = [
        RecommendationFacts(1, "training", "Train.", "high", finding_key="gap"),
        RecommendationFacts(2, "culture", "Listen.", "high", finding_key="thread"),
        RecommendationFacts(3, "complaints", "Reply.", "high", finding_key="weak"),
        RecommendationFacts(4, "training", "Log CPD.", "high"),
        RecommendationFacts(5, "training", "Refresh.", "medium", finding_key="weak"),
    ]
    found = [
        SimpleNamespace(key="gap", severity="high", kind="evidence_gap"),
        SimpleNamespace(key="thread", severity="medium", kind="thread_break"),
        SimpleNamespace(key="weak", severity="high", kind="systemic"),
    ]
    plan = action_plan(recs, titles, found)
    # Severity of the finding answered, then its kind as the board summary ranks them
    # (systemic before an evidence gap), one answering no finding last; priority first.
    assert [a.text for a in plan] == ["Reply.", "Train.", "Listen.", "Log CPD.", "Refresh."]
    # Without findings: priority, then theme order.
    assert [a.text for a in action_plan(recs, titles)] == [
        "Train.", "Log CPD.", "Listen.", "Reply.", "Refresh."
    ]
