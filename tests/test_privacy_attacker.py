"""Playing the attacker against everything an audit publishes (issue 10, items 1 and 5).

For the demo and for random audits, the published outputs of an audit (its analysis,
and the comparisons it is part of) are put together, and a linear solver looks for any
hidden cell it can pin down: at theme, tier, area and tier x area level, in paper and
practice scores, and in the don't-know rates (which have the same cells plus the
audit-wide rate). See tests/attacker.py.
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from attacker import (
    analysis_leaks,
    pinned,
    score_squeeze,
    score_truth,
    shown_aspects,
    shown_in_analysis,
    shown_in_comparison,
    table_lines,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_analysis_suppression import audit as one_theme_audit

from sgaudit.analysis import analyse
from sgaudit.analysis.compare import compare_audits
from sgaudit.analysis.scores import ScoreTables
from sgaudit.store.db import dispose_engines


def all_cells(data) -> tuple[set[tuple], dict[str, tuple[bool, bool]]]:
    """Every cell that exists in an audit, and which themes have paper and practice answers."""
    t = ScoreTables.build(data)
    cells = set()
    for frame, tier, area in (
        (t.overall, False, False),
        (t.by_tier, True, False),
        (t.by_area, False, True),
        (t.by_tier_area, True, True),
    ):
        for row in frame.itertuples(index=False):
            cells.add(
                (
                    str(row.theme),
                    str(row.tier) if tier else None,
                    str(row.service_area) if area else None,
                )
            )
    aspects = {
        str(r.theme): (r.paper_n > 0, r.practice_n > 0) for r in t.aspects.itertuples(index=False)
    }
    return cells, aspects


def leaks_of(data, published: list[set[tuple]], docs: list[dict]) -> set[tuple]:
    """Hidden cells pinned down exactly: in the don't-know rates (every cell that was
    asked counts) and in the scores (only cells with a scored answer count: a cell
    that scored nothing hides nothing in a score total)."""
    cells, aspects = all_cells(data)
    shown = set().union(*published)
    aspect_keys = set().union(*(shown_aspects(d) for d in docs))
    rate = any(d.get("dont_know_rate") is not None for d in docs)
    scoring = set(score_truth(data))
    return analysis_leaks(cells, shown, aspects, aspect_keys, audit_wide_rate=rate) | (
        analysis_leaks(scoring, shown & scoring)
    )


# A hidden score a reader can confine to fewer points than this counts as worked out.
# The suppression rule aims for PROTECTION_WIDTH in each line on its own; bounds met
# through several lines, or near 0 and 100, can narrow it, never below this.
SQUEEZE_WIDTH = 15.0


def squeezed_of(data, published: list[set[tuple]]) -> list:
    """Hidden scores that the shown ones, every cell's weight and the 0-100 range
    confine to fewer than SQUEEZE_WIDTH points."""
    return score_squeeze(score_truth(data), set().union(*published), SQUEEZE_WIDTH)


# ---- the solver itself works ----------------------------------------------------------------


def test_the_solver_pins_a_lone_hidden_tier_and_not_two():
    cells = {("c", None, None), ("c", "dsl", None), ("c", "manager", None), ("c", "board", None)}
    lines = table_lines(cells)
    assert pinned(lines, {("c", "dsl", None)}) == {("c", "dsl", None)}
    assert pinned(lines, {("c", "dsl", None), ("c", "manager", None)}) == set()


def test_the_squeeze_bounds_a_hidden_score_whose_partner_weighs_almost_nothing():
    # two hidden tiers in a shown total: not solvable, but the light one can move the
    # heavy one by only 100 x 0.1 / 1.9 = 5 points
    truth = {
        ("c", None, None): (10.0, 57.4),
        ("c", "front_line", None): (8.0, 50.0),
        ("c", "manager", None): (1.9, 90.0),
        ("c", "dsl", None): (0.1, 30.0),
    }
    shown = {("c", None, None), ("c", "front_line", None)}
    assert pinned(table_lines(set(truth)), set(truth) - shown) == set()
    [(cell, low, high)] = score_squeeze(truth, shown, 25.0)
    assert cell == ("c", "manager", None) and low <= 90.0 <= high and high - low < 6


def test_the_solver_finds_a_side_hidden_while_the_theme_and_the_other_side_are_shown():
    cells = {("c", None, None), ("c", "dsl", None), ("c", "manager", None)}
    leaks = analysis_leaks(cells, cells, {"c": (True, True)}, {("c", "aspect", "practice")})
    assert leaks == {("c", "aspect", "paper")}


# ---- analyse and compare publish from one decision -------------------------------------------


def _restricted_to_c1(data):
    keep = data.responses["question_id"] == "C1"
    return dataclasses.replace(
        data,
        responses=data.responses[keep],
        questions=data.questions[data.questions["question_id"] == "C1"],
    )


def test_a_comparison_never_shows_a_tier_the_audits_own_analysis_hides():
    # The DSL (1 person) answered only C2, which the previous audit did not ask. On the
    # common question C1 there is no DSL cell, so a comparison deciding for itself
    # would show the senior leaders, whom the audit's analysis hides to protect the
    # DSL: overall minus the shown tiers would then give the DSL away.
    data = one_theme_audit(
        {
            ("front_line", "A"): 10,
            ("manager", "A"): 4,
            ("dsl", "A"): 1,
            ("senior_leader", "A"): 5,
            ("board", "A"): 3,
        },
        answers={"dsl": "strongly_disagree"},
    )
    dsl_c1 = (data.responses["tier"] == "dsl") & (data.responses["question_id"] == "C1")
    data = dataclasses.replace(data, responses=data.responses[~dsl_c1])
    previous = _restricted_to_c1(data)
    doc = analyse(data).to_json_dict()
    comparison = compare_audits(previous, data).to_json_dict()
    assert ("culture", "senior_leader", None) not in shown_in_analysis(doc)
    assert ("culture", "senior_leader", None) not in shown_in_comparison(comparison, "new")
    published = [shown_in_analysis(doc), shown_in_comparison(comparison, "new")]
    assert not leaks_of(data, published, [doc])


def test_paper_and_practice_are_both_withheld_when_one_side_is_a_small_group():
    # Two people answered the paper question, ten the practice one: the theme score
    # mixes both, so showing it with the practice score would give the paper side away.
    data = one_theme_audit({("front_line", "A"): 10, ("board", "A"): 2})
    questions = data.questions.copy()
    questions["aspect"] = questions["question_id"].map({"C1": "practice", "C2": "paper"})
    paper_by_board = (data.responses["question_id"] == "C2") & (data.responses["tier"] != "board")
    data = dataclasses.replace(data, questions=questions, responses=data.responses[~paper_by_board])
    theme = analyse(data).theme("culture")
    assert theme.paper_score is None and theme.practice_score is None


# ---- the demo --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sgaudit.demo import build_demo
    from sgaudit.store.db import session_scope
    from sgaudit.store.frames import load_audit_data

    url = f"sqlite:///{tmp_path_factory.mktemp('attack') / 'demo.db'}"
    with session_scope(url) as s:
        result = build_demo(s)
        base = load_audit_data(s, result.baseline_audit_id)
        again = load_audit_data(s, result.reaudit_audit_id)
    dispose_engines()
    return url, result, base, again


def test_analyse_and_compare_hide_the_same_cells_of_the_demo(run, demo):
    url, result, _, _ = demo
    b, r = result.baseline_audit_id, result.reaudit_audit_id
    analysed = {
        a: shown_in_analysis(json.loads(run("analyse", a, "--format", "json", "--db", url)[1]))
        for a in (b, r)
    }
    compared = json.loads(run("compare", b, r, "--format", "json", "--db", url)[1])
    for audit, side in ((b, "old"), (r, "new")):
        extra = shown_in_comparison(compared, side) - analysed[audit]
        assert not extra, f"compare shows cells that analyse hides: {sorted(extra)[:5]}"


def test_no_hidden_cell_of_the_demo_can_be_solved_from_all_its_outputs(run, demo):
    url, result, base, again = demo
    b, r = result.baseline_audit_id, result.reaudit_audit_id
    docs = {a: json.loads(run("analyse", a, "--format", "json", "--db", url)[1]) for a in (b, r)}
    compared = json.loads(run("compare", b, r, "--format", "json", "--db", url)[1])
    for audit, data, side in ((b, base, "old"), (r, again, "new")):
        published = [shown_in_analysis(docs[audit]), shown_in_comparison(compared, side)]
        assert not leaks_of(data, published, [docs[audit]])
        assert not squeezed_of(data, published)


# ---- random audits ---------------------------------------------------------------------------


def _drop_questions(data, share: float, seed: int):
    """The audit with some questions left out (as if a later question set dropped them)."""
    qids = data.questions["question_id"].astype(str)
    keep = qids.sample(frac=1 - share, random_state=seed)
    return dataclasses.replace(
        data,
        questions=data.questions[qids.isin(keep)],
        responses=data.responses[data.responses["question_id"].astype(str).isin(keep)],
    )


@pytest.mark.parametrize("seed", range(2))
def test_random_audits_and_their_comparisons_give_no_hidden_cell_away(seed):
    from sgaudit.analysis.synthetic import audit_of_size

    old = audit_of_size(600, seed=seed)
    new = _drop_questions(audit_of_size(600, seed=seed + 100), 0.3, seed)
    comparison = compare_audits(old, new).to_json_dict()
    for data, side in ((old, "old"), (new, "new")):
        doc = analyse(data).to_json_dict()
        published = [shown_in_analysis(doc), shown_in_comparison(comparison, side)]
        assert shown_in_comparison(comparison, side) <= shown_in_analysis(doc)
        assert not leaks_of(data, published, [doc])


NEAR_THE_CEILING = (
    "where nearly every shown score of a theme is above 85, the 0-100 range alone confines "
    "a hidden one near it (a board of two between 84 and 98): closing that needs interval "
    "protection over all lines at once, not yet built"
)


@pytest.mark.parametrize(
    "seed",
    [0, pytest.param(101, marks=pytest.mark.xfail(reason=NEAR_THE_CEILING, strict=True))],
)
def test_no_hidden_score_of_a_random_audit_can_be_confined_to_a_narrow_range(seed):
    from sgaudit.analysis.synthetic import audit_of_size

    data = audit_of_size(600, seed=seed)
    if seed == 101:
        data = _drop_questions(data, 0.3, 1)
    assert not squeezed_of(data, [shown_in_analysis(analyse(data).to_json_dict())])


TIERS = ("service_user", "front_line", "manager", "dsl", "senior_leader", "board")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(TIERS), st.sampled_from(["North", "South", "East"])),
        st.integers(1, 5),
        min_size=1,
        max_size=12,
    ),
)
def test_small_random_audits_compared_on_fewer_questions_leak_nothing(people):
    data = one_theme_audit(people)
    # the "previous" audit asked only C1: its cells can differ in who answered
    part = dataclasses.replace(
        data,
        responses=data.responses[data.responses["question_id"] == "C1"],
        questions=data.questions[data.questions["question_id"] == "C1"],
    )
    comparison = compare_audits(part, data).to_json_dict()
    doc = analyse(data).to_json_dict()
    published = [shown_in_analysis(doc), shown_in_comparison(comparison, "new")]
    assert shown_in_comparison(comparison, "new") <= shown_in_analysis(doc)
    assert not leaks_of(data, published, [doc])


# ---- the report: every score it prints, in its tables and its charts' alt text --------

# Written out here, apart from the report code: how the report names tiers.
REPORT_TIERS = {
    "People who use services": "service_user",
    "People using services": "service_user",
    "Front-line staff and volunteers": "front_line",
    "Front line": "front_line",
    "Managers and team leaders": "manager",
    "Managers": "manager",
    "DSL and safeguarding team": "dsl",
    "DSL team": "dsl",
    "Senior leaders": "senior_leader",
    "Trustees / board": "board",
    "Board": "board",
}
PRINTED = re.compile(r"^([+−-]?\d+)\b")


def printed_cells(docx_path) -> tuple[dict[tuple, int], set[tuple]]:
    """(theme title, tier, area) -> the score the report prints for that cell, from every
    table that prints cell scores and from the charts' alt text; and the cells whose
    change since the last audit it prints."""
    import docx

    doc = docx.Document(str(docx_path))
    scores: dict[tuple, int] = {}
    changes: set[tuple] = set()
    theme = None
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
            numbered = re.match(r"^\d+\. (.+)$", text.strip())
            if numbered:
                theme = numbered.group(1)
            continue
        if tag != "tbl":
            continue
        table = docx.table.Table(block, doc)
        rows = [[c.text.strip() for c in r.cells] for r in table.rows]
        head = rows[0]
        if head[:2] in (["Tier", "Score"], ["Service area", "Score"]):
            for row in rows[1:]:
                tier = REPORT_TIERS.get(row[0]) if head[0] == "Tier" else None
                area = None if head[0] == "Tier" else row[0]
                if (m := PRINTED.match(row[1])) and (tier or area):
                    scores[(theme, tier, area)] = int(m.group(1))
        elif head[0] == "Theme" and head[1:2] == ["Overall"]:  # the golden thread
            for row in rows[1:]:
                for label, cell in zip(head[1:], row[1:], strict=True):
                    if m := PRINTED.match(cell):
                        scores[(row[0], REPORT_TIERS.get(label), None)] = int(m.group(1))
        elif head[0] == "Theme" and head[1] in REPORT_TIERS:  # change per tier
            for row in rows[1:]:
                for label, cell in zip(head[1:], row[1:], strict=True):
                    if PRINTED.match(cell):
                        changes.add((row[0], REPORT_TIERS[label], None))
        elif head[0] == "Theme" and len(head) > 2 and head[1] not in ("Last audit", "Self"):
            for row in rows[1:]:  # theme x service area
                for area, cell in zip(head[1:], row[1:], strict=True):
                    if m := PRINTED.match(cell):
                        scores[(row[0], None, area)] = int(m.group(1))
    for el in doc.element.body.iter():
        if el.tag.endswith("}docPr"):
            for title, low, lt, high, ht in re.findall(
                r"([A-Z][^:;.]+): from (\d+) \(([a-z ]+)\) to (\d+) \(([a-z ]+)\)",
                el.get("descr") or "",
            ):
                for value, label in ((low, lt), (high, ht)):
                    tier = {k.lower(): v for k, v in REPORT_TIERS.items()}[label]
                    scores[(title.strip(), tier, None)] = int(value)
    return scores, changes


def test_the_report_prints_no_score_or_change_that_the_analysis_hides(run, demo, tmp_path):
    url, result, _, _ = demo
    b, r = result.baseline_audit_id, result.reaudit_audit_id
    out = tmp_path / "report.docx"
    code, _, err = run("report", r, "--compare", b, "--out", out, "--db", url)
    assert code == 0, err
    published = {}
    for audit in (b, r):
        doc = json.loads(run("analyse", audit, "--format", "json", "--db", url)[1])
        titles = {t["theme"]: t["title"] for t in doc["themes"]}
        published[audit] = {
            (titles[theme], tier, area): score
            for (theme, tier, area) in shown_in_analysis(doc)
            for score in [_score_of(doc, theme, tier, area)]
        }
    scores, changes = printed_cells(out)
    # the reader found the tables: tiers and overall, and areas, of all 11 themes
    assert len(scores) > 120 and len(changes) > 40
    shown = published[r]
    hidden = sorted(set(scores) - set(shown))
    assert not hidden, f"the report prints hidden cells: {hidden[:5]}"
    wrong = {k: (v, shown[k]) for k, v in scores.items() if abs(v - shown[k]) >= 1.06}
    assert not wrong, wrong
    # a change is printed only where both audits show the cell
    both = set(published[b]) & set(published[r])
    assert changes <= both, sorted(changes - both)[:5]


def _score_of(doc: dict, theme: str, tier: str | None, area: str | None) -> float:
    t = next(t for t in doc["themes"] if t["theme"] == theme)
    if tier is None and area is None:
        return t["score"]
    if area is None:
        return next(c["score"] for c in t["by_tier"] if c["tier"] == tier)
    if tier is None:
        return next(c["score"] for c in t["by_service_area"] if c["service_area"] == area)
    cells = t["by_tier_and_service_area"]
    return next(c["score"] for c in cells if c["tier"] == tier and c["service_area"] == area)
