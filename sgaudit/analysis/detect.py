"""Which differences are findings: one decision over every comparison of the audit.

All comparisons (thread, don't know, localised, area-wide, systemic, paper/practice)
are gathered in one table and put through the false-flag control together
(`uncertainty.false_flag_control`). Then, for each:

- **finding**: the difference is at least the set's threshold in the direction that
  matters, and clear of the noise (its interval excludes zero);
- **worth exploring**: as large, but not clear ("too few people to be sure"), or a
  systemic call within the borderline band;
- nothing otherwise.

Then the domain rules: a systemic theme has no localised finding; a thread break that
comes from one area's front line says "not sighted on" that area (and folds into the
area's localised finding when there is one); tiers too few to show are pooled or
noted as not assessable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sgaudit import printed
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import (
    TIER_NOUNS,
    Finding,
    _and,
    _cap,
    _num,
    _one,
    _quotes,
    _raise,
    order_tiers,
    quotable_notes,
    severity_from_ratio,
    sort_findings,
)
from sgaudit.analysis.paper_practice import paper_practice_comparisons
from sgaudit.analysis.scope import (
    AREA_WIDE,
    LOCALISED,
    SYSTEMIC,
    area_levels,
    area_wide_comparisons,
    localised_comparisons,
    operational_respondents,
    systemic_comparisons,
)
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import theme_titles
from sgaudit.analysis.thread import (
    BETTER,
    COMPARISON_COLUMNS,
    THREAD_PAIRS,
    WORSE,
    dont_know_comparisons,
    pool_members,
    thread_comparisons,
    thread_groups,
    thread_respondents,
)
from sgaudit.analysis.uncertainty import false_flag_control

FINDING, WORTH = "finding", "worth_exploring"
TOO_FEW = "too few people to be sure"
BORDERLINE = "borderline: close to the weak score or the systemic share"


class AssessmentNote(BaseModel):
    """What the analysis could not look at, or looked at only pooled, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: Literal["not_assessable", "pooled"]
    tiers: list[str]
    themes: list[str] = Field(default_factory=list)
    summary: str


@dataclass(frozen=True, eq=False)
class Detection:
    findings: list[Finding]
    worth_exploring: list[Finding]
    not_assessable: list[AssessmentNote]
    pooled: list[AssessmentNote]
    comparisons: pd.DataFrame  # every comparison made, with q, interval and status


def group_noun(group: str) -> str:
    members = pool_members(group)
    if len(members) == 1:
        return TIER_NOUNS.get(group, group)
    return _and([TIER_NOUNS.get(t, t) for t in members])


def all_comparisons(tables: ScoreTables):
    """Every comparison of the audit, before the false-flag control; and the inputs kept."""
    s = tables.settings
    groups = thread_groups(tables.by_tier, s)
    resp = thread_respondents(tables.scored, groups)
    ops = operational_respondents(tables.theme_interview, s)
    parts = [
        thread_comparisons(resp, s),
        dont_know_comparisons(tables.theme_interview, groups, s),
        localised_comparisons(ops, tables.theme_interview, s),
        area_wide_comparisons(ops, tables.theme_interview, s),
        systemic_comparisons(ops, s),
        _shown_aspects(paper_practice_comparisons(tables.totals, s), tables),
    ]
    parts = [p for p in parts if len(p)]
    comps = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    )
    return comps, groups, resp, ops


def _shown_aspects(comps: pd.DataFrame, tables: ScoreTables) -> pd.DataFrame:
    """Paper/practice comparisons of themes whose paper and practice scores may be shown."""
    hidden = set(tables.decision.hidden_aspects) | set(
        tables.aspects.loc[tables.aspects["paper_score"].isna(), "theme"].astype(str)
    )
    return comps[~comps["theme"].isin(hidden)]


def decide(comps: pd.DataFrame, rate: float, method: str = "flags") -> pd.DataFrame:
    """Adds q, low, high, level, clear and status ('finding', 'worth_exploring' or '')."""
    numeric = comps.astype({"p": float, "diff": float, "se": float, "df": float})
    out = false_flag_control(numeric, rate, method)
    diff = out["diff"].to_numpy(dtype=float).round(9)
    thr = out["threshold"].to_numpy(dtype=float)
    sign = out["sign"].to_numpy(dtype=int)
    big = np.where(sign == 0, np.abs(diff) >= thr, np.where(sign > 0, diff >= thr, diff <= -thr))
    systemic = (out["kind"] == SYSTEMIC).to_numpy()
    shown = np.isfinite(out["score_a"].to_numpy(dtype=float)) & (
        systemic | np.isfinite(out["score_b"].to_numpy(dtype=float))
    )
    sure = np.isfinite(out["low"].to_numpy(dtype=float)) & np.isfinite(
        out["p"].to_numpy(dtype=float)
    )
    big &= np.isfinite(diff) & shown & sure & ~(systemic & (diff >= 0))
    out["status"] = np.select([big & out["clear"].to_numpy(), big], [FINDING, WORTH], "")
    return out


