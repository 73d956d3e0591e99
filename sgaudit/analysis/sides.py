"""One side minus the other, cell by cell, from respondent rows: the comparisons' engine.

A thread break (a tier against the front line) and a knowledge gap (a tier's don't-know
rate against everyone else's) are both "side a minus side b" within cells such as
base x group x theme. `compare_sides` works the cells out from one row per respondent.

The rows can be many (every respondent once per comparison they take part in, a few
hundred thousand for a million answers), so the cells are found once as integer codes
(`cell_codes`) and every sum is one groupby on those codes; strings are looked at only
once per cell, to name it and to put the cells in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.uncertainty import MOMENTS, difference, expected_variance, moment_stats

DIFFERENCE_COLUMNS: tuple[str, ...] = ("score_a", "score_b", "n_a", "n_b", "diff", "se", "df", "p")
SIDE_STATS: tuple[str, ...] = ("score", "n", "people", "s2", "expected", "item_var")


def first_of_each(codes: np.ndarray, n: int) -> np.ndarray:
    """Position of the first occurrence of each code 0..n-1 in `codes` (-1 if absent)."""
    pos = np.full(n, -1, dtype=np.int64)
    seen, at = np.unique(codes, return_index=True)
    pos[seen] = at
    return pos


def cell_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """One integer per row naming its cell of `keys` (equal keys, equal integers)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for key in keys:
        codes, uniques = pd.factorize(frame[key], sort=False)
        combined = combined * (len(uniques) + 1) + codes + 1
    return combined


def _moments(frame: pd.DataFrame, cell: np.ndarray, y: str, w: str):
    """`uncertainty.respondent_moments` on integer cells: (moment rows, their cell, first row).

    Cells come in the order their first respondent with w > 0 appears, as a groupby
    with sort=False gives them; the sums are pandas' own.
    """
    wv_all = frame[w].to_numpy(dtype=float)
    rows = np.flatnonzero(wv_all > 0)
    yv, wv = frame[y].to_numpy(dtype=float)[rows], wv_all[rows]
    people = (
        frame["people"].to_numpy(dtype=float)[rows]
        if "people" in frame.columns
        else np.ones(len(rows))
    )
    values = {
        "n": np.ones(len(rows)),
        "people": people,
        "sw": wv,
        "sy": yv,
        "syy": yv * yv,
        "syw": yv * wv,
        "sww": wv * wv,
    }
    group, cells = pd.factorize(cell[rows], sort=False)
    sums = pd.DataFrame(values).groupby(group, sort=False)[list(MOMENTS)].sum()
    first = rows[first_of_each(group, len(cells))]
    return sums.reset_index(drop=True), cells, first


def compare_sides(resp: pd.DataFrame, keys: list[str], scale: float = 1.0) -> pd.DataFrame:
    """Side 'a' minus side 'b' per cell of `keys`, from respondent rows.

    `resp` has y, w, people, and for the variance model inv_k (1 / answers behind the
    respondent's score) and noise (the theme's answer variance); see
    `uncertainty.expected_variance`. Each side's own spread is shrunk towards it.
    Rows come out in the order of `keys`' values.
    """
    cell = cell_codes(resp, [*keys, "side"])
    m, cells, first = _moments(resp, cell, "y", "w")
    model_cols = {"inv_k": "mean", "noise": "first"}
    model_cols["item_var"] = "first" if "item_var" in resp.columns else None
    frame = resp[[c for c, how in model_cols.items() if how]]
    model = frame.groupby(cell, sort=False).agg({c: h for c, h in model_cols.items() if h})
    model = model.reindex(cells)
    names = resp[[*keys, "side"]].iloc[first].reset_index(drop=True)
    stats_ = moment_stats(m)
    stats_["inv_k"] = model["inv_k"].to_numpy(dtype=float)
    stats_["noise"] = model["noise"].to_numpy(dtype=float)
    stats_["item_var"] = model["item_var"].to_numpy(dtype=float) if model_cols["item_var"] else 0.0
    stats_["expected"] = expected_variance(
        names["theme"].to_numpy(),
        stats_["s2"].to_numpy(dtype=float),
        stats_["n"].to_numpy(dtype=float),
        stats_["inv_k"].to_numpy(dtype=float),
        stats_["noise"].to_numpy(dtype=float),
    )
    # Pair each cell's side a with its side b, both scored, in the order of the keys.
    side = names["side"].to_numpy()
    score = stats_["score"].to_numpy(dtype=float)
    where = {
        s: {
            tuple(row): i
            for i, row in enumerate(names[keys].itertuples(index=False, name=None))
            if side[i] == s and not np.isnan(score[i])
        }
        for s in ("a", "b")
    }
    both = sorted(where["a"].keys() & where["b"].keys())
    if not both:
        return pd.DataFrame(columns=[*keys, *DIFFERENCE_COLUMNS])
    ia = np.array([where["a"][k] for k in both])
    ib = np.array([where["b"][k] for k in both])
    a = pd.DataFrame({c: stats_[c].to_numpy(dtype=float)[ia] for c in SIDE_STATS})
    b = pd.DataFrame({c: stats_[c].to_numpy(dtype=float)[ib] for c in SIDE_STATS})
    out = difference(
        a, b, prior=a["expected"].to_numpy(), scale=scale, prior_b=b["expected"].to_numpy()
    )
    for i, k in enumerate(keys):
        out.insert(i, k, pd.Index([key[i] for key in both]))
    return out
