"""The register indicators' faster path gives exactly what the full path gave.

Three pieces were made faster (issue 11, the dashboard's first opening): stored
register rows are typed without parsing their text again (`registers.stored`), the
training and recruitment rates of every check come from one grouping
(`rates.rates_by_checks`), and the complementary suppression runs a linear programme
only for hidden counts no feasible point has yet shown to vary. Each must change no
cell: the indicators are compared with hashes recorded from the code before the change
(`register_indicators_golden.json`, made from `register_cases.cases()`), the frames
with the full validator's, and the squeezed counts with two programmes per count.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from register_cases import cases, digest

from sgaudit.errors import ImportError_
from sgaudit.registers import compute_indicators, records_to_frame, rows_to_records
from sgaudit.registers.disclosure import _lines, _Rates
from sgaudit.registers.stored import stored_frame

GOLDEN = json.loads((Path(__file__).parent / "register_indicators_golden.json").read_text())


@pytest.fixture(scope="module")
def all_cases() -> dict:
    return {case[0]: case[1:] for case in cases()}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_indicators_equal_those_of_the_full_path_cell_for_cell(all_cases, name):
    registers, framework, audit_date, settings = all_cases[name]
    assert digest(compute_indicators(registers, framework, audit_date, settings)) == GOLDEN[name]


def test_the_cases_cover_the_demo_the_edges_and_every_recorded_hash(all_cases):
    assert set(all_cases) == set(GOLDEN)
    assert {"every register empty", "every group small", "dates missing"} <= set(all_cases)


def test_stored_rows_read_back_as_the_full_validation_gives_them(all_cases):
    compared = 0
    for name, (registers, *_) in all_cases.items():
        for kind, frame in registers.items():
            records, rows = rows_to_records(frame), list(frame.index)
            try:
                expected = records_to_frame(kind, records, row_numbers=rows)
            except ImportError_ as refused:  # e.g. "dates missing": a rule is broken
                with pytest.raises(ImportError_) as again:
                    stored_frame(kind, records, rows)
                assert str(again.value) == str(refused), (name, kind)
                continue
            pd.testing.assert_frame_equal(
                stored_frame(kind, records, rows), expected, check_exact=True
            )
            compared += 1
    assert compared > 100


def _demo_records(all_cases, kind: str):
    frame = all_cases["demo baseline, suppression 5"][0][kind]
    return rows_to_records(frame), list(frame.index)


@pytest.mark.parametrize(
    ("kind", "column", "value", "says"),
    [
        ("training", "date", "2024-13-45", "is not a date"),
        ("training", "hours", "three", "is not a number"),
        ("recruitment", "references_received", 2.5, "is not a whole number"),
        ("recruitment", "check_outcome", "", "a value is needed"),
        ("training", "person_code", None, "a value is needed"),
        ("training", "nickname", "Jo", "unknown column"),
    ],
)
def test_a_stored_row_not_in_the_stores_form_is_checked_in_full_and_named(
    all_cases, kind, column, value, says
):
    records, rows = _demo_records(all_cases, kind)
    records = [dict(r) for r in records]
    records[3][column] = value
    with pytest.raises(ImportError_) as refused:
        stored_frame(kind, records, rows)
    text = str(refused.value)
    where = (  # a column is named at the header
        f"column '{column}' (header, row 1)"
        if says == "unknown column"
        else f"row {rows[3]}, column '{column}'"
    )
    assert f"<stored {kind} register>, {where}" in text and says in text


class _TwoProgrammesPerCount(_Rates):
    """The plain test: each hidden count's least and greatest value, one programme each."""

    def _squeezed(self):
        from scipy.optimize import linprog

        cols, a, b = self._equations()
        if not len(a):
            return []
        bounds = [(0, self.n(p)) for p in cols]
        out = []
        for i, p in enumerate(cols):
            cost = np.zeros(len(cols))
            cost[i] = 1
            low = linprog(cost, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            high = linprog(-cost, A_eq=a, b_eq=b, bounds=bounds, method="highs")
            if low.status == 0 and high.status == 0 and (-high.fun - low.fun) < 1 - 1e-9:
                out.append(p)
        return out


def test_the_squeezed_counts_are_those_two_programmes_per_count_find(all_cases):
    """On the demo's rates with more of them hidden at random (so some hidden counts are
    pinned to one value and others are not), both tests pick the same counts."""
    rng = np.random.default_rng(11)
    squeezed = checked = 0
    for name in ("demo baseline, suppression 5", "demo reaudit, suppression 3"):
        registers, framework, audit_date, settings = all_cases[name]
        doc = compute_indicators(registers, framework, audit_date, settings).model_dump()
        for _ in range(8):
            fast = _Rates(doc, _lines(doc), settings.suppression_min)
            plain = _TwoProgrammesPerCount(doc, _lines(doc), settings.suppression_min)
            shown = sorted(set(fast.rate) - fast.hidden, key=repr)
            more = {shown[i] for i in rng.choice(len(shown), size=len(shown) // 4, replace=False)}
            fast.hidden |= more
            plain.hidden |= more
            found = fast._squeezed()
            assert found == plain._squeezed()
            squeezed += len(found)
            checked += 1
    assert checked == 16 and squeezed > 0  # the comparison met counts that are pinned


def test_highs_through_its_own_binding_finds_the_least_linprog_finds(all_cases):
    """The programmes run on HiGHS through `highspy` (scipy.optimize is not imported for
    them); on the demo's hidden counts, pulled in random directions, each least value is
    the one scipy's `linprog(method="highs")` finds, and its point meets every sum."""
    from scipy.optimize import linprog

    from sgaudit.registers.disclosure import _Programme

    rng = np.random.default_rng(3)
    solved = 0
    for name in ("demo baseline, suppression 5", "demo reaudit, suppression 3"):
        registers, framework, audit_date, settings = all_cases[name]
        doc = compute_indicators(registers, framework, audit_date, settings).model_dump()
        rates = _Rates(doc, _lines(doc), settings.suppression_min)
        shown = sorted(set(rates.rate) - rates.hidden, key=repr)
        rates.hidden |= {shown[i] for i in rng.choice(len(shown), len(shown) // 3, replace=False)}
        cols, a, b = rates._equations()
        upper = np.array([float(rates.n(p)) for p in cols])
        programme = _Programme(a, b, upper)
        for cost in rng.normal(size=(10, len(cols))):
            x, least = programme.least(cost)
            plain = linprog(cost, A_eq=a, b_eq=b, bounds=[(0, u) for u in upper], method="highs")
            assert plain.status == 0 and least == pytest.approx(plain.fun, abs=1e-9)
            assert np.allclose(a @ x, b) and (x >= -1e-9).all() and (x <= upper + 1e-9).all()
            solved += 1
    assert solved == 20
    # sums no counts can meet: no least at all
    assert (
        _Programme(np.array([[1.0, 1.0]]), np.array([5.0]), np.array([1.0, 1.0])).least(
            np.array([1.0, 0.0])
        )
        is None
    )