def _certainty(row, status: str | None = None, note: str | None = None) -> dict:
    status = status or row.status
    return {
        "certainty": status,
        "certainty_note": note if note is not None else ("" if status == FINDING else TOO_FEW),
        "difference": _one(row.diff),
        "interval": (_one(row.low), _one(row.high)),
        "interval_level": _one(row.level, 4),
        "n_group": int(row.n_a),
        "n_compared": int(row.n_b) if row.n_b == row.n_b else None,
    }


def _whole(value: float) -> int:
    return int(round(float(value)))


def _sure(row, flip: bool = False, unit: str = "points") -> str:
    """'difference 45 points, interval 38 to 56; 5 and 24 people' (flip: shown as a gap)."""
    diff, low, high = (-row.diff, -row.high, -row.low) if flip else (row.diff, row.low, row.high)
    # the difference of the two printed scores, as the sentence prints them (one rule)
    shown = printed.gap(row.score_a, row.score_b)
    if shown is not None:
        diff = -shown if flip else shown
    people = (
        f"{int(row.n_a)} and {int(row.n_b)} people"
        if row.n_b == row.n_b
        else (f"{int(row.n_a)} people")
    )
    return f"difference {_whole(diff)} {unit}, interval {_num(low)} to {_num(high)}; {people}"


