"""The golden thread: how each tier, from service users to the board, rates each theme.

Only unsuppressed cells take part: a thread break or knowledge gap is never worked
out from a group too small to show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.questionnaire.models import AnalysisSettings
from sgaudit.vocab import OVERSIGHT_TIERS, TIERS, UPPER_TIERS

BETTER = "higher_rates_better"
WORSE = "higher_rates_worse"


def golden_thread(by_tier: pd.DataFrame) -> pd.DataFrame:
    """Theme x tier matrix of scores (from `theme_scores_by_tier`); blank where suppressed.

    Rows in theme order, columns ground to board, only tiers that were asked.
    """
    frame = by_tier.assign(tier=by_tier["tier"].astype(str), theme=by_tier["theme"].astype(str))
    matrix = frame.pivot(index="theme", columns="tier", values="score")
    themes = list(dict.fromkeys(frame["theme"]))
    tiers = [t for t in TIERS if t in matrix.columns]
    return matrix.reindex(index=themes, columns=tiers)


def _usable(by_tier: pd.DataFrame) -> pd.DataFrame:
    frame = by_tier[~by_tier["suppressed"]].copy()
    frame["theme"] = frame["theme"].astype(str)
    frame["tier"] = frame["tier"].astype(str)
    return frame


def thread_breaks(by_tier: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Upper tiers whose score differs from the front line's by >= thread_break_points.

    One row per theme x upper tier (manager, dsl, senior_leader, board): theme, tier,
    tier_score, front_line_score, gap (tier minus front line), direction
    ('higher_rates_better' = the tier is more optimistic than the front line,
    'higher_rates_worse' = more pessimistic), tier_n, front_line_n.
    """
    frame = _usable(by_tier).dropna(subset=["score"])
    front = frame[frame["tier"] == "front_line"][["theme", "score", "n"]]
    front = front.rename(columns={"score": "front_line_score", "n": "front_line_n"})
    upper = frame[frame["tier"].isin(UPPER_TIERS)][["theme", "tier", "score", "n"]]
    upper = upper.rename(columns={"score": "tier_score", "n": "tier_n"})
    out = upper.merge(front, on="theme", how="inner")
    # Rounded so that a gap of exactly the threshold is not lost to floating point.
    out["gap"] = (out["tier_score"] - out["front_line_score"]).round(9)
    out = out[out["gap"].abs() >= settings.thread_break_points].copy()
    out["direction"] = np.where(out["gap"] > 0, BETTER, WORSE)
    cols = ["theme", "tier", "tier_score", "front_line_score", "gap", "direction"]
    return out[[*cols, "tier_n", "front_line_n"]].reset_index(drop=True)


def knowledge_gaps(by_tier: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Oversight tiers (board, senior_leader) who answer don't-know markedly more than others.

    A tier's don't-know rate is compared with the rate of all other unsuppressed tiers
    pooled (their don't-know answers over their scored + don't-know answers); a gap of
    at least knowledge_gap_points percentage points is a knowledge gap. Columns: theme,
    tier, tier_rate, others_rate (both 0-1), gap_points, tier_n, others_n.
    """
    frame = _usable(by_tier)
    frame = frame.assign(asked=frame["scored"] + frame["dont_know"])
    sums = frame.groupby("theme")[["dont_know", "asked", "n"]].sum()
    top = frame[frame["tier"].isin(OVERSIGHT_TIERS) & (frame["asked"] > 0)].copy()
    theme_sums = sums.reindex(top["theme"])
    others_dk = theme_sums["dont_know"].to_numpy() - top["dont_know"].to_numpy()
    others_asked = theme_sums["asked"].to_numpy() - top["asked"].to_numpy()
    top["others_n"] = theme_sums["n"].to_numpy() - top["n"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        top["others_rate"] = np.where(others_asked > 0, others_dk / others_asked, np.nan)
    top["tier_rate"] = top["dont_know"] / top["asked"]
    top["gap_points"] = ((top["tier_rate"] - top["others_rate"]) * 100.0).round(9)
    top = top[(top["others_n"] >= settings.suppression_min) & top["others_rate"].notna()]
    top = top[top["gap_points"] >= settings.knowledge_gap_points]
    cols = ["theme", "tier", "tier_rate", "others_rate", "gap_points", "n", "others_n"]
    return top[cols].rename(columns={"n": "tier_n"}).reset_index(drop=True)
