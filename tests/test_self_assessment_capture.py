"""Capturing the organisation's self-assessment (tier self_assessment, issue 15):
wording from a set that never mentions it, the long-format import, the store's
one-per-audit rule, and its place outside double scoring and the analysis frames."""

from __future__ import annotations

import pytest
from test_sheets_support import counts, make_audit, tiny_set, write_csv

from sgaudit.analysis import analyse
from sgaudit.errors import ImportError_, SgauditError
from sgaudit.questionnaire.models import Question, TierWording
from sgaudit.sheets import import_answers
from sgaudit.store import double_scoring, repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.vocab import SELF_ASSESSMENT

HEADER = "interview_id,tier,service_area,question_id,answer,note,consent\n"
SELF = (
    HEADER
    + "SA-01,self_assessment,Community Hub,POL-01,strongly_agree,Reviewed by the board,yes\n"
    + "SA-01,self_assessment,Community Hub,POL-02,no,,yes\n"
    + "SA-01,self_assessment,Community Hub,CUL-01,4,,yes\n"
)


def test_a_set_without_self_assessment_wording_puts_questions_in_the_organisations_voice():
    qs = tiny_set()
    asked = {q.id: q.wording(SELF_ASSESSMENT) for q in qs.questions_for_tier(SELF_ASSESSMENT)}
    # board wording first, else the DSL's: the organisation speaking of itself
    assert asked == {
        "POL-01": "Wording of the item for board",
        "POL-02": "Wording of the item for dsl",
        "CUL-01": "Wording of the item for board",
        "CUL-02": "Wording of the item for board",
    }
    assert "self_assessment" in qs.questions_by_id["POL-01"].asked_of
    assert "self_assessment" not in qs.questions_by_id["POL-01"].tier_ids


def test_a_question_asked_only_on_the_ground_is_not_in_the_self_assessment_unless_worded():
    ground = Question(
        id="SU-01",
        scale="agree5",
        tiers=(TierWording(tier="service_user", text="I feel safe here"),),
    )
    assert ground.wording(SELF_ASSESSMENT) is None
    own = ground.model_copy(
        update={
            "tiers": (
                *ground.tiers,
                TierWording(tier="self_assessment", text="People who use our services feel safe"),
            )
        }
    )
    assert own.wording(SELF_ASSESSMENT) == "People who use our services feel safe"


def test_the_core_set_puts_most_questions_to_the_self_assessment(core_set):
    asked = core_set.questions_for_tier(SELF_ASSESSMENT)
    assert len(asked) >= 100
    assert {q.theme for q in asked} == {t.id for t in core_set.themes}


def test_a_self_assessment_imports_from_a_long_file_and_stays_out_of_the_tier_frames(
    db_url, tmp_path
):
    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        summary = import_answers(s, audit_id, write_csv(tmp_path / "sa.csv", SELF))
    assert (summary.interviews_created, summary.answers_created) == (1, 3)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        (iv,) = repo.list_interviews(s, audit)
        assert iv.tier == SELF_ASSESSMENT
        data = load_audit_data(s, audit_id)
    assert data.responses.empty
    assert list(data.self_assessment["question_id"]) == ["POL-01", "POL-02", "CUL-01"]
    result = analyse(data)
    assert result.interviews == [] and result.findings == []
    own = {t.theme: t for t in result.self_assessment}
    assert own["policies"].self_score == 100.0  # strongly agree, and "no" on a reversed item
    assert own["policies"].reading == "not_assessable"  # nobody else heard yet


def test_a_second_self_assessment_in_a_file_is_refused_and_nothing_is_written(db_url, tmp_path):
    audit_id = make_audit(db_url)
    text = SELF + "SA-02,self_assessment,Community Hub,POL-01,agree,,yes\n"
    before = counts(db_url)
    with pytest.raises(ImportError_) as exc, session_scope(db_url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "two.csv", text))
    assert counts(db_url) == before
    (problem,) = exc.value.problems
    assert problem.column == "tier" and problem.row == 5
    assert "second self-assessment" in problem.message and "'SA-01'" in problem.message


def test_a_file_adding_a_self_assessment_to_an_audit_that_has_one_is_refused(db_url, tmp_path):
    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "sa.csv", SELF))
    again = HEADER + "SA-09,self_assessment,Community Hub,POL-01,agree,,yes\n"
    with pytest.raises(ImportError_) as exc, session_scope(db_url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "again.csv", again))
    assert "the first is 'SA-01'" in exc.value.problems[0].message


def test_the_store_keeps_one_self_assessment_per_audit_and_never_double_scores_it(db_url):
    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        audit.auditor_1, audit.auditor_2 = "A. Lead", "B. Second"
        iv = repo.start_interview(
            s, audit, tier=SELF_ASSESSMENT, service_area="Community Hub", mode="survey",
            auditor="A. Lead",
        )  # fmt: skip
        assert iv.code.startswith("SA-")
        repo.save_answer(s, iv, "POL-01", "agree", actor="A. Lead")
        with pytest.raises(SgauditError, match="already has a self-assessment"):
            repo.start_interview(s, audit, tier=SELF_ASSESSMENT, service_area="Community Hub")
        with pytest.raises(SgauditError, match="not double-scored"):
            double_scoring.mark_double_scored(s, iv, second_scorer="B. Second")


def test_a_self_assessment_survey_form_offers_only_its_own_tier(core_set):
    from sgaudit.surveys.forms import build_form

    form = build_form(core_set, SELF_ASSESSMENT, ["Head office"])
    assert len(form.questions) == len(core_set.questions_for_tier(SELF_ASSESSMENT))
    tiers = [name for lst, name, _label in form.choices if lst == "tiers"]
    # no role a respondent could pick that would put the return into the golden thread
    assert tiers == [SELF_ASSESSMENT]


def test_an_archive_carries_the_self_assessment_to_another_store(db_url, tmp_path):
    from sgaudit.archive import export_audit, import_archive

    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "sa.csv", SELF))
        export_audit(s, audit_id, tmp_path / "audit.zip")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with session_scope(other) as s:
        restored = import_archive(s, tmp_path / "audit.zip")
    with session_scope(other) as s:
        data = load_audit_data(s, restored.audit_id)
    assert set(data.self_assessment["question_id"]) == {"POL-01", "POL-02", "CUL-01"}
