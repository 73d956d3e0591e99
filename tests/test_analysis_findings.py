"""Generated audits with planted patterns: the analysis must find each, and nothing in
a clean audit. Also the privacy of quotes and the shape of findings."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sgaudit.analysis import AuditData, Finding, analyse
from sgaudit.analysis.synthetic import (
    AREAS,
    Plant,
    knowledge_gap,
    localised,
    paper_practice,
    synthetic_audit,
    synthetic_interviews,
    synthetic_question_set,
    synthetic_responses,
    systemic,
    thread_break,
)
from sgaudit.questionnaire.settings import AnalysisSettings


def findings_of(data: AuditData) -> dict[str, Finding]:
    return {f.key: f for f in analyse(data).findings}


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_uniformly_strong_audit_has_no_findings_at_all(seed):
    result = analyse(synthetic_audit(seed=seed, group_share=0.3))
    assert result.findings == []
    assert all(t.rag == "green" for t in result.themes)


def test_a_theme_weak_in_every_area_is_systemic_not_localised():
    found = findings_of(synthetic_audit(plants=systemic("culture", 35)))
    finding = found["systemic:culture::"]
    assert finding.severity == "high"  # organisation score ~35, well below weak_score - 10
    assert finding.evidence["areas_assessed"] == 4 and finding.evidence["weak_areas"] == 4
    # It says whose view the areas are compared on: the report's table of service areas
    # counts everyone heard there, trustees too.
    assert finding.summary.startswith(
        "Culture is weak across the organisation: in 4 of 4 service areas people who use "
        "services, front-line staff and managers score it below 60, and together they score it"
    )
    assert not [k for k in found if k.startswith("localised:culture")]


def test_a_systemic_finding_counts_focus_groups_as_one_voice_as_the_fieldwork_guide_does():
    # The report's note on the tiers heard together counts voices (a focus group is
    # one); the finding beside it gives both, so "96 people" and "45 voices" agree.
    data = synthetic_audit(plants=systemic("culture", 35), group_share=0.5, seed=3)
    finding = findings_of(data)["systemic:culture::"]
    culture = set(data.questions.loc[data.questions["theme"] == "culture", "question_id"])
    heard = data.responses[
        data.responses["tier"].isin(["service_user", "front_line", "manager"])
        & data.responses["question_id"].isin(culture)
    ].drop_duplicates("interview_id")
    voices, people = len(heard), int(heard["people"].sum())
    assert people > voices  # focus groups were heard
    assert finding.evidence["voices"] == voices
    assert finding.summary.endswith(f"; {people} people in {voices} voices).")
    # Without focus groups the two are one number, said once.
    plain = findings_of(synthetic_audit(plants=systemic("culture", 35)))["systemic:culture::"]
    assert plain.summary.endswith(f"; {plain.evidence['voices']} people).")


def test_a_theme_weak_in_one_area_is_localised_and_names_the_area():
    found = findings_of(synthetic_audit(plants=localised("casework", ["Outreach"], 30)))
    assert list(found) == ["localised:casework:Outreach:"]
    finding = found["localised:casework:Outreach:"]
    assert finding.service_areas == ["Outreach"]
    assert "Casework is markedly weaker in Outreach (" in finding.summary
    assert (
        "than in the other service areas (average 80) as people who use services, "
        "front-line staff and managers score it: a gap of" in finding.summary
    ), finding.summary
    assert finding.evidence["gap"] >= 40 and finding.severity == "high"


def test_two_weak_areas_out_of_four_are_both_named_in_one_localised_finding():
    found = findings_of(synthetic_audit(plants=localised("casework", ["Outreach", "Housing"], 30)))
    assert list(found) == ["localised:casework:Housing+Outreach:"]
    assert sorted(found["localised:casework:Housing+Outreach:"].service_areas) == [
        "Housing",
        "Outreach",
    ]


def test_three_weak_areas_out_of_four_make_the_theme_systemic():
    found = findings_of(
        synthetic_audit(plants=localised("casework", ["Outreach", "Housing", "Day services"], 30))
    )
    assert "systemic:casework::" in found
    assert not [k for k in found if k.startswith("localised:")]


def test_board_optimism_is_flagged_when_board_rates_culture_50_points_above_front_line():
    found = findings_of(synthetic_audit(plants=thread_break("culture", "board", 90, 40)))
    finding = found["thread_break:culture::front_line+board"]
    assert finding.tiers == ["front_line", "board"]
    assert finding.evidence["direction"] == "higher_rates_better"
    assert finding.evidence["gap"] >= 40
    assert (
        finding.summary.startswith("Trustees rate Culture ")
        and " points higher than front-line" in finding.summary
    )
    assert finding.severity == "high"


def test_a_board_more_pessimistic_than_the_front_line_is_flagged_the_other_way():
    found = findings_of(synthetic_audit(plants=thread_break("governance", "board", 35, 85)))
    finding = found["thread_break:governance::front_line+board"]
    assert finding.evidence["direction"] == "higher_rates_worse"
    assert " points lower than front-line staff" in finding.summary


def test_a_gap_just_under_the_threshold_is_not_a_thread_break():
    data = synthetic_audit(
        plants=thread_break("culture", "board", 90, 40),
        question_set=synthetic_question_set(settings=AnalysisSettings(thread_break_points=70)),
    )
    assert not [k for k in findings_of(data) if k.startswith("thread_break")]


def test_trustees_who_answer_dont_know_far_more_than_others_are_a_knowledge_gap():
    found = findings_of(synthetic_audit(plants=knowledge_gap("governance", ["board"], 0.5)))
    finding = found["knowledge_gap:governance::board"]
    assert finding.tiers == ["board"]
    assert finding.evidence["tier_dont_know_rate"] > 0.4
    assert finding.evidence["others_dont_know_rate"] < 0.1
    assert 'Trustees answered "don\'t know" to ' in finding.summary
    # the difference is said once, with its interval (it was said twice over)
    assert finding.summary.count("percentage points") == 1 and "points more" not in finding.summary
    assert not [k for k in found if k.startswith("knowledge_gap") and k != finding.key]


def test_front_line_dont_know_is_its_own_finding_not_a_knowledge_gap_at_the_top():
    found = findings_of(synthetic_audit(plants=knowledge_gap("governance", ["front_line"], 0.6)))
    assert [k for k in found if k.startswith("knowledge_gap")] == [
        "knowledge_gap:governance::front_line"
    ]
    assert "staff do not know what happens" in found["knowledge_gap:governance::front_line"].summary


def test_good_paper_and_poor_practice_is_a_paper_practice_gap():
    found = findings_of(synthetic_audit(plants=paper_practice("policies", 90, 40)))
    finding = found["paper_practice_gap:policies::"]
    assert finding.evidence["paper_score"] > 80 and finding.evidence["practice_score"] < 50
    assert "on paper but" in finding.summary and finding.severity == "high"


def test_every_planted_pattern_is_found_together():
    plants = [
        *systemic("culture", 35),
        *localised("casework", ["Outreach"], 30),
        *thread_break("governance", "board", 90, 45),
        *knowledge_gap("quality_assurance", ["senior_leader"], 0.5),
        *paper_practice("policies", 90, 60),
    ]
    kinds = {(f.kind, f.theme) for f in analyse(synthetic_audit(plants=plants, seed=7)).findings}
    assert {
        ("systemic", "culture"),
        ("localised", "casework"),
        ("thread_break", "governance"),
        ("knowledge_gap", "quality_assurance"),
        ("paper_practice_gap", "policies"),
    } <= kinds


# ---- suppression protects small groups ------------------------------------------------------


def _with_small_board(plants, board_people: int = 2, note: str = "") -> AuditData:
    """An audit whose board is only `board_people` people, all in one area."""
    qs = synthetic_question_set()
    interviews = synthetic_interviews(AREAS, 3)
    board = interviews[interviews["tier"] == "board"]
    interviews = pd.concat([interviews[interviews["tier"] != "board"], board.iloc[:board_people]])
    responses = synthetic_responses(qs, interviews, plants=plants, note_share=0.0)
    if note:
        at = responses.index[
            (responses["tier"] == "board") & responses["question_id"].str.startswith("CUL")
        ][0]
        responses.loc[at, ["note", "quotable"]] = [note, True]
    return AuditData.from_question_set(qs, responses)


def test_a_board_of_two_is_suppressed_and_cannot_make_a_thread_break_or_knowledge_gap():
    data = _with_small_board(
        [*thread_break("culture", "board", 95, 40), *knowledge_gap("culture", ["board"], 0.9)]
    )
    result = analyse(data)
    board = next(c for c in result.theme("culture").by_tier if c.tier == "board")
    assert board.suppressed and board.score is None and board.n is None and board.rag is None
    assert not [f for f in result.findings if "board" in f.tiers]


def test_a_quote_from_a_suppressed_group_is_never_attached():
    secret = "As one of only two trustees I never see the safeguarding report."
    data = _with_small_board(systemic("culture", 30), note=secret)
    result = analyse(data)
    assert result.findings_of_kind("systemic")
    assert all(secret not in f.quotes for f in result.findings)


def test_quotes_are_text_only_capped_at_three_and_come_from_the_finding_area():
    qs = synthetic_question_set()
    interviews = synthetic_interviews(AREAS, 3)
    responses = synthetic_responses(
        qs, interviews, plants=localised("casework", ["Outreach"]), note_share=0.0
    )
    cas = responses["question_id"].str.startswith("CAS")
    in_outreach = cas & (responses["service_area"] == "Outreach")
    elsewhere = cas & (responses["service_area"] == "Housing")
    for k, at in enumerate(responses.index[in_outreach][:5]):
        responses.loc[at, ["note", "quotable"]] = [f"Outreach worry {k}", True]
    responses.loc[responses.index[elsewhere][0], ["note", "quotable"]] = ["Housing remark", True]
    responses.loc[responses.index[in_outreach][6], ["note", "quotable"]] = [
        "Not for quoting",
        False,
    ]
    result = analyse(AuditData.from_question_set(qs, responses))
    finding = result.findings_of_kind("localised")[0]
    assert len(finding.quotes) == 3
    assert all(q.startswith("Outreach worry") for q in finding.quotes)
    assert all(iid not in q for q in finding.quotes for iid in interviews["interview_id"])


# ---- shape of findings ------------------------------------------------------------------------


def test_findings_are_ordered_most_severe_first_and_carry_questions_to_consider():
    plants = [*localised("casework", ["Outreach"], 56), *systemic("culture", 30)]
    findings = analyse(synthetic_audit(plants=plants)).findings
    ranks = [{"high": 0, "medium": 1, "low": 2}[f.severity] for f in findings]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]
    assert findings[0].questions_to_consider == ["How does the board know that culture works?"]


def test_finding_key_sorts_areas_and_orders_tiers_ground_to_board():
    f = Finding(
        kind="localised",
        theme="casework",
        service_areas=["Outreach", "Housing"],
        tiers=["board", "front_line"],
        severity="low",
        summary="...",
    )
    assert f.key == "localised:casework:Housing+Outreach:front_line+board"


def test_extra_findings_such_as_evidence_gaps_are_added_and_sorted_in():
    gap = Finding(
        kind="evidence_gap", theme="training", severity="high", summary="No training records."
    )
    result = analyse(synthetic_audit(), extra_findings=[gap])
    assert result.findings == [gap]
    assert result.findings[0].key == "evidence_gap:training::"


def test_scope_is_not_classified_with_a_single_service_area():
    data = synthetic_audit(areas=("Everywhere",), plants=systemic("culture", 30))
    result = analyse(data)
    assert not [f for f in result.findings if f.kind in ("systemic", "localised")]
    assert result.theme("culture").rag == "red"  # still visible in the score


def test_a_systemic_call_held_back_says_why_close_to_the_line_or_too_few_people():
    """Worth exploring, a theme far enough below the weak score in enough areas is held
    back by the noise only: "too few people to be sure", not "borderline"."""
    from pathlib import Path

    from sgaudit.analysis.flags import BORDERLINE, TOO_FEW
    from sgaudit.analysis.realistic import CENTRAL, realistic_audit, realistic_interviews
    from sgaudit.analysis.scope_findings import systemic_doubt
    from sgaudit.analysis.validation import patterns, plants_of
    from sgaudit.questionnaire.loader import load_question_set

    s = AnalysisSettings()  # weak score 60, band 5 points, share 0.6 (band 0.1)
    assert systemic_doubt(-8.0, 1.0, s) == TOO_FEW  # 52 in every area: only unsure
    assert systemic_doubt(-4.0, 1.0, s) == BORDERLINE  # 56: close to the line
    assert systemic_doubt(3.0, 0.7, s) == BORDERLINE  # 63: close, above it
    assert systemic_doubt(-8.0, 0.5, s) == BORDERLINE  # too few areas below it
    core = load_question_set(Path(__file__).resolve().parents[1] / "questionnaires" / "core")
    # read against the weak score alone: against the people's own level 1011 is a finding
    # (test_a_theme_that_stands_out_from_the_same_peoples_other_themes_is_systemic)
    core = core.model_copy(
        update={"settings": core.settings.model_copy(update={"systemic_own_level_points": 0})}
    )
    pattern = patterns()["systemic"]  # complaints at 50, the rest at 80
    notes = {}
    for seed in (1011, 1118):  # realistic audits where it came out at 52 and at 56
        areas = [a for a in dict.fromkeys(realistic_interviews(seed)["service_area"])]
        areas = [a for a in areas if a != CENTRAL]
        result = analyse(realistic_audit(seed, core, plants_of([pattern], areas)))
        (held,) = [f for f in result.worth_exploring if f.kind == "systemic"]
        notes[seed] = (held.evidence["score"], held.certainty_note)
    assert notes[1011][0] < 55 and notes[1011][1] == TOO_FEW, notes
    assert 55 <= notes[1118][0] < 60 and notes[1118][1] == BORDERLINE, notes


def test_a_uniformly_mediocre_theme_is_neither_localised_nor_systemic():
    plants = [
        Plant(theme="culture", areas=(a,), score=s)
        for a, s in zip(AREAS, (55, 58, 62, 64), strict=True)
    ]
    found = findings_of(synthetic_audit(plants=plants))
    assert not [k for k in found if ":culture:" in k]


# ---- how sure, in words: one rule for the interval printed (sgaudit.printed) ----------
SAID = re.compile(
    r"(?:difference (-?\d+) (?:percentage )?points|\((\d+) points below \d+), "
    r"interval (-?\d+) to (-?\d+);"
)


def test_each_kind_of_finding_prints_its_interval_by_the_one_rule(db_url):
    """Every finding of the demo's two audits (thread breaks, from below and beyond the
    usual gap, localised, systemic, knowledge gap, paper/practice, self-assessment): the
    bounds are the JSON interval's at the nearest whole point, unless widened to take in
    the difference printed, and the difference printed lies inside them."""
    from sgaudit.demo import build_demo
    from sgaudit.store.db import session_scope
    from sgaudit.store.frames import load_audit_data

    with session_scope(db_url) as s:
        demo = build_demo(s)
    with session_scope(db_url) as s:
        found = [
            f
            for audit in (demo.baseline_audit_id, demo.reaudit_audit_id)
            for f in analyse(load_audit_data(s, audit)).findings
        ]
    kinds = set()
    for f in found:
        m = SAID.search(f.summary)
        if f.interval is None:
            continue
        assert m, f.summary
        difference = int(m.group(1) or m.group(2))
        low, high = int(m.group(3)), int(m.group(4))
        json_low, json_high = f.interval
        if (difference > 0) != (f.difference > 0):  # said the other way round
            json_low, json_high = -json_high, -json_low
        assert low <= difference <= high, f.summary
        # one decimal in the JSON, so a bound may sit a twentieth of a point further off
        assert abs(low - json_low) <= 0.55 or low == difference, (f.summary, f.interval)
        assert abs(high - json_high) <= 0.55 or high == difference, (f.summary, f.interval)
        kinds.add(f.kind)
    assert {"thread_break", "localised", "systemic", "knowledge_gap"} <= kinds
    assert {"paper_practice_gap", "self_assessment_optimism"} <= kinds


def test_the_kinds_a_finding_may_have_are_the_vocabularys_in_its_order():
    # The finding model's Literal is checked by pydantic; the vocabulary names and orders
    # them for the app, the report and the listing. One list, read two ways.
    from typing import get_args

    from sgaudit.analysis.findings import FindingKind
    from sgaudit.vocab import FINDING_KIND_LABELS, FINDING_KINDS

    assert get_args(FindingKind) == FINDING_KINDS
    assert tuple(FINDING_KIND_LABELS) == FINDING_KINDS


@pytest.mark.parametrize(
    ("seed", "score", "why", "says"),
    [
        # 10 below the weak score in all four areas, from 30 voices: not clear of the noise
        (1011, 50.0, "too few people to be sure", "in 4 of 4 service areas"),
        # at the weak score: two of four areas below it, short of the systemic share
        (1003, 60.0, "borderline: close to the weak score", "in 2 of 4 service areas"),
    ],
)
def test_a_systemic_call_left_worth_exploring_says_may_be_and_its_interval_in_words(
    seed, score, why, says
):
    # A trustee reads the first words. A call the people heard could not settle must not
    # open with "is weak across the organisation" (least of all with two areas of four
    # below the line), nor give a negative distance below the weak score.
    from sgaudit.analysis.realistic import realistic_audit
    from sgaudit.questionnaire import load_question_set

    qs = load_question_set()
    # the weak score alone (at 50 the theme stands out from the others: a finding then)
    alone = qs.settings.model_copy(update={"systemic_own_level_points": 0})
    qs = qs.model_copy(update={"settings": alone})
    result = analyse(realistic_audit(seed, qs, [Plant("complaints", score=score)]))
    assert not [f for f in result.findings if f.kind == "systemic"]
    (call,) = [f for f in result.worth_exploring if f.kind == "systemic"]
    assert call.certainty_note.startswith(why)
    assert call.summary.startswith(
        f"Complaints and whistleblowing may be weak across the organisation: {says} "
    )
    shown = re.search(
        r"\((\d+) points? below 60, interval (\d+) above to (\d+) below;", call.summary
    )
    assert shown, call.summary
    assert "-" not in call.summary.split("interval")[1]


# ---- systemic, read against the same people's other themes ---------------------------
def _planted_systemic(seed: int, score: float | None = 50.0, noise=None, **settings):
    """Detection (findings, worth exploring and every comparison) of a realistic audit
    with complaints planted at `score` (None: nothing planted)."""
    from sgaudit.analysis.detect import detect
    from sgaudit.analysis.realistic import realistic_audit
    from sgaudit.questionnaire import load_question_set

    qs = load_question_set()
    qs = qs.model_copy(update={"settings": qs.settings.model_copy(update=settings)})
    plants = [] if score is None else [Plant("complaints", score=score)]
    return detect(realistic_audit(seed, qs, plants, noise=noise))


def test_a_theme_that_stands_out_from_the_same_peoples_other_themes_is_systemic():
    # Seed 1011: complaints planted at 50 (the rest at 80) came out at 52 from 30 voices
    # in a small organisation; its distance below 60 is not clear of the noise (the
    # generosity of the particular people heard), but every one of them rates it far
    # below their other themes. Read that way it is a finding, and says which reading.
    result = _planted_systemic(1011)
    (found,) = [f for f in result.findings if f.kind == "systemic"]
    assert found.certainty == "finding"
    assert found.compared_with == "the same people's ratings of the other themes"
    low, high = found.interval
    assert high < 0 and found.difference <= -20  # clear, and at least the setting
    assert found.evidence["below_own_level"] == -found.difference
    assert found.evidence["score"] <= 55  # outside the borderline band
    assert found.summary.startswith("Complaints and whistleblowing is weak across the")
    said = re.search(
        r"The same people rate it (\d+) points below their other themes \(interval (\d+) "
        r"to (\d+)\), clear of the chance of who was heard, though how far below 60 it "
        r"sits is less sure\.$",
        found.summary,
    )
    assert said, found.summary
    assert int(said.group(2)) <= int(said.group(1)) <= int(said.group(3))
    assert int(said.group(2)) == round(-high) and int(said.group(3)) == round(-low)
    # read against the weak score alone, the same audit leaves it worth exploring
    alone = _planted_systemic(1011, systemic_own_level_points=0)
    assert not [f for f in alone.findings if f.kind == "systemic"]
    assert [f for f in alone.worth_exploring if f.kind == "systemic"]


def test_a_theme_inside_the_borderline_band_stays_borderline_however_far_from_the_others():
    # Planted at 58 against the rest at 80: it stands 22 points below the other themes,
    # clearly, but a theme near the weak score is said to be near it (issue 8, item 7).
    for seed in (1000, 1001, 1002):
        result = _planted_systemic(seed, score=58.0)
        comps = result.comparisons
        own = comps[
            (comps["kind"] == "systemic_beyond_own_level") & (comps["theme"] == "complaints")
        ]
        plain = comps[(comps["kind"] == "systemic") & (comps["theme"] == "complaints")]
        assert len(own) == 1 and len(plain) == 1
        if own["status"].iloc[0] != "finding" or plain["diff"].iloc[0] <= -5:
            continue  # this seed does not test the band
        assert not [f for f in result.findings if f.kind == "systemic"], seed
        held = [f for f in result.worth_exploring if f.kind == "systemic"]
        assert all(f.certainty_note.startswith("borderline") for f in held)
        break
    else:
        pytest.fail("no seed put the theme inside the band and clear of the others")


def test_a_weak_organisation_with_no_theme_standing_out_is_judged_on_the_weak_score_alone():
    # Every theme at 55: nothing stands out from the people's other themes, so the
    # second reading adds nothing, and no theme is a finding against the weak score
    # either (5 points below it is on the band's edge, not clear of the noise).
    result = _planted_systemic(1004, score=None, noise={"base_score": 55})
    comps = result.comparisons
    own = comps[comps["kind"] == "systemic_beyond_own_level"]
    assert len(own) == 11
    assert (own["status"] != "finding").all()
    assert not [f for f in result.findings if f.compared_with.startswith("the same people")]


def test_the_two_readings_of_the_systemic_question_are_one_comparison_to_the_control():
    from sgaudit.analysis.flags import families

    result = _planted_systemic(1011)
    comps = result.comparisons
    fam = families(comps)
    plain = (comps["kind"] == "systemic").to_numpy()
    own = (comps["kind"] == "systemic_beyond_own_level").to_numpy()
    by_theme = dict(zip(comps["theme"][plain], fam[plain], strict=True))
    assert {t: f for t, f in zip(comps["theme"][own], fam[own], strict=True)} == by_theme
    # and the setting at 0 asks the question once
    alone = _planted_systemic(1011, systemic_own_level_points=0).comparisons
    assert not (alone["kind"] == "systemic_beyond_own_level").any()
