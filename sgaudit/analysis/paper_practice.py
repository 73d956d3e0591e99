"""Paper versus practice: do the documents promise more than people experience?

Each question is `aspect: paper` (does a policy or document exist, is it current) or
`aspect: practice` (what actually happens). A theme's paper score and practice score
are the weighted means over its scored answers of each aspect; each side counts only
when the interviews that gave it scored answers hold at least `suppression_min` people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.scores import interview_totals
from sgaudit.questionnaire.models import AnalysisSettings


def aspect_scores(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Per theme: paper_score, paper_n, practice_score, practice_n (blank when suppressed).

    `frame` is the output of `score_responses` or of `interview_totals`. n counts the
    people in interviews that gave at least one scored answer of that aspect.
    """
    totals = frame if "weighted_sum" in frame.columns else interview_totals(frame)
    answered = totals[totals["scored"] > 0]
    cells = (
        answered.groupby(["theme", "aspect"], observed=True, sort=True)
        .agg(weighted_sum=("weighted_sum", "sum"), weight=("weight", "sum"), n=("people", "sum"))
        .reset_index()
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        cells["score"] = cells["weighted_sum"] / cells["weight"]
    cells.loc[cells["n"] < settings.suppression_min, "score"] = np.nan
    cells["theme"] = cells["theme"].astype(str)
    cells["aspect"] = cells["aspect"].astype(str)
    wide = cells.pivot(index="theme", columns="aspect", values=["score", "n"])
    out = pd.DataFrame(index=list(dict.fromkeys(cells["theme"])))
    for aspect in ("paper", "practice"):
        out[f"{aspect}_score"] = wide.get(("score", aspect), pd.Series(dtype=float))
        n = wide.get(("n", aspect), pd.Series(dtype=float)).reindex(out.index)
        out[f"{aspect}_n"] = n.fillna(0).astype(np.int64)
    out.index.name = "theme"
    return out.reset_index()


def paper_practice_comparisons(totals: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Paper score minus practice score per theme, with its uncertainty.

    `totals` is `interview_totals` (theme x aspect x interview). The same respondents
    usually answer both aspects, so the variance is the linearised variance of the
    difference of the two ratio estimators over respondents (paired), read against
    Student's t on n - 1 degrees of freedom. Each side needs `suppression_min` people.
    """
    from sgaudit.analysis.thread import COMPARISON_COLUMNS

    t = totals[totals["weight"] > 0]
    # all float, so the 0 filled in for a missing aspect fits every column
    t = t.assign(
        theme=t["theme"].astype(str), aspect=t["aspect"].astype(str), people=t["people"] * 1.0
    )
    wide = t.pivot_table(
        index=["theme", "interview_id"],
        columns="aspect",
        values=["weighted_sum", "weight", "people"],
        aggfunc="sum",
        fill_value=0.0,
        observed=True,
    )
    if wide.empty or {"paper", "practice"} - set(wide.columns.get_level_values(1)):
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    frame = pd.DataFrame(
        {
            "theme": wide.index.get_level_values(0),
            "yp": wide[("weighted_sum", "paper")].to_numpy(),
            "wp": wide[("weight", "paper")].to_numpy(),
            "yr": wide[("weighted_sum", "practice")].to_numpy(),
            "wr": wide[("weight", "practice")].to_numpy(),
            "np": np.where(wide[("weight", "paper")] > 0, wide[("people", "paper")], 0),
            "nr": np.where(wide[("weight", "practice")] > 0, wide[("people", "practice")], 0),
            "one": 1.0,
        }
    )
    sums = frame.groupby("theme", sort=False)[["yp", "wp", "yr", "wr", "np", "nr", "one"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        rp, rr = sums["yp"] / sums["wp"], sums["yr"] / sums["wr"]
        wbp, wbr = sums["wp"] / sums["one"], sums["wr"] / sums["one"]
        z = (frame["yp"] - rp.reindex(frame["theme"]).to_numpy() * frame["wp"]) / wbp.reindex(
            frame["theme"]
        ).to_numpy() - (
            frame["yr"] - rr.reindex(frame["theme"]).to_numpy() * frame["wr"]
        ) / wbr.reindex(frame["theme"]).to_numpy()
        zz = (z * z).groupby(frame["theme"].to_numpy(), sort=False).sum().reindex(sums.index)
        n = sums["one"]
        se = np.sqrt(zz / (n * (n - 1)))
    out = pd.DataFrame(
        {
            "theme": sums.index,
            "score_a": rp.to_numpy(),
            "score_b": rr.to_numpy(),
            "n_a": sums["np"].to_numpy(),
            "n_b": sums["nr"].to_numpy(),
            "diff": (rp - rr).to_numpy(),
            "se": se.to_numpy(),
            "df": (n - 1).to_numpy(dtype=float),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        tstat = np.abs(out["diff"]) / out["se"]
    from sgaudit.analysis.uncertainty import t_sf

    out["p"] = np.where(tstat.notna(), 2 * t_sf(tstat, np.maximum(out["df"], 1)), np.nan)
    k = settings.suppression_min
    out = out[(out["n_a"] >= k) & (out["n_b"] >= k) & (n.to_numpy() >= 2)]
    return out.assign(
        kind="paper_practice_gap",
        tier="",
        base="",
        area="",
        threshold=settings.paper_practice_gap_points,
        sign=1,
    )[list(COMPARISON_COLUMNS)]
