"""Assemble the `ReportContext` from `ReportInputs`: pure, no store, no files.

Section by section: method (fieldwork counts), golden-thread overview, localised vs
systemic, one section per theme (`sgaudit.report.theme_sections`), change since the
last audit, progress, what people said beside the records, the action plan, the
summary for the board, appendix. The executive summary is written last, from the
sections.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sgaudit import __version__
from sgaudit.analysis.findings import Finding, quotable_notes
from sgaudit.analysis.scores import ScoreTables
from sgaudit.fieldwork import Fieldwork, count_fieldwork
from sgaudit.report import charts_data
from sgaudit.report.agreement_view import agreement_sentence, history_entries
from sgaudit.report.board_summary import KIND_WEIGHT, SEVERITY_ORDER, board_summary
from sgaudit.report.cells import (
    area_overview,
    rag_key,
    thread_rows,
    tier_columns,
)
from sgaudit.report.change import change_section
from sgaudit.report.context import (
    AreaFindings,
    FieldworkRow,
    FindingItem,
    Method,
    RecommendationItem,
    ReportContext,
    ScopeSection,
    ThemeSection,
    ThreadOverview,
)
from sgaudit.report.coverage import thread_coverage
from sgaudit.report.findings_view import reviewed_findings
from sgaudit.report.glossary import appendix
from sgaudit.report.inputs import RecommendationFacts, ReportInputs
from sgaudit.report.opinion import propose_level
from sgaudit.report.professional import records_reviewed, scope_and_limits, sign_off_rows
from sgaudit.report.progress import STATUS_LABELS as REVIEW_LABELS
from sgaudit.report.progress import progress_section
from sgaudit.report.readiness import is_open, missing_before_final
from sgaudit.report.records_view import said_and_recorded
from sgaudit.report.self_assessment_view import self_assessment_section
from sgaudit.report.summary import (
    executive_summary,
    no_break_sentences,
    no_knowledge_gap_sentences,
)
from sgaudit.report.theme_sections import theme_sections, with_analysis
from sgaudit.report.unsettled import (
    kept_worth_exploring,
    may_be_weak_words,
    unsettled_section,
    unsettled_weak_themes,
)
from sgaudit.report.words import (
    PRIORITY_LABELS,
    SCOPE_LABELS,
    capitalise,
    clean_text,
    date_range,
    join_words,
    long_date,
    plural,
    short_date,
    tier_label,
)
from sgaudit.vocab import TIERS

_MODE_FIELDS = {
    "interview": "interviews",
    "focus_group": "focus_groups",
    "survey": "surveys",
    "document_review": "document_reviews",
}


# ---- how the audit was done ---------------------------------------------------------
def _fieldwork_row(label: str, fieldwork: Fieldwork) -> FieldworkRow:
    counts = {field: getattr(fieldwork, field) for field in _MODE_FIELDS.values()}
    return FieldworkRow(label=label, people=fieldwork.people, **counts)


def _fieldwork_rows(
    interviews: pd.DataFrame, by: str, labels: Sequence[str], names: Mapping[str, str]
) -> list[FieldworkRow]:
    # one grouping per table, not a filter per row of it; counted as every screen counts
    groups: dict[str, list[tuple[str, str, int, int]]] = {}
    grouped = interviews.groupby([by, "tier", "mode"])["people"].agg(["size", "sum"])
    for (key, tier, mode), row in grouped.iterrows():
        groups.setdefault(key, []).append((tier, mode, int(row["size"]), int(row["sum"])))
    return [
        _fieldwork_row(names.get(key, key), count_fieldwork(groups.get(key, ()))) for key in labels
    ]


def method_section(inputs: ReportInputs) -> Method:
    """Fieldwork counts by tier and by area. Counts of sessions, not scores: shown in full.

    Counted by `sgaudit.fieldwork`, as the app counts them: a document review is a
    session but hears nobody, and the self-assessment is none of them.
    """
    r = inputs.data.responses
    interviews = (
        r[["interview_id", "tier", "service_area", "mode", "people"]]
        .astype({"interview_id": str, "tier": str, "service_area": str, "mode": str})
        .drop_duplicates("interview_id")
    )
    areas = list(inputs.audit.service_areas)
    areas += sorted(set(interviews["service_area"]) - set(areas))
    by_tier = _fieldwork_rows(interviews, "tier", TIERS, {t: tier_label(t) for t in TIERS})
    by_area = _fieldwork_rows(interviews, "service_area", areas, {a: clean_text(a) for a in areas})
    grouped = interviews.groupby(["tier", "mode"])["people"].agg(["size", "sum"])
    fieldwork = count_fieldwork(
        (tier, mode, int(row["size"]), int(row["sum"])) for (tier, mode), row in grouped.iterrows()
    )
    total = _fieldwork_row("Total", fieldwork)
    qs = inputs.question_set
    return Method(
        sessions=fieldwork.sessions,
        people=total.people,
        by_tier=by_tier,
        by_area=by_area,
        total=total,
        question_set=f"{clean_text(qs.title)}, version {qs.version}",
        question_count=len(qs.questions),
        theme_count=len(qs.themes),
        suppression_min=inputs.analysis.settings.suppression_min,
        agreement=agreement_sentence(inputs.agreement),
        moderated=inputs.agreement.moderated if inputs.agreement else 0,
    )


# ---- golden thread, scope -----------------------------------------------------------
def thread_sentences(items: Sequence[FindingItem], kind: str) -> list[str]:
    return [i.summary for i in items if i.kind == kind]


def scope_section(items: Sequence[FindingItem], open_weak: Sequence[str] = ()) -> ScopeSection:
    """`open_weak`: the themes that may be weak across the organisation, left open."""
    systemic = [i for i in items if i.kind == "systemic"]
    localised = [i for i in items if i.kind == "localised"]
    groups: dict[str, list[FindingItem]] = {}
    for item in localised:
        groups.setdefault(item.areas or "Unnamed areas", []).append(item)
    by_area = [
        AreaFindings(area=a, findings=f)
        for a, f in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    if not systemic and not localised:
        summary = (
            "We found no theme we could be sure is weak across the organisation"
            if open_weak
            else "We found no theme that is weak across the organisation"
        ) + ", and no service area that stands out as weaker than the others."
    else:
        summary = (
            f"{capitalise(plural(len(systemic), 'issue'))} "
            f"{'runs' if len(systemic) == 1 else 'run'} across the organisation and "
            f"{plural(len(localised), 'issue')} "
            f"{'belongs' if len(localised) == 1 else 'belong'} to particular service areas."
        )
        if by_area:
            summary += (
                (f" {by_area[0].area} has the most localised issues ({len(by_area[0].findings)}).")
                if len(by_area) > 1
                else ""
            )
    return ScopeSection(
        summary=summary,
        systemic=systemic,
        localised=by_area,
        systemic_none=(
            "No theme is clearly weak across the organisation."
            if open_weak
            else "No theme is weak across the organisation."
        ),
        open_weak=capitalise(may_be_weak_words(open_weak)) + "." if open_weak else "",
    )


# ---- action plan ----------------------------------------------------------------------
def action_plan(
    recs: Sequence[RecommendationFacts],
    titles: Mapping[str, str],
    findings: Sequence[FindingItem] = (),
) -> list[RecommendationItem]:
    """Recommendations in plan order, most urgent first: priority; then, within a
    priority, the finding each answers as reviewed at this audit, ranked as the board
    summary ranks the most serious issues (severity, then kind: `KIND_WEIGHT`; one
    answering no finding of this audit comes last); then theme order; then as entered.

    A recommendation carried over from the last audit and reviewed as achieved or no
    longer relevant is not in the plan (the progress table shows it).
    """
    rank = {t: i for i, t in enumerate(titles)}
    gravity = {
        f.key: (SEVERITY_ORDER.get(f.severity, 3), KIND_WEIGHT.get(f.kind, 9)) for f in findings
    }
    ordered = sorted(
        (r for r in recs if is_open(r)),
        key=lambda r: (
            SEVERITY_ORDER.get(r.priority, 3),
            gravity.get(r.finding_key or "", (4, 0)),
            rank.get(r.theme, len(rank)),
            r.id,
        ),
    )
    return [
        RecommendationItem(
            number=i,
            text=clean_text(r.text),
            theme_id=r.theme or "",
            theme=clean_text(titles.get(r.theme, r.theme or "")),
            priority=r.priority if r.priority in PRIORITY_LABELS else "medium",
            priority_label=PRIORITY_LABELS.get(r.priority, "Medium"),
            owner=clean_text(r.owner).strip(),
            due=short_date(r.due_date),
            carried_over=r.carried_over,
            # The evidence is in the progress table; the plan says only how far it got.
            follow_up=(
                REVIEW_LABELS.get(r.review_status, "").lower() or clean_text(r.follow_up).strip()
            ),
            measure=clean_text(r.measure).strip(),
        )
        for i, r in enumerate(ordered, 1)
    ]


def weakest_first_questions(sections: Sequence[ThemeSection]) -> list[str]:
    """Each theme's first question for the board, the weakest theme first (a hidden score
    last): what the board page asks when the findings give it too little to ask."""
    scored = sorted(
        (s for s in sections if s.questions_to_consider),
        key=lambda s: (s.overall.score is None, s.overall.score or 0.0),
    )
    return [s.questions_to_consider[0] for s in scored]


# ---- the whole report -----------------------------------------------------------------
def _finding_items(inputs: ReportInputs, titles: Mapping[str, str]) -> list[FindingItem]:
    """The findings as the report shows them: reviewed, with the auditors' analysis."""
    items = with_analysis(
        reviewed_findings(inputs.analysis.findings, inputs.reviews, titles), inputs.analyses
    )
    return [
        i.model_copy(
            update={
                "no_recommendation": clean_text(inputs.no_recommendation.get(i.key, "")).strip()
            }
        )
        for i in items
    ]


