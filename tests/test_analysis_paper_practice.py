"""Paper against practice counts the questions' own pull, so its intervals are as wide
as clean audits' differences actually spread."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from sgaudit.analysis.detect import all_comparisons
from sgaudit.analysis.paper_practice import paper_practice_comparisons, question_pull
from sgaudit.analysis.realistic import realistic_audit
from sgaudit.analysis.scores import ScoreTables
from sgaudit.questionnaire.loader import load_question_set

CORE = Path(__file__).resolve().parents[1] / "questionnaires" / "core"


@cache
def core():
    return load_question_set(CORE)


def test_the_questions_pull_is_added_to_the_paired_variance():
    tables = ScoreTables.build(realistic_audit(8, core()))
    aspects = list(tables.scored["aspect"].cat.categories)
    pull = question_pull(tables.thread_answers(), aspects)
    assert pull and all(v > 0 for v in pull.values())
    without = paper_practice_comparisons(tables.totals, tables.settings).set_index("theme")
    with_pull = paper_practice_comparisons(tables.totals, tables.settings, pull)
    with_pull = with_pull.set_index("theme")
    np.testing.assert_allclose(
        with_pull["se"] ** 2, without["se"] ** 2 + [pull[t] for t in without.index]
    )
    assert (with_pull["diff"] == without["diff"]).all()  # the difference itself stays


def test_clean_audits_paper_and_practice_differences_spread_as_their_intervals_say():
    """Without the pull the z-scores of these 60 clean audits spread 1.19 times too wide."""
    z = []
    for seed in range(300, 360):
        c = all_comparisons(ScoreTables.build(realistic_audit(seed, core())))[0]
        c = c[(c["kind"] == "paper_practice_gap") & c["p"].notna()]
        z += (c["diff"] / c["se"]).tolist()
    assert len(z) > 500
    assert np.std(z) < 1.14, np.std(z)
