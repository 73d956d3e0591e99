"""The validation suite: on realistic audits, the analysis says nothing when nothing was
planted, finds what was planted, and says how sure it is.

Realistic = the core question set (each tier asked its own questions), 3-8 service
areas plus Central Services (DSL, senior leaders, board), 2-8 front-line staff per
area, 3-6 trustees, person SD 10, answer SD 15, question-by-tier SD 5
(`sgaudit.analysis.realistic`). The targets are issue 8's; bench/validity.py runs the
fuller version and writes the tables in docs/analysis.md.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from sgaudit.analysis import analyse
from sgaudit.analysis.detect import FINDING, all_comparisons, decide, settle_usual_level
from sgaudit.analysis.realistic import CENTRAL, realistic_audit, realistic_interviews
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.synthetic import Plant
from sgaudit.analysis.thread import BEYOND
from sgaudit.analysis.validation import BUNDLES, USERS, judge, patterns, plants_of
from sgaudit.questionnaire.loader import load_question_set

CORE = Path(__file__).resolve().parents[1] / "questionnaires" / "core"
CLEAN_SEEDS = range(50)
PATTERN_SEEDS = range(100, 140)


@cache
def core():
    return load_question_set(CORE)


def areas_of(seed: int) -> list[str]:
    return [a for a in dict.fromkeys(realistic_interviews(seed)["service_area"]) if a != CENTRAL]


@cache
def bundle_outcomes(bundle: str):
    chosen = [patterns()[name] for name in BUNDLES[bundle]]
    out = []
    for seed in PATTERN_SEEDS:
        areas = areas_of(seed)
        result = analyse(realistic_audit(seed, core(), plants_of(chosen, areas)))
        out.append((judge(result.findings, chosen, areas), result))
    return out


def test_clean_realistic_audits_carry_a_flag_in_at_most_5_percent_of_seeds():
    flagged = [seed for seed in CLEAN_SEEDS if analyse(realistic_audit(seed, core())).findings]
    assert len(flagged) <= 0.05 * len(CLEAN_SEEDS), flagged


# Measured below target (docs/analysis.md, "What the analysis can and cannot see"):
# kept as expected failures so the suite shows the gap, and turns into a pass (XPASS)
# once closed. Managers, the pooled senior leadership and the board reach the target
# since each thread gap is also read beyond the two tiers' usual gap (`own_level.py`).
# Forty seeds cannot settle a target at its edge: systemic is found in all 40 of these
# with its bundle (38 planted alone) but in 89 % of bench/targets.py's 400 planted alone,
# which the docs give as not met ("The targets over 400 seeds").
BELOW_TARGET = {
    USERS: "2 to 5 people who use services per area answer three questions a theme on a "
    "three-point scale, so their score wanders by about 5 points (the front line's by under "
    "3): 34 of these 40 seeds, 93.5 % of bench/noise_sources.py's 400 (96.5 % and 97.0 % "
    "without how each person rates, SD 10, or how a tier reads a question, SD 5), read "
    "against their own level too; in the misses their score came out 5 to 12 points above "
    "the planted one, so the gap on the scale (13 to 18 points) fell below the 20-point "
    "threshold at both links, or it reached it but was not clear of the noise once the "
    "audit's few hundred comparisons are controlled for false flags (seed 126: 21 points, "
    "worth exploring)",
    "board rates lower": "three to six trustees: a planted 30 shows as 26-28 on the "
    "scale and their score wanders by about 6, so the gap itself falls below the 20-point "
    "threshold about one time in twenty: 37 of these 40 seeds (seeds 102, 105 and 128: "
    "17 to 19 points however read), 100 % of bench/validity.py's 40; with 5 or 6 trustees, "
    "as the fieldwork guide asks, 36 of these 40, 99 % of bench/fieldwork_guide.py's 80 with "
    "exactly 5: these seeds sit at the edge of 95 %; over bench/noise_sources.py's 400 "
    "seeds at 3-6 trustees 94.8 %, 98.2 % without how a tier reads the four Governance "
    "questions the board and the front line share, which no number of trustees changes",
}
PATTERNS = [(bundle, name) for bundle, names in BUNDLES.items() for name in names]


@pytest.mark.parametrize(
    ("bundle", "name"),
    [
        pytest.param(b, n, marks=pytest.mark.xfail(reason=BELOW_TARGET[n], strict=True))
        if n in BELOW_TARGET
        else (b, n)
        for b, n in PATTERNS
    ],
)
def test_each_planted_30_point_pattern_is_found_in_95_percent_of_seeds(bundle, name):
    outcomes = bundle_outcomes(bundle)
    found = sum(o.found[name] for o, _ in outcomes)
    assert found >= 0.95 * len(outcomes), (name, found)


@pytest.mark.parametrize(
    "bundle",
    [
        "scope",
        "thread",
        pytest.param("top", marks=pytest.mark.xfail(reason="see BELOW_TARGET", strict=True)),
    ],
)
def test_several_patterns_together_are_all_found_in_90_percent_of_seeds(bundle):
    outcomes = bundle_outcomes(bundle)
    all_found = sum(all(o.found.values()) for o, _ in outcomes)
    assert all_found >= 0.9 * len(outcomes)


def test_at_the_fieldwork_guides_voices_people_who_use_services_gap_is_found_in_95_percent():
    # The guide (setting fieldwork_guide: 5 voices in each service area) is what the
    # Interview page and the report hold fieldwork to; below it the target is not reached
    # (BELOW_TARGET above), at it every seed here is found (bench/fieldwork_guide.py: 98 %).
    need = core().settings.fieldwork_guide["service_user"]
    users = [patterns()[USERS]]
    found = 0
    for seed in PATTERN_SEEDS:
        size = {"service_users": (need, need + 3)}
        areas = [
            a
            for a in dict.fromkeys(realistic_interviews(seed, **size)["service_area"])
            if a != CENTRAL
        ]
        result = analyse(realistic_audit(seed, core(), plants_of(users, areas), **size))
        found += judge(result.findings, users, areas).found[USERS]
    assert found >= 0.95 * len(PATTERN_SEEDS), found


def test_heard_in_the_guides_voices_together_a_theme_weak_everywhere_is_found_or_surfaced():
    # fieldwork_guide_organisation (60): the voices of the tiers that compare service
    # areas, in all, a systemic finding is judged on. Built with exactly that many, dealt
    # over the drawn areas, a theme 10 points below the weak score that does not stand out
    # from the others (the rest at 65: judged on its distance below the weak score alone)
    # is found in 95.0 % of 400 seeds and 90.8 % at 50 (bench/fieldwork_guide.py); 40
    # seeds cannot settle 95 % at its edge, so here: at least 9 in 10 found, and every one
    # at least listed as worth exploring. The targets' pattern, 30 below the others, is
    # found in every one of them.
    need = core().settings.fieldwork_guide_organisation
    level = [Plant(score=65.0), Plant(theme="complaints", score=50.0)]
    chosen = [patterns()["systemic"]]
    found = surfaced = standing_out = 0
    for seed in PATTERN_SEEDS:
        interviews = realistic_interviews(seed, scope_voices=need)
        scope = interviews[interviews["tier"].isin(core().settings.scope_tiers)]
        assert len(scope) == need
        areas = [a for a in dict.fromkeys(interviews["service_area"]) if a != CENTRAL]
        result = analyse(realistic_audit(seed, core(), level, scope_voices=need))
        found += any(f.kind == "systemic" and f.theme == "complaints" for f in result.findings)
        either = [*result.findings, *result.worth_exploring]
        surfaced += any(f.kind == "systemic" and f.theme == "complaints" for f in either)
        result = analyse(realistic_audit(seed, core(), plants_of(chosen, areas), scope_voices=need))
        standing_out += judge(result.findings, chosen, areas).found["systemic"]
    assert found >= 0.9 * len(PATTERN_SEEDS), found
    assert surfaced == len(PATTERN_SEEDS), surfaced
    assert standing_out == len(PATTERN_SEEDS), standing_out


def test_several_patterns_together_carry_a_false_flag_in_at_most_5_percent_of_seeds():
    outcomes = [o for bundle in BUNDLES for o, _ in bundle_outcomes(bundle)]
    with_false = [[f.summary for f in o.false_flags] for o in outcomes if o.false_flags]
    assert len(with_false) <= 0.05 * len(outcomes), with_false


def test_every_flag_shows_its_difference_interval_and_n_on_both_sides():
    for _, result in bundle_outcomes("thread"):
        for f in result.findings:
            low, high = f.interval
            assert low <= f.difference <= high
            assert low > 0 or high < 0  # clear of the noise
            assert f.n_group >= 3
            assert f.n_compared is None or f.n_compared >= 3
            assert "interval" in f.summary


def test_a_pooled_senior_leadership_finding_says_it_was_pooled():
    pooled = [
        f
        for _, result in bundle_outcomes("top")
        for f in result.findings
        if f.kind == "thread_break"
        and "senior_leader" in f.tiers
        and f.evidence["base_tier"] == "front_line"
    ]
    assert pooled
    for f in pooled:
        assert f.pooled_tiers == ["dsl", "senior_leader"]
        assert "pooled: too few to show apart" in f.summary


def test_people_who_use_services_are_set_against_their_front_line_and_the_whole_leadership():
    leadership = ["dsl", "senior_leader", "board"]
    voiced = {"front_line": [], "leadership": []}
    for outcome, result in bundle_outcomes("top"):
        users = [f for f in result.findings if f.evidence.get("base_tier") == "service_user"]
        for f in users:
            assert f.tiers in (["service_user", "front_line"], ["service_user", *leadership])
            assert f.pooled_tiers == ([] if f.tiers[1] == "front_line" else leadership)
        if outcome.found[USERS]:
            for f in users:
                if f.theme == "safer_working":
                    voiced["front_line" if f.tiers[1] == "front_line" else "leadership"].append(f)
        note = [n for n in result.pooled if n.tiers == leadership]
        assert note and "safer_working" in note[0].themes
        assert "the organisation's leadership (trustees, senior leaders and the DSL" in (
            note[0].summary
        )
    assert voiced["front_line"] and voiced["leadership"]
    against = {
        "front_line": "points lower than front-line staff (",
        "leadership": "points lower than the organisation's leadership (trustees, senior leaders "
        "and the DSL together)",
    }
    for link, found in voiced.items():
        for f in found:
            assert f.summary.startswith(
                "People who use services rate Safer working practices and activities "
            )
            assert against[link] in f.summary
            assert f.difference > 0  # the JSON's difference: the other side minus its ground tier
            assert f.compared_with == "people who use services"
            # the sentence speaks from their side: their score first, the difference turned
            low, high = f.interval
            shown = re.search(r"interval (-?\d+) to (-?\d+);", f.summary)
            assert abs(int(shown[1]) + high) <= 1 and abs(int(shown[2]) + low) <= 1
            assert f"; {f.n_compared} and {f.n_group} people;" in f.summary
            # the leadership is named in full once, even where the usual gap names it again
            assert f.summary.count("(trustees, senior leaders and the DSL together)") <= 1


@pytest.mark.parametrize("seed", [1001, 1003, 1008])
def test_people_who_use_services_low_on_one_theme_are_not_read_as_high_on_the_others(seed):
    # Read against their own level on their four themes, a 30-point lower view of one
    # theme leaks a third into each of the other three. On these seeds the leak, read
    # once, was a finding ("rate Culture ... higher than their usual"); with the theme
    # that stands out left out of their usual level there is none.
    users = patterns()[USERS]
    areas = areas_of(seed)
    data = realistic_audit(seed, core(), plants_of([users], areas))
    s = data.settings
    assert s.thread_own_level_themes <= 4
    tables = ScoreTables.build(data)
    comps, _, resp, _, _ = all_comparisons(tables)
    once = decide(comps, s.false_flag_rate, s.false_flag_method)

    def beyond_elsewhere(c):
        f = c[(c["kind"] == BEYOND) & (c["base"] == "service_user") & (c["status"] == FINDING)]
        return set(f["theme"]) - {"safer_working"}

    assert beyond_elsewhere(once)
    assert not beyond_elsewhere(settle_usual_level(comps, resp, s))
    outcome = judge(analyse(data).findings, [users], areas)
    assert outcome.found[USERS] and not outcome.false_flags


def test_a_board_of_two_is_said_to_be_not_assessable_not_left_out_in_silence():
    result = analyse(realistic_audit(3, core(), board=(2, 2)))
    notes = [n for n in result.not_assessable if n.tiers == ["board"]]
    assert notes and notes[0].themes
    assert notes[0].summary.startswith("Not assessable: too few people heard.")
    assert not [f for f in result.findings if "board" in f.tiers]


def test_a_view_shared_at_the_top_is_not_read_as_a_weak_central_services():
    pessimists = patterns()["board rates lower"]
    for seed in range(200, 205):
        result = analyse(realistic_audit(seed, core(), pessimists.plants(areas_of(seed))))
        assert not [f for f in result.findings if CENTRAL in f.service_areas]
