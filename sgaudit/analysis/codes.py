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

NAN = "nan"  # what a missing label reads as, as `astype(str)` writes it


def first_of_each(codes: np.ndarray, n: int) -> np.ndarray:
    """Position of the first occurrence of each code 0..n-1 in `codes` (-1 if absent)."""
    pos = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(pos, codes, np.arange(len(codes)))
    pos[pos == len(codes)] = -1
    return pos


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
