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


def paper_practice_gaps(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Themes whose paper score exceeds the practice score by >= paper_practice_gap_points.

    `frame` is as for `aspect_scores`, or its output. Columns: theme, paper_score,
    practice_score, gap, paper_n, practice_n.
    """
    scores = frame.copy() if "paper_score" in frame.columns else aspect_scores(frame, settings)
    scores["gap"] = (scores["paper_score"] - scores["practice_score"]).round(9)
    gaps = scores[scores["gap"] >= settings.paper_practice_gap_points]
    cols = ["theme", "paper_score", "practice_score", "gap", "paper_n", "practice_n"]
    return gaps[cols].reset_index(drop=True)
