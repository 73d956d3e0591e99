"""Assemble the `ReportContext` from `ReportInputs`: pure, no store, no files.

Section by section: method (fieldwork counts), golden-thread overview, localised vs
systemic, one section per theme, change since the last audit, action plan, appendix.
The executive summary is written last, from the sections.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sgaudit import __version__
from sgaudit.analysis.findings import Finding, quotable_notes
from sgaudit.analysis.result import ThemeResult
from sgaudit.analysis.scores import ScoreTables
from sgaudit.questionnaire.models import AnalysisSettings
from sgaudit.report import charts_data
from sgaudit.report.agreement_view import agreement_sentence, history_entries
from sgaudit.report.board_summary import board_summary
from sgaudit.report.cells import (
    area_overview,
    area_rows,
    rag_key,
    score_cell,
    thread_rows,
    tier_columns,
    tier_rows,
)
from sgaudit.report.change import change_section, theme_change_sentences
from sgaudit.report.context import (
    AnalysisParts,
    AreaFindings,
    EvidenceItem,
    FieldworkRow,
    FindingItem,
    Method,
    QuoteItem,
    RecommendationItem,
    ReportContext,
    ScopeSection,
    ThemeSection,
    ThreadOverview,
    ThreadRow,
)
from sgaudit.report.findings_view import reviewed_findings
from sgaudit.report.glossary import appendix
from sgaudit.report.inputs import RecommendationFacts, ReportInputs
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
    tier_people,
)
from sgaudit.store.auditor_analysis import theme_subject
from sgaudit.vocab import TIERS

QUOTES_PER_THEME = 3
# Questions for the board per theme: more where there is something to probe.
QUESTIONS_WHEN_CONCERNED = 5
QUESTIONS_WHEN_STRONG = 3
# Tiers this far apart (points) are named in a theme's headline.
HEADLINE_SPREAD = 10
_MODE_FIELDS = {
    "interview": "interviews",
    "focus_group": "focus_groups",
    "survey": "surveys",
    "document_review": "document_reviews",
}


# ---- how the audit was done ---------------------------------------------------------
def _fieldwork_rows(
    interviews: pd.DataFrame, by: str, labels: Sequence[str], names: Mapping[str, str]
) -> list[FieldworkRow]:
    rows = []
    for key in labels:
        part = interviews[interviews[by] == key]
        counts = {field: int((part["mode"] == mode).sum()) for mode, field in _MODE_FIELDS.items()}
        rows.append(
            FieldworkRow(label=names.get(key, key), people=int(part["people"].sum()), **counts)
        )
    return rows


def method_section(inputs: ReportInputs) -> Method:
    """Fieldwork counts by tier and by area. Counts of sessions, not scores: shown in full."""
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
    total = FieldworkRow(
        label="Total",
        people=int(interviews["people"].sum()),
        **{f: sum(getattr(row, f) for row in by_tier) for f in _MODE_FIELDS.values()},
    )
    qs = inputs.question_set
    return Method(
        sessions=len(interviews),
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


def scope_section(items: Sequence[FindingItem]) -> ScopeSection:
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
            "We found no theme that is weak across the organisation, and no service "
            "area that stands out as weaker than the others."
        )
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
    return ScopeSection(summary=summary, systemic=systemic, localised=by_area)


# ---- the auditors' analysis ------------------------------------------------------------
def analysis_parts(text: object | None) -> AnalysisParts:
    """The auditors' four-part analysis as printed; says it is still to be written if empty."""
    parts = {
        p: clean_text(getattr(text, p, "") or "").strip()
        for p in ("seen", "why", "impact", "helps")
    }
    written = any(parts.values())
    return AnalysisParts(written=written, **parts, **({"missing": ""} if written else {}))


def with_analysis(
    items: Sequence[FindingItem], analyses: Mapping[str, object]
) -> list[FindingItem]:
    return [i.model_copy(update={"analysis": analysis_parts(analyses.get(i.key))}) for i in items]


