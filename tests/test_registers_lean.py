"""The register indicators' leaner steps give exactly what the pandas steps they replaced gave.

Issue 14 (`analyse` under a second of CPU): on a register of a few hundred rows pandas
spends more in its own per-call steps than in the sums, so each person's training
statuses are worked out on numpy arrays, the rates per group are summed in numpy and
the rank test of the complementary suppression is one singular value decomposition
instead of one per hidden count. Each is held here against what it replaced: the
training statuses and compliance tables against hashes recorded from the code before
(`register_frames_golden.json`), the rates per group against the pandas grouping and
the pinned counts against the rank test per count, both kept in this file as the
reference. (The indicators as a whole are held by the golden hashes of
tests/test_registers_fast_path.py.)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from attacker import pinned
from hypothesis import given, settings
from hypothesis import strategies as st
from register_cases import (
    cases,
    checks_frame,
    digest,
    frame_digest,
    indicators_at_other_dates,
    status_frames,
)

from sgaudit.registers.disclosure import _lines, _Rates
from sgaudit.registers.rates import _rate_arrays, rates_by_checks

FRAMES_GOLDEN = json.loads((Path(__file__).parent / "register_frames_golden.json").read_text())


def test_training_status_and_compliance_tables_equal_those_recorded_before_cell_for_cell():
    """Each person's training statuses and the three compliance tables, on every register
    case at three dates, hash as they did from the pandas steps before this work
    (`register_frames_golden.json`, recorded from that code): same columns, dtypes, rows."""
    found = {name: frame_digest(frame) for name, frame in status_frames()}
    assert set(found) == set(FRAMES_GOLDEN)
    assert [n for n in found if found[n] != FRAMES_GOLDEN[n]] == []


DATES_GOLDEN = json.loads(
    (Path(__file__).parent / "register_indicators_dates_golden.json").read_text()
)


def test_indicators_at_other_dates_equal_those_recorded_before_cell_for_cell():
    """Every register case worked out as of four other dates (windows with more and fewer
    records, concerns open and closed) hashes as it did from the pandas steps before this
    work (`register_indicators_dates_golden.json`, recorded from that code)."""
    found = {name: digest(ind) for name, ind in indicators_at_other_dates()}
    assert set(found) == set(DATES_GOLDEN)
    assert [n for n in found if found[n] != DATES_GOLDEN[n]] == []


def _rates_by_checks_with_groupby(frame, by, checks, minimum):
    """The pandas grouping `rates_by_checks` used before (the reference)."""
    flags = {"people": np.ones(len(frame), dtype="int64")}
    for check, (good, eligible) in checks.items():
        elig = frame[eligible].to_numpy(dtype=bool, na_value=False)
        flags[f"{check}_count"] = (frame[good].to_numpy(dtype=bool, na_value=False) & elig).astype(
            "int64"
        )
        flags[f"{check}_n"] = elig.astype("int64")
    sums = (
        pd.DataFrame(flags, index=frame.index).groupby([frame[c] for c in by], observed=True).sum()
    )
    out = {"people": sums["people"].to_numpy()}
    for check in checks:
        columns = _rate_arrays(
            sums[f"{check}_n"].to_numpy(), sums[f"{check}_count"].to_numpy(), minimum
        )
        out.update({f"{check}_{name}": values for name, values in columns.items()})
    return pd.DataFrame(out, index=sums.index).reset_index()


rows = st.lists(
    st.tuples(
        st.sampled_from(["b", "a", "c", None]),
        st.sampled_from(["y", "x", None]),
        st.booleans(),
        st.sampled_from([True, False, None]),
    ),
    max_size=40,
)


@settings(max_examples=80, deadline=None)
@given(rows=rows, minimum=st.integers(1, 5))
def test_rates_per_group_in_numpy_equal_the_pandas_grouping_blank_keys_and_all(rows, minimum):
    frame = checks_frame(rows, index=pd.Index(range(7, 7 + len(rows)), name="row"))
    checks = {"first": ("good", "eligible"), "second": ("eligible", "all")}
    for by in (["group"], ["area"], ["group", "area"], ["area", "group"]):
        pd.testing.assert_frame_equal(
            rates_by_checks(frame, by, checks, minimum),
            _rates_by_checks_with_groupby(frame, by, checks, minimum),
            check_exact=True,
        )


def test_rates_per_group_of_every_register_case_equal_the_pandas_grouping():
    from sgaudit.registers.recruitment import BY_TYPE, recruitment_checks
    from sgaudit.registers.training import CHECKS, _compliance_flags, training_status

    compared = 0
    for _name, registers, framework, audit_date, reg_settings in cases():
        from sgaudit.registers.mapping import settings_from

        s = settings_from(reg_settings)
        if "training" in registers and framework is not None:
            try:
                status = training_status(registers["training"], framework, audit_date, s)
            except Exception:  # a case whose training register cannot be checked
                status = None
            if status is not None:
                flags = _compliance_flags(status[status["in_framework"]])
                checks = {c: (f"{c}_good", f"{c}_eligible") for c in CHECKS}
                for by in (["role_group"], ["role_group", "service_area"], ["service_area"]):
                    pd.testing.assert_frame_equal(
                        rates_by_checks(flags, by, checks, 3),
                        _rates_by_checks_with_groupby(flags, by, checks, 3),
                        check_exact=True,
                    )
                    compared += 1
        if "recruitment" in registers:
            checked = recruitment_checks(registers["recruitment"], s).assign(_all=True)
            checks = {c: (c, "_all") for c in BY_TYPE}
            pd.testing.assert_frame_equal(
                rates_by_checks(checked, ["paid_or_volunteer"], checks, 3),
                _rates_by_checks_with_groupby(checked, ["paid_or_volunteer"], checks, 3),
                check_exact=True,
            )
            compared += 1
    assert compared >= 10


def _pinned_by_one_rank_test_per_count(rates: _Rates) -> list:
    """The rank test per count `_pinned` ran before (the reference): the attacker's
    (`tests/attacker.py`), in `_pinned`'s order."""
    return sorted(pinned(rates.lines, rates.hidden), key=repr)


