"""Training compliance against a role-group framework, hand-computed at the edges.

Audit date 2025-06-30 throughout: the three-year refresher period is 2022-07-01 to
2025-06-30 inclusive (a record on 2022-06-30 belongs to the previous period).
"""

from __future__ import annotations

import pandas as pd
import pytest

from sgaudit.registers import compute_indicators, load_framework, training_status, validate_cells
from sgaudit.registers.mapping import default_settings

AUDIT = "2025-06-30"
COLUMNS = ["person_code", "role_group", "service_area", "start_date", "date", "hours", "kind"]


def training(*rows: tuple) -> pd.DataFrame:
    """A validated training register from (person, group, area, start, date, hours, kind) rows."""
    cells = pd.DataFrame(
        [[None if v is None else str(v) for v in r] for r in rows], columns=COLUMNS
    )
    cells = cells.assign(mode=None, topic=None)
    cells.index = pd.RangeIndex(2, 2 + len(cells), name="row")
    return validate_cells("training", cells, "test.csv")


@pytest.fixture(scope="module")
def wales():
    return load_framework("wales_national")


def status_of(frame: pd.DataFrame, framework, audit=AUDIT) -> dict[str, dict]:
    out = training_status(frame, framework, audit, default_settings())
    return out.set_index("person_code").to_dict("index")


def test_exactly_24_hours_in_three_years_is_compliant_and_23_and_a_half_is_overdue(wales):
    s = status_of(
        training(
            ("P-1", "E", "X", "2015-01-01", "2023-01-10", 12, "course"),
            ("P-1", "E", "X", "2015-01-01", "2024-05-01", 12, "course"),
            ("P-2", "E", "X", "2015-01-01", "2023-01-10", 12, "course"),
            ("P-2", "E", "X", "2015-01-01", "2024-05-01", 11.5, "course"),
        ),
        wales,
    )
    assert s["P-1"]["refresher_hours"] == 24.0
    assert s["P-1"]["refresher_status"] == "compliant"
    assert s["P-2"]["refresher_hours"] == 23.5
    assert s["P-2"]["refresher_status"] == "overdue"


def test_hours_that_add_up_to_24_with_float_error_still_count_as_24(wales):
    rows = [
        ("P-3", "E", "X", "2015-01-01", f"2024-01-{d:02d}", 2.4, "course") for d in range(1, 11)
    ]
    s = status_of(training(*rows), wales)
    assert sum([2.4] * 10) < 24  # the naive sum falls short ...
    assert s["P-3"]["refresher_status"] == "compliant"  # ... the check does not


def test_a_record_dated_exactly_three_years_before_the_audit_is_outside_the_period(wales):
    s = status_of(
        training(
            ("P-4", "E", "X", "2015-01-01", "2022-06-30", 24, "course"),  # boundary day: excluded
            ("P-5", "E", "X", "2015-01-01", "2022-07-01", 24, "course"),  # the next day: included
        ),
        wales,
    )
    assert s["P-4"]["refresher_hours"] == 0
    assert s["P-4"]["refresher_status"] == "overdue"
    assert s["P-5"]["refresher_hours"] == 24
    assert s["P-5"]["refresher_status"] == "compliant"
    assert s["P-5"]["refresher_window_start"] == pd.Timestamp("2022-06-30")


def test_records_after_the_audit_date_and_cpd_entries_do_not_count_towards_refresher_hours(wales):
    s = status_of(
        training(
            ("P-6", "E", "X", "2015-01-01", "2024-01-01", 20, "course"),
            ("P-6", "E", "X", "2015-01-01", "2025-07-01", 10, "course"),  # the day after the audit
            ("P-6", "E", "X", "2015-01-01", "2025-01-01", 10, "cpd"),
        ),
        wales,
    )
    assert s["P-6"]["refresher_hours"] == 20
    assert s["P-6"]["refresher_status"] == "overdue"


def test_induction_hours_count_towards_the_refresher_period(wales):
    s = status_of(
        training(
            ("P-7", "E", "X", "2022-06-01", "2022-08-01", 12, "induction"),
            ("P-7", "E", "X", "2022-06-01", "2024-08-01", 12, "course"),
        ),
        wales,
    )
    assert s["P-7"]["refresher_status"] == "compliant"


def test_refresher_hours_are_checked_once_a_person_has_been_in_post_a_whole_period(wales):
    s = status_of(
        training(
            ("P-8", "E", "X", "2022-06-30", None, None, None),  # three years on the audit date
            ("P-9", "E", "X", "2022-07-01", None, None, None),  # a day short of three years
        ),
        wales,
    )
    assert s["P-8"]["refresher_status"] == "overdue"
    assert s["P-9"]["refresher_status"] == "not_yet_due"


