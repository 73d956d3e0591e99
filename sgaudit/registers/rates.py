"""A share with its counts, and the small-group rule: no rate over fewer than `suppression_min`."""

from __future__ import annotations

import math

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
        good = good.fillna(False).astype(bool)
        eligible = (
            pd.Series(True, index=good.index)
            if eligible is None
            else eligible.fillna(False).astype(bool)
        )
        return cls.of(int((good & eligible).sum()), int(eligible.sum()), suppression_min)

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


def rates_by(
    frame: pd.DataFrame, by: list[str], good: str, eligible: str, suppression_min: int
) -> pd.DataFrame:
    """Per group of `by`: n (eligible rows), count (good among them), rate; suppressed rows blanked.

    `good` and `eligible` name boolean columns of `frame`.
    """
    work = frame.assign(
        _good=(frame[good].fillna(False).astype(bool) & frame[eligible].fillna(False).astype(bool)),
        _elig=frame[eligible].fillna(False).astype(bool),
    )
    out = work.groupby(by, dropna=False, observed=True).agg(
        n=("_elig", "sum"), count=("_good", "sum")
    )
    out = out.reset_index()
    small = out["n"] < suppression_min
    out["suppressed"] = small & (out["n"] > 0)
    out["rate"] = (out["count"] / out["n"].where(out["n"] > 0)).round(4).where(~small)
    out["count"] = out["count"].astype("Int64").where(~small)
    return out


def rate_from_row(row: pd.Series) -> Rate:
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
