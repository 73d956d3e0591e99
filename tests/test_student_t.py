"""Student's t tail and its inverse without scipy: scipy's values to 1e-12.

The analysis reads every comparison against Student's t. The two functions used to
come from `scipy.special` (0.15 s to import); `sgaudit.analysis.student_t` works them
out in numpy, and must give scipy's numbers over every degrees of freedom and t an
analysis can meet (and far beyond), to a relative 1e-12. Where scipy itself is off
(t within 1e-4 of zero: its tail there is wrong from the ninth digit), the closed forms
for one and two degrees of freedom are the reference.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.special import stdtr, stdtrit

from sgaudit.analysis.student_t import gamma_half_ratio, t_isf, t_sf

REPO = Path(__file__).resolve().parents[1]
DFS = np.concatenate([np.geomspace(0.05, 1e7, 240), [1, 2, 3, 4, 5, 10, 30, 40, 41, 1000]])


def _relative_gap(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    return np.abs(got - want) / np.abs(want)


def test_the_tail_is_scipys_to_1e_12_over_df_and_t():
    t = np.concatenate([-np.geomspace(1e-4, 1e4, 60), [0.0], np.geomspace(1e-4, 1e4, 160)])
    df, t = np.meshgrid(DFS, t)
    want = stdtr(df, -t)
    got = t_sf(t, df)
    shown = want > 1e-300  # below, both are 0 or a denormal that rounds to nothing
    assert _relative_gap(got[shown], want[shown]).max() < 1e-12
    assert np.all(np.abs(got[~shown]) < 1e-290)


def test_the_tail_near_zero_is_the_closed_form_for_one_and_two_degrees_of_freedom():
    t = np.concatenate([np.geomspace(1e-12, 1e-4, 40), -np.geomspace(1e-12, 1e-4, 40)])
    cauchy = 0.5 - np.arctan(t) / np.pi
    two = 0.5 - t / (2 * np.sqrt(2 + t * t))
    assert _relative_gap(t_sf(t, 1.0), cauchy).max() < 1e-15
    assert _relative_gap(t_sf(t, 2.0), two).max() < 1e-15


def test_the_inverse_is_scipys_to_1e_12_over_df_and_tail():
    q = np.concatenate([np.geomspace(1e-100, 0.5, 120), 1 - np.geomspace(1e-15, 0.5, 40)])
    df, q = np.meshgrid(DFS[DFS >= 1], q)
    want = -stdtrit(df, q)
    got = t_isf(q, df)
    assert _relative_gap(got[want != 0], want[want != 0]).max() < 1e-12
    assert np.all(got[want == 0] == 0)


def test_the_inverse_undoes_the_tail():
    rng = np.random.default_rng(5)
    df = rng.uniform(1, 5000, 3000)
    q = 10 ** rng.uniform(-40, np.log10(0.5), 3000)
    assert _relative_gap(t_sf(t_isf(q, df), df), q).max() < 1e-12


def test_edges_follow_scipy():
    t = np.array([np.inf, -np.inf, np.nan, 0.0, 1.0, 1.0, 1.0, 2.0])
    df = np.array([3.0, 3.0, 3.0, 3.0, np.inf, np.nan, 0.0, -1.0])
    np.testing.assert_allclose(t_sf(t, df), stdtr(df, -t), rtol=1e-15, equal_nan=True)
    q = np.array([0.0, 1.0, 0.5, -0.1, 1.1, np.nan, 0.025, 0.025])
    df = np.array([3.0, 3.0, 3.0, 3.0, 3.0, 3.0, np.nan, 0.0])
    # as scipy.stats.t.isf has them (scipy.special.stdtrit gives -inf at q = 0)
    nan = np.nan
    np.testing.assert_array_equal(t_isf(q, df), [np.inf, -np.inf, 0, nan, nan, nan, nan, nan])


def test_scalars_and_shapes_broadcast():
    assert t_sf(2.0, 10.0).shape == ()
    assert t_sf(np.ones((3, 4)), np.arange(1, 5)).shape == (3, 4)
    assert t_isf([0.025, 0.05], 40.0).shape == (2,)


def test_gammas_ratio_is_lgammas_where_lgamma_is_exact():
    from math import exp, lgamma

    for a in (0.05, 0.5, 1.0, 7.5, 24.9, 25.0, 30.5, 60.5):
        want = exp(lgamma(a + 0.5) - lgamma(a))
        assert gamma_half_ratio(np.array([a]))[0] == pytest.approx(want, rel=1e-13)


def test_gammas_ratio_keeps_gammas_recurrence_on_both_sides_of_the_series():
    # Gamma(a + 1/2) / Gamma(a) x Gamma(a + 1) / Gamma(a + 1/2) = a, for any a
    a = np.concatenate([np.linspace(0.05, 40, 400), np.geomspace(40, 1e12, 200)])
    product = gamma_half_ratio(a) * gamma_half_ratio(a + 0.5)
    assert _relative_gap(product, a).max() < 1e-14


def test_analysing_imports_no_scipy():
    code = (
        "import sys\n"
        "from sgaudit.analysis import analyse\n"
        "from sgaudit.analysis.synthetic import synthetic_audit, systemic\n"
        "result = analyse(synthetic_audit(plants=[*systemic('culture', 40)], seed=2))\n"
        "assert result.findings\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.strip() == "[]"
