"""The analysis's sums on integer codes are pandas' groupby sums, bit for bit.

`group_sums` calls the loop pandas' groupby sum runs (compensated summation) without
building a frame; every score of the analysis rests on it, so it must give the very
same floats as the groupby it replaced, on values where the order and the
compensation of a sum show: magnitudes far apart, cancellations, missing values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sgaudit.analysis.codes import category_labels, group_sums, labels, sums_by


def awkward(seed: int, n: int = 50_000) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    big = rng.standard_normal(n) * 10.0 ** rng.integers(-9, 12, n)
    big[::37] = np.nan
    big[1::53] = -big[::53][: len(big[1::53])]  # cancellations
    return {
        "float": big,
        "whole": rng.integers(-5, 5, n).astype(np.int64),
        "flag": rng.random(n) < 0.3,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sums_per_group_are_the_groupby_sums_bit_for_bit(seed):
    values = awkward(seed)
    group = np.random.default_rng(seed + 10).integers(0, 900, len(values["float"]))
    expected = pd.DataFrame(values).groupby(group, sort=False).sum()
    keys, sums = sums_by(group, values)
    assert keys.tolist() == expected.index.tolist()
    for name in values:
        want = expected[name].to_numpy()
        assert sums[name].dtype == want.dtype
        assert sums[name].tobytes() == want.tobytes(), name


def test_sorted_keys_come_in_groupby_order_and_empty_groups_sum_to_zero():
    values = awkward(4, 2_000)
    key = np.random.default_rng(4).integers(-3, 40, 2_000) * 7
    expected = pd.DataFrame(values).groupby(key).sum()  # sorted, as groupby sorts
    keys, sums = sums_by(key, values, sort=True)
    assert keys.tolist() == expected.index.tolist()
    assert sums["float"].tobytes() == expected["float"].to_numpy().tobytes()
    gaps = group_sums(np.array([0, 0, 3]), 5, {"v": np.array([1.5, 2.0, 4.0])})["v"]
    assert gaps.tolist() == [3.5, 0.0, 0.0, 4.0, 0.0]


def _frame_sums(values: dict, group: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(values).groupby(group, sort=False).sum()


@pytest.mark.parametrize("nan_in", [None, "float", "other"])
def test_rows_grouped_in_order_are_summed_as_pandas_sums_them(nan_in):
    """Sorted groups take pandas' running-sum road unless a float of the frame is NaN."""
    values = awkward(5, 20_000)
    values["float"] = values["float"].copy()
    values["float"][np.isnan(values["float"])] = 1.0
    values["other"] = np.random.default_rng(6).standard_normal(20_000) * 1e6
    if nan_in:
        values[nan_in][::101] = np.nan
    group = np.sort(np.random.default_rng(7).integers(0, 300, 20_000))
    expected = _frame_sums(values, group)
    keys, sums = sums_by(group, values)
    assert keys.tolist() == expected.index.tolist()
    for name in values:
        assert sums[name].tobytes() == expected[name].to_numpy().tobytes(), name


def test_a_column_summed_on_its_own_checks_only_itself_for_nan():
    values = {"clean": np.random.default_rng(8).standard_normal(5_000) * 1e8}
    values["holed"] = values["clean"].copy()
    values["holed"][::7] = np.nan
    group = np.sort(np.random.default_rng(9).integers(0, 40, 5_000))
    codes, _ = pd.factorize(group, sort=False)
    sums = group_sums(codes, 40, values, one_block=False)
    for name, column in values.items():
        alone = pd.Series(column).groupby(group, sort=False).sum().to_numpy()
        assert sums[name].tobytes() == alone.tobytes(), name


def test_missing_groups_are_left_out_in_order_or_not():
    values = awkward(10, 3_000)
    for group in (
        np.sort(np.random.default_rng(11).integers(-1, 30, 3_000)),
        np.random.default_rng(12).integers(-1, 30, 3_000),
    ):
        expected = pd.DataFrame(values).groupby(np.where(group < 0, np.nan, group)).sum()
        sums = group_sums(group, 30, values)
        for name in values:
            assert sums[name][expected.index.astype(int)].tobytes() == (
                expected[name].to_numpy().tobytes()
            ), name


def test_categorical_labels_read_as_the_string_labels_and_a_missing_code_as_nan():
    # names may repeat (each pair's ground tier) and a code may be -1 (no service area)
    names = ["front_line", "front_line", "service_user", "front_line"]
    codes = np.array([0, 3, 2, -1, 1, 2])
    got = category_labels(names, codes)
    assert isinstance(got.dtype, pd.CategoricalDtype)
    assert got.astype("str").tolist() == labels(names, codes).tolist()
    assert got.astype("str").tolist() == [
        "front_line", "front_line", "service_user", "nan", "front_line", "service_user"
    ]  # fmt: skip
    assert list(got.cat.categories) == ["front_line", "service_user", "nan"]