def test_six_months_in_post_without_induction_is_still_in_the_window(wales):
    s = status_of(training(("P-10", "E", "X", "2024-12-30", None, None, None)), wales)
    assert s["P-10"]["induction_deadline"] == pd.Timestamp("2025-06-30")
    assert s["P-10"]["induction_status"] == "in_window"
    assert pd.isna(s["P-10"]["compliant"])  # nothing was due yet


def test_six_months_and_one_day_in_post_without_induction_is_missing_induction(wales):
    s = status_of(training(("P-11", "E", "X", "2024-12-29", None, None, None)), wales)
    assert s["P-11"]["induction_deadline"] == pd.Timestamp("2025-06-29")
    assert s["P-11"]["induction_status"] == "missing"
    assert s["P-11"]["compliant"] is False or s["P-11"]["compliant"] == False  # noqa: E712


def test_six_calendar_months_from_the_end_of_august_ends_on_the_last_day_of_february(wales):
    s = status_of(training(("P-12", "E", "X", "2024-08-31", None, None, None)), wales)
    assert s["P-12"]["induction_deadline"] == pd.Timestamp("2025-02-28")


def test_induction_done_on_the_deadline_is_on_time_and_a_day_later_is_late(wales):
    s = status_of(
        training(
            ("P-13", "E", "X", "2024-10-15", "2025-04-15", 3, "induction"),
            ("P-14", "E", "X", "2024-10-15", "2025-04-16", 3, "induction"),
        ),
        wales,
    )
    assert s["P-13"]["induction_status"] == "completed"
    assert s["P-14"]["induction_status"] == "completed_late"
    assert s["P-14"]["compliant"] == True  # noqa: E712 - done now, late noted


def test_long_serving_people_are_not_checked_for_induction(wales):
    s = status_of(training(("P-15", "E", "X", "2010-01-01", "2024-01-01", 24, "course")), wales)
    assert s["P-15"]["induction_status"] == "not_applicable"


def test_cpd_log_is_kept_with_an_entry_in_the_last_twelve_months_by_default(wales):
    s = status_of(
        training(
            ("P-16", "E", "X", "2015-01-01", "2024-07-01", 2, "cpd"),  # 12 months to the day: in
            ("P-17", "E", "X", "2015-01-01", "2024-06-30", 2, "cpd"),  # one day too old
            ("P-18", "E", "X", "2025-01-01", None, None, None),  # in post under 12 months
        ),
        wales,
    )
    assert s["P-16"]["cpd_status"] == "kept"
    assert s["P-17"]["cpd_status"] == "missing"
    assert s["P-18"]["cpd_status"] == "not_yet_due"


def test_groups_whose_source_gives_no_numbers_are_not_set_rather_than_failed(wales):
    s = status_of(training(("P-19", "B", "X", "2010-01-01", None, None, None)), wales)
    assert s["P-19"]["refresher_status"] == "not_set"
    assert s["P-19"]["induction_status"] == "not_set"
    assert s["P-19"]["cpd_status"] == "not_set"
    assert pd.isna(s["P-19"]["compliant"])


def test_an_organisation_override_makes_an_unset_group_checkable(wales):
    framework = wales.with_overrides({"groups": {"B": {"refresher": {"hours": 6}}}})
    s = status_of(training(("P-20", "B", "X", "2010-01-01", "2024-01-01", 6, "course")), framework)
    assert s["P-20"]["refresher_status"] == "compliant"


def test_a_role_group_not_in_the_framework_is_reported_not_scored(wales):
    frame = training(("P-21", "Z", "X", "2010-01-01", None, None, None))
    assert status_of(frame, wales)["P-21"]["refresher_status"] == "unknown_group"
    result = compute_indicators({"training": frame}, wales, AUDIT)
    assert result.training.unknown_role_groups == ("Z",)


def test_the_nine_group_framework_checks_nothing_until_the_organisation_sets_numbers():
    nine = load_framework("local_nine_groups")
    frame = training(("P-22", "3", "X", "2010-01-01", "2024-01-01", 6, "course"))
    assert status_of(frame, nine)["P-22"]["refresher_status"] == "not_set"
    local = nine.with_overrides({"groups": {"3": {"refresher": {"hours": 6, "period_years": 3}}}})
    assert status_of(frame, local)["P-22"]["refresher_status"] == "compliant"


