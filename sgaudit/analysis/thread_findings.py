"""Findings along the golden thread: thread breaks, knowledge gaps at the top, and notes.

The comparisons come from `thread.py` and have been through the flag control
(`flags.decide`). A thread break that one area's front line drives says "not sighted
on" that area, and folds into the area's localised finding when there is one. Tiers
too few to show are pooled or noted as not assessable (`assessment_notes`). A pool the
set names in `thread_pairs` (people who use services are set against the organisation's
leadership as a whole) is said by name in every sentence, and noted under `pooled`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit import printed
from sgaudit.analysis.codes import cell_codes, first_of_each, sums_by
from sgaudit.analysis.findings import (
    TIER_NOUNS,
    Finding,
    _and,
    _cap,
    _num,
    _one,
    _raise,
    severity_from_ratio,
)
from sgaudit.analysis.flags import FINDING, FindingMaker, certainty, how_sure
from sgaudit.analysis.thread import BETTER, BEYOND, THREAD_KINDS, WORSE, pool_members
from sgaudit.vocab import mid_sentence

LEADERSHIP: tuple[str, ...] = ("dsl", "senior_leader", "board")
# Shorter nouns for a list of the tiers taken together.
POOL_NOUNS: dict[str, str] = {**TIER_NOUNS, "dsl": "the DSL"}
APART = " (pooled: too few to show apart)"


def group_noun(group: str) -> str:
    members = pool_members(group)
    if len(members) == 1:
        return TIER_NOUNS.get(group, group)
    return _and([TIER_NOUNS.get(t, t) for t in members])


def together_noun(group: str) -> str:
    """A pool the set compares as one group, named so the reader knows who is in it.

    "the organisation's leadership (trustees, senior leaders and the DSL together)".
    """
    members = pool_members(group)
    listed = _and([POOL_NOUNS.get(t, t) for t in reversed(members)])
    if set(members) <= set(LEADERSHIP):
        return f"the organisation's leadership ({listed} together)"
    return f"{listed} together"


def together(base: str, group: str, settings) -> bool:
    """Whether `group` is a pool the set names against `base` (not a stand-in pool)."""
    members = set(pool_members(group))
    named = settings.thread_pairs.get(base, ())
    return len(members) > 1 and any(len(g) > 1 and members <= set(g) for g in named)


def thread_noun(base: str, group: str, settings) -> str:
    """Who is set against `base`, in words, saying how a pool was formed."""
    if together(base, group, settings):
        return together_noun(group)
    return group_noun(group) + (APART if len(pool_members(group)) > 1 else "")


def _seen_from_below(row):
    """The comparison turned round: the ground tier first (its score, n, difference)."""
    return row._replace(
        score_a=row.score_b,
        score_b=row.score_a,
        n_a=row.n_b,
        n_b=row.n_a,
        diff=-row.diff,
        low=-row.high,
        high=-row.low,
    )


def one_per_gap(flagged: pd.DataFrame) -> pd.DataFrame:
    """The thread comparisons to make findings of: one per base x group x theme.

    Each gap is compared two ways (`thread.thread_comparisons`): plainly, and beyond the
    two tiers' usual gap on the other themes (`BEYOND`). The plain one is taken when it
    is a finding, else the one beyond the usual gap when that is; what is only worth
    exploring comes last, the plain one first. A gap beyond the usual that points the
    other way from the plain gap (a board 25 points above its staff everywhere but level
    on one theme) says more about the other themes than this one: it is left out.
    """
    rows = flagged[flagged["kind"].isin(THREAD_KINDS)]
    best: dict[tuple, tuple[int, int]] = {}  # per gap: (rank, position); a few rows
    for k, r in enumerate(rows.itertuples(index=False)):
        beyond = r.kind == BEYOND
        if beyond and np.sign(r.score_a - r.score_b) != np.sign(r.diff):
            continue
        rank = (0 if r.status == FINDING else 2) + beyond
        gap = (r.base, r.tier, r.theme)
        if gap not in best or rank < best[gap][0]:
            best[gap] = (rank, k)
    return rows.iloc[sorted(k for _, k in best.values())]  # in the comparisons' order


def _beyond_words(row, noun: str, base_noun: str, title: str, from_below: bool) -> str:
    """The sentence of a gap found beyond the two tiers' usual gap on the other themes.

    "Managers rate Training 14 points lower than front-line staff (63 vs 77); on the
    other themes they rate 6 points higher than front-line staff. Set against their own
    ratings of the other themes, they rate it 20 points lower (difference -20 points,
    interval -36 to -6; 3 and 18 people; on the questions both were asked)."
    """
    shown = _num(row.score_a) - _num(row.score_b)
    # The difference beyond the usual gap is not a gap of two printed scores: it is
    # printed as itself at the nearest whole point, its interval by the one rule for
    # intervals (sgaudit.printed), and the usual gap is what is left, so the sentence adds
    # up (-14 = +6 - 20).
    beyond, low, high = printed.bound(row.diff), row.low, row.high
    first, second, sa, sb = noun, base_noun, row.score_a, row.score_b
    na, nb = int(row.n_a), int(row.n_b)
    if from_below:  # their voice first: people who use services
        first, second, sa, sb = base_noun, noun, row.score_b, row.score_a
        shown, beyond, low, high = -shown, -beyond, -high, -low
        na, nb = nb, na
    people = f"{na} and {nb} people"
    usual = shown - beyond
    again = second.split(" (")[0]  # named once in full: "the organisation's leadership"

    def points(n: int) -> str:  # "1 point", "6 points": the size of a gap, either way
        return printed.count(abs(n), "point")

    others = (
        f"as {again} do"
        if usual == 0
        else f"{points(usual)} {'higher' if usual > 0 else 'lower'} than {again}"
    )
    return (
        f"{_cap(first)} rate {title} {points(shown)} {'higher' if shown > 0 else 'lower'} "
        f"than {second} ({_num(sa)} vs {_num(sb)}); on the other themes they rate {others}. "
        f"Set against their own ratings of the other themes, they rate it "
        f"{points(beyond)} {'higher' if beyond > 0 else 'lower'} (difference "
        f"{beyond} points, interval {printed.interval_text(low, high, beyond)}; {people}; on "
        "the questions both were asked)."
    )


def thread_break_findings(
    flagged: pd.DataFrame,
    resp: pd.DataFrame,
    found: list[Finding],
    localised_by_theme: dict[str, int],
    s,
    titles: dict[str, str],
    make: FindingMaker,
) -> list[Finding]:
    """Thread-break findings; one driven by an area with a localised finding folds into it.

    `found` is updated in place where a thread break folds into a localised finding
    (`localised_by_theme` gives its index); the new findings are returned.
    """
    out: list[Finding] = []
    breaks = one_per_gap(flagged)
    sides = FrontLineSides(resp) if (breaks["base"] == "front_line").any() else None
    for row in breaks.itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        members = pool_members(row.tier)
        pooled = len(members) > 1
        base_noun = TIER_NOUNS.get(row.base, row.base)
        noun = thread_noun(row.base, row.tier, s)
        shown = _num(row.score_a) - _num(row.score_b)
        word = "higher" if shown > 0 else "lower"
        direction = BETTER if row.diff > 0 else WORSE
        driver = driving_area(sides, row, s) if row.base == "front_line" else None
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
            f"{base_noun} ({_num(row.score_a)} vs {_num(row.score_b)}; {how_sure(row)}; "
            f"on the questions both were asked)."
        )
        if row.kind == BEYOND:
            summary = _beyond_words(row, noun, base_noun, title, row.base == "service_user")
            if lead:
                summary = lead + mid_sentence(summary)
        elif row.base == "service_user":  # their voice first: "People who use services rate"
            below = "lower" if shown > 0 else "higher"
            summary = (
                f"{_cap(base_noun)} rate {title} {abs(shown)} points {below} than {noun} "
                f"({_num(row.score_b)} vs {_num(row.score_a)}; {how_sure(_seen_from_below(row))}"
                "; on the questions both were asked)."
            )
        severity = severity_from_ratio(row.diff, s.thread_break_points)
        if direction == BETTER and row.score_b < s.weak_score:
            severity = _raise(severity)  # optimism at the top while the ground is weak
        out.append(
            make(
                "thread_break",
                row.theme,
                severity,
                summary,
                {
                    "tier_score": _one(row.score_a),
                    "front_line_score": _one(row.score_b),
                    "base_tier": row.base,
                    "gap": _one(row.score_a - row.score_b),
                    "direction": direction,
                    "tier_n": int(row.n_a),
                    "front_line_n": int(row.n_b),
                    **(
                        {
                            "beyond_usual_gap": _one(row.diff),
                            "usual_gap": _one(row.score_a - row.score_b - row.diff),
                        }
                        if row.kind == BEYOND
                        else {}
                    ),
                },
                areas=[driver] if driver else [],
                tiers=[row.base, *members],
                **certainty(row),
                compared_with=base_noun,
                pooled_tiers=members if pooled else [],
            )
        )
    return out


def knowledge_gap_findings(
    flagged: pd.DataFrame, s, titles: dict[str, str], make: FindingMaker
) -> list[Finding]:
    """A tier answering "don't know" markedly more often than everyone else."""
    out: list[Finding] = []
    for row in flagged[flagged["kind"] == "knowledge_gap"].itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        members = pool_members(row.tier)
        pooled = len(members) > 1
        noun = group_noun(row.tier) + (APART if pooled else "")
        tier_pct, others_pct = _num(row.score_a), _num(row.score_b)
        tail = ": staff do not know what happens" if row.tier == "front_line" else ""
        summary = (
            f'{_cap(noun)} answered "don\'t know" to {tier_pct}% of {title} questions, '
            f"against {others_pct}% among everyone else{tail} "
            f"({how_sure(row, unit='percentage points')})."
        )
        out.append(
            make(
                "knowledge_gap",
                row.theme,
                severity_from_ratio(row.diff, s.knowledge_gap_points),
                summary,
                {
                    # shares (0-1) that print as the sentence's percentages do
                    "tier_dont_know_rate": round(_one(row.score_a) / 100, 3),
                    "others_dont_know_rate": round(_one(row.score_b) / 100, 3),
                    "gap_points": _one(row.diff),
                    "tier_n": int(row.n_a),
                    "others_n": int(row.n_b),
                },
                tiers=members,
                **certainty(row),
                compared_with="everyone else",
                pooled_tiers=members if pooled else [],
            )
        )
    return out


class FrontLineSides:
    """The front line's respondents of each thread comparison, found once for every
    thread break: row positions of side b by (base, group, theme), and each row's area."""

    def __init__(self, resp: pd.DataFrame) -> None:
        ground = np.flatnonzero((resp["side"] == "b").to_numpy(dtype=bool))
        keys = resp[["base", "group", "theme"]].iloc[ground]
        cell, first = pd.factorize(cell_codes(keys, list(keys.columns)), sort=False)
        names = keys.iloc[first_of_each(cell, len(first))].itertuples(index=False, name=None)
        order = np.argsort(cell, kind="stable")  # each cell's rows, in their order
        bounds = np.searchsorted(cell[order], np.arange(len(first) + 1))
        self.rows = {name: ground[order[bounds[k] : bounds[k + 1]]] for k, name in enumerate(names)}
        area = resp["service_area"]
        if isinstance(area.dtype, pd.CategoricalDtype):  # sort the few names, not every row
            used = area.cat.remove_unused_categories()
            used = used.cat.reorder_categories(sorted(used.cat.categories))
            self.area = used.cat.codes.to_numpy().astype(np.int64)
            self.areas = pd.Index(used.cat.categories, dtype="str")
        else:
            self.area, self.areas = pd.factorize(area, sort=True)
        self.values = {c: resp[c].to_numpy() for c in ("y", "w", "people")}


def driving_area(sides: FrontLineSides, row, settings) -> str | None:
    """The one service area whose front line makes the gap, if leaving it out closes it."""
    rows = sides.rows.get((row.base, row.tier, row.theme), np.empty(0, dtype=np.int64))
    rows = rows[sides.area[rows] >= 0]  # as groupby leaves out a missing area
    # per area in name order, as groupby("service_area") sums them
    at, sums = sums_by(sides.area[rows], {c: v[rows] for c, v in sides.values.items()}, True)
    areas = pd.DataFrame(sums, index=pd.Index(np.asarray(sides.areas)[at], dtype=object))
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
