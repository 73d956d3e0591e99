"""Role-group frameworks: the shipped files say what the sources say, and no more."""

from __future__ import annotations

import pytest

from sgaudit.registers import (
    FrameworkError,
    framework_from_snapshot,
    list_frameworks,
    load_framework,
)


def test_both_shipped_frameworks_are_listed_and_load():
    assert [s.id for s in list_frameworks()] == ["local_nine_groups", "wales_national"]


def test_wales_group_e_carries_the_source_rules_exactly():
    e = load_framework("wales_national").group("E")
    assert (e.refresher.hours, e.refresher.period_years) == (24, 3)
    assert e.induction.within_months == 6 and e.induction.self_directed
    assert e.induction.hours is None  # the source gives the window but no number of hours
    assert e.cpd_log.expected is True
    assert set(e.learning.modes) == {"e_learning", "virtual_classroom", "face_to_face"}
    assert e.learning.multi_agency == "where_possible"
    assert e.learning.single_agency_specialist


def test_wales_has_groups_a_to_f_with_f_the_elected_members_boards_and_chief_executives():
    wales = load_framework("wales_national")
    assert wales.group_ids == ("A", "B", "C", "D", "E", "F")
    f = wales.group("F")
    for words in ("elected members", "board members", "chief executives"):
        assert words in f.name
    assert wales.dsl_groups == ("E",)


def test_numbers_the_sources_do_not_give_are_left_unset_not_invented():
    wales = load_framework("wales_national")
    for gid in "ABCDF":
        g = wales.group(gid)
        assert g.refresher.hours is None and g.induction.within_months is None
        assert g.cpd_log.expected is None
        assert f"group {gid}: refresher hours per period" in wales.unset_requirements()
    nine = load_framework("local_nine_groups")
    assert nine.group_ids == tuple(str(i) for i in range(1, 10))
    for g in nine.groups:
        assert g.refresher.hours is None and g.refresher.period_years is None
        assert g.competency_evidence == ("induction", "probation", "appraisal")
    assert nine.dsl_groups == ()


def test_an_organisation_override_sets_its_own_numbers_and_keeps_the_rest():
    wales = load_framework("wales_national")
    mine = wales.with_overrides(
        {"dsl_groups": ["D", "E"], "groups": {"B": {"refresher": {"hours": 6}}}}
    )
    assert mine.group("B").refresher.hours == 6
    assert mine.group("B").refresher.period_years == 3  # merged, not replaced
    assert mine.dsl_groups == ("D", "E")
    assert wales.group("B").refresher.hours is None  # the shipped framework is untouched


def test_override_problems_name_the_group_and_field():
    with pytest.raises(FrameworkError) as err:
        load_framework("wales_national").with_overrides(
            {"groups": {"B": {"refresher": {"hours": -1}}, "Z": {}}}, source="org.yaml"
        )
    assert err.value.problems == [
        "org.yaml: groups.Z: unknown group; wales_national has A, B, C, D, E, F"
    ]
    with pytest.raises(FrameworkError) as err:
        load_framework("wales_national").with_overrides(
            {"groups": {"B": {"refresher": {"hours": -1}}}}, source="org.yaml"
        )
    assert err.value.problems == [
        "org.yaml: groups.B.refresher.hours: Input should be greater than 0"
    ]


def test_overrides_can_come_from_a_yaml_file(tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text("framework: wales_national\ngroups:\n  A: {refresher: {hours: 3}}\n")
    assert load_framework("wales_national", overrides=path).group("A").refresher.hours == 3


def test_a_broken_framework_file_names_the_file_and_the_path_inside_it(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\ntitle: Bad\nversion: 1\ndsl_groups: [Q]\ngroups:\n"
        "  - {id: A, name: A, refresher: {hours: lots}}\n"
        "  - {id: B, name: B, colour: red}\n"
    )
    with pytest.raises(FrameworkError) as err:
        load_framework(path)
    text = str(err.value)
    assert f"{path}: groups[0] (A).refresher.hours: Input should be a valid number" in text
    assert f"{path}: groups[1] (B).colour: Extra inputs are not permitted" in text


def test_an_unknown_framework_id_lists_the_shipped_ones():
    with pytest.raises(FrameworkError, match="local_nine_groups, wales_national"):
        load_framework("atlantis")


def test_a_framework_snapshot_rebuilds_the_same_framework():
    wales = load_framework("wales_national")
    assert framework_from_snapshot(wales.snapshot()) == wales
