"""Question sets: the loader names every problem, and the core set covers the domain."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from sgaudit.errors import QuestionnaireError
from sgaudit.questionnaire import load_question_set
from sgaudit.questionnaire.loader import CORE_SET_DIR
from sgaudit.vocab import TIERS

DOMAIN_THEMES = {
    "recruitment",
    "training",
    "safer_working",
    "policies",
    "casework",
    "complaints",
    "leadership",
    "dsl",
    "quality_assurance",
    "governance",
    "culture",
}
DOMAIN_CODES = (
    [f"REC-{i}" for i in range(1, 6)]
    + [f"TRN-{i}" for i in range(1, 5)]
    + [f"SWP-{i}" for i in range(1, 7)]
    + [f"POL-{i}" for i in range(1, 5)]
    + [f"CAS-{i}" for i in range(1, 6)]
    + [f"CWB-{i}" for i in range(1, 6)]
    + [f"LDR-{i}" for i in range(1, 6)]
    + [f"DSL-{i}" for i in range(1, 4)]
    + [f"QA-{i}" for i in range(1, 5)]
    + [f"GOV-{i}" for i in range(1, 4)]
    + [f"CUL-{i}" for i in range(1, 6)]
    + [f"LOS-{i}" for i in range(1, 5)]
)

SET_YAML = """
id: mine
title: My sports standard
version: 2
codes: {SP-1: no welfare officer}
scales:
  yn:
    label: Yes or no
    points: [{value: "no", label: "No"}, {value: "yes", label: "Yes"}]
"""

THEME_YAML = """
theme: {id: welfare, title: Club welfare}
questions:
  - id: SP-01
    scale: yn
    aspect: paper
    detects: [SP-1]
    tiers:
      - {tier: front_line, text: "Do you know who the welfare officer is?"}
      - {tier: board, text: "How does the committee know the welfare officer is known?"}
