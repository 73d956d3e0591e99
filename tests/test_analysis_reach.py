"""How large a golden-thread difference had to be to show (`reach.py`): the exact
boundary of the findings, per pair, in the JSON, the CLI, the report and the app."""

from __future__ import annotations

import numpy as np
import pytest
from test_analysis_own_level import _with, core

from sgaudit.analysis import analyse
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.detect import detect
from sgaudit.analysis.flags import FINDING
from sgaudit.analysis.reach import THREAD_KINDS, smallest_shown
from sgaudit.analysis.realistic import realistic_audit, realistic_interviews, realistic_responses
from sgaudit.analysis.synthetic import Plant
from sgaudit.report.findings_view import Review
from sgaudit.report.unsettled import unsettled_section


@pytest.mark.parametrize("seed", [101, 104, 107])
def test_the_smallest_difference_is_exactly_where_a_thread_gap_becomes_a_finding(seed):
    # Planted gaps near the line, so comparisons fall on both sides of it.
    plants = [
        Plant(theme="governance", tiers=("board",), score=48),
        Plant(theme="training", tiers=("manager",), score=56),
        Plant(theme="culture", tiers=("board",), score=97),
    ]
    comps = detect(realistic_audit(seed, core(), plants)).comparisons
    rows = comps[comps["kind"].isin(THREAD_KINDS) & comps["p"].notna()]
    smallest = smallest_shown(rows).to_numpy()
    big = np.abs(rows["diff"].to_numpy(dtype=float)) >= smallest - 1e-9
    shown = rows["score_a"].notna().to_numpy() & rows["score_b"].notna().to_numpy()
    assert ((rows["status"] == FINDING).to_numpy() == (big & shown)).all()
    assert big.any() and (~big).any()  # both sides of the line are tested


def test_each_pair_gives_the_median_and_range_over_its_themes_both_readings_counted():
    data = realistic_audit(103, core())
    result = analyse(data)
    comps = detect(data).comparisons
    rows = comps[comps["kind"].isin(THREAD_KINDS)].assign(s=lambda c: smallest_shown(c))
    for r in result.thread_reach:
        group = "+".join(r.tiers)
        per_theme = (
            rows[(rows["tier"] == group) & (rows["base"] == r.base_tier)]
            .groupby("theme")["s"]
            .min()
            .dropna()
        )
        assert r.themes == len(per_theme)
        assert r.smallest == round(float(np.median(per_theme)))
        assert (r.lowest, r.highest) == (round(per_theme.min()), round(per_theme.max()))
        assert r.smallest >= result.settings.thread_break_points
    pairs = {("+".join(r.tiers), r.base_tier) for r in result.thread_reach}
    assert ("board", "front_line") in pairs
    assert ("dsl+senior_leader+board", "service_user") in pairs


def test_fewer_people_heard_need_a_larger_difference_to_show():
    # With the threshold out of the way (5 points), what is left is the noise: three
    # trustees cannot show what twelve can.
    qs = _with(thread_break_points=5.0)
    few, many = [], []
    for seed in range(201, 206):
        for board, out in (((3, 3), few), ((12, 12), many)):
            r = analyse(realistic_audit(seed, qs, board=board))
            out.append(next(x.smallest for x in r.thread_reach if x.tiers == ["board"]))
    assert all(f > m for f, m in zip(few, many, strict=True)), (few, many)
    assert np.median(few) >= 1.3 * np.median(many)


def _small_leadership_answers():
    """One DSL, one senior leader and two trustees: a long answer file's rows. Culture
    scores at the weak score everywhere: a systemic call on the line, worth exploring."""
    interviews = realistic_interviews(18, dsl=1, senior_leaders=(1, 1), board=(2, 2))
    plants = [
        Plant(theme="casework", areas=("Outreach",), score=60),
        Plant(theme="culture", score=60),
    ]
    return realistic_responses(core(), interviews, plants, 10_018)