def detect(data: AuditData, tables: ScoreTables | None = None) -> Detection:
    """Findings, things worth exploring and assessment notes of one audit."""
    tables = tables or ScoreTables.build(data)
    s = data.settings
    titles = theme_titles(data)
    notes = quotable_notes(tables)
    consider = data.questions_to_consider
    comps, groups, resp, ops = all_comparisons(tables)
    comps = decide(comps, s.false_flag_rate, s.false_flag_method)
    found: list[Finding] = []

    def make(kind, theme, severity, summary, evidence, areas=(), tiers=(), **extra) -> Finding:
        return Finding(
            kind=kind,
            theme=theme,
            service_areas=list(areas),
            tiers=order_tiers(list(tiers)),
            severity=severity,
            summary=summary,
            evidence=evidence,
            quotes=_quotes(notes, theme, tiers, areas) if theme else [],
            questions_to_consider=list(consider.get(theme, [])),
            **extra,
        )

    flagged = comps[comps["status"] != ""]

    # ---- systemic -----------------------------------------------------------------
    levels = area_levels(ops, tables.theme_interview, s) if len(ops) else pd.DataFrame()
    systemic_themes: set[str] = set()
    for row in flagged[flagged["kind"] == SYSTEMIC].itertuples(index=False):
        lv = levels[levels["theme"] == row.theme] if len(levels) else levels
        assessed = len(lv)
        if assessed < 2:
            continue
        weak = lv[lv["score"] < s.weak_score].sort_values("score")
        near = lv[lv["score"] < s.weak_score + s.borderline_points]
        share, near_share = len(weak) / assessed, len(near) / assessed
        if row.status == FINDING and share >= s.systemic_share:
            status, note = FINDING, ""
        elif row.diff < s.borderline_points and near_share >= s.systemic_share - s.borderline_share:
            status, note = WORTH, BORDERLINE
        else:
            continue
        title = titles.get(row.theme, row.theme)
        score = row.score_a
        names = [
            f"{a} ({int(n)})" for a, n in zip(weak["service_area"], weak["n_people"], strict=True)
        ]
        summary = (
            f"{title} is weak across the organisation: {len(weak)} of {assessed} service areas "
            f"score below {_num(s.weak_score)}, and together they score {_num(score)} "
            f"({_num(-row.diff)} points below it, interval {_num(-row.high)} to {_num(-row.low)}; "
            f"{int(row.n_a)} people in the service areas)."
        )
        f = make(
            SYSTEMIC,
            row.theme,
            "high" if score < s.weak_score - 10 else "medium",
            summary,
            {
                "score": _one(score),
                "areas_assessed": int(assessed),
                "weak_areas": int(len(weak)),
                "weak_share": _one(share, 2),
                "weak_area_names": ", ".join(weak["service_area"]),
                "weak_area_n": ", ".join(names),
                "weak_score": s.weak_score,
            },
            **_certainty(row, status, note),
            compared_with="the weak score",
        )
        found.append(f)
        if status == FINDING:
            systemic_themes.add(row.theme)

    # ---- localised, per theme, all flagged areas together ----------------------------
    loc = flagged[(flagged["kind"] == LOCALISED) & ~flagged["theme"].isin(systemic_themes)]
    localised_by_theme: dict[str, int] = {}
    for (theme, status), rows in loc.groupby(["theme", "status"], sort=False):
        rows = rows.sort_values("score_a")
        title = titles.get(theme, theme)
        areas = rows["area"].tolist()
        named = [f"{a} ({_num(v)})" for a, v in zip(areas, rows["score_a"], strict=True)]
        others = float(rows["score_b"].mean())
        raw_gap = others - float(rows["score_a"].mean())
        key_row = next(rows.loc[[rows["diff"].abs().idxmin()]].itertuples(index=False))
        total = int(rows["n_a"].iloc[0] + rows["n_b"].iloc[0])
        assessed = int(len(levels[levels["theme"] == theme])) if len(levels) else 0
        summary = (
            f"{title} is markedly weaker in {_and(named)} than in the other service areas "
            f"(average {_num(others)}): a gap of {_num(raw_gap)} points; allowing for how each "
            f"area rates the other themes, {_sure(key_row, flip=True)}."
        )
        certainty = _certainty(key_row, status)
        certainty.update(n_group=int(rows["n_a"].sum()), n_compared=total - int(rows["n_a"].sum()))
        found.append(
            make(
                LOCALISED,
                theme,
                severity_from_ratio(float(-key_row.diff), s.localised_gap_points),
                summary,
                {
                    "area_score": _one(rows["score_a"].mean()),
                    "others_score": _one(others),
                    "gap": _one(raw_gap),
                    "areas_assessed": assessed,
                    "area_n": ", ".join(
                        f"{a} ({int(n)})" for a, n in zip(areas, rows["n_a"], strict=True)
                    ),
                },
                areas=areas,
                **certainty,
                compared_with="the other service areas",
            )
        )
        if status == FINDING:
            localised_by_theme[theme] = len(found) - 1

    # ---- an area weak on everything -----------------------------------------------
    for row in flagged[flagged["kind"] == AREA_WIDE].itertuples(index=False):
        summary = (
            f"{row.area} rates safeguarding lower than the other service areas across the "
            f"themes: on average {_num(row.score_a)} against {_num(row.score_b)} "
            f"({_sure(row, flip=True)})."
        )
        found.append(
            make(
                LOCALISED,
                "",
                severity_from_ratio(row.diff, s.localised_gap_points),
                summary,
                {
                    "area_score": _one(row.score_a),
                    "others_score": _one(row.score_b),
                    "gap": _one(-row.diff),
                    "across_themes": "yes",
                },
                areas=[row.area],
                **_certainty(row),
                compared_with="the other service areas",
            )
        )

    # ---- thread breaks ----------------------------------------------------------
    for row in flagged[flagged["kind"] == "thread_break"].itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        members = pool_members(row.tier)
        pooled = len(members) > 1
        base_noun = TIER_NOUNS.get(row.base, row.base)
        noun = group_noun(row.tier) + (" (pooled: too few to show apart)" if pooled else "")
        shown = _num(row.score_a) - _num(row.score_b)
        word = "higher" if shown > 0 else "lower"
        direction = BETTER if row.diff > 0 else WORSE
        driver = _driving_area(resp, row, s) if row.base == "front_line" else None
        if driver and row.status == FINDING and row.theme in localised_by_theme:
            i = localised_by_theme[row.theme]
            loc_f = found[i]
            if driver in loc_f.service_areas:
                extra = (
                    f" {_cap(group_noun(row.tier))} rate it as the other areas' front line does: "
                    f"not sighted on {driver}."
                )
                ev = {**loc_f.evidence, "not_sighted": group_noun(row.tier)}
                found[i] = loc_f.model_copy(
                    update={"summary": loc_f.summary + extra, "evidence": ev}
                )
                continue
        lead = f"{_cap(group_noun(row.tier))} are not sighted on {driver}: " if driver else ""
        summary = (
            f"{lead}{_cap(noun) if not lead else noun} rate {title} {abs(shown)} points {word} than "
            f"{base_noun} ({_num(row.score_a)} vs {_num(row.score_b)}; {_sure(row)}; "
            f"on the questions both were asked)."
        )
        severity = severity_from_ratio(row.diff, s.thread_break_points)
        if direction == BETTER and row.score_b < s.weak_score:
            severity = _raise(severity)  # optimism at the top while the ground is weak
        found.append(
            make(
                "thread_break",
                row.theme,
                severity,
                summary,
                {
                    "tier_score": _one(row.score_a),
                    "front_line_score": _one(row.score_b),
                    "base_tier": row.base,
                    "gap": _one(row.diff),
                    "direction": direction,
                    "tier_n": int(row.n_a),
                    "front_line_n": int(row.n_b),
                },
                areas=[driver] if driver else [],
                tiers=[row.base, *members],
                **_certainty(row),
                compared_with=base_noun,
                pooled_tiers=members if pooled else [],
            )
        )

    # ---- don't know -------------------------------------------------------------
    for row in flagged[flagged["kind"] == "knowledge_gap"].itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        members = pool_members(row.tier)
        pooled = len(members) > 1
        noun = group_noun(row.tier) + (" (pooled: too few to show apart)" if pooled else "")
        tier_pct, others_pct = _num(row.score_a), _num(row.score_b)
        tail = ": staff do not know what happens" if row.tier == "front_line" else ""
        summary = (
            f'{_cap(noun)} answered "don\'t know" to {tier_pct}% of {title} questions, '
            f"against {others_pct}% among everyone else ({tier_pct - others_pct} points more"
            f"{tail}; {_sure(row, unit='percentage points')})."
        )
        found.append(
            make(
                "knowledge_gap",
                row.theme,
                severity_from_ratio(row.diff, s.knowledge_gap_points),
                summary,
                {
                    "tier_dont_know_rate": _one(row.score_a / 100, 3),
                    "others_dont_know_rate": _one(row.score_b / 100, 3),
                    "gap_points": _one(row.diff),
                    "tier_n": int(row.n_a),
                    "others_n": int(row.n_b),
                },
                tiers=members,
                **_certainty(row),
                compared_with="everyone else",
                pooled_tiers=members if pooled else [],
            )
        )

    # ---- paper and practice ------------------------------------------------------
    for row in flagged[flagged["kind"] == "paper_practice_gap"].itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        summary = (
            f"{title} scores {_num(row.score_a)} on paper but {_num(row.score_b)} in practice: "
            f"what the documents say is {_num(row.score_a) - _num(row.score_b)} points ahead of "
            f"what happens ({_sure(row)})."
        )
        found.append(
            make(
                "paper_practice_gap",
                row.theme,
                severity_from_ratio(row.diff, s.paper_practice_gap_points),
                summary,
                {
                    "paper_score": _one(row.score_a),
                    "practice_score": _one(row.score_b),
                    "gap": _one(row.diff),
                    "paper_n": int(row.n_a),
                    "practice_n": int(row.n_b),
                },
                **_certainty(row),
                compared_with="practice",
            )
        )

    order = list(titles)
    sure = sort_findings([f for f in found if f.certainty == FINDING], order)
    maybe = sort_findings([f for f in found if f.certainty == WORTH], order)
    not_assessable, pooled = assessment_notes(groups, titles)
    return Detection(sure, maybe, not_assessable, pooled, comps)