"""


def write_set(folder: Path, theme_yaml: str = THEME_YAML, set_yaml: str = SET_YAML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_set.yaml").write_text(textwrap.dedent(set_yaml), encoding="utf-8")
    (folder / "welfare.yaml").write_text(textwrap.dedent(theme_yaml), encoding="utf-8")
    return folder


def problems_for(tmp_path: Path, theme_yaml: str) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        load_question_set(write_set(tmp_path / "set", theme_yaml))
    return info.value.problems


def test_a_users_own_framework_loads_from_a_folder_without_code_changes(tmp_path):
    qs = load_question_set(write_set(tmp_path / "sports"))
    assert (qs.id, qs.version, [t.id for t in qs.themes]) == ("mine", 2, ["welfare"])
    q = qs.question("SP-01")
    assert q.theme == "welfare" and q.tier_ids == ("front_line", "board")
    assert qs.allowed_answers("SP-01") == ["no", "yes", "dont_know"]


def test_an_unknown_tier_is_named_with_file_and_path(tmp_path):
    bad = THEME_YAML.replace("{tier: board,", "{tier: trustees,")
    [problem] = problems_for(tmp_path, bad)
    assert "welfare.yaml" in problem
    assert "questions[0].tiers[1].tier" in problem
    assert "unknown tier 'trustees'" in problem


def test_every_problem_in_a_file_is_listed_not_just_the_first(tmp_path):
    bad = THEME_YAML.replace("scale: yn", "scale: stars").replace("[SP-1]", "[SP-9]")
    problems = problems_for(tmp_path, bad)
    assert any("questions[0].scale: unknown scale 'stars'" in p for p in problems)
    assert any("questions[0].detects[0]: unknown code 'SP-9'" in p for p in problems)


def test_broken_yaml_names_the_file_and_line(tmp_path):
    [problem] = problems_for(tmp_path, THEME_YAML + "\n  - id: [unclosed\n")
    assert "welfare.yaml" in problem and "not valid YAML" in problem and "line" in problem


def test_a_misspelt_field_is_refused_rather_than_ignored(tmp_path):
    problems = problems_for(tmp_path, THEME_YAML.replace("aspect: paper", "aspekt: paper"))
    assert any("questions[0].aspekt" in p and "Extra inputs" in p for p in problems)


def test_a_duplicate_question_id_is_refused(tmp_path):
    folder = write_set(tmp_path / "dup")
    (folder / "other.yaml").write_text(THEME_YAML.replace("welfare", "other"), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="'SP-01' is already used"):
        load_question_set(folder)


def test_a_folder_without_set_metadata_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(QuestionnaireError, match="_set.yaml: missing"):
        load_question_set(tmp_path / "empty")


def test_rag_bands_must_rise(tmp_path):
    set_yaml = SET_YAML + "settings:\n  rag_bands: [{label: red, min: 0}, {label: green, min: 0}]\n"
    with pytest.raises(QuestionnaireError, match="settings.rag_bands"):
        load_question_set(write_set(tmp_path / "rag", set_yaml=set_yaml))


def test_reverse_scored_questions_list_their_answers_weakest_first(tmp_path):
    qs = load_question_set(
        write_set(
            tmp_path / "rev",
            THEME_YAML.replace("aspect: paper", "aspect: paper\n    reverse: true"),
        )
    )
    assert qs.allowed_answers("SP-01") == ["yes", "no", "dont_know"]


# ---- the core set ---------------------------------------------------------------------
def test_the_core_set_covers_all_eleven_themes(core_set):
    assert {t.id for t in core_set.themes} == DOMAIN_THEMES


@pytest.mark.parametrize("theme", sorted(DOMAIN_THEMES))
def test_each_core_theme_has_8_to_15_questions_and_reaches_front_line_and_board(core_set, theme):
    qs = [q for q in core_set.questions if q.theme == theme]
    assert 8 <= len(qs) <= 15, f"{theme} has {len(qs)} questions"
    both = [q.id for q in qs if {"front_line", "board"} <= set(q.tier_ids)]
    assert both, f"{theme} has no question asked at both front_line and board"
    aspects = {q.aspect for q in qs}
    assert aspects == {"paper", "practice"}, f"{theme} needs paper and practice questions"


def test_every_weakness_and_line_of_sight_code_is_detected_by_a_question(core_set):
    detected = {code for q in core_set.questions for code in q.detects}
    missing = [c for c in DOMAIN_CODES if c not in detected]
    assert not missing, f"codes no question detects: {missing}"
    assert set(DOMAIN_CODES) == set(core_set.codes)


def test_every_tier_is_asked_something_in_the_core_set(core_set):
    for tier in TIERS:
        assert core_set.questions_for_tier(tier), f"no question for {tier}"


def test_the_core_set_round_trips_through_its_snapshot(core_set):
    from sgaudit.questionnaire import question_set_from_snapshot

    again = question_set_from_snapshot(yaml.safe_load(yaml.safe_dump(core_set.snapshot())))
    assert again == core_set


def test_a_copy_of_the_core_set_with_a_changed_file_still_validates_or_names_the_problem(
    tmp_path,
):
    copy = tmp_path / "core"
    shutil.copytree(CORE_SET_DIR, copy)
    theme_file = sorted(p for p in copy.glob("*.yaml") if p.name != "_set.yaml")[0]
    data = yaml.safe_load(theme_file.read_text(encoding="utf-8"))
    data["questions"][3]["tiers"][0]["tier"] = "everyone"
    theme_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as info:
        load_question_set(copy)
    assert any(
        theme_file.name in p and "questions[3].tiers[0].tier" in p for p in info.value.problems
    )


def test_theme_order_in_the_set_file_orders_the_themes_and_names_unknown_ids(tmp_path):
    folder = write_set(tmp_path / "ordered")
    (folder / "aaa.yaml").write_text(
        THEME_YAML.replace("welfare", "aaa").replace("SP-01", "SP-02"), encoding="utf-8")
    (folder / "_set.yaml").write_text(SET_YAML + "theme_order: [welfare, aaa]\n", encoding="utf-8")
    assert [t.id for t in load_question_set(folder).themes] == ["welfare", "aaa"]
    (folder / "_set.yaml").write_text(SET_YAML + "theme_order: [welfare, zzz]\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"theme_order\[1\]: no theme file defines 'zzz'"):
        load_question_set(folder)


def test_the_core_themes_follow_the_domain_order(core_set):
    assert [t.id for t in core_set.themes][:3] == ["recruitment", "training", "safer_working"]
    assert [t.order for t in core_set.themes] == list(range(11))
