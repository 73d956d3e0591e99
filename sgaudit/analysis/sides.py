"""One side minus the other, cell by cell, from respondent rows: the comparisons' engine.

A thread break (a tier against the front line) and a knowledge gap (a tier's don't-know
rate against everyone else's) are both "side a minus side b" within cells such as
base x group x theme. `compare_cells` works them out from one row per respondent.

The rows can be many (every respondent once per comparison they take part in, a few
hundred thousand for a million answers), so the caller gives each row's cell as an
integer code (the thread's respondent rows carry theirs) and every sum is one groupby
on those codes; strings are looked at only once per cell, to name it and to put the
cells in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.uncertainty import cell_moments, difference, expected_variance, moment_stats

DIFFERENCE_COLUMNS: tuple[str, ...] = ("score_a", "score_b", "n_a", "n_b", "diff", "se", "df", "p")
SIDE_STATS: tuple[str, ...] = ("score", "n", "people", "s2", "expected", "item_var")


def _first_valid(values: pd.Series, group: np.ndarray, n: int) -> np.ndarray:
    """Per group 0..n-1: its first value that is not missing (NaN if none), as groupby's first."""
    v = values.to_numpy(dtype=float)
    ok = np.flatnonzero(~np.isnan(v))
    pos = np.full(n, len(v), dtype=np.int64)
    np.minimum.at(pos, group[ok], ok)
    out = np.full(n, np.nan)
    has = pos < len(v)
    out[has] = v[pos[has]]
    return out


def compare_cells(
    cell: np.ndarray,
    side_a: np.ndarray,
    resp: pd.DataFrame,
    names: pd.DataFrame,
    scale: float = 1.0,
    bounded: bool = True,
    pool_by: np.ndarray | None = None,
) -> pd.DataFrame:
    """Side a minus side b per cell, from respondent rows.

    `cell` numbers each row's cell (0, 1, ...: row `cell` of `names`, which holds the
    keys, one of them "theme"); `side_a` is true on side a. `resp` needs only the
    numeric columns: y, w, people, and for the variance model inv_k (1 / answers behind
    the respondent's score) and noise (the theme's answer variance), see
    `uncertainty.expected_variance`; each side's own spread is shrunk towards it. Rows
    come out in the order of the keys' values. `bounded=False`: the scores are not on
    the scale (centred on each respondent's own level, `own_level.py`), so the person
    part of the variance does not follow the scale's bounds. `pool_by` (one per row of
    `names`) groups the cells whose spread between people is pooled; their theme when
    not given.
    """
    group, full = pd.factorize(cell.astype(np.int64) * 2 + ~side_a, sort=False)
    everyone = bool((resp["w"].to_numpy(dtype=float) > 0).all())
    inv_k = resp["inv_k"].to_numpy(dtype=float)
    noise = resp["noise"].to_numpy(dtype=float)
    heard = (~np.isnan(noise)).astype(float)
    extra = {"inv_k": inv_k, "noise": noise, "heard": heard} if everyone else None
    m, cells, _ = cell_moments(resp, group, "y", "w", extra=extra, numbered=True)
    # A mean is pandas' compensated sum over the count: with every row in the moments,
    # the same sums come out of their groupby, so it is not run twice.
    with np.errstate(invalid="ignore", divide="ignore"):
        if everyone:
            mean_inv_k = m["inv_k"].to_numpy() / m["n"].to_numpy()
            heard_n = m["heard"].to_numpy()
            mean_noise = np.where(heard_n > 0, m["noise"].to_numpy() / heard_n, np.nan)
        else:
            means = pd.DataFrame({"inv_k": inv_k, "noise": noise}).groupby(group, sort=False)
            means = means.mean().to_numpy()[cells]
            mean_inv_k, mean_noise = means[:, 0], means[:, 1]
    of_cell = full[cells] // 2
    stats_ = moment_stats(m)
    stats_["inv_k"] = mean_inv_k
    stats_["noise"] = mean_noise
    stats_["item_var"] = (
        _first_valid(resp["item_var"], group, len(full))[cells]
        if "item_var" in resp.columns
        else 0.0
    )
    pool = names["theme"].to_numpy() if pool_by is None else np.asarray(pool_by)
    stats_["expected"] = expected_variance(
        pool[of_cell],
        stats_["s2"].to_numpy(dtype=float),
        stats_["n"].to_numpy(dtype=float),
        stats_["inv_k"].to_numpy(dtype=float),
        stats_["noise"].to_numpy(dtype=float),
        # scores follow the scale's bounds; don't-know rates (scale 100) have their own noise
        stats_["score"].to_numpy(dtype=float) / 100 if scale == 1.0 and bounded else None,
    )
    # Pair each cell's side a with its side b, both scored, in the order of the keys.
    scored = ~np.isnan(stats_["score"].to_numpy(dtype=float))
    at = np.full((len(names), 2), -1, dtype=np.int64)
    at[of_cell[scored], full[cells][scored] % 2] = np.flatnonzero(scored)
    both = np.flatnonzero((at >= 0).all(axis=1))
    if not len(both):
        return pd.DataFrame(columns=[*names.columns, *DIFFERENCE_COLUMNS])
    labels = list(names.itertuples(index=False, name=None))
    both = sorted(both, key=lambda c: labels[c])
    ia, ib = at[both, 0], at[both, 1]
    a = pd.DataFrame({c: stats_[c].to_numpy(dtype=float)[ia] for c in SIDE_STATS})
    b = pd.DataFrame({c: stats_[c].to_numpy(dtype=float)[ib] for c in SIDE_STATS})
    out = difference(
        a, b, prior=a["expected"].to_numpy(), scale=scale, prior_b=b["expected"].to_numpy()
    )
    for i, k in enumerate(names.columns):
        out.insert(i, k, pd.Index([labels[c][i] for c in both]))
    return out
