"""The parts of a professional report: scope and limitations, the documents and records
reviewed, a management response for the organisation to complete, and the sign-off with
version control. Checked on the demo re-audit report and on small hand-made cases."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from docx import Document
from test_report_fixtures import all_text, demo_report

from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report import build_report_context
from sgaudit.report.context import FieldworkRow, Method
from sgaudit.report.inputs import AuditFacts
from sgaudit.report.professional import scope_and_limits
from sgaudit.report.words import tier_label
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import register_row_counts
from sgaudit.store.repo import get_audit
from sgaudit.vocab import TIERS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as session:
        context = build_report_context(session, built["reaudit"], compare_to=built["baseline"])
        stored = register_row_counts(session, get_audit(session, built["reaudit"]))
    doc = Document(built["docx"])
    return {"context": context, "doc": doc, "text": all_text(doc), "stored": stored}


def table_after_header(doc, first_header: str):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == first_header)


def test_the_scope_names_every_service_area_and_the_limitations_follow(demo):
    context, text = demo["context"], demo["text"]
    assert "Scope and limitations" in text
    for area in context.method.by_area:
        assert area.label in context.scope_limits.scope[0]
    assert any("time of the fieldwork" in line for line in context.scope_limits.limitations)
    for line in context.scope_limits.scope + context.scope_limits.limitations:
        assert line in text


def test_the_documents_and_records_reviewed_are_the_audits_own(demo):
    context = demo["context"]
    rows = {r.source: r for r in context.records_reviewed}
    reviews = next(r for s, r in rows.items() if s.startswith("Document reviews"))
    assert reviews.extent.endswith("reviews") or reviews.extent.endswith("review")
    assert context.method.total.document_reviews == 2 and reviews.extent == "two reviews"
    from sgaudit.registers.schema import REGISTER_LABELS

    assert demo["stored"]  # the demo imports registers
    for kind, count in demo["stored"].items():
        assert rows[REGISTER_LABELS[kind]].extent.startswith(f"{count} record")
    table = table_after_header(demo["doc"], "What we read")
    assert len(table.rows) == 1 + len(context.records_reviewed)


def test_the_management_response_has_a_blank_row_for_every_recommendation(demo):
    context, doc = demo["context"], demo["doc"]
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][2:3] == ["Accepted?"])
    body = table.rows[1:]
    assert [r.cells[0].text for r in body] == [str(a.number) for a in context.actions]
    assert all(c.text == "" for r in body for c in r.cells[2:])


def test_the_sign_off_names_both_auditors_and_the_version(demo):
    context, doc, text = demo["context"], demo["doc"], demo["text"]
    table = table_after_header(doc, "Signed by")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == [
        "Lead auditor",
        "Second auditor (review)",
        "For the organisation (chair of the board or trustees)",
    ]
    assert rows[0][1] and rows[1][1] and rows[2][1] == ""
    assert all(r[2] == "" and r[3] == "" for r in rows)  # signed and dated by hand
    assert f"This is version {context.version} of the report (DRAFT)" in text
    assert "No version of this report has been issued as final yet." in text


def method_with(people_by_tier: dict[str, int]) -> Method:
    rows = [
        FieldworkRow(
            label=tier_label(t),
            interviews=1 if people_by_tier.get(t) else 0,
            focus_groups=0,
            surveys=0,
            document_reviews=0,
            people=people_by_tier.get(t, 0),
        )
        for t in TIERS
    ]
    total = FieldworkRow(
        label="Total",
        interviews=len(rows),
        focus_groups=0,
        surveys=0,
        document_reviews=0,
        people=sum(people_by_tier.values()),
    )
    return Method(
        sessions=len(rows),
        people=total.people,
        by_tier=rows,
        by_area=[],
        total=total,
        question_set="Core, version 1",
        question_count=10,
        theme_count=2,
        suppression_min=3,
    )


def test_a_tier_not_heard_and_a_tier_too_small_to_show_are_named_as_limits():
    inputs = SimpleNamespace(
        audit=AuditFacts(
            organisation="Org", title="Audit", scope="adults", service_areas=("North", "South")
        ),
        analysis=SimpleNamespace(settings=AnalysisSettings(suppression_min=3)),
    )
    method = method_with({"front_line": 9, "manager": 4, "dsl": 3, "senior_leader": 3, "board": 2})
    limits = scope_and_limits(inputs, method, [], None, None)
    assert "adults at risk" in limits.scope[0] and "North and South" in limits.scope[0]
    text = " ".join(limits.limitations)
    assert "We did not hear from people who use services" in text
    assert "Fewer than 3 trustees took part" in text
    assert "No registers were given to us" in text


def test_the_appendix_describes_the_current_golden_thread_rule(demo):
    text = demo["text"]
    assert (
        "The people who use services are also set against the front-line staff who support "
        "them, and against the organisation's leadership" in " ".join(text.split())
    )
    assert "clear of chance" in text and "not assessable" in text


def test_a_tier_of_one_person_and_two_document_reviews_is_named_as_too_small_to_show():
    # the analysis hides it (a document review hears nobody); the limits must say why
    inputs = SimpleNamespace(
        audit=AuditFacts(organisation="Org", title="Audit", scope="adults", service_areas=("N",)),
        analysis=SimpleNamespace(settings=AnalysisSettings(suppression_min=3)),
    )
    method = method_with({t: 5 for t in TIERS if t != "dsl"} | {"dsl": 1})
    dsl = next(r for r in method.by_tier if r.label == tier_label("dsl"))
    method.by_tier[method.by_tier.index(dsl)] = dsl.model_copy(update={"document_reviews": 2})
    text = " ".join(scope_and_limits(inputs, method, [], None, None).limitations)
    assert "Fewer than 3 members of the safeguarding team took part" in text
