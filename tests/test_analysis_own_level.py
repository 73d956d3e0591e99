"""The golden thread read a second way: each respondent against their own level on the
other themes (`own_level.py`), counted once with the plain gap in the false-flag control."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sgaudit.analysis import analyse
from sgaudit.analysis.detect import (
    all_comparisons,
    decide,
    detect,
    settle_usual_level,
    standing_out,
)
from sgaudit.analysis.flags import FINDING, WORTH, families
from sgaudit.analysis.own_level import own_level_respondents
from sgaudit.analysis.realistic import realistic_audit
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.synthetic import Plant
from sgaudit.analysis.thread import BEYOND
from sgaudit.analysis.thread_findings import one_per_gap
from sgaudit.analysis.uncertainty import false_flag_control, t_isf
from sgaudit.questionnaire.loader import load_question_set

CORE = Path(__file__).resolve().parents[1] / "questionnaires" / "core"
THEMES = [f"t{k}" for k in range(8)]


@cache
def core():
    return load_question_set(CORE)


def _with(**settings):
    qs = core()
    return qs.model_copy(update={"settings": qs.settings.model_copy(update=settings)})


def _resp(person: dict[str, float], side: dict[str, str], planted: float = 30.0):
    """Respondent rows with no answer noise: theme level + the person + the board's view
    of theme t0 (`planted` above everyone else's)."""
    rows = []
    for iv, u in person.items():
        for k, theme in enumerate(THEMES):
            y = 60 + 2 * k + u + (planted if side[iv] == "a" and theme == "t0" else 0.0)
            rows.append((theme, iv, side[iv], y))
    frame = pd.DataFrame(rows, columns=["theme", "interview_id", "side", "y"])
    return frame.assign(
        base="front_line",
        group="board",
        service_area="A",
        people=1,
        w=1.0,
        inv_k=0.25,
        noise=200.0,
        item_var=1.0,
    )


def test_each_person_is_set_against_their_own_scores_on_the_other_themes():
    # a generous, a harsh and a middling trustee; front-line staff as varied
    person = {"b1": 25.0, "b2": -20.0, "b3": 0.0, "f1": 10.0, "f2": -5.0, "f3": 0.0, "f4": 7.0}
    side = {iv: "a" if iv.startswith("b") else "b" for iv in person}
    resp = _resp(person, side)
    own = own_level_respondents(resp, 6)
    assert len(own) == len(resp)
    # the person drops out: every trustee's centred score on a theme is the same
    spread = own.groupby(["side", "theme"])["y"].agg(lambda v: v.max() - v.min())
    assert spread.max() < 1e-9
    gap = (
        own[own["side"] == "a"].groupby("theme")["y"].mean()
        - own[own["side"] == "b"].groupby("theme")["y"].mean()
    )
    assert gap["t0"] == pytest.approx(30.0)  # the planted view, whole
    # on the others it leaks by the planted gap over the other themes counted (7)
    assert gap.drop("t0").to_numpy() == pytest.approx(np.full(7, -30.0 / 7))
    # the variance model: this theme's answers and a seventh of the others', per 1/7
    assert own["inv_k"].iloc[0] == pytest.approx(0.25 + 7 * 0.25 / 49)
    assert own["item_var"].iloc[0] == pytest.approx(1.0 + 7 * 1.0 / 49)


def test_a_theme_that_stands_out_is_left_out_of_everyones_usual_level():
    person = {"b1": 25.0, "b2": -20.0, "b3": 0.0, "f1": 10.0, "f2": -5.0, "f3": 0.0}
    side = {iv: "a" if iv.startswith("b") else "b" for iv in person}
    resp = _resp(person, side)
    own = own_level_respondents(resp, 6, outstanding={("front_line", "board", "t0")})
    assert len(own) == len(resp)
    gap = (
        own[own["side"] == "a"].groupby("theme")["y"].mean()
        - own[own["side"] == "b"].groupby("theme")["y"].mean()
    )
    assert gap["t0"] == pytest.approx(30.0)
    # nothing of t0 leaks into the others: their usual level is the six other themes
    assert gap.drop("t0").to_numpy() == pytest.approx(np.zeros(7), abs=1e-9)
    t1 = own[(own["interview_id"] == "b1") & (own["theme"] == "t1")]
    assert t1["inv_k"].iloc[0] == pytest.approx(0.25 + 6 * 0.25 / 36)
    # another comparison's theme of the same name is not left out of this one's level
    elsewhere = own_level_respondents(resp, 6, outstanding={("front_line", "manager", "t0")})
    pd.testing.assert_frame_equal(elsewhere, own_level_respondents(resp, 6))
    # with every other theme standing out, a theme has nothing left to be set against
    every = {("front_line", "board", t) for t in THEMES[1:]}
    assert set(own_level_respondents(resp, 6, outstanding=every)["theme"]) == set(THEMES[1:])


def test_a_comparison_is_centred_only_when_everyone_in_it_has_enough_themes():
    person = {"b1": 5.0, "b2": 0.0, "b3": -5.0, "f1": 0.0, "f2": 3.0, "f3": -3.0}
    side = {iv: "a" if iv.startswith("b") else "b" for iv in person}
    resp = _resp(person, side)
    short = resp[~((resp["interview_id"] == "f3") & resp["theme"].isin(THEMES[3:]))]
    assert own_level_respondents(short, 6).empty  # f3 answered three themes
    assert len(own_level_respondents(short, 3)) == len(short)
    assert own_level_respondents(resp, 0).empty and own_level_respondents(resp, 1).empty


def test_the_thread_reads_each_gap_twice_the_service_users_too():
    data = realistic_audit(5, core())
    comps = all_comparisons(ScoreTables.build(data))[0]
    thread = comps[comps["kind"].isin(["thread_break", BEYOND])]
    twice = thread.groupby(["base", "tier", "theme"])["kind"].nunique()
    assert (twice.loc["front_line"] == 2).all()
    assert (twice.loc["service_user"] == 2).all()  # their four themes are enough (default 4)
    five = realistic_audit(5, _with(thread_own_level_themes=5))
    comps_five = all_comparisons(ScoreTables.build(five))[0]
    users = comps_five[(comps_five["base"] == "service_user")]
    assert set(users["kind"]) == {"thread_break"}  # four themes each: not centred at 5
    off = realistic_audit(5, _with(thread_own_level_themes=0))
    comps_off = all_comparisons(ScoreTables.build(off))[0]
    assert not (comps_off["kind"] == BEYOND).any()
    plain = thread[thread["kind"] == "thread_break"].reset_index(drop=True)
    plain_off = comps_off[comps_off["kind"] == "thread_break"].reset_index(drop=True)
    pd.testing.assert_frame_equal(plain, plain_off)  # the plain reading is unchanged


def test_two_readings_of_one_gap_count_once_in_the_false_flag_control():
    rng = np.random.default_rng(3)
    n = 60

    def with_p(p, se):  # differences whose two-sided p on 30 df is `p`
        sign = np.where(rng.random(len(p)) < 0.5, -1.0, 1.0)
        diff = sign * t_isf(np.asarray(p) / 2, np.full(len(p), 30.0)) * se
        return pd.DataFrame({"p": p, "diff": diff, "se": se, "df": 30.0})

    comps = with_p(np.r_[rng.uniform(0, 1e-4, 6), rng.uniform(0, 1, n - 6)], 5.0)
    alone = false_flag_control(comps, 0.05)
    # every row its own family: exactly as without families
    pd.testing.assert_frame_equal(alone, false_flag_control(comps, 0.05, family=np.arange(n)))
    # a second reading of row 0 (a tenth of its p): one family, judged at its p times two
    second = with_p(np.array([comps["p"].iloc[0] / 10]), 4.0)
    both = pd.concat([comps, second], ignore_index=True)
    judged = false_flag_control(both, 0.05, family=np.r_[np.arange(n), 0])
    # the rest are judged exactly as before: the family counts once among the 60
    cols = ["q", "clear", "low", "high", "level"]
    pd.testing.assert_frame_equal(judged.iloc[1:n][cols], alone.iloc[1:][cols])
    assert judged["clear"].iloc[n]
    # each reading's interval is at half the level's tail: it excludes zero iff clear
    assert judged["level"].iloc[n] == pytest.approx(1 - (1 - alone["level"].iloc[1]) / 2)
    lows, highs = judged["low"].to_numpy(), judged["high"].to_numpy()
    assert ((lows > 0) | (highs < 0)).tolist() == judged["clear"].tolist()


def _row(kind, status, diff, a=80.0, b=50.0, theme="culture"):
    return {
        "kind": kind,
        "theme": theme,
        "tier": "board",
        "base": "front_line",
        "area": "",
        "status": status,
        "diff": diff,
        "score_a": a,
        "score_b": b,
    }


def test_one_finding_per_gap_the_plain_reading_first():
    rows = pd.DataFrame(
        [
            _row("thread_break", FINDING, 30.0),
            _row(BEYOND, FINDING, 28.0),
            _row("thread_break", WORTH, 22.0, theme="dsl"),
            _row(BEYOND, FINDING, 24.0, theme="dsl"),
            _row("thread_break", WORTH, 21.0, theme="policies"),
            _row(BEYOND, WORTH, 23.0, theme="policies"),
            # level with the front line here, 25 above it elsewhere: not a finding about it
            _row(BEYOND, FINDING, -24.0, a=70.0, b=69.0, theme="training"),
        ]
    )
    chosen = one_per_gap(rows)
    picked = dict(zip(chosen["theme"], chosen["kind"], strict=True))
    assert picked == {"culture": "thread_break", "dsl": BEYOND, "policies": "thread_break"}
    assert families(rows.assign(area="")).tolist().count(families(rows)[0]) == 2


def test_a_view_of_one_theme_is_found_despite_generous_and_harsh_raters():
    """Managers rate training 30 below a front line rating it 80; people differ a lot
    (person SD 15). Seed 6 is the audit where the plain gap alone misses it."""
    plants = [Plant(theme="training", tiers=("manager",), score=50)]
    noise = {"person_sd": 15}
    found = analyse(realistic_audit(6, core(), plants, noise=noise)).findings
    hit = [f for f in found if f.theme == "training" and "manager" in f.tiers]
    assert hit and hit[0].kind == "thread_break"
    f = hit[0]
    assert "Set against their own ratings of the other themes, they rate it" in f.summary
    assert f.evidence["beyond_usual_gap"] == f.difference
    assert f.evidence["gap"] == pytest.approx(
        f.evidence["tier_score"] - f.evidence["front_line_score"], abs=0.11
    )
    low, high = f.interval
    assert high < 0 and low <= f.difference <= high
    plain_only = analyse(
        realistic_audit(6, _with(thread_own_level_themes=0), plants, noise=noise)
    ).findings
    assert not [f for f in plain_only if f.theme == "training" and "manager" in f.tiers]


def test_a_board_generous_on_every_theme_is_found_by_the_plain_gap_on_each():
    plants = [Plant(tiers=("board",), score=95)]
    result = detect(realistic_audit(3, core(), plants, noise={"base_score": 55}))
    breaks = [
        f
        for f in result.findings
        if f.kind == "thread_break" and f.tiers == ["front_line", "board"]
    ]
    # 40 points planted; with the ceiling a theme can come out at the threshold's edge
    assert len(breaks) >= 10
    c = result.comparisons
    plain = c[(c["kind"] == "thread_break") & (c["tier"] == "board") & (c["base"] == "front_line")]
    assert {f.theme for f in breaks} == set(plain.loc[plain["status"] == "finding", "theme"])
    assert not [f for f in breaks if "own ratings" in f.summary]
    c = result.comparisons
    beyond = c[(c["kind"] == BEYOND) & (c["tier"] == "board")]
    # nothing beyond the board's usual gap: no theme stands out from it as a finding
    assert len(beyond) == 11 and not (beyond["status"] == "finding").any()
    assert beyond["diff"].abs().median() < 5


def test_the_front_lines_gaps_beyond_the_usual_do_not_borrow_the_service_users_spread():
    # People who use services answer three questions a theme on a three-point scale:
    # centred, their scores spread far wider than staff's. Pooled with the front line's
    # comparisons, that spread widened a board's interval beyond the usual gap by a
    # quarter (seed 1054's board culture gap: standard error 5.9 -> 7.4).
    data = realistic_audit(1054, core())
    users_too = all_comparisons(ScoreTables.build(data))[0]
    staff_only = all_comparisons(
        ScoreTables.build(realistic_audit(1054, _with(thread_own_level_themes=5)))
    )[0]

    def front_line_beyond(c):
        rows = c[(c["kind"] == BEYOND) & (c["base"] == "front_line")]
        return rows.reset_index(drop=True)

    assert (users_too["base"].eq("service_user") & users_too["kind"].eq(BEYOND)).any()
    assert not (staff_only["base"].eq("service_user") & staff_only["kind"].eq(BEYOND)).any()
    pd.testing.assert_frame_equal(front_line_beyond(users_too), front_line_beyond(staff_only))


def _readings(rows):
    """Decided thread comparisons: (group, theme, plain diff, plain status, beyond diff,
    beyond status) per gap, against the front line."""
    out = []
    for group, theme, plain, plain_status, beyond, beyond_status in rows:
        key = {"base": "front_line", "tier": group, "theme": theme}
        out.append({**key, "kind": "thread_break", "diff": plain, "status": plain_status})
        out.append({**key, "kind": BEYOND, "diff": beyond, "status": beyond_status})
    return pd.DataFrame(out)


def test_a_theme_stands_out_from_the_usual_level_only_when_the_reading_beyond_it_says_so():
    decided = _readings(
        [
            ("board", "culture", 24.0, "", 23.0, FINDING),  # beyond the usual: a finding
            ("board", "governance", 25.0, FINDING, 17.0, ""),  # plain, and beyond agrees
            ("board", "training", 26.0, FINDING, 1.5, ""),  # generous everywhere: no
            ("board", "policies", -22.0, FINDING, 12.0, ""),  # beyond points the other way
            ("manager", "culture", 21.0, FINDING, 9.0, WORTH),  # beyond under half of 20
            ("manager", "training", 3.0, "", -4.0, ""),
        ]
    )
    assert standing_out(decided, 20.0) == {
        ("front_line", "board", "culture"),
        ("front_line", "board", "governance"),
    }
    assert standing_out(decided.iloc[:0], 20.0) == set()


def test_the_usual_level_is_read_again_only_where_few_themes_let_a_view_leak():
    # A board that sees Culture 35 points above everyone else: its reading beyond the
    # usual is a finding, but trustees answer eleven themes (a tenth leaks), so the
    # front line's readings are not remade; people who use services answer four.
    plants = [
        Plant(theme="culture", score=55),
        Plant(theme="culture", tiers=("board",), score=90),
        Plant(theme="safer_working", tiers=("service_user",), score=45),
    ]
    data = realistic_audit(1003, core(), plants)
    s = data.settings
    comps, _, resp, _, _ = all_comparisons(ScoreTables.build(data))
    once = decide(comps, s.false_flag_rate, s.false_flag_method)
    out = standing_out(once, s.thread_break_points)
    assert ("front_line", "board", "culture") in out
    assert any(k[0] == "service_user" for k in out)
    settled = settle_usual_level(comps, resp, s)
    cols = ["base", "tier", "theme", "diff", "se"]

    def beyond(c, base):
        return c.loc[(c["kind"] == BEYOND) & (c["base"] == base), cols].reset_index(drop=True)

    pd.testing.assert_frame_equal(beyond(settled, "front_line"), beyond(once, "front_line"))
    assert not np.allclose(
        beyond(settled, "service_user")["diff"], beyond(once, "service_user")["diff"]
    )
