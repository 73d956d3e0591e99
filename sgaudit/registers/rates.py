"""A share with its counts, and the small-group rule: no rate over fewer than `suppression_min`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict


class Rate(BaseModel):
    """`count` of `n` (people or records). When n < suppression_min, count and rate are None.

    `n` is None only when it would reveal a hidden count: the DBS certificates showing
    information (the head count of `risk_assessed`) when that rate is hidden.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    n: int | None  # None: the head count is itself a hidden count of another rate
    count: int | None
    rate: float | None  # 0-1
    suppressed: bool

    @classmethod
    def of(cls, count: float, n: float, suppression_min: int) -> Rate:
        n = int(n)
        if n == 0:
            return cls(n=0, count=None, rate=None, suppressed=False)
        if n < suppression_min:
            return cls(n=n, count=None, rate=None, suppressed=True)
        return cls(n=n, count=int(count), rate=round(float(count) / n, 4), suppressed=False)

    @classmethod
    def of_mask(cls, good: pd.Series, eligible: pd.Series | None, suppression_min: int) -> Rate:
        """The share of eligible rows where `good` holds (NA in `good` counts as not good)."""
        good_ = _flag(good)
        if eligible is None:
            return cls.of(int(good_.sum()), len(good_), suppression_min)
        eligible_ = _flag(eligible)
        return cls.of(int((good_ & eligible_).sum()), int(eligible_.sum()), suppression_min)

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


def _flag(column: pd.Series) -> np.ndarray:
    """A boolean column as a numpy array, NA as False."""
    return column.to_numpy(dtype=bool, na_value=False)


def _rate_arrays(n_: np.ndarray, count_: np.ndarray, suppression_min: int) -> dict[str, Any]:
    """n, count, suppressed and rate per group as arrays (count and rate blank where n
    is small); `n_` and `count_` are int64."""
    small = n_ < suppression_min
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.round(count_ / np.where(n_ > 0, n_, np.nan), 4)
    rate[small] = np.nan
    return {
        "n": n_,
        "count": pd.arrays.IntegerArray(count_, small.copy()),
        "suppressed": small & (n_ > 0),
        "rate": rate,
    }


def _rate_columns(n: pd.Series, count: pd.Series, suppression_min: int) -> dict[str, pd.Series]:
    """n, count, suppressed and rate per group (count and rate blank where n is small)."""
    index = n.index
    arrays = _rate_arrays(n.to_numpy(dtype="int64"), count.to_numpy(dtype="int64"), suppression_min)
    arrays.pop("n")
    return {"n": n, **{name: pd.Series(values, index=index) for name, values in arrays.items()}}


def rates_by(
    frame: pd.DataFrame, by: list[str], good: str, eligible: str, suppression_min: int
) -> pd.DataFrame:
    """Per group of `by`: n (eligible rows), count (good among them), rate; suppressed rows blanked.

    `good` and `eligible` name boolean columns of `frame`.
    """
    elig = _flag(frame[eligible])
    flags = pd.DataFrame({"n": elig, "count": _flag(frame[good]) & elig}, index=frame.index)
    sums = flags.groupby([frame[c] for c in by], dropna=False, observed=True).sum()
    return pd.DataFrame(_rate_columns(sums["n"], sums["count"], suppression_min)).reset_index()


def rates_by_checks(
    frame: pd.DataFrame, by: list[str], checks: dict[str, tuple[str, str]], suppression_min: int
) -> pd.DataFrame:
    """`rates_by` for several checks at once, in one grouping: per group of `by` (groups
    with a blank key left out), `people` (rows) and, for each check, `<check>_n`,
    `<check>_count`, `<check>_suppressed` and `<check>_rate` as `rates_by` gives them.

    `checks` maps a check's name to its (good, eligible) boolean columns of `frame`.
    """
    # One grouping, summed once, in numpy: a few hundred rows at most, where pandas'
    # groupby costs more in its own steps than in the sums. Groups are the distinct
    # keys in sorted order (each key column's own sort), rows with a blank key left out,
    # as `groupby(by, observed=True)` gives them.
    codes, uniques = [], []
    for column in by:
        code, unique = pd.factorize(frame[column], sort=True)
        codes.append(code)
        uniques.append(unique)
    keep = np.logical_and.reduce([code >= 0 for code in codes]) if codes else None
    combined = np.ravel_multi_index(
        [code[keep] for code in codes], [max(len(u), 1) for u in uniques]
    )
    groups, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    size = len(groups)

    def summed(flags: np.ndarray) -> np.ndarray:
        return np.bincount(inverse, weights=flags[keep], minlength=size).astype("int64")

    out: dict[str, Any] = {}
    positions = np.flatnonzero(keep)[first]
    for column in by:
        out[column] = frame[column].iloc[positions].array  # the key's own dtype
    out["people"] = np.bincount(inverse, minlength=size).astype("int64")
    for check, (good, eligible) in checks.items():
        elig = _flag(frame[eligible])
        columns = _rate_arrays(
            summed(elig.astype("int64")),
            summed((_flag(frame[good]) & elig).astype("int64")),
            suppression_min,
        )
        out.update({f"{check}_{name}": values for name, values in columns.items()})
    return pd.DataFrame(out)


def rate_from_row(row: Mapping[str, Any]) -> Rate:
    """A Rate from one row of `rates_by` (n, count, rate, suppressed)."""
    n = int(row["n"])
    count = row["count"]
    rate = row["rate"]
    return Rate(
        n=n,
        count=None if pd.isna(count) else int(count),
        rate=None
        if rate is None or (isinstance(rate, float) and math.isnan(rate)) or pd.isna(rate)
        else float(rate),
        suppressed=bool(row["suppressed"]),
    )


def rate_of(row: Mapping[str, Any], check: str) -> Rate:
    """A Rate from one row of `rates_by_checks` (`<check>_n`, `_count`, `_rate`, `_suppressed`)."""
    return rate_from_row(
        {name: row[f"{check}_{name}"] for name in ("n", "count", "rate", "suppressed")}
    )


def rate_at(rows: pd.DataFrame, i: int, check: str) -> Rate:
    """`rate_of` the i-th row of `rates_by_checks`, read from its columns without building
    the row (a Series per row cost more than the rest of a small register's rates)."""
    count, rate = rows[f"{check}_count"].array[i], rows[f"{check}_rate"].to_numpy()[i]
    return Rate(
        n=int(rows[f"{check}_n"].to_numpy()[i]),
        count=None if pd.isna(count) else int(count),
        rate=None if np.isnan(rate) else float(rate),
        suppressed=bool(rows[f"{check}_suppressed"].to_numpy()[i]),
    )
