"""The result of analysing one audit, and the `analyse` entry point.

Privacy by construction: a suppressed cell (fewer than `suppression_min` people)
carries no score, no RAG, no don't-know rate and no n in these models, so no caller
(report, app, CLI) can show a small group's number by accident. The raw figures stay
in the DataFrames of `sgaudit.analysis.scores`, which never leave the library.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sgaudit.analysis.codes import group_sums
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.decision import SuppressionDecision
from sgaudit.analysis.detect import AssessmentNote, detect
from sgaudit.analysis.findings import Finding, sort_findings
from sgaudit.analysis.reach import AreaReach, OrganisationReach, ThreadReach
from sgaudit.analysis.scores import ScoreTables, interview_table
from sgaudit.analysis.scoring import theme_titles
from sgaudit.analysis.self_assessment import SelfAssessmentTheme, compare_self_assessment
from sgaudit.questionnaire.settings import AnalysisSettings

SCORE_DECIMALS = 1
RATE_DECIMALS = 3


def round_or_none(value: float | None, decimals: int) -> float | None:
    """`value` rounded for the JSON; None (and NaN) stay None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), decimals)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class CellScore(_Frozen):
    """A theme's score for one tier, one service area, or one tier x area cell.

    When `suppressed` is true, score, rag, n and dont_know_rate are all None.
    """

    tier: str | None = None
    service_area: str | None = None
    score: float | None = None
    rag: str | None = None
    n: int | None = None
    suppressed: bool = False
    dont_know_rate: float | None = None

    def to_json_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.tier is not None:
            out["tier"] = self.tier
        if self.service_area is not None:
            out["service_area"] = self.service_area
        out.update(
            score=round_or_none(self.score, SCORE_DECIMALS),
            rag=self.rag,
            n=self.n,
            suppressed=self.suppressed,
            dont_know_rate=round_or_none(self.dont_know_rate, RATE_DECIMALS),
        )
        return out


class ThemeResult(_Frozen):
    """Everything scored about one theme. Lists are in tier order / area order."""

    theme: str
    title: str
    score: float | None = None
    rag: str | None = None
    n: int | None = None
    suppressed: bool = False
    dont_know_rate: float | None = None
    paper_score: float | None = None
    practice_score: float | None = None
    by_tier: list[CellScore] = Field(default_factory=list)
    by_area: list[CellScore] = Field(default_factory=list)
    by_tier_area: list[CellScore] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "title": self.title,
            "score": round_or_none(self.score, SCORE_DECIMALS),
            "rag": self.rag,
            "n": self.n,
            "suppressed": self.suppressed,
            "dont_know_rate": round_or_none(self.dont_know_rate, RATE_DECIMALS),
            "paper_score": round_or_none(self.paper_score, SCORE_DECIMALS),
            "practice_score": round_or_none(self.practice_score, SCORE_DECIMALS),
            "by_tier": [c.to_json_dict() for c in self.by_tier],
            "by_service_area": [c.to_json_dict() for c in self.by_area],
            "by_tier_and_service_area": [c.to_json_dict() for c in self.by_tier_area],
        }


class InterviewCount(_Frozen):
    """How many interviews (and people in them) a tier gave in one mode.

    These are counts of fieldwork, not scores, so they are shown even when small.
    """

    tier: str
    mode: str
    interviews: int
    people: int


