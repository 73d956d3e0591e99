"""Forms out, answers back: a form from `survey-form`, filled in, exported by the tool,
imported with nothing lost and nothing doubled."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from pyxform.xls2xform import convert
from survey_exports import Respondent, kobo, microsoft_forms, odk_central
from test_sheets_support import AREAS, counts, make_audit
from test_surveys_forms import instance_paths

from sgaudit.errors import ImportError_
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file
from sgaudit.surveys.forms import build_form, form_text, write_form
from sgaudit.surveys.versions import set_label

CORE = load_question_set()
VERSION = str(CORE.version)  # the form version ODK Central exports


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    return url, make_audit(url, CORE)


def fields_of(tmp_path, tier: str) -> list[str]:
    """The instance paths of the XForm pyxform builds from our XLSForm."""
    path = tmp_path / f"{tier}.xlsx"
    write_form(build_form(CORE, tier, AREAS), path, "xlsform")
    return instance_paths(convert(xlsform=str(path), validate=False).xform)


def submissions(fields: list[str], tier: str, n: int, seed: int = 0) -> list[dict[str, str]]:
    """`n` filled-in forms: every question answered with a value of its scale in turn,
    every third one left blank."""
    out = []
    for i in range(n):
        sub = {
            "start": f"2026-04-{i % 9 + 1:02d}T09:00:00.000+01:00",
            "end": f"2026-04-{i % 9 + 1:02d}T09:25:00.000+01:00",
            "consent": "yes", "tier": tier, "service_area": ("supported_housing",
            "youth_services", "community_hub")[i % 3], "mode": "survey",
            "sgaudit_set": set_label(CORE), "meta/instanceID": f"uuid:{uuid.UUID(int=seed * 1000 + i)}",
        }  # fmt: skip
        for k, f in enumerate(fields):
            qid = f.rsplit("/", 1)[-1]
            if qid in CORE.questions_by_id and (i + k) % 3:
                allowed = CORE.allowed_answers(qid) or ["free text"]
                sub[f] = allowed[(i + k) % len(allowed)]
        out.append(sub)
    return out


def stored(url, audit_id):
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        return {
            iv.response_key: (iv.tier, iv.service_area, iv.held_on, iv.mode,
                              {q: r.answer for q, r in repo.interview_answers(s, iv).items()})
            for iv in repo.list_interviews(s, audit)
        }  # fmt: skip


def expected(subs, fields):
    areas = {"supported_housing": "Supported Housing", "youth_services": "Youth Services",
             "community_hub": "Community Hub"}  # fmt: skip
    return {
        "instance:" + s["meta/instanceID"].removeprefix("uuid:"): (
            s["tier"], areas[s["service_area"]], date.fromisoformat(s["end"][:10]), "survey",
            {f.rsplit("/", 1)[-1]: s[f] for f in fields
             if f.rsplit("/", 1)[-1] in CORE.questions_by_id and f in s},
        )
        for s in subs
    }  # fmt: skip


def run(url, audit_id, path, **options):
    with session_scope(url) as s:
        return import_file(s, audit_id, path, SurveyOptions(**options))


def test_odk_central_submissions_come_back_whole_and_a_re_export_adds_only_new_ones(
    store, tmp_path
):
    url, audit_id = store
    fields = fields_of(tmp_path, "front_line")
    subs = submissions(fields, "front_line", 6)
    first = run(url, audit_id, odk_central(tmp_path / "staff.csv", fields, subs[:5], VERSION))
    assert first.tool == "ODK Central"
    assert "SubmitterName" in first.dropped and "DeviceID" in first.dropped
    assert stored(url, audit_id) == expected(subs[:5], fields)

    again = run(url, audit_id, odk_central(tmp_path / "staff2.csv", fields, subs, VERSION))
    assert (again.summary.interviews_created, again.summary.interviews_updated) == (1, 5)
    assert stored(url, audit_id) == expected(subs, fields)
    answers = sum(len(v[4]) for v in expected(subs, fields).values())
    assert counts(url) == (6, answers)


def test_kobo_xlsx_submissions_with_group_paths_come_back_whole(store, tmp_path):
    url, audit_id = store
    fields = fields_of(tmp_path, "service_user")
    subs = submissions(fields, "service_user", 4, seed=7)
    subs[3]["consent"] = "no"  # said no: the form asked nothing more
    for f in fields:
        if f.rsplit("/", 1)[-1] in CORE.questions_by_id:
            subs[3].pop(f, None)
    result = run(url, audit_id, kobo(tmp_path / "service users.xlsx", fields, subs))
    assert result.tool == "KoboToolbox" and result.dropped == ("_submitted_by",)
    assert result.without_consent == 1
    assert stored(url, audit_id) == expected(subs[:3], fields)


def test_submissions_from_another_version_of_the_form_are_refused_naming_the_versions(
    store, tmp_path
):
    url, audit_id = store
    fields = fields_of(tmp_path, "front_line")
    subs = submissions(fields, "front_line", 3)
    other = str(CORE.version + 1)
    subs[1]["sgaudit_set"], subs[1]["FormVersion"] = f"core v{other}", other
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, odk_central(tmp_path / "staff.csv", fields, subs, VERSION))
    messages = {p.column: p.message for p in exc.value.problems}
    assert (
        f"found 'core v{other}'" in messages["sgaudit_set"] and "rows 3" in messages["sgaudit_set"]
    )
    assert f"found '{other}'" in messages["FormVersion"]
    assert set_label(CORE) in messages["FormVersion"]
    assert counts(url) == (0, 0)


def test_a_microsoft_forms_export_of_the_text_form_matches_every_question_by_id(store, tmp_path):
    url, audit_id = store
    text = form_text(build_form(CORE, "manager", AREAS))
    titles = [line for line in text.splitlines() if line and not line.startswith((" ", "=="))]
    titles = titles[2:]  # the form's title and its note
    assert [t.split()[0] for t in titles[:3]] == ["consent", "tier", "service_area"]
    asked = CORE.questions_for_tier("manager")
    person = Respondent(
        "1", datetime(2026, 5, 2, 14, 30), "", "",
        {titles[0]: "Yes", titles[1]: "Managers and team leaders", titles[2]: "Youth Services",
         **{t: CORE.scales[q.scale].points[0].label for t, q in zip(titles[3:], asked, strict=True)
            if CORE.scales[q.scale].kind != "text"}},
    )  # fmt: skip
    path = microsoft_forms(tmp_path / "managers.xlsx", titles, [person])
    # The role and area questions of microsoft_forms() are left blank and skipped.
    result = run(
        url,
        audit_id,
        path,
        ignore_columns=(
            "Which of these best describes your role?",
            "Which service do you mainly work in?",
        ),
    )
    scored = [q for q in asked if CORE.scales[q.scale].kind != "text"]
    assert result.summary.answers_created == len(scored)
    (got,) = stored(url, audit_id).values()
    assert got[:3] == ("manager", "Youth Services", date(2026, 5, 2))
