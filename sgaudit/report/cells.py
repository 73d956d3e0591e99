"""Scores as table cells: "72 Green" with its shading, or "Suppressed" with no number.

This is the one place a score becomes text, so the privacy rule lives here: a
suppressed cell has no score in the analysis models, and its cell says "Suppressed"
and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sgaudit import printed
from sgaudit.analysis.result import AuditAnalysis, CellScore, ThemeResult
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report.context import (
    AreaOverview,
    AreaThemeRow,
    RagKey,
    ScoreCell,
    ScoreRow,
    ThreadRow,
    TierColumn,
)
from sgaudit.report.words import (
    SUPPRESSED_FILL,
    TIER_SHORT,
    clean_text,
    percent,
    rag_fill,
    rag_title,
    tier_label,
    whole,
)
from sgaudit.vocab import TIERS

NOT_ASKED = ScoreCell(text="Not asked", status="not_asked")
NOT_HEARD = ScoreCell(text="Not heard", status="not_heard")


def band_labels(settings: AnalysisSettings) -> list[str]:
    return [b.label for b in settings.rag_bands]


def score_number(score: float | None, settings: AnalysisSettings) -> str | None:
    """A score as the report prints it: the whole points reached ("69" for 69.8).

    One rule with the analysis' sentences, the app and `compare` (`sgaudit.printed`):
    rounding down keeps the number inside its RAG band (69.8 is Amber when Green starts
    at 70), so "70 Amber" or "69.8" beside "70" can never appear.
    """
    shown = printed.score(score)
    return None if shown is None else str(shown)


def score_cell(cell: CellScore | ThemeResult | None, settings: AnalysisSettings) -> ScoreCell:
    """The cell for one score; `None` means the tier or area was not asked the theme."""
    if cell is None:
        return NOT_ASKED
    if cell.suppressed:
        return ScoreCell(text="Suppressed", status="suppressed", fill=SUPPRESSED_FILL)
    number = score_number(cell.score, settings)
    if number is None:
        return ScoreCell(text="No score", status="no_score", n=cell.n)
    label = rag_title(cell.rag or settings.rag(cell.score))
    return ScoreCell(
        text=f"{number} {label}".strip(),
        number=number,
        score=printed.score(cell.score),
        rag=label,
        fill=rag_fill(cell.rag or settings.rag(cell.score), band_labels(settings)),
        status="scored",
        n=cell.n,
    )


def tier_columns() -> list[TierColumn]:
    return [TierColumn(id=t, label=tier_label(t), short=TIER_SHORT.get(t, t)) for t in TIERS]


def tier_cells(
    theme: ThemeResult | None,
    settings: AnalysisSettings,
    asked: Collection[str] | None = None,
) -> dict[str, ScoreCell]:
    """One cell per tier of the golden thread. A tier that gave nothing is "Not heard"
    when the set asks it the theme (`asked`: those tiers) and "Not asked" otherwise."""
    found = {c.tier: c for c in (theme.by_tier if theme else [])}
    return {
        t: NOT_HEARD
        if t not in found and asked is not None and t in asked
        else score_cell(found.get(t), settings)
        for t in TIERS
    }


def tier_rows(theme: ThemeResult | None, settings: AnalysisSettings) -> list[ScoreRow]:
    """Scores by tier for a theme section: only the tiers that were asked."""
    rows = []
    for cell in sorted(
        theme.by_tier if theme else [],
        key=lambda c: TIERS.index(c.tier) if c.tier in TIERS else len(TIERS),
    ):
        rows.append(
            ScoreRow(
                label=tier_label(cell.tier or ""),
                cell=score_cell(cell, settings),
                dont_know="" if cell.suppressed else percent(cell.dont_know_rate),
            )
        )
    return rows


def area_rows(
    theme: ThemeResult | None, areas: Sequence[str], settings: AnalysisSettings
) -> list[ScoreRow]:
    """Scores by service area, in the organisation's order of areas."""
    found = {c.service_area: c for c in (theme.by_area if theme else [])}
    order = [a for a in areas if a in found] + sorted(a for a in found if a not in areas)
    return [
        ScoreRow(
            label=a,
            cell=score_cell(found[a], settings),
            dont_know="" if found[a].suppressed else percent(found[a].dont_know_rate),
        )
        for a in order
    ]


def thread_rows(
    analysis: AuditAnalysis,
    themes: Sequence[tuple[str, str]],
    asked: set[tuple[str, str]] | None = None,
) -> list[ThreadRow]:
    """The theme x tier table: every theme of the set, in order. With `asked` (the set's
    (theme, tier) cells) a tier asked but not heard reads "Not heard", not "Not asked"."""
    results = {t.theme: t for t in analysis.themes}
    rows = []
    for theme_id, title in themes:
        result = results.get(theme_id)
        tiers = None if asked is None else {t for th, t in asked if th == theme_id}
        cells = tier_cells(result, analysis.settings, tiers)
        rows.append(
            ThreadRow(
                theme_id=theme_id,
                theme=title,
                overall=score_cell(result, analysis.settings),
                tier=cells,
                cells=[cells[t] for t in TIERS],
            )
        )
    return rows


def rag_key(settings: AnalysisSettings) -> list[RagKey]:
    """The bands as ranges of whole-number scores: "0 to 49", "50 to 69", "70 to 100"."""
    bands = list(settings.rag_bands)
    labels = band_labels(settings)
    out = []
    for i, band in enumerate(bands):
        low = whole(band.min) or 0
        if i + 1 < len(bands):
            high = whole(bands[i + 1].min)
            high = (high - 1) if high is not None else 100
            text = f"{low} to {high}"
        else:
            text = f"{low} to 100"
        out.append(
            RagKey(
                label=rag_title(band.label),
                range=text,
                min=band.min,
                fill=rag_fill(band.label, labels),
            )
        )
    return out


def area_overview(
    analysis: AuditAnalysis, themes: Sequence[tuple[str, str]], areas: Sequence[str]
) -> AreaOverview:
    """The theme x service-area table. Cells come from the analysis, which applied the
    audit's one suppression decision: a hidden cell says "Suppressed", with no n."""
    results = {t.theme: t for t in analysis.themes}
    seen = {c.service_area for t in analysis.themes for c in t.by_area}
    order = [a for a in areas if a in seen] + sorted(a for a in seen if a not in areas)
    settings = analysis.settings
    rows = []
    for theme_id, title in themes:
        found = {
            c.service_area: c for c in (results[theme_id].by_area if theme_id in results else [])
        }
        rows.append(
            AreaThemeRow(
                theme_id=theme_id,
                theme=title,
                cells=[score_cell(found.get(a), settings) for a in order],
            )
        )
    return AreaOverview(areas=[clean_text(a) for a in order], rows=rows)
