"""Re-audit comparison: what changed between a previous audit and the current one.

Comparison goes through stable question ids. Before anything is scored, both audits
are cut down to the questions present in both that are scored the same way
(`comparable.py`); every other question is listed as not comparable with the reason.
So a change in a theme's score is a change in answers, never a change in the
questionnaire. Each change carries its interval and the people heard on each side
(`change_certainty.py`): it is called better or worse only when it is at least the
set's `change_points` and clear of the noise, and "unsure" when it is as large but not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sgaudit import printed
from sgaudit.analysis.change_certainty import change_certainty, interval_of
from sgaudit.analysis.change_voices import TierVoices, tier_voices, unsure_reasons
from sgaudit.analysis.comparable import (
    NotComparable,
    _all_comparable,
    _restrict,
    comparable_questions,
)
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import Finding
from sgaudit.analysis.result import (
    SCORE_DECIMALS,
    AuditAnalysis,
    CellScore,
    ThemeResult,
    analyse,
    round_or_none,
)
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import theme_titles
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import TIERS

Direction = Literal["improved", "worsened", "unchanged", "unsure", "not_comparable"]
#: Each direction as the report, the app and the roll-up print it (`printed.CHANGE_WORDS`).
AS_PRINTED: dict[str, printed.ChangeDirection] = {
    "improved": "better",
    "worsened": "worse",
    "unchanged": "same",
    "unsure": "unsure",
    "not_comparable": "not_comparable",
}
_OF_PRINTED = {word: direction for direction, word in AS_PRINTED.items()}
__all__ = ["Comparison", "NotComparable", "ThemeChange", "compare_audits", "comparable_questions"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ThemeChange(_Frozen):
    """A theme's score then and now, overall (tier and service_area None), per tier or per area.

    Either score is None when that cell was suppressed or had no scored answers; the
    direction is then 'not_comparable'. `low`/`high` are the change's interval at the
    level the false-flag control set, `n_before`/`n_after` the people heard on each
    side. `improved`/`worsened`: at least `change_points` and clear of the noise;
    `unsure`: as large, but the interval includes zero (too few people to be sure);
    `unchanged`: smaller than `change_points`.
    """

    theme: str
    title: str
    tier: str | None = None
    service_area: str | None = None
    old_score: float | None = None
    new_score: float | None = None
    change: float | None = None
    direction: Direction = "not_comparable"
    low: float | None = None
    high: float | None = None
    n_before: int | None = None
    n_after: int | None = None

    def to_json_dict(self) -> dict[str, Any]:
        out = self.model_dump(mode="json")
        for key in ("old_score", "new_score", "change", "low", "high"):
            out[key] = round_or_none(out[key], SCORE_DECIMALS)
        return out


class TierRow(_Frozen):
    """One theme's change at every tier of the golden thread, ground to board.

    `cells` has one ThemeChange per tier of `TIERS`, in that order: the comparison's
    own where it has the cell, else a not-comparable one with no scores (the tier was not
    asked the theme, or gave no scored answers, in both audits). A suppressed cell is
    not comparable and carries no score, as in `theme_changes`.
    """

    theme: str
    title: str
    cells: tuple[ThemeChange, ...]

    def cell(self, tier: str) -> ThemeChange:
        return self.cells[TIERS.index(tier)]


class Comparison(_Frozen):
    """Previous audit vs current audit on their comparable questions."""

    previous_question_set: dict[str, Any]
    current_question_set: dict[str, Any]
    settings: AnalysisSettings
    comparable_questions: int
    not_comparable: list[NotComparable] = Field(default_factory=list)
    theme_changes: list[ThemeChange] = Field(default_factory=list)
    findings_resolved: list[Finding] = Field(default_factory=list)
    findings_new: list[Finding] = Field(default_factory=list)
    findings_persisting: list[Finding] = Field(default_factory=list)
    voices: list[TierVoices] = Field(default_factory=list)

    def unsure_reasons(self, name: Callable[[str], str] | None = None) -> list[str]:
        """Why some tiers' changes are unsure, a sentence per tier (`change_voices`);
        `name` puts a tier in the reader's words (default: `vocab.tier_label`)."""
        return unsure_reasons(self.theme_changes, self.voices, name)

    def changes(
        self, theme: str, tier: str | None = None, service_area: str | None = None
    ) -> ThemeChange:
        """The ThemeChange of one cell (KeyError if absent)."""
        for c in self.theme_changes:
            if (c.theme, c.tier, c.service_area) == (theme, tier, service_area):
                return c
        raise KeyError((theme, tier, service_area))

    def by_tier(self, themes: list[tuple[str, str]] | None = None) -> list[TierRow]:
        """The change per tier, one row per theme and one cell per tier of `TIERS`.

        The one source of the "change by tier" table for the report, the app's Compare
        page and `sgaudit compare`: every tier of the golden thread, ground to board, in
        the same order everywhere, whichever tiers the first theme happens to have.
        `themes` ((id, title), e.g. the question set's order) picks and orders the rows;
        by default the themes of the comparison, in its order.
        """
        cells = {
            (c.theme, c.tier): c
            for c in self.theme_changes
            if c.tier is not None and c.service_area is None
        }
        if themes is None:
            themes = list(dict.fromkeys((c.theme, c.title) for c in self.theme_changes))
        return [
            TierRow(
                theme=theme,
                title=title,
                cells=tuple(
                    cells.get((theme, tier)) or ThemeChange(theme=theme, title=title, tier=tier)
                    for tier in TIERS
                ),
            )
            for theme, title in themes
        ]

    def to_json_dict(self) -> dict[str, Any]:
        """The stable, documented JSON (docs/analysis.md)."""
        return {
            "previous_question_set": self.previous_question_set,
            "current_question_set": self.current_question_set,
            "settings": self.settings.model_dump(mode="json"),
            "comparable_questions": self.comparable_questions,
            "not_comparable": [n.model_dump(mode="json") for n in self.not_comparable],
            "theme_changes": [c.to_json_dict() for c in self.theme_changes],
            "findings_resolved": [f.to_json_dict() for f in self.findings_resolved],
            "findings_new": [f.to_json_dict() for f in self.findings_new],
            "findings_persisting": [f.to_json_dict() for f in self.findings_persisting],
            "voices": [v.model_dump(mode="json") for v in self.voices],
        }


