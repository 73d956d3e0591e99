"""What the golden thread could show with the people heard: the smallest difference.

"No break in the golden thread" means "no break large enough to show with the people
we heard". With three trustees, a board that sees a theme 15 points differently from
its staff cannot be told apart from the noise, so silence there is not agreement. For
each pair of the thread (trustees against the front line, the leadership against the
people who use services, ...) this says how large a difference had to be, on one
theme, to be shown as a finding in *this* audit.

For one comparison that is exact, not modelled: a difference is a finding when it
reaches the set's threshold (`thread_break_points`) and is clear of the noise, that
is at least as far from zero as the half-width of its interval (the interval is at
the level the audit's false-flag control set, so it excludes zero exactly when the
difference passes). So the smallest difference that could show is the larger of the
two. A gap read twice (plainly and beyond the tiers' usual gap, `own_level`) shows
when either reading does: the smaller of the two readings' values. A real gap of
about that size is found about half the time (its measured difference falls either
side of it); a smaller one could be there unseen.

Per pair, over the themes compared, the median and the range are given, with the
people heard on each side (the median over those themes: a theme some of them did
not answer holds fewer). These are counts of groups already shown in the findings and
the thread table (a suppressed group is never compared, `suppression.py`).

The same for each service area (`area_reach`): how far below the other areas a theme
had to score, allowing for how the area rates the other themes, to show as localised.
Only the areas whose larger gaps are judged are in the audit's false-flag control, so
the others are read at the level the control set for one comparison (`alpha`, one-sided
as localised is), which is what a judged one would have met.

And for the organisation as a whole (`organisation_reach`): how far below the weak score
a theme had to score, the tiers that compare service areas together, to show as weak
across the organisation (a systemic finding also needs `systemic_share` of the areas
below the weak score). It is the half-width of the systemic comparison's interval, as
for the thread: a theme further below is clear of the noise. The fieldwork guide's
`fieldwork_guide_organisation` is the typical audit's; this is this audit's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from sgaudit import printed
from sgaudit.analysis.findings import TIER_NOUNS
from sgaudit.analysis.scope import SYSTEMIC
from sgaudit.analysis.scope_findings import scope_people
from sgaudit.analysis.thread import THREAD_KINDS, pool_members
from sgaudit.analysis.thread_findings import thread_noun
from sgaudit.analysis.uncertainty import t_isf
from sgaudit.vocab import TIERS


class ThreadReach(BaseModel):
    """How large a difference between two tiers of the thread had to be to show."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tiers: list[str]  # the tier, or the tiers pooled, set against `base_tier`
    base_tier: str
    themes: int  # themes on which the two were compared
    people: int  # people heard in `tiers` (median over those themes)
    base_people: int  # people heard in `base_tier` (the same)
    smallest: int  # median over the themes of the smallest difference that could show
    lowest: int  # its range over the themes
    highest: int
    summary: str


def smallest_shown(comps: pd.DataFrame) -> pd.Series:
    """Per judged comparison: the smallest difference that would have been a finding.

    `comps` are comparisons after `flags.decide` (with threshold, low and high); a
    comparison not tested (no spread to judge by) gives NaN.
    """
    half = (comps["high"].to_numpy(dtype=float) - comps["low"].to_numpy(dtype=float)) / 2
    shown = np.maximum(comps["threshold"].to_numpy(dtype=float), half)
    return pd.Series(np.where(np.isfinite(half), shown, np.nan), index=comps.index)


def _thread_order(group: str, base: str, settings) -> tuple[int, int]:
    """A pair's place in the set's `thread_pairs`: its ground tier, then what is set
    against it (a pool standing in for hidden tiers goes where its first member does)."""
    bases = list(settings.thread_pairs)
    against = settings.thread_pairs.get(base, ())
    members = set(pool_members(group))
    at = [i for i, g in enumerate(against) if members & set(g)]
    return (bases.index(base) if base in bases else len(bases), min(at, default=len(against)))


def thread_reach(comps: pd.DataFrame, settings) -> list[ThreadReach]:
    """One `ThreadReach` per pair of the golden thread compared in this audit."""
    rows = comps[comps["kind"].isin(THREAD_KINDS)]
    rows = rows.assign(smallest=smallest_shown(rows)).dropna(subset=["smallest"])
    if rows.empty:
        return []
    # A gap read twice shows when either reading does.
    gap = rows.groupby(["tier", "base", "theme"], sort=False).agg(
        smallest=("smallest", "min"), n_a=("n_a", "max"), n_b=("n_b", "max")
    )
    out = []
    pairs = gap.groupby(level=["tier", "base"], sort=False)
    for (group, base), per in sorted(pairs, key=lambda p: _thread_order(*p[0], settings)):
        over, (people, base_people), spread = _over_themes(per)
        about = printed.count(over["smallest"], "point")
        noun, base_noun = thread_noun(base, group, settings), TIER_NOUNS.get(base, base)
        out.append(
            ThreadReach(
                tiers=pool_members(group),
                base_tier=base,
                people=people,
                base_people=base_people,
                **over,
                summary=(
                    f"Between {noun} and {base_noun}, a difference on a theme had to reach "
                    f"about {about} to show{spread}."
                ),
            )
        )
    return out