def _driving_area(resp: pd.DataFrame, row, settings) -> str | None:
    """The one service area whose front line makes the gap, if leaving it out closes it."""
    part = resp[
        (resp["base"] == row.base)
        & (resp["group"] == row.tier)
        & (resp["theme"] == row.theme)
        & (resp["side"] == "b")
    ]
    areas = part.groupby("service_area")[["y", "w", "people"]].sum()
    if len(areas) < 2:
        return None
    rest_y = areas["y"].sum() - areas["y"]
    rest_w = areas["w"].sum() - areas["w"]
    with np.errstate(invalid="ignore", divide="ignore"):
        without = row.score_a - rest_y / rest_w
    without = without[(areas["people"] >= settings.suppression_min) & (rest_w > 0)]
    if without.empty:
        return None
    area = str(without.abs().idxmin())
    return area if abs(without[area]) < settings.thread_break_points / 2 else None


def assessment_notes(
    groups: pd.DataFrame, titles: dict[str, str]
) -> tuple[list[AssessmentNote], list[AssessmentNote]]:
    """One note per tier that was heard but cannot be shown, and one per pool used."""
    thread_tiers = {t for base, ups in THREAD_PAIRS for t in (base, *ups)}
    order = list(titles)
    missing = groups[(groups["group"] == "") & groups["tier"].isin(thread_tiers)]
    out = []
    for tier, rows in missing.groupby("tier", sort=False):
        themes = sorted(set(rows["theme"]), key=lambda t: order.index(t) if t in order else 99)
        names = _and([titles.get(t, t) for t in themes])
        out.append(
            AssessmentNote(
                reason="not_assessable",
                tiers=[tier],
                themes=themes,
                summary=(
                    f"Not assessable: too few people heard. {_cap(TIER_NOUNS.get(tier, tier))} "
                    f"cannot be set against the rest of the golden thread on {names}."
                ),
            )
        )
    used = groups[groups["pooled"]]
    pools = []
    for group, rows in used.groupby("group", sort=False):
        themes = sorted(set(rows["theme"]), key=lambda t: order.index(t) if t in order else 99)
        pools.append(
            AssessmentNote(
                reason="pooled",
                tiers=pool_members(group),
                themes=themes,
                summary=(
                    f"{_cap(group_noun(group))} are taken together in the golden thread on "
                    f"{_and([titles.get(t, t) for t in themes])}: too few to show apart."
                ),
            )
        )
    return out, pools