def _small_leadership():
    qs = core()
    return qs, analyse(AuditData.from_question_set(qs, _small_leadership_answers()))


def test_the_report_section_lists_what_was_not_settled_as_the_auditors_reviewed_it():
    qs, result = _small_leadership()
    titles = {t.id: t.title for t in qs.themes}
    assert result.worth_exploring and result.not_assessable
    section = unsettled_section(result, {}, titles)
    assert [i.summary for i in section.worth_exploring] == [
        f.summary for f in result.worth_exploring
    ]
    assert section.notes[:3] == [n.summary for n in result.not_assessable]
    # A tier too few on every theme is said once, not with eleven theme names.
    assert "golden thread on any theme." in section.notes[0]
    assert [r.pair for r in section.reach] == [
        "Managers against front-line staff",
        "Front-line staff against people who use services",
        "The safeguarding team, senior leaders and trustees together against people who "
        "use services",
    ]
    assert [r.pair for r in section.area_reach] == [r.service_area for r in result.area_reach]
    assert "Central Services" not in {r.service_area for r in result.area_reach}
    first = result.worth_exploring[0]
    dismissed = {first.key: Review(first.key, "dismissed")}
    left = unsettled_section(result, dismissed, titles)
    assert left.worth_exploring == [] and left.worth_exploring_none.startswith("None left open")
    assert section.worth_exploring_none == ""
    reworded = {first.key: Review(first.key, "edited", summary="Probe <governance> & ask.")}
    assert unsettled_section(result, reworded, titles).worth_exploring[0].summary == (
        "Probe <governance> & ask."
    )
    # An auditor's own finding belongs with the findings, not here.
    own = {"own-1": Review("own-1", "added", kind="auditor", theme="culture", summary="Ours.")}
    assert len(unsettled_section(result, own, titles).worth_exploring) == 1


def test_the_json_and_the_cli_table_carry_the_reach():
    from sgaudit.commands._core_format import analysis_table

    _, result = _small_leadership()
    doc = result.to_json_dict()["thread_reach"]
    assert [d["base_tier"] for d in doc] == ["front_line", "service_user", "service_user"]
    assert set(doc[0]) == {
        "tiers",
        "base_tier",
        "themes",
        "people",
        "base_people",
        "smallest",
        "lowest",
        "highest",
        "summary",
    }
    text = analysis_table(result)
    assert "What the golden thread could show with the people heard:" in text
    assert doc[1]["summary"] in text
    whole = result.to_json_dict()["organisation_reach"]
    assert whole["tiers"] == ["service_user", "front_line", "manager"]
    assert whole["weak_score"] == result.settings.weak_score and whole["themes"] == 11
    assert "What the organisation as a whole could show:" in text
    assert whole["summary"] in text


def test_an_areas_smallest_gap_is_where_a_judged_localised_gap_becomes_a_finding():
    from sgaudit.analysis.reach import area_smallest

    sides = set()
    for seed in (106, 107, 108):
        areas = list(dict.fromkeys(realistic_interviews(seed)["service_area"]))[:2]
        plants = [
            Plant(theme="casework", areas=(areas[0],), score=52),
            Plant(theme="policies", areas=(areas[1],), score=60),
            Plant(theme="culture", areas=(areas[1],), score=62),
        ]
        data = realistic_audit(seed, core(), plants)
        comps = detect(data).comparisons
        rows = comps[comps["kind"] == "localised"]
        assert len(rows) >= 2
        assert (comps["alpha"] == comps["alpha"].iloc[0]).all()  # one level for the audit
        smallest = area_smallest(rows, float(comps["alpha"].iloc[0]), data.settings)
        big = -rows["diff"].to_numpy(dtype=float) >= smallest - 1e-9
        assert ((rows["status"] == FINDING).to_numpy() == big).all(), seed
        sides |= set(big.tolist())
        # Every area that may be shown has its reach, the localised threshold or more.
        result = analyse(data)
        assert {r.service_area for r in result.area_reach} >= set(areas)
        assert all(r.smallest >= data.settings.localised_gap_points for r in result.area_reach)
    assert sides == {True, False}  # both sides of the line were tested


