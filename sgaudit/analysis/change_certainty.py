"""How sure a change between two audits is: each compared cell's change with its interval.

A re-audit hears different people (or the same people at another time), so a cell's
change, now minus then, is the difference of two independent groups' scores, each a
ratio of sums over its respondents, as everywhere in the analysis
(`uncertainty.py`): one interview, survey return or focus group is one respondent.
The spread of respondents is pooled over the two sides of the cell (the classic
two-sample t: under "nothing changed" the same kind of people were heard twice), with
the degrees of freedom the two sides really have, so three trustees then and three
now are read on four degrees of freedom, not on a spread borrowed from elsewhere (the
people who use services answer three-point questions and spread far more than staff,
and a board is not the front line). Respondents weigh unequally, by the answers they
gave (a front-line interview answers many more of a theme's questions than a person
who uses services), and a few heavy ones settle a cell's score and its spread almost
alone, so each side counts its respondents as Kish's effective number, (sum of
weights)^2 / sum of squared weights: a service area of nine respondents a side, two of
whom carry most of the weight, is read on the few degrees of freedom it has, not on
sixteen. The two audits ask the same questions of the same
tiers (only comparable questions are kept), so how a tier reads a question is the same
on both sides and drops out of the change.

Every change of the comparison (each theme overall, per tier and per service area) is
judged together under the audit's false-flag control (`false_flag_rate`,
`false_flag_method`): a change is *clear* when its interval, at the level that control
sets, excludes zero. `compare.py` calls a change better or worse only when it is both
at least `change_points` and clear; a change as large whose interval still includes
zero is *unsure*: too few people heard to tell it from chance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.uncertainty import (
    false_flag_control,
    moment_stats,
    pooled_variance,
    respondent_moments,
    t_sf,
)
from sgaudit.questionnaire.settings import AnalysisSettings

KEYS = ("theme", "tier", "service_area")
# The cells a comparison lists: each theme overall, per tier and per service area.
SPLITS: tuple[tuple[str, ...], ...] = ((), ("tier",), ("service_area",))
CHANGE_COLUMNS = ("diff", "low", "high", "level", "clear", "n_before", "n_after")
# Under this many degrees of freedom (the two sides' effective respondents less two), a
# cell's own spread is taken as at least the theme's usual spread within a tier
# (`_theme_floor`).
FLOOR_BELOW_DF = 10


def change_certainty(
    before: ScoreTables, after: ScoreTables, settings: AnalysisSettings
) -> pd.DataFrame:
    """Per cell compared (theme, tier, service_area; None where the cell is not split
    that way): the change (after minus before, unrounded), its interval at the
    control's level, whether it is clear of zero, and the people heard on each side.

    `before` and `after` are the two audits' score tables on the comparable questions.
    A cell with no scored respondent on a side is left out (it is not comparable).
    """
    old_ti, new_ti = _respondents(before), _respondents(after)
    cells = {
        split: (_cells(old_ti, ["theme", *split]), _cells(new_ti, ["theme", *split]))
        for split in SPLITS
    }
    floor = _theme_floor(*cells[("tier",)])
    parts = []
    for split, (old, new) in cells.items():
        keys = ["theme", *split]
        both = new.merge(old, on=keys, suffixes=("", "_before"))
        if both.empty:
            continue
        out = _pooled_t(both, both["theme"].map(floor).to_numpy(dtype=float))
        for key in KEYS:
            out[key] = both[key].to_numpy(dtype=object) if key in both else None
        parts.append(out)
    if not parts:
        return pd.DataFrame(columns=[*KEYS, *CHANGE_COLUMNS])
    judged = false_flag_control(
        pd.concat(parts, ignore_index=True),
        settings.false_flag_rate,
        settings.false_flag_method,
    )
    return judged[[*KEYS, *CHANGE_COLUMNS]]


def _pooled_t(both: pd.DataFrame, floor: np.ndarray) -> pd.DataFrame:
    """diff (after minus before), se, df and two-sided p of each row of `both` (the
    after side's `score`, `n`, `n_eff`, `s2`, the before side's with `_before`): the two
    sides' respondent variance pooled on their own degrees of freedom, read on the
    effective respondents' degrees of freedom, and for a small cell (`FLOOR_BELOW_DF`)
    never below `floor` (the theme's spread within a tier)."""
    n1, n0 = (both[c].to_numpy(dtype=float) for c in ("n", "n_before"))
    s1, s0 = (np.nan_to_num(both[c].to_numpy(dtype=float)) for c in ("s2", "s2_before"))
    df = np.maximum(n1 - 1, 0) + np.maximum(n0 - 1, 0)
    e1, e0 = (both[c].to_numpy(dtype=float) for c in ("n_eff", "n_eff_before"))
    df_eff = np.maximum(e1 - 1, 0) + np.maximum(e0 - 1, 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (np.maximum(n1 - 1, 0) * s1 + np.maximum(n0 - 1, 0) * s0) / df
        # a small group's spread is too uncertain to go below the theme's usual one
        pooled = np.where(df_eff < FLOOR_BELOW_DF, np.fmax(pooled, floor), pooled)
        se = np.sqrt(pooled * (1 / n1 + 1 / n0))
        diff = both["score"].to_numpy(dtype=float) - both["score_before"].to_numpy(dtype=float)
        t = np.abs(diff) / se
    p = 2 * t_sf(t, np.where(df_eff > 0, df_eff, 1.0))
    # No spread to judge by (one respondent a side, or in effect one) is no evidence.
    p = np.where((df_eff > 0) & np.isfinite(t) & (se > 0), p, np.nan)
    return pd.DataFrame(
        {
            "diff": diff,
            "se": se,
            "df": np.where(df_eff > 0, df_eff, np.nan),
            "p": p,
            "n_after": both["people"].to_numpy(dtype=float),
            "n_before": both["people_before"].to_numpy(dtype=float),
        }
    )


def _respondents(tables: ScoreTables) -> pd.DataFrame:
    """Theme x respondent rows with a scored answer, keys as plain strings."""
    ti = tables.theme_interview
    ti = ti[ti["weight"].to_numpy() > 0]
    return ti.assign(**{k: ti[k].astype(str).to_numpy(dtype=object) for k in KEYS})


def _cells(ti: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """score, n (respondents), people, s2 and n_eff (Kish's effective number of
    respondents: their weights' sum squared over the sum of their squares) per cell."""
    if ti.empty:
        return pd.DataFrame(columns=[*keys, "score", "n", "people", "s2"])
    m = respondent_moments(ti, keys, "weighted_sum", "weight")
    sw, sww = (m[c].to_numpy(dtype=float) for c in ("sw", "sww"))
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = np.where(sww > 0, sw * sw / sww, 0.0)
    return pd.concat([m[keys], moment_stats(m).assign(n_eff=n_eff)], axis=1)


def _theme_floor(*tier_cells: pd.DataFrame) -> dict[str, float]:
    """Per theme, the spread between respondents of one tier, pooled over every tier of
    both audits: the least a group's spread is taken to be. Two senior leaders who
    answered one yes/no question alike show no spread at all; people do not agree that
    closely, and the interval must not say they do. `tier_cells`: each audit's `_cells`
    by theme and tier."""
    tiers = pd.concat(tier_cells, ignore_index=True)
    return {
        str(theme): pooled_variance(g["s2"].to_numpy(dtype=float), g["n"].to_numpy(dtype=float))
        for theme, g in tiers.groupby("theme", sort=False)
    }


def interval_of(row) -> tuple[float | None, float | None]:
    """(low, high) of a `change_certainty` row, None for a bound that is not a number."""
    low, high = float(row.low), float(row.high)
    return (low if np.isfinite(low) else None, high if np.isfinite(high) else None)
