"""The validation suite's realistic fieldwork, sized exactly: `scope_voices` fixes how
many voices of the tiers that compare service areas are heard in all (the fieldwork
guide's `fieldwork_guide_organisation` is measured that way), keeping the drawn shape."""

from __future__ import annotations

import pytest

from sgaudit.analysis.realistic import CENTRAL, realistic_interviews

SCOPE = ["service_user", "front_line", "manager"]


def _scope(frame):
    return frame[frame["tier"].isin(SCOPE)]


def _cells(frame) -> set[tuple[str, str]]:
    """Each (service area, tier) of the scope tiers heard."""
    return set(map(tuple, _scope(frame)[["service_area", "tier"]].to_numpy().tolist()))


def _top(frame) -> list[list[str]]:
    """The whole organisation's tiers (DSL, senior leaders, board), in order."""
    return frame[~frame["tier"].isin(SCOPE)][["tier", "service_area"]].to_numpy().tolist()


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("voices", [40, 50, 70])
def test_scope_voices_hears_exactly_that_many_in_the_same_areas_and_tiers(seed, voices):
    drawn, sized = realistic_interviews(seed), realistic_interviews(seed, scope_voices=voices)
    assert len(_scope(sized)) == voices
    assert _cells(sized) == _cells(drawn)  # the same areas, each tier of each still heard
    assert _top(sized) == _top(drawn)  # the whole organisation's tiers untouched
    assert {area for _, area in _top(sized)} == {CENTRAL}
    assert sized["interview_id"].is_unique


def test_scope_voices_keeps_the_drawn_shares_between_areas():
    drawn, sized = realistic_interviews(7), realistic_interviews(7, scope_voices=200)

    def share(frame):
        return _scope(frame).groupby("service_area").size() / len(_scope(frame))

    assert (share(sized) - share(drawn)).abs().max() < 0.03


@pytest.mark.parametrize(
    ("seed", "interviews", "people", "areas"),
    [(0, 89, 103, 9), (1000, 47, 71, 5), (1399, 88, 103, 8)],
)
def test_without_scope_voices_the_seeds_draw_as_before(seed, interviews, people, areas):
    # the suite's and the benches' seeds must not move (figures from before scope_voices)
    frame = realistic_interviews(seed)
    assert (len(frame), int(frame["people"].sum()), frame["service_area"].nunique()) == (
        interviews,
        people,
        areas,
    )


def test_too_few_voices_for_the_cells_is_refused_with_the_numbers():
    with pytest.raises(ValueError, match="scope_voices 20 is fewer than the 24 cells"):
        realistic_interviews(0, areas=8, scope_voices=20)
    assert len(_scope(realistic_interviews(0, areas=8, scope_voices=24))) == 24
