"""How sure a difference is: intervals for cell scores and comparisons, and the false-flag control.

The unit of evidence is the *respondent*: one interview, survey return or focus group
(a focus group is one respondent, its answers one voice, however many people it
holds). A cell's score is a ratio of sums over its respondents (weighted answer
scores over answer weights), so its uncertainty comes from how much respondents
differ from each other, measured by the usual linearised (sandwich) variance of a
ratio estimator.

Small groups are where a naive interval fails: three trustees give a spread that is
itself a guess. So each cell's respondent variance is *shrunk* towards the pooled
variance of the comparison it takes part in (the moderated variance of Smyth's
limma, an empirical-Bayes model): `(d0 x pooled + (n - 1) x own) / (d0 + n - 1)`
with `d0 = PRIOR_DF` prior degrees of freedom. The difference of two cells is then
read against Student's t on Welch-Satterthwaite degrees of freedom.

Everything here works on *moments* (sums per cell: n, sum w, sum y, sum y^2, sum yw,
sum w^2), so "all the other areas" is a total minus one area, and no Python loop
runs over respondents or responses.

An audit makes hundreds of comparisons, so they are judged together
(`false_flag_control`): by default (Benjamini-Hochberg) so that the share of false
flags among the flags is at most the set's `false_flag_rate`, or, with
`false_flag_method: audit`, so that the chance of an audit carrying any false flag
is (Bonferroni). The interval shown with each comparison is widened to match:
it excludes zero exactly when the difference passes that control.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PRIOR_DF = 40.0  # how many degrees of freedom the pooled spread is worth to a small cell
MOMENTS: tuple[str, ...] = ("n", "people", "sw", "sy", "syy", "syw", "sww")


def respondent_moments(frame: pd.DataFrame, keys: list[str], y: str, w: str) -> pd.DataFrame:
    """Per cell of `keys`: the sums a ratio estimator's variance needs.

    `frame` has one row per respondent (and whatever `keys` say), a value column `y`
    (e.g. weighted sum of scores) and a weight column `w` (e.g. sum of answer weights);
    rows with w <= 0 carry no information and are dropped. `people` is summed too when
    present (the head count shown as n), else each row counts 1. Cells come in the
    order their first respondent appears (`cell_moments` on the keys' integer codes).
    """
    from sgaudit.analysis.codes import keyed_cells

    cell, complete = keyed_cells(frame, keys)
    sums, _, first = cell_moments(frame, cell, y, w, complete)
    names = frame[keys].iloc[first].reset_index(drop=True)
    return pd.concat([names, sums], axis=1)


def cell_moments(
    frame: pd.DataFrame,
    cell: np.ndarray,
    y: str,
    w: str,
    rows: np.ndarray | None = None,
    extra: dict[str, np.ndarray] | None = None,
    numbered: bool = False,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """`respondent_moments` with each row's cell given as an integer (`cell`).

    Returns the MOMENTS per cell, the cells' integers and the row where each cell
    first appears, cells in that order (as a groupby with sort=False gives them).
    `rows` (bool) restricts the rows, as w > 0 does. `extra` columns (one value per
    row of `frame`) are summed in the same pass. `numbered`: the cells are already
    0, 1, 2, ... in order of first appearance (as `pd.factorize` numbers them).
    """
    from sgaudit.analysis.codes import first_of_each, group_sums

    wv = frame[w].to_numpy(dtype=float)
    keep = np.flatnonzero(wv > 0 if rows is None else (wv > 0) & rows)
    yv, wv = frame[y].to_numpy(dtype=float)[keep], wv[keep]
    people = (
        frame["people"].to_numpy(dtype=float)[keep]
        if "people" in frame.columns
        else np.ones(len(keep))
    )
    values = {
        "n": np.ones(len(keep)),
        "people": people,
        "sw": wv,
        "sy": yv,
        "syy": yv * yv,
        "syw": yv * wv,
        "sww": wv * wv,
    } | {name: values[keep] for name, values in (extra or {}).items()}
    if numbered and len(keep) == len(cell):  # every row kept: the numbers stand
        group = np.asarray(cell)
        cells = np.arange(int(group.max()) + 1 if len(group) else 0)
    else:
        group, cells = pd.factorize(cell[keep], sort=False)
    first = first_of_each(group, len(cells))
    first = keep[first]  # every cell has a row: its codes come from these rows
    # cells numbered in order of first appearance: the rows a groupby(sort=False) gives
    return pd.DataFrame(group_sums(group, len(cells), values)), np.asarray(cells), first


def moment_stats(m: pd.DataFrame) -> pd.DataFrame:
    """score (sum y / sum w), n, people and s2 (variance between respondents) of moment rows.

    s2 is the linearised variance of one respondent's contribution, scaled so that the
    variance of the cell's score is s2 / n; NaN below two respondents.
    """
    n = m["n"].to_numpy(dtype=float)
    sw = m["sw"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = m["sy"].to_numpy(dtype=float) / sw
        wbar = sw / n
        syy, syw, sww = (m[c].to_numpy(dtype=float) for c in ("syy", "syw", "sww"))
        resid = syy - 2 * score * syw + score * score * sww
        s2 = np.maximum(resid, 0.0) / (wbar * wbar) / (n - 1)
    s2[n < 2] = np.nan
    return pd.DataFrame(
        {"score": score, "n": n, "people": m["people"].to_numpy(dtype=float), "s2": s2},
        index=m.index,
    )


def pooled_variance(s2: np.ndarray, n: np.ndarray) -> float:
    """Respondent variance pooled over cells, each weighted by its degrees of freedom."""
    df = np.where(np.isfinite(s2), n - 1, 0.0)
    total = float(df.sum())
    return float(np.nansum(np.where(df > 0, s2, 0.0) * df) / total) if total > 0 else np.nan


def expected_variance(
    theme: np.ndarray,
    s2: np.ndarray,
    n: np.ndarray,
    inv_k: np.ndarray,
    noise: np.ndarray,
    level: np.ndarray | None = None,
) -> np.ndarray:
    """A cell's respondent variance as the model expects it: person + answer noise.

    A respondent's score varies with the person (how generous they are, the same
    in every tier) and with the answers they happened to give (noise / answers). The
    person part is pooled over every cell of the theme (each cell's spread less its
    answer noise, weighted by its degrees of freedom); `noise` is the theme's
    within-respondent answer variance and `inv_k` the cell's mean of 1 / answers. So
    three trustees borrow their spread from everyone heard on the theme, not from
    themselves alone.

    `level` (each cell's score as a share of the scale, 0-1) lets the person part
    follow the scale's bounds: people cannot differ much where nearly everyone answers
    at the top, so it is scaled by 4 x level x (1 - level) (1 in the middle of the
    scale; `level` is held within 0.05-0.95).
    """
    from sgaudit.analysis.codes import group_sums

    bound = np.ones(len(s2)) if level is None else _bound(np.asarray(level, dtype=float))
    df = np.where(np.isfinite(s2), np.maximum(n - 1, 0), 0.0).astype(float)
    excess = np.nan_to_num(s2 - noise * inv_k) / bound
    # per theme, spread back over its cells (a groupby transform's sums, `group_sums`)
    cell_theme, themes = pd.factorize(np.asarray(theme, dtype=object), sort=False)
    sums = group_sums(cell_theme, len(themes), {"num": excess * df, "df": df})
    with np.errstate(invalid="ignore", divide="ignore"):
        person = np.maximum(sums["num"][cell_theme] / sums["df"][cell_theme], 0.0)
    person[cell_theme < 0] = np.nan  # a cell with no theme has no theme to pool with
    return person * bound + noise * inv_k


def _bound(level: np.ndarray) -> np.ndarray:
    share = np.clip(np.nan_to_num(level, nan=0.5), 0.05, 0.95)
    return 4 * share * (1 - share)


def moderated(s2: np.ndarray, n: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's respondent variance shrunk towards `prior`, and its degrees of freedom."""
    own_df = np.maximum(n - 1, 0.0)
    own = np.where(np.isfinite(s2), s2, 0.0)
    prior = np.asarray(prior, dtype=float)
    has_prior = np.isfinite(prior)
    d0 = np.where(has_prior, PRIOR_DF, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (d0 * np.where(has_prior, prior, 0.0) + own_df * own) / (d0 + own_df)
    return var, d0 + own_df


def difference(
    a: pd.DataFrame,
    b: pd.DataFrame,
    prior: np.ndarray | None = None,
    scale: float = 1.0,
    prior_b: np.ndarray | None = None,
) -> pd.DataFrame:
    """a minus b, row by row, for two aligned frames of `moment_stats`.

    Returns score_a, score_b, n_a, n_b (people), resp_a, resp_b (respondents: voices),
    diff, se, df, p (two-sided).
    The groups must not share respondents. `prior` is each row's pooled respondent
    variance (default: pooled from the two sides of that row), `prior_b` b's when it
    differs from a's; `scale` multiplies scores (100 for rates in percentage points).
    """
    na, nb = a["n"].to_numpy(dtype=float), b["n"].to_numpy(dtype=float)
    if prior is None:
        sa, sb = a["s2"].to_numpy(dtype=float), b["s2"].to_numpy(dtype=float)
        da = np.where(np.isfinite(sa), np.maximum(na - 1, 0), 0.0)
        db = np.where(np.isfinite(sb), np.maximum(nb - 1, 0), 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            prior = (np.nan_to_num(sa) * da + np.nan_to_num(sb) * db) / (da + db)
    va, dfa = moderated(a["s2"].to_numpy(dtype=float), na, prior)
    vb, dfb = moderated(b["s2"].to_numpy(dtype=float), nb, prior if prior_b is None else prior_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        ea, eb = va / na * scale**2, vb / nb * scale**2
        if "item_var" in a.columns:  # which questions a side was asked is a chance too
            ea = ea + np.nan_to_num(a["item_var"].to_numpy(dtype=float)) * scale**2
            eb = eb + np.nan_to_num(b["item_var"].to_numpy(dtype=float)) * scale**2
        se = np.sqrt(ea + eb)
        df = (ea + eb) ** 2 / (ea**2 / dfa + eb**2 / dfb)
    diff = (a["score"].to_numpy(dtype=float) - b["score"].to_numpy(dtype=float)) * scale
    return _finish(a, b, diff, se, df, scale)


def one_sample(a: pd.DataFrame, against: float, prior: np.ndarray, scale: float = 1.0):
    """a's score minus a fixed value (e.g. the weak score), as `difference` does it."""
    n = a["n"].to_numpy(dtype=float)
    var, df = moderated(a["s2"].to_numpy(dtype=float), n, prior)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(var / n) * scale
    diff = (a["score"].to_numpy(dtype=float) - against) * scale
    empty = pd.DataFrame({"score": np.nan, "n": np.nan, "people": np.nan}, index=a.index)
    return _finish(a, empty, diff, se, df, scale)


def t_sf(t, df) -> np.ndarray:
    """Student's t upper tail, P(T > t) with `df` degrees of freedom: `scipy.stats.t.sf`.

    Worked out in numpy (`student_t`): importing scipy.special for it took 0.15 s of
    every command that analyses.
    """
    from sgaudit.analysis.student_t import t_sf as upper_tail

    return upper_tail(t, df)


def t_isf(q, df) -> np.ndarray:
    """The t value with upper tail `q` (0 < q < 1): `scipy.stats.t.isf`."""
    from sgaudit.analysis.student_t import t_isf as inverse_tail

    return inverse_tail(q, df)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q): `scipy.stats.false_discovery_control`
    with method "bh", worked out the same way (sorted, scaled by m / rank, the running
    minimum from the largest down, clipped to 1)."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p)
    q = p[order] * (m / np.arange(1, m + 1, dtype=float))
    q = np.minimum.accumulate(q[::-1])[::-1]
    out = np.empty_like(q)
    out[order] = q
    return np.clip(out, 0.0, 1.0)


def _finish(a, b, diff, se, df, scale) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.abs(diff) / se
    p = 2 * t_sf(t, np.where(np.isfinite(df), df, 1.0))
    # No spread to judge by (one respondent a side, say) is no evidence: not tested.
    p = np.where(np.isfinite(t) & np.isfinite(se) & (se > 0), p, np.nan)
    return pd.DataFrame(
        {
            "score_a": a["score"].to_numpy(dtype=float) * scale,
            "score_b": b["score"].to_numpy(dtype=float) * scale,
            "n_a": a["people"].to_numpy(dtype=float),
            "n_b": b["people"].to_numpy(dtype=float),
            "resp_a": a["n"].to_numpy(dtype=float),
            "resp_b": b["n"].to_numpy(dtype=float),
            "diff": diff,
            "se": se,
            "df": df,
            "p": p,
        }
    )


def subtract_moments(total: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """Moments of `total` minus `part` (aligned rows): "everyone else"."""
    out = part.copy()
    for col in MOMENTS:
        out[col] = total[col].to_numpy(dtype=float) - part[col].to_numpy(dtype=float)
    return out


def false_flag_control(
    comparisons: pd.DataFrame,
    rate: float,
    method: str = "flags",
    one_way: np.ndarray | None = None,
    family: np.ndarray | None = None,
) -> pd.DataFrame:
    """Judge every comparison of the audit together; adds q, low, high, level, clear, alpha.

    method "audit": the chance that the audit carries *any* false flag is
    at most `rate` (Bonferroni: each comparison is judged at rate / m, m comparisons);
    it holds however the comparisons depend on each other and however many real
    findings the audit has, at a cost in power. method "flags" (the default):
    Benjamini-Hochberg, the expected share of
    false flags *among the flags* is at most `rate`; more power, but an audit with
    several real findings then carries a false one more often.

    `family` (one integer per row) puts several readings of one difference together (a
    thread gap read plainly and beyond each person's own level): a family is one
    comparison of the m, its p the smallest of its readings' times their number
    (Bonferroni within the family), so a second reading does not loosen or tighten the
    control for anything else. Without it every row is its own family.

    `clear` is true when the comparison passes. low/high are the difference's interval
    at the matching level (1 - rate / m; for "flags", the false-coverage-rate level
    1 - rate x R / m with R families clear; within a family of k readings, a k-th of
    that), so an interval excludes zero exactly when `clear` is true. `one_way` marks
    comparisons whose p is one-sided: their interval's near bound is the one-sided bound
    at that level (the interval is at 1 - 2 x rate / m), so it too excludes zero exactly
    when `clear` (on the side that matters).
    """
    out = comparisons.copy()
    p = out["p"].to_numpy(dtype=float)
    tested = np.isfinite(p)
    fam = np.arange(len(out)) if family is None else np.asarray(family, dtype=np.int64)
    fam_code, fams = pd.factorize(fam, sort=False)
    size = np.bincount(fam_code[tested], minlength=len(fams)).astype(float)
    k = np.maximum(size[fam_code], 1.0)  # readings tested in each row's family
    p_adj = np.where(tested, np.minimum(p * k, 1.0), np.nan)
    fam_p = np.full(len(fams), np.inf)
    np.minimum.at(fam_p, fam_code[tested], p_adj[tested])
    judged = np.isfinite(fam_p)
    m = max(int(judged.sum()), 1)
    fam_q = np.full(len(fams), np.nan)
    if judged.any():
        if method == "flags":
            fam_q[judged] = benjamini_hochberg(fam_p[judged])
        else:
            fam_q[judged] = np.minimum(fam_p[judged] * m, 1.0)
    clear_families = int((np.nan_to_num(fam_q, nan=1.0) <= rate).sum())
    alpha = rate * (max(clear_families, 1) if method == "flags" else 1) / m
    # The family's own q for its smallest reading; another reading's q is its p on the
    # same scale (clear exactly when its p, times its family's size, is within alpha).
    q = np.where(p_adj <= fam_p[fam_code], fam_q[fam_code], np.minimum(p_adj * rate / alpha, 1.0))
    q = np.where(tested, q, np.nan)
    clear = np.nan_to_num(q, nan=1.0) <= rate
    df = out["df"].to_numpy(dtype=float)
    one_way = np.zeros(len(out), dtype=bool) if one_way is None else np.asarray(one_way)
    row_alpha = alpha / k
    crit = t_isf(np.where(one_way, row_alpha, row_alpha / 2), np.where(np.isfinite(df), df, 1.0))
    se = out["se"].to_numpy(dtype=float)
    diff = out["diff"].to_numpy(dtype=float)
    out["q"] = q
    out["low"] = diff - crit * se
    out["high"] = diff + crit * se
    out["level"] = np.where(one_way, 1 - 2 * row_alpha, 1 - row_alpha)
    out["clear"] = clear
    out["alpha"] = alpha  # the audit's level for one comparison (a family's, before its k)
    return out
