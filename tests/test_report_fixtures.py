"""Audits for the report tests, built through the store's repository functions.

`store_audit` writes a synthetic audit (answers drawn by sgaudit.analysis.synthetic
with planted patterns) into the store the way the app does: organisation, audit,
interviews, answers, then the auditors' reviews and recommendations. Imported by the
other tests/test_report_*.py modules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sgaudit.analysis import synthetic as syn
from sgaudit.questionnaire import QuestionSet, load_question_set
from sgaudit.store import repo
from sgaudit.store.models import Audit
from sgaudit.vocab import TIERS

AREAS = ("North", "South", "East")
BASELINE_PLANTS = (
    *syn.systemic("training", 40),
    *syn.thread_break("culture", "board", 92, 42),
    *syn.localised("casework", ["East"], 30),
)
REAUDIT_PLANTS = (
    *syn.systemic("culture", 44),
    *syn.thread_break("governance", "board", 92, 45),
    *syn.localised("complaints", ["East"], 30),
    *syn.knowledge_gap("quality_assurance", ["board", "senior_leader"], 0.5),
    *syn.paper_practice("policies", 90, 40),
)


def store_audit(
    session,
    org,
    title: str,
    *,
    plants: Sequence[syn.Plant] = (),
    per_tier_area: int | Mapping[str, int] = 2,
    question_set: QuestionSet | None = None,
    previous: Audit | None = None,
    seed: int = 0,
    start: date = date(2026, 3, 2),
    end: date = date(2026, 3, 13),
    note_share: float = 0.08,
    group_share: float = 0.2,
) -> Audit:
    """An audit of `org` with answers for every interview, written through the repo."""
    qs = question_set or load_question_set()
    audit = repo.create_audit(
        session,
        org,
        title,
        qs,
        start_date=start,
        end_date=end,
        auditor_1="Asha Khan",
        auditor_2="Ben Jones",
        scope="both",
        previous_audit=previous,
    )
    interviews = syn.synthetic_interviews(
        list(org.area_names), per_tier_area, group_share=group_share, seed=seed
    )
    responses = syn.synthetic_responses(
        qs, interviews, plants=plants, seed=seed + 1, note_share=note_share
    )
    by_code = {}
    for row in interviews.itertuples(index=False):
        by_code[row.interview_id] = repo.start_interview(
            session,
            audit,
            tier=str(row.tier),
            service_area=str(row.service_area),
            mode=str(row.mode),
            people=int(row.people),
            code=str(row.interview_id),
        )
    for row in responses.itertuples(index=False):
        repo.save_answer(
            session,
            by_code[row.interview_id],
            str(row.question_id),
            str(row.answer),
            note=str(row.note),
            quotable=bool(row.quotable),
            commit=False,
        )
    session.commit()
    return audit


def demo_pair(session):
    """(baseline, re-audit) of one organisation, with reviews and recommendations.

    Stands in for sgaudit.demo until the demo organisation lands.
    """
    org = repo.create_organisation(session, "Riverside Community Trust", AREAS)
    baseline = store_audit(
        session,
        org,
        "Safeguarding audit 2025",
        plants=BASELINE_PLANTS,
        seed=11,
        start=date(2025, 3, 3),
        end=date(2025, 3, 14),
    )
    repo.save_recommendation(
        session,
        baseline,
        theme="training",
        text="Give every role group training matched to its role.",
        priority="high",
    )
    baseline.status = "final"  # as issued; the workflow itself is tested in test_workflow.py
    reaudit = store_audit(
        session,
        org,
        "Safeguarding re-audit 2026",
        plants=REAUDIT_PLANTS,
        seed=23,
        previous=baseline,
    )
    repo.save_recommendation(
        session,
        reaudit,
        theme="culture",
        text="Trustees visit services twice a year and hear from front-line staff directly.",
        priority="high",
        owner="Chair of trustees",
        due_date=date(2026, 9, 30),
    )
    repo.save_recommendation(
        session,
        reaudit,
        theme="governance",
        text="Add safeguarding to the corporate risk register.",
        priority="medium",
    )
    session.commit()
    return baseline, reaudit


def test_the_store_audit_has_every_tier_and_area(db_url):
    from sgaudit.store.db import session_scope

    with session_scope(db_url) as session:
        org = repo.create_organisation(session, "Tiny", AREAS)
        audit = store_audit(session, org, "Tiny audit", per_tier_area=1)
        tiers = {iv.tier for iv in repo.list_interviews(session, audit)}
        areas = {iv.service_area for iv in repo.list_interviews(session, audit)}
    assert tiers == set(TIERS) and areas == set(AREAS)


# ---- the demo report, built once per test session ------------------------------------
_DEMO_CACHE: dict = {}


def demo_report(tmp_path_factory) -> dict:
    """The demo (sgaudit.demo) and its re-audit report compared with the baseline.

    Built once per session and shared: keys url, baseline, reaudit, docx (Path).
    """
    if not _DEMO_CACHE:
        from sgaudit.demo import build_demo
        from sgaudit.report import generate_report
        from sgaudit.store.db import get_engine, session_scope

        folder = tmp_path_factory.mktemp("report_demo")
        url = f"sqlite:///{folder / 'demo.db'}"
        get_engine(url)
        with session_scope(url) as session:
            result = build_demo(session)
        with session_scope(url) as session:
            docx = generate_report(
                session,
                result.reaudit_audit_id,
                folder / "report.docx",
                compare_to=result.baseline_audit_id,
            )
        _DEMO_CACHE.update(
            url=url,
            baseline=result.baseline_audit_id,
            reaudit=result.reaudit_audit_id,
            docx=docx,
            folder=folder,
        )
    return _DEMO_CACHE


def demo_pdf(tmp_path_factory):
    """The demo re-audit report as a PDF (LibreOffice), converted once per session."""
    if "pdf" not in _DEMO_CACHE:
        from sgaudit.report import convert_to_pdf

        _DEMO_CACHE["pdf"] = convert_to_pdf(demo_report(tmp_path_factory)["docx"])
    return _DEMO_CACHE["pdf"]


def all_text(document) -> str:
    """Every piece of text a reader meets: paragraphs and table cells (nested too),
    headers and footers, picture alt text, table titles and document properties."""
    from docx.oxml.ns import qn

    parts = []
    roots = [document.element]
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
        ):
            roots.append(part._element)
    for root in roots:
        for p in root.iter(qn("w:p")):
            parts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
        for el in root.iter(qn("wp:docPr")):
            parts += [el.get("descr") or "", el.get("title") or ""]
        for el in root.iter(qn("w:tblCaption")):
            parts.append(el.get(qn("w:val")) or "")
    props = document.core_properties
    parts += [props.title or "", props.subject or "", props.author or "", props.comments or ""]
    return "\n".join(parts)


def paragraphs_with_style(document, style_name: str) -> list[str]:
    return [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == style_name
    ]


def table_with_header(document, first_cells: list[str]):
    """The first table whose header row starts with `first_cells`."""
    for table in document.tables:
        head = [c.text.strip() for c in table.rows[0].cells]
        if head[: len(first_cells)] == first_cells:
            return table
    raise AssertionError(f"no table with header {first_cells}")
