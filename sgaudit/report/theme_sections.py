"""One section per theme: headline, scores by tier and area, written versus practice,
findings, tier-attributed quotes, register evidence, questions for the board,
recommendations and the auditors' analysis. Pure, from `ReportInputs`; the whole
report is put together in `sgaudit.report.assemble`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sgaudit.analysis.findings import quotable_notes
from sgaudit.analysis.result import ThemeResult
from sgaudit.analysis.scores import ScoreTables
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report.cells import area_rows, score_cell, tier_rows
from sgaudit.report.change import theme_change_sentences
from sgaudit.report.context import (
    AnalysisParts,
    EvidenceItem,
    FindingItem,
    QuoteItem,
    RecommendationItem,
    ThemeSection,
    ThreadRow,
)
from sgaudit.report.inputs import ReportInputs
from sgaudit.report.words import capitalise, clean_text, tier_people
from sgaudit.store.auditor_analysis import theme_subject

QUOTES_PER_THEME = 3
# Questions for the board per theme: more where there is something to probe.
QUESTIONS_WHEN_CONCERNED = 5
QUESTIONS_WHEN_STRONG = 3
# Tiers this far apart (points) are named in a theme's headline.
HEADLINE_SPREAD = 10


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
        elif low[1].number == high[1].number:
            text += f" Every tier we could score gives it {low[1].number}."
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


def question_means(tables: ScoreTables) -> pd.Series:
    """Each question's mean score (question id -> mean), which orders the board's questions."""
    scored = tables.scored
    return (
        scored.loc[scored["kind"] == "scored"]
        .groupby(scored["question_id"].astype(str), observed=True)["score"]
        .mean()
    )


def board_questions(
    inputs: ReportInputs,
    tables: ScoreTables,
    theme: str,
    concerned: bool,
    means: pd.Series | None = None,
) -> list[str]:
    """The theme's questions for the board, those of its weakest-scoring questions first.

    The question-level means only order the list; they are never printed. `means` are
    `question_means(tables)` when the caller has them (one grouping for every theme).
    """
    if means is None:
        means = question_means(tables)
    questions = [
        q for q in inputs.question_set.questions if q.theme == theme and q.questions_to_consider
    ]
    questions.sort(key=lambda q: (means.get(q.id, 101.0), q.id))
    picked = [item for q in questions for item in q.questions_to_consider]
    picked += inputs.data.questions_to_consider.get(theme, [])
    limit = QUESTIONS_WHEN_CONCERNED if concerned else QUESTIONS_WHEN_STRONG
    return [clean_text(x) for x in dict.fromkeys(picked)][:limit]


def no_finding_words(covered: bool, rag: str | None, top_label: str, open_here: bool) -> str:
    """What a theme's "What we found" says when it has no finding.

    A theme rated below the top band is not "no concern" without a word about its rating,
    and a theme on which the people heard left a question open (worth exploring) is not
    settled: the sentence says which, and the open questions follow it.
    """
    if not covered:
        return (
            "This theme was not covered in this audit, so we cannot say how it works in practice."
        )
    if open_here:
        return (
            "We found no finding on this theme that the people we heard could settle. "
            "What they left open:"
        )
    if rag and rag != top_label:
        return (
            f"We found no particular concern on this theme beyond its {rag} rating: no "
            "difference between the people we heard was large enough, and sure enough, to "
            "be a finding."
        )
    return "We found no particular concern on this theme."


def theme_sections(
    inputs: ReportInputs,
    rows: Sequence[ThreadRow],
    items: Sequence[FindingItem],
    actions: Sequence[RecommendationItem],
    evidence: Mapping[str, list[EvidenceItem]],
    notes: pd.DataFrame | None = None,
    worth: Sequence[FindingItem] = (),
) -> list[ThemeSection]:
    """`notes` are `quotable_notes(inputs.tables)` when the caller has them already;
    `worth` the items worth exploring the auditors kept (`kept_worth_exploring`)."""
    analysis = inputs.analysis
    results = {t.theme: t for t in analysis.themes}
    top_label = analysis.settings.rag_bands[-1].label.capitalize()
    tables = inputs.tables if inputs.tables is not None else ScoreTables.build(inputs.data)
    if notes is None:
        notes = quotable_notes(tables)
    means = question_means(tables)
    sections = []
    for number, (theme, row) in enumerate(zip(inputs.question_set.themes, rows, strict=True), 1):
        result = results.get(theme.id)
        mine = [i for i in items if i.theme_id == theme.id]
        open_here = [w for w in worth if w.theme_id == theme.id]
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
                no_findings=no_finding_words(
                    result is not None, row.overall.rag, top_label, bool(open_here)
                ),
                worth_exploring=open_here,
                quotes=(quotes := theme_quotes(notes, theme.id, mine)),
                attributed_quotes=attributed_quotes(notes, theme.id, quotes),
                questions_to_consider=board_questions(
                    inputs,
                    tables,
                    theme.id,
                    concerned=bool(mine or open_here) or row.overall.rag != top_label,
                    means=means,
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