def _side(
    data: AuditData,
    same: list[str],
    extra: list[Finding] | tuple,
    tables: ScoreTables | None,
    analysis: AuditAnalysis | None,
) -> tuple[AuditAnalysis, ScoreTables]:
    """One side's analysis on the comparable questions and its score tables, from what
    the caller has."""
    cut, side_tables = _cut(data, same, tables)
    if cut is data and analysis is not None:
        return analysis, side_tables
    return analyse(cut, extra, tables=side_tables), side_tables


def _direction(
    old: float | None, new: float | None, settings: AnalysisSettings, clear: bool
) -> tuple[float | None, Direction]:
    # One rule with the report and the app: the change is the difference of the two
    # printed scores, and is called a change on that printed figure (sgaudit.printed),
    # when it is also clear of the noise (`clear`: its interval excludes zero).
    change, direction = printed.change(old, new, settings.change_points)
    if change is None:
        return None, "not_comparable"
    if direction in ("better", "worse") and not clear:
        return float(change), "unsure"
    return float(change), _OF_PRINTED[direction]


def _changed(
    theme: str,
    title: str,
    key: tuple,
    old_score: float | None,
    new_score: float | None,
    settings: AnalysisSettings,
    certainty: dict[tuple, Any],
) -> ThemeChange:
    """One cell's ThemeChange, its interval and people from `certainty` (by key)."""
    sure = certainty.get(key) if old_score is not None and new_score is not None else None
    change, direction = _direction(old_score, new_score, settings, bool(sure and sure.clear))
    low, high = interval_of(sure) if sure is not None else (None, None)
    return ThemeChange(
        theme=theme,
        title=title,
        tier=key[1],
        service_area=key[2],
        old_score=old_score,
        new_score=new_score,
        change=change,
        direction=direction,
        low=low,
        high=high,
        n_before=None if sure is None else int(sure.n_before),
        n_after=None if sure is None else int(sure.n_after),
    )


def _certainty_by_key(frame: pd.DataFrame) -> dict[tuple, Any]:
    """`change_certainty` rows by (theme, tier, service_area)."""
    return {(r.theme, r.tier, r.service_area): r for r in frame.itertuples(index=False)}


def _cell_map(analysis: AuditAnalysis) -> dict[tuple, CellScore | ThemeResult]:
    cells: dict[tuple, CellScore | ThemeResult] = {}
    for t in analysis.themes:
        cells[(t.theme, None, None)] = t
        for c in t.by_tier:
            cells[(t.theme, c.tier, None)] = c
        for c in t.by_area:
            cells[(t.theme, None, c.service_area)] = c
    return cells


def theme_changes(
    previous: AuditAnalysis,
    current: AuditAnalysis,
    settings: AnalysisSettings,
    certainty: pd.DataFrame | None = None,
) -> list[ThemeChange]:
    """Changes per theme: overall, then per tier (ground to board), then per area.

    `certainty` is `change_certainty` of the two sides' score tables; without it no
    change is clear, so none is called better or worse (only unsure or unchanged)."""
    sure = _certainty_by_key(certainty) if certainty is not None else {}
    old_cells, new_cells = _cell_map(previous), _cell_map(current)
    titles = {t.theme: t.title for t in [*previous.themes, *current.themes]}
    themes = list(
        dict.fromkeys([t.theme for t in current.themes] + [t.theme for t in previous.themes])
    )
    tier_rank = {t: i for i, t in enumerate(TIERS)}
    out: list[ThemeChange] = []
    for theme in themes:
        keys = [k for k in dict.fromkeys([*new_cells, *old_cells]) if k[0] == theme]
        keys.sort(
            key=lambda k: (
                0 if k[1] is None and k[2] is None else (1 if k[1] is not None else 2),
                tier_rank.get(k[1], 99) if k[1] else 0,
                k[2] or "",
            )
        )
        for key in keys:
            old = old_cells.get(key)
            new = new_cells.get(key)
            old_score = None if old is None or old.suppressed else old.score
            new_score = None if new is None or new.suppressed else new.score
            out.append(
                _changed(theme, titles.get(theme, theme), key, old_score, new_score, settings, sure)
            )
    return out