@pytest.mark.parametrize("seed", [101, 104, 107])
def test_the_organisations_smallest_distance_is_where_a_theme_clears_the_noise_below_the_weak_score(
    seed,
):
    # Themes planted near the weak score (60) everywhere, so systemic comparisons fall on
    # both sides of the line.
    plants = [
        Plant(theme="culture", score=52),
        Plant(theme="governance", score=56),
        Plant(theme="training", score=59),
        Plant(theme="complaints", score=48),
    ]
    data = realistic_audit(seed, core(), plants)
    comps = detect(data).comparisons
    rows = comps[(comps["kind"] == "systemic") & comps["p"].notna()]
    smallest = smallest_shown(rows).to_numpy()
    below = -rows["diff"].to_numpy(dtype=float) >= smallest - 1e-9
    assert ((rows["status"] == FINDING).to_numpy() == below).all()
    assert below.any() and (~below).any()
    reach = analyse(data).organisation_reach
    assert reach.themes == len(rows)
    assert reach.smallest == round(float(np.median(smallest)))
    assert (reach.lowest, reach.highest) == (round(smallest.min()), round(smallest.max()))
    # the people and voices it names are those of the tiers that compare service areas
    scope = data.responses[data.responses["tier"].isin(data.settings.scope_tiers)]
    heard = scope.drop_duplicates("interview_id")
    assert reach.voices == len(heard) and reach.people == int(heard["people"].sum())
    assert f"({reach.people} people in {reach.voices} voices)" in reach.summary


def test_fewer_voices_together_need_a_theme_further_below_the_weak_score():
    few, many = [], []
    for seed in range(101, 106):
        for voices, out in ((30, few), (120, many)):
            data = realistic_audit(seed, core(), scope_voices=voices)
            out.append(analyse(data).organisation_reach.smallest)
    assert all(f > m for f, m in zip(few, many, strict=True)), (few, many)


def test_with_nobody_heard_in_the_tiers_that_compare_areas_there_is_no_organisation_reach():
    data = realistic_audit(101, core())
    top = data.responses[~data.responses["tier"].isin(data.settings.scope_tiers)]
    result = analyse(AuditData.from_question_set(core(), top))
    assert result.organisation_reach is None
    assert result.to_json_dict()["organisation_reach"] is None


def test_a_reach_of_one_point_is_said_in_the_singular():
    # A partnership-sized survey heard in a thousand voices: a theme 1 point below the
    # weak score would show. "about 1 points" is what a reader would have had to forgive.
    reach = analyse(realistic_audit(101, core(), scope_voices=1000)).organisation_reach
    assert reach.smallest == 1
    assert "a theme had to score about 1 point below 60 to show" in reach.summary


def test_the_reach_says_a_theme_standing_out_from_the_others_needed_only_the_band():
    # A small organisation needs a theme about 8 points below the weak score to show on
    # that alone; one the same people rate far below their other themes needs only to
    # be outside the borderline band. The reach says both, and only where they differ.
    small = analyse(realistic_audit(1011, core(), scope_voices=30)).organisation_reach
    assert small.smallest > 5
    assert small.summary.endswith(
        "of the service areas; 5 points below was enough where the same people clearly "
        "rated it at least 20 points below their other themes."
    )
    large = analyse(realistic_audit(101, core(), scope_voices=1000)).organisation_reach
    assert "their other themes" not in large.summary  # 1 point: nearer than the band
    qs = core()
    off = qs.model_copy(
        update={"settings": qs.settings.model_copy(update={"systemic_own_level_points": 0})}
    )
    alone = analyse(realistic_audit(1011, off, scope_voices=30)).organisation_reach
    assert "their other themes" not in alone.summary
    assert alone.summary == small.summary.split("; 5 points below")[0] + "."