def test_pinned_counts_are_those_the_rank_test_per_count_finds():
    """On every register case, with more and more of its rates hidden (the states the
    suppression passes through and beyond), both tests pin the same counts."""
    from sgaudit.registers import compute_indicators
    from sgaudit.registers.models import RegisterIndicators

    states = pinned_somewhere = 0
    rng = np.random.default_rng(14)
    for _name, registers, framework, audit_date, reg_settings in cases():
        try:
            ind = compute_indicators(registers, framework, audit_date, reg_settings)
        except Exception:  # a case that is refused as a whole
            continue
        doc = RegisterIndicators.model_dump(ind)
        rates = _Rates(doc, _lines(doc), 3)
        paths = sorted(rates.rate, key=repr)
        for _ in range(12):
            assert rates._pinned() == _pinned_by_one_rank_test_per_count(rates)
            pinned_somewhere += bool(rates._pinned())
            states += 1
            shown = [p for p in paths if p not in rates.hidden]
            if not shown:
                break
            rates.hidden.add(shown[int(rng.integers(len(shown)))])
    assert states >= 50 and pinned_somewhere >= 5


def _breaks_a_rule_with_the_validators(kind, frame) -> bool:
    """`stored._breaks_a_rule` as it was: the validator's own checks (the reference)."""
    from sgaudit.registers.schema import RULES
    from sgaudit.registers.validation import _duplicate_problems, _person_consistency_problems

    every = {c: c for c in frame.columns}
    return (
        any(rule.bad(frame).fillna(False).astype(bool).any() for rule in RULES[kind])
        or bool(_duplicate_problems(kind, frame, every, ""))
        or bool(_person_consistency_problems(kind, frame, every, ""))
    )


def _broken(frame: pd.DataFrame, rng) -> pd.DataFrame:
    """`frame` with one to three cells copied from another row or blanked: repeated keys,
    a person with two role groups or start dates, a learning record without its date."""
    out = frame.copy()
    for _ in range(int(rng.integers(1, 4))):
        column = out.columns[int(rng.integers(len(out.columns)))]
        i, j = (int(k) for k in rng.integers(len(out), size=2))
        if rng.random() < 0.3:
            out.iloc[i, out.columns.get_loc(column)] = None
        else:
            out.iloc[i, out.columns.get_loc(column)] = out.iloc[j][column]
    return out


def test_whether_stored_rows_break_a_rule_is_what_the_validators_say():
    from sgaudit.registers.stored import _breaks_a_rule

    rng = np.random.default_rng(14)
    seen = {True: 0, False: 0}
    for _name, registers, *_ in cases():
        for kind, frame in registers.items():
            if len(frame) < 2:
                continue
            for candidate in (frame, *(_broken(frame, rng) for _ in range(6))):
                expected = _breaks_a_rule_with_the_validators(kind, candidate)
                assert _breaks_a_rule(kind, candidate) == expected, (_name, kind)
                seen[expected] += 1
    assert seen[True] >= 100 and seen[False] >= 100
