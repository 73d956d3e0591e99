"""An erased survey respondent stays erased: a later export of the same survey imports
everyone else and leaves that person out, saying so."""

from __future__ import annotations

import sqlalchemy as sa
from test_archive_survey_keys import AREAS, SURVEY, respondents, store, survey_import

from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.erasure import erase_interview
from sgaudit.store.models import ErasedResponse


def _new_audit(url: str) -> int:
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Riverside Test Trust", AREAS)
        return repo.create_audit(s, org, "Staff survey 2026", load_question_set()).id


def test_a_re_import_does_not_bring_an_erased_respondent_back(tmp_path):
    url = store(tmp_path / "s.db")
    audit_id = _new_audit(url)
    survey_import(url, audit_id, SURVEY)
    before = respondents(url, audit_id)
    key, code = sorted(before.items())[0]
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        erase_interview(s, repo.find_interview(s, audit, code), actor="Asha Khan")
        kept = s.scalars(sa.select(ErasedResponse.key_hash)).all()
    assert len(kept) == 1 and key not in kept[0]  # a hash, not the response id

    again = survey_import(url, audit_id, SURVEY)
    after = respondents(url, audit_id)
    assert key not in after and after == {k: c for k, c in before.items() if k != key}
    assert again.summary.interviews_created == 0
    assert again.summary.interviews_updated == len(before) - 1
    assert "1 response of people erased from this audit" in again.message()


def test_erasing_the_audit_takes_the_erased_list_with_it(tmp_path):
    url = store(tmp_path / "s.db")
    audit_id = _new_audit(url)
    survey_import(url, audit_id, SURVEY)
    code = sorted(respondents(url, audit_id).values())[0]
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        erase_interview(s, repo.find_interview(s, audit, code))
        repo.erase_audit(s, repo.get_audit(s, audit_id))
        assert s.scalar(sa.select(sa.func.count()).select_from(ErasedResponse)) == 0


def test_a_restored_audit_keeps_erased_and_withdrawn_respondents_out(tmp_path):
    from sgaudit.archive import export_audit, import_archive
    from sgaudit.store.erasure import withdraw_consent

    url = store(tmp_path / "first.db")
    audit_id = _new_audit(url)
    survey_import(url, audit_id, SURVEY)
    before = respondents(url, audit_id)
    (erased_key, erased), (withdrawn_key, withdrawn) = sorted(before.items())[:2]
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        erase_interview(s, repo.find_interview(s, audit, erased))
        withdraw_consent(s, repo.find_interview(s, audit, withdrawn))
        archive = export_audit(s, audit_id, tmp_path / "audit.zip")
    second = store(tmp_path / "second.db")
    with session_scope(second) as s:
        restored = import_archive(s, archive).audit_id
    again = survey_import(second, restored, SURVEY)
    keys = set(respondents(second, restored))
    assert keys == set(before) - {erased_key, withdrawn_key}
    assert again.summary.interviews_created == 0
    assert "2 responses of people erased from this audit" in again.message()
