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
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from sgaudit.analysis.findings import TIER_NOUNS
from sgaudit.analysis.thread import BEYOND, pool_members
from sgaudit.analysis.thread_findings import thread_noun

THREAD_KINDS: tuple[str, ...] = ("thread_break", BEYOND)


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
    for (group, base), per in gap.groupby(level=["tier", "base"], sort=False):
        smallest = per["smallest"].to_numpy()
        noun = thread_noun(base, group, settings)
        base_noun = TIER_NOUNS.get(base, base)
        middle, low, high = (int(round(v)) for v in np.percentile(smallest, [50, 0, 100]))
        spread = f" ({low} to {high}, theme by theme)" if high > low else ""
        out.append(
            ThreadReach(
                tiers=pool_members(group),
                base_tier=base,
                themes=len(per),
                people=int(round(float(per["n_a"].median()))),
                base_people=int(round(float(per["n_b"].median()))),
                smallest=middle,
                lowest=low,
                highest=high,
                summary=(
                    f"Between {noun} and {base_noun}, a difference on a theme had to reach "
                    f"about {middle} points to show{spread}."
                ),
            )
        )
    return out
