"""Register rates: no hidden count can be worked out from what `registers show` publishes.

Issue 10, item 2: overall induction 3 of 4 and group B 3 of 3 gave away that group A's
one new starter had none. The attacker here reads the published indicators only, writes
down every breakdown's sum (overall = role groups; role group = its areas; area = its
role groups; DSL rate = the DSL groups; paid + volunteer; complaint types; concern
areas) and tries two things: a rank test (a hidden count pinned by the sums) and
bounds (a hidden group's count squeezed to one value because 0 <= count <= n, found
with a linear programme).
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from attacker import count_leaks, pinned
from scipy.optimize import linprog
from test_registers_training import AUDIT, training

from sgaudit.registers import compute_indicators
from sgaudit.registers.demo import demo_framework, demo_registers
from sgaudit.registers.frameworks import load_framework

AREAS = ["Children's services", "Adult services", "Community hub"]


def published_lines(doc: dict) -> tuple[dict, list]:
    """Every rate in `doc` by a path, and the sums between them a reader can write down."""
    rates, lines = {}, []

    def add(total, parts):
        parts = [p for p in parts if p in rates]
        if total in rates and parts:
            lines.append((total, parts))

    t = doc.get("training")
    if t:
        checks = ("compliance", "refresher", "induction", "cpd_log")
        rates[("overall", "compliance")] = t["overall"]
        for c in checks[1:]:
            rates[("overall", c)] = t[c]
        rates[("dsl",)] = t["dsl_compliance"]
        for g in t["by_role_group"]:
            for c in checks:
                rates[("g", g["role_group"], c)] = g[c]
        for g in t["by_role_group_and_area"]:
            for c in checks:
                rates[("ga", g["role_group"], g["service_area"], c)] = g[c]
        for a in t["by_service_area"]:
            rates[("a", a["service_area"])] = a["compliance"]
        groups = [g["role_group"] for g in t["by_role_group"]]
        areas = [a["service_area"] for a in t["by_service_area"]]
        for c in checks:
            add(("overall", c), [("g", g, c) for g in groups])
            for g in groups:
                add(("g", g, c), [("ga", g, a, c) for a in areas])
        add(("overall", "compliance"), [("a", a) for a in areas])
        for a in areas:
            add(("a", a), [("ga", g, a, "compliance") for g in groups])
        add(("dsl",), [("g", g["role_group"], "compliance") for g in t["by_role_group"]
                       if g["is_dsl_group"]])  # fmt: skip
    k = doc.get("complaints")
    if k:
        for c in ("time_limits_met", "feedback_given", "themes_recorded"):
            rates[("k", c)] = k[c]
            for b in k["by_type"]:
                rates[("k", b["type"], c)] = b[c]
            add(("k", c), [("k", b["type"], c) for b in k["by_type"]])
    r = doc.get("recruitment")
    if r:
        rates[("r",)] = r["checks_complete"]
        for b in r["by_type"]:
            rates[("r", b["paid_or_volunteer"])] = b["checks_complete"]
        add(("r",), [("r", b["paid_or_volunteer"]) for b in r["by_type"]])
    c = doc.get("concerns")
    if c:
        rates[("c",)] = c["triaged_within_target"]
        for a in c["by_service_area"]:
            rates[("c", a["service_area"])] = a["triaged_within_target"]
        add(("c",), [("c", a["service_area"]) for a in c["by_service_area"]])
    return rates, lines


def squeezed(rates: dict, lines: list) -> set:
    """Hidden counts that 0 <= count <= n and the sums allow only one value of."""
    hidden = sorted((p for p, r in rates.items() if r["suppressed"]), key=repr)
    if not hidden:
        return set()
    index = {p: i for i, p in enumerate(hidden)}
    a_eq, b_eq = [], []
    for total, parts in lines:
        row, rhs = np.zeros(len(hidden)), 0.0
        for p in parts:
            if p in index:
                row[index[p]] += 1
            else:
                rhs -= rates[p]["count"] or 0
        if total in index:
            row[index[total]] -= 1
        else:
            rhs += rates[total]["count"] or 0
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    if not a_eq:
        return set()
    bounds = [(0, rates[p]["n"]) for p in hidden]
    out = set()
    for p, i in index.items():
        cost = np.zeros(len(hidden))
        cost[i] = 1
        low = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 1 - 1e-9:
            out.add(p)
    return out


def leaks(ind) -> set:
    rates, lines = published_lines(ind.to_json_dict())
    hidden = {p for p, r in rates.items() if r["suppressed"]}
    return pinned(lines, hidden) | squeezed(rates, lines)


def test_the_new_starter_of_the_issue_cannot_be_worked_out():
    # Group E: 3 of 4 new starters had induction; the 3 in South all did, the one in
    # North did not. Showing South (3 of 3) beside the group (3 of 4) says so.
    rows = [("N-1", "E", "North", "2024-10-15", None, None, None)]
    rows += [(f"S-{i}", "E", "South", "2024-10-15", "2025-01-10", 3, "induction")
             for i in range(3)]  # fmt: skip
    result = compute_indicators({"training": training(*rows)}, load_framework("wales_national"),
                                AUDIT)  # fmt: skip
    cells = {c.service_area: c for c in result.training.by_role_group_and_area}
    assert cells["North"].induction.n == 1 and cells["North"].induction.suppressed
    assert (
        cells["South"].induction.suppressed or result.training.by_role_group[0].induction.suppressed
    )
    assert not leaks(result)


@pytest.mark.parametrize("which", ["baseline", "reaudit"])
def test_no_hidden_rate_of_the_demo_registers_can_be_worked_out(which):
    date = "2025-03-31" if which == "baseline" else "2026-03-31"
    result = compute_indicators(demo_registers(date, AREAS, which), demo_framework(), date)
    assert not leaks(result)


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_rate_of_a_random_training_register_can_be_worked_out(seed):
    rng = random.Random(seed)
    rows = []
    for i in range(rng.randint(4, 40)):
        hours = rng.choice([None, 2, 10, 30])
        rows.append(
            (
                f"P-{i}",
                rng.choice("ABCDEF"),
                rng.choice(["North", "South", "East"]),
                rng.choice(["2015-01-01", "2024-10-01", "2025-03-01"]),
                None if hours is None else rng.choice(["2024-01-01", "2024-10-20"]),
                hours,
                None if hours is None else rng.choice(["course", "cpd"]),
            )
        )
    result = compute_indicators({"training": training(*rows)}, load_framework("wales_national"),
                                AUDIT)  # fmt: skip
    assert not leaks(result)


def random_casework(seed: int, date: str = "2025-03-31") -> dict:
    """The demo's concerns and complaints logs, thinned out and relabelled at random, so
    that counts of 1 and 2 turn up in every breakdown."""
    rng = random.Random(seed)
    logs = demo_registers(date, AREAS, "baseline")
    concerns, complaints = logs["concerns"], logs["complaints"]
    concerns = concerns.sample(n=rng.randint(3, len(concerns)), random_state=seed).copy()
    concerns["category"] = [rng.choice(["neglect", "physical", "online"]) for _ in concerns.index]
    concerns["service_area"] = [rng.choice(AREAS) for _ in concerns.index]
    complaints = complaints.sample(n=rng.randint(2, len(complaints)), random_state=seed).copy()
    complaints["stage_reached"] = [
        rng.choice(["stage 1", "stage 2", "ombudsman"]) for _ in complaints.index
    ]
    return {"concerns": concerns, "complaints": complaints}


def test_a_hidden_count_of_concerns_cannot_be_worked_out_from_the_total():
    # 5 concerns: 4 neglect and 1 online in one quarter; showing 4 beside the total of 5
    # says the hidden count is 1
    concerns = demo_registers("2025-03-31", AREAS, "baseline")["concerns"].head(5).copy()
    concerns["date_raised"] = pd.Timestamp("2025-01-10")
    concerns["category"] = ["neglect"] * 4 + ["online"]
    concerns["service_area"] = AREAS[0]
    result = compute_indicators({"concerns": concerns}, None, "2025-03-31")
    doc = result.to_json_dict()
    assert doc["concerns"]["concerns"] == 5
    assert all(q["count"] is None for q in doc["concerns"]["by_quarter"])
    assert not count_leaks(doc)


def test_a_hidden_stage_count_cannot_be_worked_out_from_the_complaints_received():
    complaints = demo_registers("2025-03-31", AREAS, "baseline")["complaints"].head(6).copy()
    complaints["type"] = "complaint"
    complaints["stage_reached"] = ["stage 1"] * 4 + ["stage 2", "ombudsman"]
    doc = compute_indicators({"complaints": complaints}, None, "2025-03-31").to_json_dict()
    assert [c["count"] for c in doc["complaints"]["stages"]] != [None, 4, None]
    assert not count_leaks(doc)


@pytest.mark.parametrize("which", ["baseline", "reaudit"])
def test_no_hidden_count_of_the_demo_logs_can_be_worked_out(which):
    date = "2025-03-31" if which == "baseline" else "2026-03-31"
    result = compute_indicators(demo_registers(date, AREAS, which), demo_framework(), date)
    assert not count_leaks(result.to_json_dict())


@pytest.mark.parametrize("seed", range(20))
def test_no_hidden_count_of_random_logs_can_be_worked_out(seed):
    result = compute_indicators(random_casework(seed), None, "2025-03-31")
    doc = result.to_json_dict()
    assert not count_leaks(doc)
    # and nothing is published that was hidden for being small
    small = [q for q in doc["concerns"]["by_quarter"] if q["count"] in (1, 2)]
    small += [s for s in doc["complaints"]["stages"] if s["count"] in (1, 2)]
    assert not small


def test_a_hidden_dbs_information_count_is_not_told_by_the_risk_assessment_head_count():
    # 2 people checked, 1 certificate showed information: that rate is hidden, and the
    # risk-assessment rate's head count (people whose certificate showed something) is it
    from test_registers_indicators import frame, person

    rows = [person("P-1", info=True, ra=True), person("P-2")]
    doc = compute_indicators({"recruitment": frame("recruitment", rows)}, None, AUDIT)
    r = doc.to_json_dict()["recruitment"]
    assert r["dbs_information"]["suppressed"] and r["dbs_information"]["count"] is None
    assert r["risk_assessed"]["n"] is None and r["risk_assessed"]["count"] is None
    assert r["without_risk_assessment"] is None
    assert "1" not in doc.score("recruitment_dbs_information_risk_assessed").detail


def test_a_log_too_thin_to_split_by_category_is_still_counted_by_quarter():
    # 12 concerns, each quarter's categories all different: every quarter x category
    # cell is 1, so that line cannot be shown; concerns by quarter (3 a quarter) can
    concerns = demo_registers("2025-03-31", AREAS, "baseline")["concerns"].head(12).copy()
    concerns["date_raised"] = pd.to_datetime(
        [f"2024-{month:02d}-10" for month in (4, 5, 6, 7, 8, 9, 10, 11, 12)]
        + ["2025-01-10", "2025-02-10", "2025-03-10"]
    )
    concerns["category"] = [f"category {i}" for i in range(12)]
    doc = compute_indicators({"concerns": concerns}, None, "2025-03-31").to_json_dict()
    quarters = [(q["quarter"], q["category"], q["count"]) for q in doc["concerns"]["by_quarter"]]
    assert quarters == [
        (q, "all categories", 3) for q in ("2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1")
    ]
    assert not count_leaks(doc)