def proposed_opinion(inputs: ReportInputs) -> str:
    """The assurance level the rule proposes for this report (its board summary's
    `proposed`), from the findings and the thread alone, without the rest of the report."""
    themes = [(t.id, clean_text(t.title)) for t in inputs.question_set.themes]
    items = _finding_items(inputs, dict(themes))
    rows = thread_rows(inputs.analysis, themes, inputs.question_set.asked_cells())
    lowest_band = inputs.analysis.settings.rag_bands[0].label.capitalize()
    weak = unsettled_weak_themes(
        kept_worth_exploring(inputs.analysis, inputs.reviews, dict(themes))
    )
    return propose_level(items, rows, lowest_band, thread_coverage(rows, inputs.analysis), weak)[0]


def assemble_context(inputs: ReportInputs) -> ReportContext:
    """The report's context from its inputs (see `sgaudit.report.build` for the store)."""
    facts, analysis = inputs.audit, inputs.analysis
    qs = inputs.question_set
    themes = [(t.id, clean_text(t.title)) for t in qs.themes]
    titles = dict(themes)
    findings_by_key: dict[str, Finding] = {f.key: f for f in analysis.findings}
    items = _finding_items(inputs, titles)
    # A final audit passed this check when the lead auditor made it final.
    final = facts.status == "final"
    missing = (
        []
        if final
        else missing_before_final(
            items, inputs.recommendations, inputs.no_recommendation, inputs.report_date
        )
    )

    method = method_section(inputs)
    rows = thread_rows(analysis, themes, qs.asked_cells())
    coverage = thread_coverage(rows, analysis)
    unsettled = unsettled_section(analysis, inputs.reviews, titles, inputs.data.responses)
    open_weak = unsettled_weak_themes(unsettled.worth_exploring)
    thread = ThreadOverview(
        tiers=tier_columns(),
        rows=rows,
        breaks=thread_sentences(items, "thread_break"),
        knowledge_gaps=thread_sentences(items, "knowledge_gap"),
        no_breaks=no_break_sentences(coverage, bool(analysis.thread_reach)),
        no_knowledge_gaps=no_knowledge_gap_sentences(rows, coverage),
        key=rag_key(analysis.settings),
        chart=charts_data.overview_chart(rows, charts_data.previous_tier_scores(inputs.comparison)),
    )
    actions = action_plan(inputs.recommendations, titles, items)
    evidence_by_theme = {k: list(v) for k, v in inputs.evidence_by_theme.items()}
    tables = inputs.tables if inputs.tables is not None else ScoreTables.build(inputs.data)
    notes = quotable_notes(tables)  # one reading for the theme sections and the side-by-side
    sections = theme_sections(
        inputs, rows, items, actions, evidence_by_theme, notes, unsettled.worth_exploring
    )
    evidence = inputs.evidence
    if evidence is not None:  # the evidence gaps as reviewed, like every other finding
        evidence = evidence.model_copy(
            update={"gaps": [i for i in items if i.kind == "evidence_gap"]}
        )

    change = None
    if inputs.comparison is not None and inputs.previous is not None:
        change = change_section(
            inputs.comparison,
            inputs.previous,
            inputs.previous_data,
            inputs.data,
            themes,
            items,
            inputs.reviews,
            inputs.previous_reviews,
            records_now=(
                {s.id: s.detail for s in inputs.indicators.scores}
                if inputs.indicators is not None
                else {}
            ),
        )

    previous = ""
    if inputs.previous is not None:
        when = date_range(inputs.previous.start_date, inputs.previous.end_date)
        previous = clean_text(inputs.previous.title) + (f" ({when})" if when else "")

    progress = progress_section(inputs.recommendations, actions, titles)
    side_by_side = said_and_recorded(
        tables, notes, inputs.indicators, inputs.recommendations, titles
    )
    return ReportContext(
        organisation=clean_text(facts.organisation),
        audit_title=clean_text(facts.title),
        report_title="Safeguarding audit report",
        status="FINAL" if final else "DRAFT",
        is_final=final,
        dates=date_range(facts.start_date, facts.end_date),
        report_date=long_date(inputs.report_date),
        auditors=join_words(clean_text(a).strip() for a in facts.auditors if a.strip()),
        scope=SCOPE_LABELS.get(facts.scope, clean_text(facts.scope)),
        question_set=method.question_set,
        previous_audit=previous,
        summary=executive_summary(
            inputs, method, rows, items, findings_by_key, change, actions, open_weak
        ),
        method=method,
        thread=thread,
        localised_systemic=scope_section(items, open_weak),
        unsettled=unsettled,
        areas=area_overview(analysis, themes, facts.service_areas),
        themes=sections,
        change=change,
        evidence=evidence,
        said_and_recorded=side_by_side,
        self_assessment=self_assessment_section(analysis),
        actions=actions,
        missing=missing,
        progress=progress,
        board=board_summary(
            items,
            rows,
            analysis.settings.rag_bands[0].label.capitalize(),
            inputs.opinion,
            progress,
            weakest_first_questions(sections),
            coverage,
            open_weak,
            change,
        ),
        appendix=appendix(analysis.settings),
        generator=f"sgaudit {__version__}",
        version=clean_text(facts.version),
        history=history_entries(inputs.versions),
        scope_limits=scope_and_limits(inputs, method, rows, evidence, change),
        records_reviewed=records_reviewed(inputs, evidence),
        sign_off=sign_off_rows(inputs),
    )
