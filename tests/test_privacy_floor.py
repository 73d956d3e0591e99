"""Suppression cannot be switched off: no file may set a minimum below 3 (issue 10, item 4)."""

from __future__ import annotations

import shutil

import pytest
import yaml
from test_archive import _good_doc, _refused, _zip

from sgaudit.errors import QuestionnaireError
from sgaudit.questionnaire import load_question_set, question_set_from_snapshot
from sgaudit.questionnaire.loader import CORE_SET_DIR
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.registers.mapping import RegisterSettings, settings_from


@pytest.mark.parametrize("minimum", [0, 1, 2])
def test_a_question_set_asking_for_a_minimum_below_3_is_refused(tmp_path, minimum):
    folder = tmp_path / "set"
    shutil.copytree(CORE_SET_DIR, folder)
    meta = yaml.safe_load((folder / "_set.yaml").read_text())
    meta.setdefault("settings", {})["suppression_min"] = minimum
    (folder / "_set.yaml").write_text(yaml.safe_dump(meta))
    with pytest.raises(QuestionnaireError) as exc:
        load_question_set(folder)
    assert f"suppression_min is {minimum}, below the floor of 3" in str(exc.value)


def test_a_minimum_above_the_floor_is_kept():
    assert AnalysisSettings(suppression_min=5).suppression_min == 5


def test_an_audit_snapshot_asking_for_1_is_refused(core_set):
    snapshot = core_set.model_dump(mode="json")
    snapshot["settings"]["suppression_min"] = 1
    with pytest.raises(QuestionnaireError, match="below the floor of 3"):
        question_set_from_snapshot(snapshot)


def test_an_archive_asking_for_1_is_refused_and_stores_nothing(db_url, tmp_path):
    doc = _good_doc(db_url, tmp_path)
    doc["question_set"]["settings"]["suppression_min"] = 1
    message = _refused(tmp_path, _zip(tmp_path / "low.zip", doc))
    assert "below the floor of 3" in message


def test_register_settings_cannot_go_below_the_floor():
    base = settings_from(None).model_dump()
    with pytest.raises(ValueError, match="below the floor of 3"):
        RegisterSettings(**{**base, "suppression_min": 1})