# ---- themes ---------------------------------------------------------------------------
def theme_headline(title: str, result: ThemeResult | None, row: ThreadRow) -> str:
    if result is None:
        return f"{title} was not covered in this audit's fieldwork."
    if row.overall.status == "suppressed":
        return (
            f"Too few people answered on {title} for a score to be shown without "
            "risking identifying them."
        )
    if row.overall.status != "scored":
        return f"No scored answers were given on {title}."
    people = f"; {row.overall.n} people" if row.overall.n else ""
    text = f"{title} scores {row.overall.number} overall ({row.overall.rag}{people})."
    scored = [(t, c) for t, c in row.tier.items() if c.status == "scored"]
    if len(scored) >= 2:
        low = min(scored, key=lambda tc: tc[1].score or 0)
        high = max(scored, key=lambda tc: tc[1].score or 0)
        if (high[1].score or 0) - (low[1].score or 0) >= HEADLINE_SPREAD:
            text += (
                f" {capitalise(tier_people(low[0]))} give the lowest score "
                f"({low[1].number}), {tier_people(high[0])} the highest "
                f"({high[1].number})."
            )
        else:
            text += (
                " Every tier we could score sees it much the same way (between "
                f"{low[1].number} and {high[1].number})."
            )
    return text


def paper_practice_sentence(result: ThemeResult | None, settings: AnalysisSettings) -> str:
    if result is None or result.paper_score is None or result.practice_score is None:
        return ""
    paper = score_cell(
        result.model_copy(update={"score": result.paper_score, "rag": None}), settings
    )
    practice = score_cell(
        result.model_copy(update={"score": result.practice_score, "rag": None}), settings
    )
    return (
        f"Questions about what is written down (policies, procedures, records) score "
        f"{paper.number}; questions about what happens in practice score {practice.number}."
    )


def theme_quotes(notes: pd.DataFrame, theme: str, items: Sequence[FindingItem]) -> list[str]:
    """Quotes for a theme: those supporting its findings first, then other quotable notes.

    `notes` holds only notes marked quotable from groups large enough to show, so no
    quote comes from a suppressed group; no code, name, tier or area goes with it.
    """
    picked = [q for i in items for q in i.quotes]
    picked += notes.loc[notes["theme"] == theme, "note"].tolist() if len(notes) else []
    return [clean_text(q) for q in dict.fromkeys(picked)][:QUOTES_PER_THEME]


def attributed_quotes(notes: pd.DataFrame, theme: str, quotes: Sequence[str]) -> list[QuoteItem]:
    """Each quote with its tier. `notes` holds only quotes whose tier group and area group
    are both at or above the suppression minimum (`quotable_notes`), so naming the tier
    cannot identify the speaker; the service area is never named beside it. Words said
    at more than one tier are left unattributed."""
    mine = notes[notes["theme"] == theme] if len(notes) else notes
    tiers = mine.groupby("note")["tier"].unique() if len(mine) else pd.Series(dtype=object)
    out = []
    for quote in quotes:
        found = [t for n, ts in tiers.items() if clean_text(n) == quote for t in ts]
        who = tier_people(found[0]) if len(set(found)) == 1 else ""
        out.append(QuoteItem(text=quote, who=who))
    return out


def board_questions(
    inputs: ReportInputs, tables: ScoreTables, theme: str, concerned: bool
) -> list[str]:
    """The theme's questions for the board, those of its weakest-scoring questions first.

    The question-level means only order the list; they are never printed.
    """
    scored = tables.scored
    means = (
        scored.loc[scored["kind"] == "scored"]
        .groupby(scored["question_id"].astype(str), observed=True)["score"]
        .mean()
    )
    questions = [
        q for q in inputs.question_set.questions if q.theme == theme and q.questions_to_consider
    ]
    questions.sort(key=lambda q: (means.get(q.id, 101.0), q.id))
    picked = [item for q in questions for item in q.questions_to_consider]
    picked += inputs.data.questions_to_consider.get(theme, [])
    limit = QUESTIONS_WHEN_CONCERNED if concerned else QUESTIONS_WHEN_STRONG
    return [clean_text(x) for x in dict.fromkeys(picked)][:limit]