def overall_changes(
    old: AuditData,
    new: AuditData,
    old_tables: ScoreTables | None = None,
    new_tables: ScoreTables | None = None,
) -> list[ThemeChange]:
    """Each theme's overall change (tier and service area None), exactly as
    `compare_audits` gives it, from the two audits' score tables alone: what a
    partnership roll-up needs of a comparison, without analysing either audit again
    for findings. `old_tables` / `new_tables` as in `compare_audits`."""
    same, _ = comparable_questions(old, new)
    before = _cut(old, same, old_tables)[1]
    after = _cut(new, same, new_tables)[1]
    sure = _certainty_by_key(change_certainty(before, after, new.settings))
    old_scores, new_scores = _overall_scores(before), _overall_scores(after)
    titles = {**theme_titles(old), **theme_titles(new)}
    return [
        _changed(
            theme,
            titles.get(theme, theme),
            (theme, None, None),
            old_scores.get(theme),
            new_scores.get(theme),
            new.settings,
            sure,
        )
        for theme in dict.fromkeys([*new_scores, *old_scores])
    ]


def _cut(
    data: AuditData, same: list[str], tables: ScoreTables | None
) -> tuple[AuditData, ScoreTables]:
    """One side cut down to the comparable questions (`data` itself when every question
    is), and its score tables under its whole audit's suppression decision, so nothing
    the audit's own analysis or report hides is shown here."""
    if _all_comparable(data, same):
        return data, tables if tables is not None else ScoreTables.build(data)
    decision = (tables if tables is not None else ScoreTables.build(data)).decision
    cut = _restrict(data, same)
    return cut, ScoreTables.build(cut, decision)


def _overall_scores(tables: ScoreTables) -> dict[str, float | None]:
    """Each theme's overall score in the analysis's theme order, None where hidden or
    unscored (as the analysis publishes its `ThemeResult`)."""
    rows = {str(r.theme): r for r in tables.overall.itertuples(index=False)}
    return {
        theme: None
        if rows[theme].suppressed or pd.isna(rows[theme].score)
        else float(rows[theme].score)
        for theme in theme_titles(tables.data)
        if theme in rows
    }


def compare_audits(
    old: AuditData,
    new: AuditData,
    old_extra_findings: list[Finding] | tuple = (),
    new_extra_findings: list[Finding] | tuple = (),
    old_tables: ScoreTables | None = None,
    new_tables: ScoreTables | None = None,
    old_analysis: AuditAnalysis | None = None,
    new_analysis: AuditAnalysis | None = None,
) -> Comparison:
    """Compare a previous audit with the current one on their comparable questions.

    Both audits are analysed on those questions only (each with its own
    settings); a change counts when it is at least the current audit's change_points.
    Findings are matched by key: resolved (only before), new (only now), persisting
    (both; the current finding is listed).

    `old_tables` / `new_tables` are the audits' own `ScoreTables.build(...)` when the
    caller has them already, and `old_analysis` / `new_analysis` their own analyses,
    `analyse(old, old_extra_findings, tables=old_tables)`. A side whose every question
    is comparable is the whole audit, so its analysis is the caller's (or made from its
    tables); a side cut down to the shared questions is analysed afresh under its whole
    audit's suppression decision.
    """
    same, left_out = comparable_questions(old, new)
    before, before_tables = _side(old, same, old_extra_findings, old_tables, old_analysis)
    after, after_tables = _side(new, same, new_extra_findings, new_tables, new_analysis)
    certainty = change_certainty(before_tables, after_tables, new.settings)
    old_keys = {f.key for f in before.findings}
    new_keys = {f.key for f in after.findings}
    return Comparison(
        previous_question_set={"id": old.question_set_id, "version": old.question_set_version},
        current_question_set={"id": new.question_set_id, "version": new.question_set_version},
        settings=new.settings,
        comparable_questions=len(same),
        not_comparable=left_out,
        theme_changes=theme_changes(before, after, new.settings, certainty),
        findings_resolved=[f for f in before.findings if f.key not in new_keys],
        findings_new=[f for f in after.findings if f.key not in old_keys],
        findings_persisting=[f for f in after.findings if f.key in old_keys],
        voices=tier_voices(old, new),
    )