class AuditAnalysis(_Frozen):
    """The analysis of one audit: theme results, findings, fieldwork counts."""

    question_set_id: str
    question_set_version: int
    settings: AnalysisSettings
    themes: list[ThemeResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    interviews: list[InterviewCount] = Field(default_factory=list)
    dont_know_rate: float | None = None
    # Large differences the data cannot confirm, and what could not be assessed (issue 8).
    worth_exploring: list[Finding] = Field(default_factory=list)
    not_assessable: list[AssessmentNote] = Field(default_factory=list)
    pooled: list[AssessmentNote] = Field(default_factory=list)
    # How large a golden-thread difference had to be to show, pair by pair (`reach`).
    thread_reach: list[ThreadReach] = Field(default_factory=list)
    # How far below the others each service area's theme had to score to show.
    area_reach: list[AreaReach] = Field(default_factory=list)
    # How far below the weak score a theme had to score, across the organisation, to show.
    organisation_reach: OrganisationReach | None = None
    # The organisation's self-assessment against the evidence, theme by theme (issue 15);
    # None when the audit has no self-assessment.
    self_assessment: list[SelfAssessmentTheme] | None = None

    def theme(self, theme_id: str) -> ThemeResult:
        for t in self.themes:
            if t.theme == theme_id:
                return t
        raise KeyError(theme_id)

    def findings_of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def to_json_dict(self) -> dict[str, Any]:
        """The stable, documented JSON (docs/analysis.md). Scores to 1 decimal."""
        return {
            "question_set": {"id": self.question_set_id, "version": self.question_set_version},
            "settings": self.settings.model_dump(mode="json"),
            "interviews": {
                "total_interviews": sum(c.interviews for c in self.interviews),
                "total_people": sum(c.people for c in self.interviews),
                "by_tier_and_mode": [c.model_dump(mode="json") for c in self.interviews],
            },
            "dont_know_rate": round_or_none(self.dont_know_rate, RATE_DECIMALS),
            "themes": [t.to_json_dict() for t in self.themes],
            "findings": [f.to_json_dict() for f in self.findings],
            "worth_exploring": [f.to_json_dict() for f in self.worth_exploring],
            "not_assessable": [n.model_dump(mode="json") for n in self.not_assessable],
            "pooled": [n.model_dump(mode="json") for n in self.pooled],
            "thread_reach": [r.model_dump(mode="json") for r in self.thread_reach],
            "area_reach": [r.model_dump(mode="json") for r in self.area_reach],
            "organisation_reach": None
            if self.organisation_reach is None
            else self.organisation_reach.model_dump(mode="json"),
            "self_assessment": None
            if self.self_assessment is None
            else [t.to_json_dict() for t in self.self_assessment],
        }


# ---- the entry point -----------------------------------------------------------------


def _cells(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Per theme, its cells' fields (what `_cell` gives each row), validated as CellScore
    by the ThemeResult that holds them: one validation in pydantic's core per theme
    rather than a model built in Python per cell."""
    out: dict[str, list[dict[str, Any]]] = {}
    none = [None] * len(frame)
    tiers = frame["tier"].astype(str).tolist() if "tier" in frame.columns else none
    areas = frame["service_area"].astype(str).tolist() if "service_area" in frame.columns else none
    columns = (frame[c].tolist() for c in ("score", "rag", "n", "suppressed", "dont_know_rate"))
    for theme, tier, area, score, rag, n, suppressed, dk in zip(
        frame["theme"].astype(str).tolist(), tiers, areas, *columns, strict=True
    ):
        cell: dict[str, Any] = {"tier": tier, "service_area": area}
        if suppressed:
            cell["suppressed"] = True
        else:
            cell.update(
                score=None if pd.isna(score) else float(score),
                rag=None if pd.isna(rag) else str(rag),
                n=int(n),
                suppressed=False,
                dont_know_rate=None if pd.isna(dk) else float(dk),
            )
        out.setdefault(theme, []).append(cell)
    return out


def _cell(row: Any, has_tier: bool = False, has_area: bool = False) -> CellScore:
    if row.suppressed:
        values: dict[str, Any] = {"suppressed": True}
    else:
        values = {
            "score": None if pd.isna(row.score) else float(row.score),
            "rag": None if pd.isna(row.rag) else str(row.rag),
            "n": int(row.n),
            "suppressed": False,
            "dont_know_rate": None if pd.isna(row.dont_know_rate) else float(row.dont_know_rate),
        }
    return CellScore(
        tier=str(row.tier) if has_tier else None,
        service_area=str(row.service_area) if has_area else None,
        **values,
    )


def _interview_counts(tables: ScoreTables) -> list[InterviewCount]:
    interviews = interview_table(tables.scored)
    if interviews.empty:
        return []
    # tier x mode, tiers ground to board then modes by name (as a sorted groupby has them)
    tier = interviews["tier"].cat.codes.to_numpy().astype(np.int64)
    mode, modes = pd.factorize(interviews["mode"].astype(str), sort=True)
    heard = tier >= 0  # an interview with no tier is in no row
    cells, cell = np.unique((tier * len(modes) + mode)[heard], return_inverse=True)
    size = np.bincount(cell, minlength=len(cells))
    people = group_sums(cell, len(cells), {"p": interviews["people"].to_numpy()[heard]})["p"]
    tiers = interviews["tier"].cat.categories
    return [
        InterviewCount(
            tier=str(tiers[c // len(modes)]),
            mode=str(modes[c % len(modes)]),
            interviews=int(k),
            people=int(p),
        )
        for c, k, p in zip(cells.tolist(), size.tolist(), people.tolist(), strict=True)
    ]


def analyse(
    data: AuditData,
    extra_findings: Sequence[Finding] = (),
    decision: SuppressionDecision | None = None,
    tables: ScoreTables | None = None,
) -> AuditAnalysis:
    """Analyse one audit: theme scores at every level, findings, fieldwork counts.

    `extra_findings` (e.g. evidence gaps from `sgaudit.registers`) are added to the
    findings and sorted with them. `decision` is the whole audit's suppression decision
    when `data` is only a part of the audit (a comparison's common questions): every
    cell it hides stays hidden here.

    `tables` are `ScoreTables.build(data, decision)` when the caller has built them
    already (the report shares one build between the analysis, the register evidence
    and the comparison); they are built here otherwise.
    """
    tables = tables if tables is not None else ScoreTables.build(data, decision)
    titles = theme_titles(data)
    overall = {str(r.theme): r for r in tables.overall.itertuples(index=False)}
    by_tier, by_area, by_tier_area = (
        _cells(tables.by_tier),
        _cells(tables.by_area),
        _cells(tables.by_tier_area),
    )
    aspects = tables.aspects.set_index("theme")
    themes: list[ThemeResult] = []
    for theme, title in titles.items():
        if theme not in overall:
            continue  # no valid answer to this theme in this audit
        head = _cell(overall[theme])
        paper = aspects["paper_score"].get(theme) if theme in aspects.index else None
        practice = aspects["practice_score"].get(theme) if theme in aspects.index else None
        themes.append(
            ThemeResult(
                theme=theme,
                title=title,
                score=head.score,
                rag=head.rag,
                n=head.n,
                suppressed=head.suppressed,
                dont_know_rate=head.dont_know_rate,
                paper_score=None if head.suppressed or pd.isna(paper) else float(paper),
                practice_score=None if head.suppressed or pd.isna(practice) else float(practice),
                by_tier=by_tier.get(theme, []),
                by_area=by_area.get(theme, []),
                by_tier_area=by_tier_area.get(theme, []),
            )
        )
    detection = detect(data, tables)
    # A finding never names a service area whose every cell is hidden: naming it would
    # say something about a group too small to show (the last guard, whatever detected it).
    shown_areas = {c.service_area for t in themes for c in t.by_area if not c.suppressed}
    named_safely = [f for f in detection.findings if set(f.service_areas) <= shown_areas]
    maybe_named = [f for f in detection.worth_exploring if set(f.service_areas) <= shown_areas]
    # An evidence gap as large as a finding's but not clear of the noise is worth
    # exploring, as any other comparison is (`sgaudit.registers.triangulation`).
    extra_sure = [f for f in extra_findings if f.certainty == "finding"]
    extra_maybe = [f for f in extra_findings if f.certainty != "finding"]
    own_table, own_findings = compare_self_assessment(tables, extra_sure)
    sure = [f for f in own_findings if f.certainty == "finding"]
    maybe = [f for f in own_findings if f.certainty != "finding"]
    findings = sort_findings([*named_safely, *extra_sure, *sure], list(titles))
    totals = tables.overall
    asked = int(totals["scored"].sum() + totals["dont_know"].sum())
    people = int(interview_table(tables.scored)["people"].sum()) if len(tables.scored) else 0
    # The audit-wide rate pools every theme: with a theme's overall cell hidden, it
    # would give that theme's hidden rate away (the other themes' rates are shown).
    dk_rate = (
        float(totals["dont_know"].sum()) / asked
        if asked
        and people >= data.settings.suppression_min
        and not bool(totals["suppressed"].any())
        else None
    )
    return AuditAnalysis(
        question_set_id=data.question_set_id,
        question_set_version=data.question_set_version,
        settings=data.settings,
        themes=themes,
        findings=findings,
        interviews=_interview_counts(tables),
        dont_know_rate=dk_rate,
        worth_exploring=sort_findings([*maybe_named, *extra_maybe, *maybe], list(titles)),
        not_assessable=detection.not_assessable,
        pooled=detection.pooled,
        thread_reach=detection.reach,
        area_reach=[r for r in detection.area_reach if r.service_area in shown_areas],
        organisation_reach=detection.organisation_reach,
        self_assessment=own_table if own_table else None,
    )
