"""Each audit is analysed once per command, and what replaced scipy.stats gives its numbers.

The comparison reuses an audit's own analysis when the audit's every question is
comparable (the restriction to the shared questions is then the whole audit), and
analyses a side afresh when it is cut down. The t tails and the Benjamini-Hochberg
adjustment come from numpy (`student_t`; scipy.stats takes 0.5 s to import); they
must give scipy.stats's numbers (the t functions to 1e-12, the adjustment exactly).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from test_analysis_compare import _changed_version

from sgaudit.analysis import AuditData, analyse, compare_audits
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.synthetic import (
    AREAS,
    synthetic_audit,
    synthetic_interviews,
    synthetic_responses,
    systemic,
)
from sgaudit.analysis.uncertainty import benjamini_hochberg, t_isf, t_sf

REPO = Path(__file__).resolve().parents[1]


def test_t_tails_and_bh_are_scipy_stats():
    # the t functions to 1e-12 (tests/test_student_t.py holds them over a wide grid),
    # Benjamini-Hochberg to the last bit
    rng = np.random.default_rng(3)
    t = np.concatenate([rng.normal(0, 3, 2000), [np.inf, -np.inf, np.nan, 0.0]])
    df = np.concatenate([rng.uniform(0.5, 300, 2000), [3, 3, 3, np.inf]])
    np.testing.assert_allclose(t_sf(t, df), stats.t.sf(t, df), rtol=1e-12, equal_nan=True)
    q = rng.uniform(1e-9, 0.5, 2000)
    np.testing.assert_allclose(t_isf(q, df[:2000]), stats.t.isf(q, df[:2000]), rtol=1e-12)
    p = rng.uniform(0, 1, 500)
    p[10:20] = p[10]  # ties
    assert np.array_equal(benjamini_hochberg(p), stats.false_discovery_control(p, method="bh"))


def test_a_comparison_given_the_audits_analyses_says_exactly_what_it_says_without(monkeypatch):
    old = synthetic_audit(plants=[*systemic("culture", 40)], seed=11)
    new = synthetic_audit(plants=[*systemic("training", 40)], seed=11)
    old_tables, new_tables = ScoreTables.build(old), ScoreTables.build(new)
    old_analysis = analyse(old, tables=old_tables)
    new_analysis = analyse(new, tables=new_tables)
    fresh = compare_audits(old, new)

    calls: list[int] = []
    import sgaudit.analysis.compare as compare_module

    real = compare_module.analyse
    monkeypatch.setattr(compare_module, "analyse", lambda *a, **k: calls.append(1) or real(*a, **k))
    reused = compare_audits(
        old, new, old_tables=old_tables, new_tables=new_tables,
        old_analysis=old_analysis, new_analysis=new_analysis,
    )  # fmt: skip
    assert reused == fresh
    assert calls == []  # neither audit analysed again
    from_tables = compare_audits(old, new, old_tables=old_tables, new_tables=new_tables)
    assert from_tables == fresh
    assert len(calls) == 2  # once per audit, on the tables it was given


def test_a_side_cut_down_to_the_shared_questions_is_analysed_afresh():
    v1, v2 = _changed_version()
    interviews = synthetic_interviews(AREAS, 3)
    old = AuditData.from_question_set(v1, synthetic_responses(v1, interviews, seed=11))
    new_responses = synthetic_responses(v2, interviews, seed=11)
    new_responses.loc[new_responses["question_id"] == "REC-99", "answer"] = "no"
    new = AuditData.from_question_set(v2, new_responses)
    # the whole audits' analyses include questions the other audit lacks: not reusable
    whole_new = analyse(new)
    given = compare_audits(old, new, old_analysis=analyse(old), new_analysis=whole_new)
    assert given == compare_audits(old, new)
    assert given.changes("recruitment").direction == "unchanged"


# Some of the random pairs below have no label in common: scikit-learn warns that kappa
# is undefined there, and the test checks that sgaudit says None in exactly those cases.
@pytest.mark.filterwarnings("ignore:.*cohen_kappa_score. is undefined")
def test_weighted_kappa_is_scikit_learns_to_the_last_bit_without_importing_it():
    from sklearn.metrics import cohen_kappa_score

    from sgaudit.analysis.agreement import weighted_kappa

    rng = np.random.default_rng(5)
    for grid in (1, 4, 12, 60):
        labels = list(range(grid + 1))
        for size in (1, 2, 7, 40, 300):
            first = rng.integers(0, grid + 1, size)
            second = np.clip(first + rng.integers(-2, 3, size), 0, grid)
            expected = cohen_kappa_score(first, second, labels=labels, weights="quadratic")
            got = weighted_kappa(first, second, labels)
            assert (got is None) == (not np.isfinite(expected))
            if got is not None:
                assert got == float(expected)
    same = np.array([2, 2, 2])
    assert weighted_kappa(same, same, [0, 1, 2, 3]) is None  # no variation: undefined
    code = (
        "import sys, numpy as np\n"
        "from sgaudit.analysis.agreement import weighted_kappa\n"
        "weighted_kappa(np.array([0, 1, 2]), np.array([0, 2, 2]), [0, 1, 2])\n"
        "print('sklearn' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_large_audits_golden_thread_worked_beside_the_other_comparisons_gives_the_same(
    monkeypatch,
):
    # From `alongside.FROM_ANSWERS` answers the golden thread's answer sums are worked
    # out on a second thread while the score tables are built, and its comparisons while
    # the others are made: every comparison, respondent and finding must be what one
    # thread gives, in the same order.
    from threading import current_thread

    import pandas as pd

    from sgaudit.analysis import alongside, detect, scores
    from sgaudit.analysis.realistic import CENTRAL, realistic_audit, realistic_interviews
    from sgaudit.analysis.validation import BUNDLES, patterns, plants_of
    from sgaudit.questionnaire.loader import load_question_set

    core = load_question_set(REPO / "questionnaires" / "core")
    areas = [a for a in dict.fromkeys(realistic_interviews(104)["service_area"]) if a != CENTRAL]
    data = realistic_audit(104, core, plants_of([patterns()[n] for n in BUNDLES["thread"]], areas))
    threads = []

    def seen(module, name):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a: threads.append((name, current_thread().name)) or real(*a)
        )

    seen(detect, "_thread_part")
    seen(scores, "thread_answers")
    outputs = []
    for from_answers in (10**9, 1):
        monkeypatch.setattr(alongside, "FROM_ANSWERS", from_answers)
        tables = ScoreTables.build(data)
        comps, _, resp, ops, _ = detect.all_comparisons(tables)
        outputs.append((comps, resp, ops, analyse(data).model_dump_json()))
    on_one = {name for name, thread in threads if thread == "MainThread"}
    on_two = {name for name, thread in threads if thread.startswith("sgaudit-alongside")}
    assert on_one == on_two == {"_thread_part", "thread_answers"}
    (comps, resp, ops, one), (comps2, resp2, ops2, two) = outputs
    assert len(comps) > 50 and (comps["kind"] == "thread_break").any()
    pd.testing.assert_frame_equal(comps, comps2, check_exact=True)  # the comparisons
    pd.testing.assert_frame_equal(resp, resp2, check_exact=True)  # thread respondents
    pd.testing.assert_frame_equal(ops, ops2, check_exact=True)  # operational ones
    assert one == two and '"findings":[{' in one
