"""Integer codes for the analysis's labels: themes, tiers, areas, interviews, cells.

Strings are slow to group, compare and copy a few hundred thousand times over; their
integer codes are not. These helpers turn label columns into codes once, find cells of
several labels as one integer, and turn codes back into strings with one Arrow `take`
from the few distinct names. Grouping on codes gives the same groups, in the same order
and with the same sums, as grouping on the strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas._libs.groupby import group_sum as _pandas_group_sum

NAN = "nan"  # what a missing label reads as, as `astype(str)` writes it


def first_of_each(codes: np.ndarray, n: int) -> np.ndarray:
    """Position of the first occurrence of each code 0..n-1 in `codes` (-1 if absent)."""
    pos = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(pos, codes, np.arange(len(codes)))
    pos[pos == len(codes)] = -1
    return pos


def group_sums(
    group: np.ndarray, n: int, columns: dict[str, np.ndarray], one_block: bool = True
) -> dict[str, np.ndarray]:
    """Per group 0..n-1, the sum of each column: what `DataFrame(columns).groupby(group).sum()`
    gives, bit for bit, without building the frame.

    The sums are pandas' own, chosen as pandas chooses: when the rows come grouped in
    order (`group` never goes down) and no float holds NaN, a running sum per group
    (`np.add.reduceat`); otherwise the compensated loop of its cython groupby. A frame
    keeps its float columns in one block and checks the block for NaN as a whole, so a
    NaN anywhere sends every float column down the second road (`one_block=False`: each
    column on its own, as a column-by-column `agg` does). Whole numbers stay whole (int64
    in, int64 out; bools count as 0 and 1). A group with no rows sums to 0; rows with a
    group below 0 are left out, as groupby leaves out a missing key. Stacking the frame's
    columns into that block copies every value, which costs more than the sum at a
    million rows; here each column is summed where it lies.
    (`tests/test_analysis_codes.py` holds it to pandas' groupby on awkward floats.)
    """
    labels = np.asarray(group, dtype=np.intp)
    values_of = {name: _summable(values) for name, values in columns.items()}
    in_order = bool(len(labels) == 0 or (labels[1:] >= labels[:-1]).all())
    missing = int(np.searchsorted(labels, 0)) if in_order else 0  # the -1 rows come first
    if in_order and len(labels) > missing:
        rest = labels[missing:]
        starts = np.flatnonzero(np.r_[True, rest[1:] != rest[:-1]])
        at = rest[starts]
    else:
        in_order = False  # nothing to add: pandas takes its cython road (zeros)
    floats_nan = any(v.dtype.kind == "f" and np.isnan(v).any() for v in values_of.values())
    out: dict[str, np.ndarray] = {}
    for name, values in values_of.items():
        nan = floats_nan if one_block else (values.dtype.kind == "f" and np.isnan(values).any())
        sums = np.zeros((n, 1), dtype=values.dtype)
        if in_order and not nan:
            sums[at, 0] = np.add.reduceat(values[missing:], starts)
        else:
            _pandas_group_sum(
                out=sums,
                counts=np.zeros(n, dtype=np.int64),
                values=np.ascontiguousarray(values).reshape(-1, 1),
                labels=labels,
                mask=None,
                result_mask=None,
                min_count=0,
                is_datetimelike=False,
                initial=0,
                skipna=True,
            )
        out[name] = sums[:, 0]
    return out


def _summable(values) -> np.ndarray:
    """float64 or int64, as pandas sums them (bools and smaller ints as int64)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return values.astype(np.float64, copy=False)
    return values.astype(np.int64, copy=False)


def sums_by(
    key: np.ndarray, columns: dict[str, np.ndarray], sort: bool = False
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(the distinct keys, the columns' sums per key): `DataFrame(columns).groupby(key,
    sort=sort).sum()` for an integer key, its index and its columns, bit for bit.

    Keys in order of first appearance, or ascending with `sort`, as groupby orders them.
    """
    group, keys = pd.factorize(np.asarray(key), sort=sort)
    return np.asarray(keys), group_sums(group, len(keys), columns)


def str_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, the names as `astype(str)` writes them); code -1 reads "nan".

    `names` has "nan" appended last, so `names[codes]` is the column as strings.
    """
    codes, uniques = pd.factorize(values, sort=False)
    return codes, np.asarray([*map(str, uniques), NAN], dtype=object)


def cell_codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """One integer per row naming its cell of `keys` (equal keys, equal integers).

    A missing key value has a cell of its own (code 0 of that key).
    """
    return keyed_cells(frame, keys)[0]


def keyed_cells(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """`cell_codes`, and whether each row has every key (a groupby leaves out the others)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    complete = np.ones(len(frame), dtype=bool)
    for key in keys:
        codes, uniques = pd.factorize(frame[key], sort=False)
        combined = combined * (len(uniques) + 1) + codes + 1
        complete &= codes >= 0
    return combined, complete


def labels(names, codes: np.ndarray) -> pd.Series:
    """The strings `names[codes]` as a str column (-1 reads "nan"), made by one take."""
    table = pa.array([*map(str, names), NAN], type=pa.large_string())
    codes = np.asarray(codes)
    return pd.Series(table.take(np.where(codes < 0, len(table) - 1, codes)), dtype="str")


def category_labels(names, codes: np.ndarray) -> pd.Series:
    """`labels` as a categorical column: the same strings ("nan" for -1), each row an
    integer into the few distinct names rather than a copy of its string. For the large
    internal frames only; a frame that leaves the analysis carries plain strings."""
    at, uniques = pd.factorize(pd.Index([*map(str, names), NAN], dtype="str"), sort=False)
    codes = np.asarray(codes)
    picked = at[np.where(codes < 0, len(at) - 1, codes)]
    categories = pd.Index(uniques, dtype="str")
    return pd.Series(pd.Categorical.from_codes(picked, categories=categories))