def _over_themes(
    per: pd.DataFrame, counts: tuple[str, str] = ("n_a", "n_b")
) -> tuple[dict[str, int], tuple[int, int], str]:
    """One pair's or area's themes (rows with smallest and the two `counts`: by default
    the people on each side): the themes counted, the median smallest difference and its
    range; the two counts (medians); the range in words ("" when every theme gives the
    same)."""
    middle, low, high = (int(round(v)) for v in np.percentile(per["smallest"], [50, 0, 100]))
    people = (int(round(float(per[n].median()))) for n in counts)
    over = {"themes": len(per), "smallest": middle, "lowest": low, "highest": high}
    return over, tuple(people), f" ({low} to {high}, theme by theme)" if high > low else ""


class AreaReach(BaseModel):
    """How far below the other service areas an area's theme had to score to show."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service_area: str
    themes: int  # themes on which the area was set against the others
    people: int  # people heard in the area's operational tiers (median over the themes)
    others_people: int  # people heard in the other areas (the same)
    smallest: int  # median over the themes of the smallest gap that could show
    lowest: int
    highest: int
    summary: str


def area_smallest(rows: pd.DataFrame, alpha: float, settings) -> np.ndarray:
    """Per area-against-the-others comparison: the smallest gap below the others that
    would show, at `alpha` one-sided (as a judged localised comparison is read)."""
    crit = t_isf(np.full(len(rows), alpha), rows["df"].to_numpy(dtype=float))
    return np.maximum(settings.localised_gap_points, crit * rows["se"].to_numpy(dtype=float))


def area_reach(candidates: pd.DataFrame, comps: pd.DataFrame, settings) -> list[AreaReach]:
    """One `AreaReach` per service area set against the others (`scope.area_candidates`),
    at the audit's level for one comparison (`alpha` of the judged `comps`)."""
    se = candidates["se"].to_numpy(dtype=float)
    ok = np.isfinite(se) & (se > 0) & np.isfinite(candidates["df"].to_numpy(dtype=float))
    rows = candidates[ok]
    if rows.empty:
        return []
    alpha = float(comps["alpha"].iloc[0]) if len(comps) else settings.false_flag_rate
    rows = rows.assign(smallest=area_smallest(rows, alpha, settings))
    out = []
    for area, per in rows.groupby("area", sort=False):
        over, (people, others_people), spread = _over_themes(per)
        about = printed.count(over["smallest"], "point")
        out.append(
            AreaReach(
                service_area=str(area),
                people=people,
                others_people=others_people,
                **over,
                summary=(
                    f"In {area}, a theme had to score about {about} below "
                    f"the other service areas, allowing for how the area rates the other "
                    f"themes, to show{spread}."
                ),
            )
        )
    return out


class OrganisationReach(BaseModel):
    """How far below the weak score a theme had to score, across the organisation, to
    show as weak across it (a systemic finding)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tiers: list[str]  # the tiers that compare service areas (`scope_tiers`), together
    themes: int  # themes judged against the weak score
    people: int  # people heard in those tiers (median over the themes)
    voices: int  # the same as the analysis counts them: a focus group is one
    weak_score: float
    smallest: int  # median over the themes of the smallest distance below that could show
    lowest: int
    highest: int
    summary: str


def organisation_reach(comps: pd.DataFrame, settings) -> OrganisationReach | None:
    """The systemic comparisons' reach (module docstring); None when no theme was judged
    against the weak score (too few people heard in the tiers that compare areas)."""
    rows = comps[comps["kind"] == SYSTEMIC]
    rows = rows.assign(smallest=smallest_shown(rows)).dropna(subset=["smallest"])
    if rows.empty:
        return None
    over, (people, voices), spread = _over_themes(rows, ("n_a", "resp_a"))
    about = printed.count(over["smallest"], "point")
    weak = printed.score(settings.weak_score)
    return OrganisationReach(
        tiers=[t for t in TIERS if t in settings.scope_tiers],
        people=people,
        voices=voices,
        weak_score=float(settings.weak_score),
        **over,
        summary=(
            f"Across the organisation, with {scope_people(settings)} heard together "
            f"({printed.people_in_voices(people, voices)}), a theme had to score about "
            f"{about} below {weak} to show as weak across the "
            f"organisation{spread}, and be below {weak} in at least "
            f"{settings.systemic_share:.0%} of the service areas{_own_level_route(over, settings)}."
        ),
    )


def _own_level_route(over: dict, settings) -> str:
    """The systemic question's second reading (`scope.systemic_own_level`) in the reach:
    a theme that stands out from the same people's other themes needs only to be outside
    the borderline band. Said only where that is nearer the line than the reach itself."""
    points, band = settings.systemic_own_level_points, settings.borderline_points
    if points <= 0 or over["smallest"] <= band:
        return ""
    return (
        f"; {printed.count(printed.bound(band), 'point')} below was enough where the same "
        f"people clearly rated it at least {printed.count(printed.bound(points), 'point')} "
        "below their other themes"
    )