def theme_sections(
    inputs: ReportInputs,
    rows: Sequence[ThreadRow],
    items: Sequence[FindingItem],
    actions: Sequence[RecommendationItem],
    evidence: Mapping[str, list[EvidenceItem]],
) -> list[ThemeSection]:
    analysis = inputs.analysis
    results = {t.theme: t for t in analysis.themes}
    top_label = analysis.settings.rag_bands[-1].label.capitalize()
    tables = inputs.tables if inputs.tables is not None else ScoreTables.build(inputs.data)
    notes = quotable_notes(tables)
    sections = []
    for number, (theme, row) in enumerate(zip(inputs.question_set.themes, rows, strict=True), 1):
        result = results.get(theme.id)
        mine = [i for i in items if i.theme_id == theme.id]
        sections.append(
            ThemeSection(
                id=theme.id,
                number=number,
                title=clean_text(theme.title),
                description=clean_text(theme.description).strip(),
                headline=theme_headline(clean_text(theme.title), result, row),
                overall=row.overall,
                paper_practice=paper_practice_sentence(result, analysis.settings),
                by_tier=tier_rows(result, analysis.settings),
                by_area=area_rows(result, inputs.audit.service_areas, analysis.settings),
                findings=mine,
                no_findings=(
                    "We found no particular concern on this theme."
                    if result is not None
                    else "This theme was not covered in this audit, so we cannot say how it "
                    "works in practice."
                ),
                quotes=(quotes := theme_quotes(notes, theme.id, mine)),
                attributed_quotes=attributed_quotes(notes, theme.id, quotes),
                questions_to_consider=board_questions(
                    inputs,
                    tables,
                    theme.id,
                    concerned=bool(mine) or row.overall.rag != top_label,
                ),
                recommendations=[a for a in actions if a.theme_id == theme.id],
                evidence=evidence.get(theme.id, []),
                change=(
                    theme_change_sentences(inputs.comparison, theme.id)
                    if inputs.comparison is not None
                    else []
                ),
                analysis=analysis_parts(inputs.analyses.get(theme_subject(theme.id))),
            )
        )
    return sections


# ---- action plan ----------------------------------------------------------------------
def action_plan(
    recs: Sequence[RecommendationFacts], titles: Mapping[str, str]
) -> list[RecommendationItem]:
    """Recommendations in plan order: priority, then theme order, then as entered.

    A recommendation carried over from the last audit and reviewed as achieved or no
    longer relevant is not in the plan (the progress table shows it).
    """
    rank = {t: i for i, t in enumerate(titles)}
    prio = {"high": 0, "medium": 1, "low": 2}
    ordered = sorted(
        (r for r in recs if is_open(r)),
        key=lambda r: (prio.get(r.priority, 3), rank.get(r.theme, len(rank)), r.id),
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


# ---- the whole report -----------------------------------------------------------------
def assemble_context(inputs: ReportInputs) -> ReportContext:
    """The report's context from its inputs (see `sgaudit.report.build` for the store)."""
    facts, analysis = inputs.audit, inputs.analysis
    qs = inputs.question_set
    themes = [(t.id, clean_text(t.title)) for t in qs.themes]
    titles = dict(themes)
    findings_by_key: dict[str, Finding] = {f.key: f for f in analysis.findings}
    items = with_analysis(
        reviewed_findings(analysis.findings, inputs.reviews, titles), inputs.analyses
    )
    items = [
        i.model_copy(
            update={
                "no_recommendation": clean_text(inputs.no_recommendation.get(i.key, "")).strip()
            }
        )
        for i in items
    ]
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
    rows = thread_rows(analysis, themes)
    thread = ThreadOverview(
        tiers=tier_columns(),
        rows=rows,
        breaks=thread_sentences(items, "thread_break"),
        knowledge_gaps=thread_sentences(items, "knowledge_gap"),
        no_breaks=no_break_sentences(rows),
        no_knowledge_gaps=no_knowledge_gap_sentences(rows),
        key=rag_key(analysis.settings),
        chart=charts_data.overview_chart(rows, charts_data.previous_tier_scores(inputs.comparison)),
    )
    actions = action_plan(inputs.recommendations, titles)
    evidence_by_theme = {k: list(v) for k, v in inputs.evidence_by_theme.items()}
    sections = theme_sections(inputs, rows, items, actions, evidence_by_theme)
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
        )

    previous = ""
    if inputs.previous is not None:
        when = date_range(inputs.previous.start_date, inputs.previous.end_date)
        previous = clean_text(inputs.previous.title) + (f" ({when})" if when else "")

    progress = progress_section(inputs.recommendations, actions, titles)
    tables = inputs.tables if inputs.tables is not None else ScoreTables.build(inputs.data)
    side_by_side = said_and_recorded(
        tables, quotable_notes(tables), inputs.indicators, inputs.recommendations, titles
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
        summary=executive_summary(inputs, method, rows, items, findings_by_key, change, actions),
        method=method,
        thread=thread,
        localised_systemic=scope_section(items),
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
            items, rows, analysis.settings.rag_bands[0].label.capitalize(), inputs.opinion, progress
        ),
        appendix=appendix(analysis.settings),
        generator=f"sgaudit {__version__}",
        version=clean_text(facts.version),
        history=history_entries(inputs.versions),
        scope_limits=scope_and_limits(inputs, method, rows, evidence, change),
        records_reviewed=records_reviewed(inputs, evidence),
        sign_off=sign_off_rows(inputs),
    )
