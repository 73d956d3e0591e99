"""Paper versus practice: do the documents promise more than people experience?

Each question is `aspect: paper` (does a policy or document exist, is it current) or
`aspect: practice` (what actually happens). A theme's paper score and practice score
are the weighted means over its scored answers of each aspect; each side counts only
when the interviews that gave it scored answers hold at least `suppression_min` people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import group_sums, str_codes, sums_by
from sgaudit.analysis.like_with_like import ThreadAnswers
from sgaudit.analysis.scores import interview_totals
from sgaudit.questionnaire.settings import AnalysisSettings


def aspect_scores(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Per theme: paper_score, paper_n, practice_score, practice_n (blank when suppressed).

    `frame` is the output of `score_responses` or of `interview_totals`. n counts the
    people in interviews that gave at least one scored answer of that aspect.
    """
    totals = frame if "weighted_sum" in frame.columns else interview_totals(frame)
    rows = totals["scored"].to_numpy() > 0
    theme = totals["theme"].cat.codes.to_numpy().astype(np.int64)[rows]
    aspect, aspects = str_codes(totals["aspect"].iloc[np.flatnonzero(rows)])
    cell = theme * len(aspects) + aspect
    ok = (theme >= 0) & (aspect >= 0)  # a groupby leaves out missing keys
    values = {
        "weighted_sum": totals["weighted_sum"].to_numpy()[rows][ok],
        "weight": totals["weight"].to_numpy()[rows][ok],
        "n": totals["people"].to_numpy()[rows][ok],
    }
    codes, cells = sums_by(cell[ok], values, sort=True)  # pandas' sums per theme x aspect
    with np.errstate(invalid="ignore", divide="ignore"):
        score = cells["weighted_sum"] / cells["weight"]
    n = cells["n"]
    score[n < settings.suppression_min] = np.nan
    themes = np.unique(codes // len(aspects))
    at = np.searchsorted(themes, codes // len(aspects))
    names = totals["theme"].cat.categories
    out = {"theme": [str(names[t]) for t in themes]}
    for name in ("paper", "practice"):
        mine = aspects[codes % len(aspects)] == name
        side_score = np.full(len(themes), np.nan)
        side_n = np.zeros(len(themes), dtype=np.int64)
        side_score[at[mine]] = score[mine]
        side_n[at[mine]] = n[mine]
        out[f"{name}_score"], out[f"{name}_n"] = side_score, side_n
    return pd.DataFrame(out)


def question_pull(answers: ThreadAnswers, aspects: list[str]) -> dict[str, float]:
    """Per theme: the variance the questions themselves add to paper minus practice.

    The same respondents answer both aspects, so who was heard cancels in the paired
    difference; which questions were asked does not. Each question, as a tier reads it,
    pulls its answers up or down (the question-by-tier variance the golden thread uses,
    `like_with_like._item_variance`), and a theme's paper score averages that pull over
    its paper questions as each tier was asked them (and practice over its practice
    ones): item / (question x tier pairs of paper) + item / (those of practice).
    Left out, clean audits' paper/practice differences spread 1.21 times as wide as
    their intervals said; with it, 1.09 (100 seeds).
    """
    if "paper" not in aspects or "practice" not in aspects:
        return {}
    pairs = np.zeros((max(len(answers.themes), 1), len(aspects)))
    np.add.at(pairs, (answers.q_theme, answers.q_aspect), answers.answered.sum(axis=1))
    paper, practice = pairs[:, aspects.index("paper")], pairs[:, aspects.index("practice")]
    with np.errstate(invalid="ignore", divide="ignore"):
        pull = answers.item[: len(answers.themes)] * (1 / paper + 1 / practice)
    return {t: float(v) for t, v in zip(answers.themes, pull, strict=False) if np.isfinite(v)}


def paper_practice_comparisons(
    totals: pd.DataFrame, settings: AnalysisSettings, pull: dict[str, float] | None = None
) -> pd.DataFrame:
    """Paper score minus practice score per theme, with its uncertainty.

    `totals` is `interview_totals` (theme x aspect x interview). The same respondents
    usually answer both aspects, so the variance is the linearised variance of the
    difference of the two ratio estimators over respondents (paired), plus the
    questions' own pull (`pull`, per theme: `question_pull`), read against Student's t
    on n - 1 degrees of freedom. Each side needs `suppression_min` people.
    Works on integer codes: one row per theme x interview, themes in name order.
    """
    from sgaudit.analysis.thread import COMPARISON_COLUMNS
    from sgaudit.analysis.uncertainty import t_sf

    keep = np.flatnonzero(totals["weight"].to_numpy() > 0)
    theme, themes = str_codes(totals["theme"].iloc[keep])
    aspect, aspects = str_codes(totals["aspect"].iloc[keep])
    if not len(keep) or {"paper", "practice"} - set(aspects[:-1]):
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    iv = totals["interview_id"].iloc[keep]
    iv = (
        iv.cat.codes.to_numpy()
        if isinstance(iv.dtype, pd.CategoricalDtype)
        else (pd.factorize(iv, sort=True)[0])
    )
    rank = np.argsort(np.argsort(themes, kind="stable"), kind="stable")  # name order
    n_iv = int(iv.max()) + 1
    rows, at = np.unique(rank[theme] * n_iv + iv, return_inverse=True)
    side = {}
    for name, (y, w, p) in (("paper", ("yp", "wp", "pp")), ("practice", ("yr", "wr", "pr"))):
        mine = aspects[aspect] == name
        for col, source in ((y, "weighted_sum"), (w, "weight"), (p, "people")):
            # added one by one in row order, as np.add.at adds them: the same sums
            values = totals[source].to_numpy(dtype=float)[keep][mine]
            side[col] = np.bincount(at[mine], values, minlength=len(rows))
    frame = {
        "yp": side["yp"],
        "wp": side["wp"],
        "yr": side["yr"],
        "wr": side["wr"],
        "np": np.where(side["wp"] > 0, side["pp"], 0),
        "nr": np.where(side["wr"] > 0, side["pr"], 0),
        "one": np.ones(len(rows)),
    }
    of = rows // n_iv  # each row's theme, by rank; rows are sorted, so themes come in order
    ranks, sums = sums_by(of, frame)  # pandas' sums per theme (`codes.group_sums`)
    t = pd.Index(ranks).get_indexer(of)
    with np.errstate(invalid="ignore", divide="ignore"):
        rp, rr = sums["yp"] / sums["wp"], sums["yr"] / sums["wr"]
        wbp, wbr = sums["wp"] / sums["one"], sums["wr"] / sums["one"]
        z = (frame["yp"] - rp[t] * frame["wp"]) / wbp[t] - (
            frame["yr"] - rr[t] * frame["wr"]
        ) / wbr[t]
        zz = group_sums(pd.factorize(of, sort=False)[0], len(ranks), {"zz": z * z})["zz"]
        n = sums["one"]
        se2 = zz / (n * (n - 1))
    by_rank = np.empty(len(themes), dtype=object)
    by_rank[rank] = themes
    se = np.sqrt(se2 + np.asarray([(pull or {}).get(by_rank[r], 0.0) for r in ranks]))
    out = pd.DataFrame(
        {
            "theme": pd.Index([by_rank[r] for r in ranks]),
            "score_a": rp,
            "score_b": rr,
            "n_a": sums["np"],
            "n_b": sums["nr"],
            "diff": rp - rr,
            "se": se,
            "df": n - 1,
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        tstat = np.abs(out["diff"]) / out["se"]
    out["p"] = np.where(tstat.notna(), 2 * t_sf(tstat, np.maximum(out["df"], 1)), np.nan)
    k = settings.suppression_min
    out = out[(out["n_a"] >= k) & (out["n_b"] >= k) & (n >= 2)]
    return out.assign(
        kind="paper_practice_gap",
        tier="",
        base="",
        area="",
        threshold=settings.paper_practice_gap_points,
        sign=1,
    )[list(COMPARISON_COLUMNS)]
