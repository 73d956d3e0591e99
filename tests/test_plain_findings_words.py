"""A finding's sentence names what it compares with: no "it" a reader must resolve."""

from __future__ import annotations

import re

import pytest

from sgaudit import printed
from sgaudit.analysis import analyse
from sgaudit.analysis.synthetic import synthetic_audit, systemic


@pytest.mark.parametrize("level", [35, 44, 52])
def test_a_systemic_finding_says_how_far_below_the_weak_score_it_is_by_name(level):
    result = analyse(synthetic_audit(plants=systemic("culture", level)))
    (finding,) = [f for f in result.findings if f.key == "systemic:culture::"]
    weak = printed.score(result.settings.weak_score)
    score = printed.score(finding.evidence["score"])
    assert "below it" not in finding.summary, finding.summary
    # "together they score it 44 (16 points below 60, ...": the gap of the printed numbers
    said = re.search(r"together they score it (\d+) \((\d+) points below (\d+),", finding.summary)
    assert said, finding.summary
    assert (int(said[1]), int(said[3])) == (score, weak)
    assert int(said[2]) == weak - score
