"""One head-count rule, the same in every output and in the README (issue 10, item 3).

The rule (README, Privacy): head counts are shown, small ones too, in the fieldwork
counts of `analyse`, `audit show`, the report's fieldwork table, the app's dashboard
and the registers' `people` and `n`; a suppressed score cell carries no n; nothing
else about a small group is shown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sgaudit.store.db import dispose_engines

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sgaudit.demo import build_demo
    from sgaudit.store.db import session_scope

    url = f"sqlite:///{tmp_path_factory.mktemp('heads') / 'demo.db'}"
    with session_scope(url) as s:
        result = build_demo(s)
    dispose_engines()
    return url, result


def test_the_readme_names_every_place_a_head_count_is_shown():
    rule = re.search(r"\*\*Head counts are shown.*?Quotes", README, re.S)
    assert rule, "the README's Privacy section states the head-count rule"
    text = " ".join(rule.group(0).split())
    for place in ("sgaudit analyse", "`interviews`", "sgaudit audit show",
                  "fieldwork table", "dashboard", "`people` and `n`", "`n: null`"):  # fmt: skip
        assert place in text, place
    assert "no head count" not in README


def test_analyse_shows_small_fieldwork_counts_and_no_n_on_a_suppressed_cell(run, demo):
    url, result = demo
    doc = json.loads(run("analyse", result.reaudit_audit_id, "--format", "json", "--db", url)[1])
    small = [c for c in doc["interviews"]["by_tier_and_mode"] if c["people"] < 3]
    assert small, "the demo has a tier of fewer than 3 people, shown in the fieldwork counts"
    cells = [
        c
        for t in doc["themes"]
        for c in [t, *t["by_tier"], *t["by_service_area"], *t["by_tier_and_service_area"]]
    ]
    assert any(c["suppressed"] for c in cells)
    for c in cells:
        if c["suppressed"]:
            assert c["n"] is None and c["score"] is None and c["dont_know_rate"] is None
        else:
            assert c["n"] >= 3


def test_compare_carries_no_head_count_at_all(run, demo):
    url, result = demo
    b, r = result.baseline_audit_id, result.reaudit_audit_id
    doc = json.loads(run("compare", b, r, "--format", "json", "--db", url)[1])
    assert all("n" not in c for c in doc["theme_changes"])


def test_audit_show_gives_interviews_per_tier_small_ones_included(run, demo):
    url, result = demo
    code, out, _ = run("audit", "show", result.reaudit_audit_id, "--db", url)
    assert code == 0
    per_tier = dict(re.findall(r"(\w+) (\d+)", out.split("Interviews:")[1].splitlines()[0]))
    assert {"front_line", "dsl", "board"} <= set(per_tier)  # every tier, whatever its size


def test_registers_keep_n_and_people_and_hide_counts_and_rates_of_small_groups(run, demo):
    url, result = demo
    code, out, _ = run("registers", "show", result.reaudit_audit_id, "--format", "json",
                       "--db", url)  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    training = doc["registers"]["training"] if "registers" in doc else doc["training"]
    rows = training["by_role_group_and_area"]
    small = [r for r in rows if 0 < r["compliance"]["n"] < 3]
    assert small
    for r in small:
        assert r["people"] >= r["compliance"]["n"]
        assert r["compliance"]["count"] is None and r["compliance"]["rate"] is None