def compliant_group(code_prefix: str, group: str, n: int, area: str = "X") -> list[tuple]:
    return [
        (f"{code_prefix}-{i}", group, area, "2015-01-01", "2024-01-01", 24, "course")
        for i in range(n)
    ]


def test_compliance_by_role_group_counts_overdue_people_and_suppresses_groups_under_three(wales):
    rows = (
        compliant_group("P", "E", 3)
        + [
            ("Q-1", "E", "X", "2015-01-01", "2024-01-01", 10, "course"),  # overdue
            ("Q-2", "E", "X", "2015-01-01", "2024-06-01", 2, "cpd"),
            ("F-1", "F", "X", "2015-01-01", None, None, None),
            ("F-2", "F", "X", "2015-01-01", None, None, None),
        ]
        + compliant_group("D", "D", 3)
    )  # hidden beside F, so that F cannot be worked out
    result = compute_indicators(
        {"training": training(*rows)},
        wales.with_overrides(
            {"groups": {"F": {"refresher": {"hours": 3}}, "D": {"refresher": {"hours": 3}}}}
        ),
        AUDIT,
    )
    groups = {g.role_group: g for g in result.training.by_role_group}
    assert groups["D"].refresher.suppressed  # the fewest people beside F
    e = groups["E"]
    assert (e.people, e.refresher.n, e.refresher.count, e.refresher_overdue) == (5, 5, 3, 2)
    assert e.refresher.rate == 0.6
    assert e.cpd_log.count == 0 and e.cpd_log_missing == 5  # only Q-2 logs CPD, and is overdue
    assert e.is_dsl_group
    f = groups["F"]
    assert f.people == 2
    assert f.compliance.suppressed and f.compliance.rate is None and f.refresher_overdue is None
    table = {row["group"][:7]: row for row in result.training_table()}
    assert table["Group F"]["compliant"] == "-"
    assert table["Group E"]["compliant"] == "0%"  # nobody in E keeps a CPD log
    assert result.score("training_dsl_group_compliance").score == 0.0


def test_compliance_by_role_group_and_area_is_suppressed_per_cell(wales):
    rows = compliant_group("P", "E", 2, "North") + compliant_group("Q", "E", 2, "South")
    rows.append(("P-9", "E", "North", "2015-01-01", "2024-01-01", 10, "course"))  # overdue
    result = compute_indicators({"training": training(*rows)}, wales, AUDIT)
    cells = {c.service_area: c for c in result.training.by_role_group_and_area}
    assert cells["South"].refresher.rate is None and cells["South"].refresher.suppressed
    # the group's total is shown, so North must go too: else E minus North gives South
    (group,) = result.training.by_role_group
    assert group.refresher.rate == 0.8 and not group.refresher.suppressed
    assert cells["North"].refresher.suppressed and cells["North"].refresher.count is None


def test_a_group_outside_the_framework_is_unknown_in_every_check_and_of_unknown_compliance(
    wales,
):
    frame = training(
        ("P-30", "Z", "X", "2010-01-01", "2024-01-01", 30, "course"),
        ("P-31", "E", "X", "2010-01-01", "2024-01-01", 30, "course"),
    )
    s = status_of(frame, wales)
    for check in ("refresher_status", "induction_status", "cpd_status"):
        assert s["P-30"][check] == "unknown_group"
    assert pd.isna(s["P-30"]["compliant"])
    assert s["P-31"]["refresher_status"] == "compliant"  # a known group is checked
    assert not pd.isna(s["P-31"]["compliant"])
    out = training_status(frame, wales, AUDIT, default_settings())
    assert str(out["compliant"].dtype) == "boolean"
    assert out["refresher_status"].dtype == out["induction_status"].dtype == "str"


def test_one_failed_check_makes_a_person_not_compliant_whatever_else_they_passed(wales):
    # refresher overdue (2 of 24 hours) though started long ago: failed beats passed
    s = status_of(training(("P-32", "E", "X", "2010-01-01", "2024-01-01", 2, "course")), wales)
    assert s["P-32"]["refresher_status"] == "overdue"
    assert s["P-32"]["compliant"] == False  # noqa: E712


def test_a_person_nothing_could_be_checked_for_has_no_compliance_either_way():
    nine = load_framework("local_nine_groups")
    s = status_of(training(("P-33", "3", "X", "2010-01-01", "2024-01-01", 6, "course")), nine)
    assert s["P-33"]["refresher_status"] == "not_set"
    assert pd.isna(s["P-33"]["compliant"])
