"""The audit trail in words (the app's Audit history): each event is a line a lead
auditor reads, never raw data ("values: {'first': 'agree', ...}", "response 63:CAS-04"),
never a note's text; what the trail records, and its CSV export, stay as they were."""

from __future__ import annotations

import csv
import re
from datetime import datetime

import pytest
from app_support import app, open_page

from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import AuditEvent, Interview
from sgaudit.store.trail import events, export_events
from sgaudit.store.trail_words import TrailNames, event_words, trail_names, who_words

NAMES = TrailNames(interviews={63: "FL-7K3QX", 64: "MG-2PQ4R"}, themes={"culture": "Culture"})
SECRET = "Told me about the night shift at the Elms"
RAW = re.compile(r"[{}\[\]]|'\w+':|\bvalues:|\bchanges:|response \d+:|\w+_\w+")


def _event(entity: str, entity_id: str, detail: dict, action: str = "change") -> AuditEvent:
    return AuditEvent(
        at=datetime(2026, 3, 2, 10, 0),
        actor="sam",
        action=action,
        entity=entity,
        entity_id=entity_id,
        address="127.0.0.1",
        detail=detail,
    )


@pytest.mark.parametrize(
    "entity,entity_id,detail,words",
    [
        (
            "response",
            "63:CAS-04",
            {"what": "answer", "changes": {"answer": {"old": "agree", "new": "disagree"}},
             "note": "changed", "as": "Sam Lee"},
            "Answer to CAS-04 of interview FL-7K3QX: agree \u2192 disagree; note changed",
        ),
        (
            "response",
            "63:CAS-04",
            {"what": "answer", "changes": {"answer": {"old": "", "new": "dont_know"},
                                           "quotable": {"old": False, "new": True}}},
            "Answer to CAS-04 of interview FL-7K3QX: none \u2192 don't know; "
            "quotable no \u2192 yes",
        ),
        (
            "response",
            "63:CAS-04",
            {"what": "moderate", "values": {"first": "agree", "second": "disagree",
                                            "agreed": "neutral", "reason": "Both heard it."}},
            "Moderated CAS-04 of interview FL-7K3QX: first scorer agree, second scorer "
            "disagree, agreed neutral; reason: \u201cBoth heard it.\u201d",
        ),
        (
            "response",
            "64:REC-01",
            {"what": "second_score", "values": {"answer": "given"}},
            "Second score given for REC-01 of interview MG-2PQ4R",
        ),
        (
            "response",
            "99:REC-01",
            {"what": "clear"},
            "Cleared the answer to REC-01 of an interview since erased",
        ),
        (
            "finding",
            "thread_break:culture::front_line+board",
            {"what": "edited", "values": {"summary": "Trustees see culture far more kindly.",
                                          "severity": "high", "revision": 2}},
            "Reworded the finding \u201cGolden thread break\u201d on Culture; front-line staff "
            "and volunteers, trustees / board (High): \u201cTrustees see culture far more "
            "kindly.\u201d",
        ),
        (
            "interview",
            "63",
            {"what": "create", "values": {"code": "FL-7K3QX", "tier": "front_line",
                                          "mode": "focus_group"}},
            "Added interview FL-7K3QX (front-line staff and volunteers, focus group)",
        ),
        (
            "interview",
            "64",
            {"what": "create", "values": {"code": "DSL-2P9RT", "tier": "dsl",
                                          "mode": "document_review"}},
            "Added interview DSL-2P9RT (DSL and safeguarding team, document review)",
        ),
        (
            "fieldwork_plan",
            "front_line/Housing",
            {"what": "plan", "values": {"tier": "front_line", "service_area": "Housing",
                                        "people": 5},
             "changes": {"people": {"old": 7, "new": 5}}},
            "Fieldwork plan: front-line staff and volunteers in Housing 7 \u2192 5",
        ),
        (
            "audit",
            "2",
            {"what": "status", "changes": {"status": {"old": "draft", "new": "in_review"}}},
            "Audit status: Draft \u2192 In review",
        ),
        (
            "response",
            "63:CAS-04",
            {"erased": True},
            "The answer to CAS-04 of interview FL-7K3QX: its values were removed when the "
            "record was erased",
        ),
    ],
)  # fmt: skip
def test_each_kind_of_event_reads_as_a_line(entity, entity_id, detail, words):
    assert event_words(_event(entity, entity_id, detail), NAMES) == words


def test_who_names_the_account_and_the_name_they_worked_as():
    assert who_words(_event("audit", "2", {"what": "x", "as": "Sam Lee"})) == "sam (as Sam Lee)"
    assert who_words(_event("audit", "2", {"what": "x", "as": "sam"})) == "sam"
    assert who_words(_event("audit", "2", {}, action="view_dashboard")) == "sam"


def test_an_event_no_rule_knows_still_reads_without_raw_data():
    line = event_words(
        _event("something_new", "7", {"what": "re_do", "values": {"step_count": 3, "ok": True}})
    )
    assert line == "Re do: something new 7: step count 3; ok yes"


def _flow(url: str) -> int:
    """The demo, plus an answer changed with a note (the note must never show)."""
    with session_scope(url) as s:
        audit = repo.get_audit(s, max(a.id for a in repo.list_audits(s)))
        interview = s.query(Interview).filter_by(audit_id=audit.id, code="FL-SH02").one()
        repo.save_answer(s, interview, "CAS-04", "disagree", note=SECRET, actor="Demo Auditor One")
        return audit.id


def test_the_audit_history_page_reads_as_words(demo_db, tmp_path):
    audit_id = _flow(demo_db)
    at = open_page(app(audit=audit_id), "history")
    (table,) = [d.value for d in at.dataframe]
    assert list(table.columns) == ["when (UTC)", "who", "action", "what happened", "from"]
    lines = list(table["what happened"])
    assert "Answer to CAS-04 of interview FL-SH02: neutral \u2192 disagree; note changed" in lines
    assert any(
        line.startswith("Moderated CAS-02 of interview FL-SH02: first scorer") for line in lines
    )
    for column in ("who", "action", "what happened"):
        for cell in table[column]:
            assert SECRET not in cell, cell
            assert not RAW.search(cell), (column, cell)
    # what the trail records is unchanged: the CSV export keeps the raw fields
    out = tmp_path / "trail.csv"
    with session_scope(demo_db) as s:
        export_events(s, out)
        recorded = [e for e in events(s, audit=repo.get_audit(s, audit_id))]
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    changed = [r for r in rows if r["entity"] == "response" and r["entity_id"].endswith(":CAS-04")]
    assert changed and '"changes"' in changed[-1]["detail"] and SECRET not in out.read_text()
    assert len(lines) == len(recorded)


def test_every_event_of_the_demo_reads_without_raw_data(demo_db):
    with session_scope(demo_db) as s:
        for audit in repo.list_audits(s):
            names = trail_names(s, audit)
            for e in events(s, audit=audit):
                line = event_words(e, names)
                assert line and not RAW.search(line), (e.entity, e.detail, line)
