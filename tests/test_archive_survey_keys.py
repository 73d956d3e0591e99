"""An archive keeps each survey respondent's response key, so a later export of the same
survey imported into the restored audit updates the people instead of doubling them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from archive_support import legacy_doc, with_document
from test_survey_examples import NEW_RESPONSE, later_download

from sgaudit.archive import export_audit, import_archive
from sgaudit.errors import ImportError_
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.surveys import SurveyOptions, import_file

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "examples" / "surveys" / "surveymonkey.csv"
AREAS = ["Supported Housing", "Youth Services", "Day Opportunities", "Community Hub"]
TIER_MAP = "Volunteer=front_line,Front-line staff member=front_line,Team leader=manager"


def store(path: Path) -> str:
    url = f"sqlite:///{path}"
    get_engine(url)
    return url


def respondents(url: str, audit_id: int) -> dict[str, str]:
    """{response key: interview code} of the audit's survey respondents."""
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        return {
            iv.response_key: iv.code for iv in repo.list_interviews(s, audit) if iv.response_key
        }


def survey_import(url: str, audit_id: int, path: Path):
    with session_scope(url) as s:
        return import_file(s, audit_id, path, SurveyOptions(tier_map=TIER_MAP))


def test_a_later_export_imported_into_the_restored_audit_updates_instead_of_doubling(tmp_path):
    first = store(tmp_path / "first.db")
    with session_scope(first) as s:
        org = repo.create_organisation(s, "Riverside Test Trust", AREAS)
        audit_id = repo.create_audit(s, org, "Staff survey 2026", load_question_set()).id
    survey_import(first, audit_id, SURVEY)
    before = respondents(first, audit_id)
    assert len(before) == 4
    with session_scope(first) as s:
        archive = export_audit(s, audit_id, tmp_path / "audit.zip")
    with zipfile.ZipFile(archive) as zf:
        doc = json.loads(zf.read("audit.json"))
    assert doc["format_version"] == 3
    assert sorted(iv["response_key"] for iv in doc["interviews"]) == sorted(before)

    second = store(tmp_path / "second.db")
    with session_scope(second) as s:
        restored = import_archive(s, archive).audit_id
    assert respondents(second, restored) == before  # same keys, same codes

    later = later_download(SURVEY, tmp_path / "surveymonkey.csv", NEW_RESPONSE[SURVEY.name])
    result = survey_import(second, restored, later)
    assert (result.summary.interviews_created, result.summary.interviews_updated) == (1, 3)
    after = respondents(second, restored)
    assert len(after) == 5 and before.items() <= after.items()


def test_an_archive_with_one_response_key_twice_is_refused_naming_where(tmp_path):
    url = store(tmp_path / "first.db")
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Riverside Test Trust", AREAS)
        audit_id = repo.create_audit(s, org, "Staff survey 2026", load_question_set()).id
    survey_import(url, audit_id, SURVEY)
    with session_scope(url) as s:
        archive = export_audit(s, audit_id, tmp_path / "audit.zip")
    with zipfile.ZipFile(archive) as zf:
        doc = json.loads(zf.read("audit.json"))
    doc["interviews"][1]["response_key"] = doc["interviews"][0]["response_key"]
    damaged = with_document(archive, doc, tmp_path / "damaged.zip")
    with pytest.raises(ImportError_) as exc, session_scope(store(tmp_path / "b.db")) as s:
        import_archive(s, damaged)
    assert [p.column for p in exc.value.problems] == ["interviews[1].response_key"]
    assert "appears twice" in exc.value.problems[0].message


def test_an_archive_of_the_previous_format_without_response_keys_still_restores(tmp_path):
    url = store(tmp_path / "first.db")
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Riverside Test Trust", AREAS)
        audit_id = repo.create_audit(s, org, "Staff survey 2026", load_question_set()).id
    survey_import(url, audit_id, SURVEY)
    with session_scope(url) as s:
        archive = export_audit(s, audit_id, tmp_path / "audit.zip")
    doc = legacy_doc(archive, version=1)
    for iv in doc["interviews"]:
        del iv["response_key"]
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(old, "w") as zf:
        zf.writestr("audit.json", json.dumps(doc))
    other = store(tmp_path / "other.db")
    with session_scope(other) as s:
        restored = import_archive(s, old)
    assert restored.interviews == 4 and respondents(other, restored.audit_id) == {}
