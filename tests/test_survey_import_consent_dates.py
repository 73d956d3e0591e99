"""A survey respondent's consent is what the form recorded (and what is stored is what is
counted), a completion date in the future is refused and one outside the fieldwork is
warned about, and answers imported again as they are stored are unchanged, not updated."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from test_sheets_support import counts

from sgaudit.errors import ImportError_
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file, importing

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "examples" / "surveys"
AREAS = ["Supported Housing", "Youth Services", "Day Opportunities", "Domiciliary Care",
         "Community Hub", "Central Services"]  # fmt: skip
TIER_MAP = "Volunteer=front_line,Front-line staff member=front_line,Team leader=manager"


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Riverside Community Trust", AREAS)
        audit = repo.create_audit(s, org, "Re-audit", load_question_set())
        audit.start_date, audit.end_date = date(2026, 1, 12), date(2026, 3, 13)
        s.commit()
        return url, audit.id


def run(url, audit_id, path, **options):
    with session_scope(url) as s:
        return import_file(s, audit_id, path, SurveyOptions(**options))


def flags(url, audit_id):
    """[(consent_confirmed, completed, withdrawn)] of every interview."""
    with session_scope(url) as s:
        return sorted(
            (iv.consent_confirmed, iv.completed, iv.consent_withdrawn_at is not None)
            for iv in repo.list_interviews(s, repo.get_audit(s, audit_id))
        )


def odk_with_consent(tmp_path, answers: list[str]) -> Path:
    with (SURVEYS / "odk_central.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("consent")
    for row, answer in zip(rows[1:], answers, strict=True):
        row[at] = answer
    path = tmp_path / "odk.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_consent_yes_is_stored_as_given_and_no_or_blank_is_not_imported(store, tmp_path):
    url, audit_id = store
    result = run(url, audit_id, odk_with_consent(tmp_path, ["yes", "no", ""]))
    assert result.without_consent == 2
    assert "2 responses left out, not imported" in result.message()
    assert flags(url, audit_id) == [(True, True, False)]  # counted, consented, complete


def test_an_export_without_a_consent_question_is_consented_by_submitting(store):
    url, audit_id = store
    result = run(url, audit_id, SURVEYS / "microsoft_forms.csv", tier_map=TIER_MAP)
    assert "no consent question: submitting the survey is taken as consent" in result.message()
    assert flags(url, audit_id) == [(True, True, False)] * 4


def test_importing_again_marks_earlier_respondents_consented_but_never_a_withdrawn_one(store):
    url, audit_id = store
    run(url, audit_id, SURVEYS / "odk_central.csv")
    with session_scope(url) as s:
        ivs = repo.list_interviews(s, repo.get_audit(s, audit_id))
        ivs[0].consent_confirmed = ivs[0].completed = False  # as the faulty import stored it
        ivs[1].consent_confirmed, ivs[1].consent_withdrawn_at = False, date(2026, 2, 1)
        s.commit()
    run(url, audit_id, SURVEYS / "kobotoolbox.csv")
    assert flags(url, audit_id) == [(False, True, True), (True, True, False), (True, True, False)]


def test_a_completion_date_in_the_future_is_refused_naming_file_row_and_column(store, monkeypatch):
    url, audit_id = store
    monkeypatch.setattr(importing, "today", lambda: date(2026, 1, 20))
    before = counts(url)
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, SURVEYS / "odk_central.csv")
    assert counts(url) == before  # all or nothing
    where = [(p.file, p.row, p.column) for p in exc.value.problems]
    assert where == [("odk_central.csv", 3, "end"), ("odk_central.csv", 4, "end")]
    assert "2026-01-21, which is in the future (today is 2026-01-20)" in str(exc.value)


def test_a_completion_date_outside_the_fieldwork_is_imported_with_a_warning(store, tmp_path):
    url, audit_id = store
    with session_scope(url) as s:
        repo.get_audit(s, audit_id).end_date = date(2026, 1, 20)
        s.commit()
    result = run(url, audit_id, SURVEYS / "odk_central.csv")
    assert result.outside_fieldwork == ((3, "2026-01-21"), (4, "2026-01-22"))
    assert (
        "Warning: 2 responses were completed outside the audit's fieldwork dates "
        "(2026-01-12 to 2026-01-20): row 3 (2026-01-21), row 4 (2026-01-22)"
    ) in result.message()
    assert counts(url)[0] == 3


def test_the_same_answers_imported_again_are_unchanged_not_updated(store, tmp_path):
    url, audit_id = store
    run(url, audit_id, SURVEYS / "odk_central.csv")
    again = run(url, audit_id, shutil.copy(SURVEYS / "kobotoolbox.csv", tmp_path / "k.csv"))
    s = again.summary
    assert (s.answers_created, s.answers_updated, s.answers_unchanged) == (0, 0, 11)
    assert "Wrote 0 answers (0 new, 0 updated, 11 unchanged) in 0 new interviews" in s.message()
    assert "(s)" not in again.message()
