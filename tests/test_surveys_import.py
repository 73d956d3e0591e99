"""Survey exports import as downloaded from Microsoft Forms, Google Forms and SurveyMonkey."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from survey_exports import (
    AREA_QUESTION,
    ROLE_QUESTION,
    Respondent,
    google_forms,
    microsoft_forms,
    surveymonkey,
)
from test_sheets_support import counts, make_audit

from sgaudit.errors import ImportError_
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file

CORE = load_question_set()
TIER_MAP = "Volunteer=front_line,Front-line staff member=front_line,Team leader=manager"


def wording(qid: str, tier: str = "front_line") -> str:
    return CORE.questions_by_id[qid].wording(tier)


REC01, REC03, REC07, CAS09 = (wording(q) for q in ("REC-01", "REC-03", "REC-07", "CAS-09"))


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    return url, make_audit(url, CORE)


def run(url, audit_id, path, dry_run=False, **options):
    with session_scope(url) as s:
        return import_file(s, audit_id, path, SurveyOptions(**options), dry_run=dry_run)


def stored(url, audit_id):
    """{response key: (code, tier, area, date, {question: answer})}"""
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        return {
            iv.response_key: (
                iv.code,
                iv.tier,
                iv.service_area,
                iv.held_on,
                {q: r.answer for q, r in repo.interview_answers(s, iv).items()},
            )
            for iv in repo.list_interviews(s, audit)
        }


def people() -> list[Respondent]:
    return [
        Respondent("1", datetime(2026, 3, 14, 10, 22, 33), "Volunteer", "Youth Services",
                   {REC01: "Agree", REC03: "Strongly disagree", REC07: "Partly"}),
        Respondent("2", datetime(2026, 3, 15, 16, 5, 0), "Front-line staff member",
                   "Supported Housing", {REC01: "Don’t know", REC03: "neither agree nor disagree"}),
        Respondent("3", datetime(2026, 3, 16, 9, 0, 0), "Team leader", "Community Hub",
                   {REC01: "STRONGLY AGREE", REC07: "Yes"}),
    ]  # fmt: skip


ROLES = {"role": ROLE_QUESTION, "area": AREA_QUESTION}


def test_a_microsoft_forms_csv_imports_as_downloaded_matched_by_wording(store, tmp_path):
    url, audit_id = store
    path = microsoft_forms(tmp_path / "Staff survey.csv", [REC01, REC03, REC07], people())
    result = run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION,
                 tier_map=TIER_MAP)  # fmt: skip
    assert result.tool == "Microsoft Forms"
    assert "Recognised Staff survey.csv as Microsoft Forms export" in result.message()
    assert result.dropped == ("Email", "Name")
    got = stored(url, audit_id)
    assert set(got) == {
        "microsoft_forms:1@2026-03-14T10:17:33",
        "microsoft_forms:2@2026-03-15T16:00:00",
        "microsoft_forms:3@2026-03-16T09:00:00",
    }
    by_date = {v[3]: v[1:3] + (v[4],) for v in got.values()}
    assert by_date == {
        date(2026, 3, 14): ("front_line", "Youth Services",
                            {"REC-01": "agree", "REC-03": "strongly_disagree", "REC-07": "partly"}),
        date(2026, 3, 15): ("front_line", "Supported Housing",
                            {"REC-01": "dont_know", "REC-03": "neutral"}),
        date(2026, 3, 16): ("manager", "Community Hub",
                            {"REC-01": "strongly_agree", "REC-07": "yes"}),
    }  # fmt: skip


def test_a_microsoft_forms_xlsx_drops_names_and_emails_before_anything_is_stored(store, tmp_path):
    url, audit_id = store
    named = people()
    named[0].name, named[0].email = "Robin Example", "robin@example.org"
    path = microsoft_forms(tmp_path / "staff.xlsx", [REC01, REC03, REC07], named)
    result = run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION,
                 tier_map=TIER_MAP)  # fmt: skip
    assert "Personal columns dropped as the file was read, not kept: Email, Name." in (
        result.message()
    )
    assert counts(url) == (3, 7)
    data = Path(url.removeprefix("sqlite:///")).read_bytes()
    assert b"Robin" not in data and b"robin@example.org" not in data


def test_without_a_tier_map_the_role_answers_found_and_the_option_are_listed(store, tmp_path):
    url, audit_id = store
    path = microsoft_forms(tmp_path / "staff.csv", [REC01], people())
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION)
    (p,) = exc.value.problems
    assert p.column == ROLE_QUESTION
    assert "'Volunteer' (row 2), 'Front-line staff member' (row 3), 'Team leader' (row 4)" in (
        p.message
    )
    assert '--tier-map "Volunteer=<tier>' in p.message
    assert counts(url) == (0, 0)


def test_a_google_forms_csv_with_a_grid_and_email_addresses_imports(store, tmp_path):
    url, audit_id = store
    folks = people()
    folks[1].email = "sam@example.org"
    path = google_forms(tmp_path / "Staff survey (Responses).csv", [REC01, REC03], [REC07], folks)
    result = run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION,
                 tier_map=TIER_MAP)  # fmt: skip
    assert result.tool == "Google Forms"
    assert result.dropped == ("Email Address",)
    got = stored(url, audit_id)
    assert "google_forms:2026-03-15T16:05:00" in got
    assert got["google_forms:2026-03-14T10:22:33"][3:] == (
        date(2026, 3, 14),
        {"REC-01": "agree", "REC-03": "strongly_disagree", "REC-07": "partly"},
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_surveymonkey_export_with_two_header_rows_and_a_matrix_imports(store, tmp_path, suffix):
    url, audit_id = store
    folks = people()
    for i, p in enumerate(folks):
        p.id, p.name, p.email = f"11823456{i}01", "Alex Sample", "alex@example.org"
        p.extra = {"custom": "ref-77", "open": "More training please"}
    path = surveymonkey(tmp_path / f"Staff{suffix}", [REC01, REC03], [REC07], folks,
                        open_ended="Anything else you would like to tell us?")  # fmt: skip
    result = run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION,
                 tier_map=TIER_MAP,
                 ignore_columns=("Anything else you would like to tell us?",))  # fmt: skip
    assert result.tool == "SurveyMonkey"
    assert set(result.dropped) == {"IP Address", "Email Address", "First Name", "Last Name",
                                   "Custom Data 1"}  # fmt: skip
    assert (result.summary.interviews_created, result.summary.answers_created) == (3, 7)
    got = stored(url, audit_id)
    assert got["surveymonkey:11823456101"][3:] == (
        date(2026, 3, 15),
        {"REC-01": "dont_know", "REC-03": "neutral"},
    )
    data = Path(url.removeprefix("sqlite:///")).read_bytes()
    for secret in (b"Alex", b"alex@example.org", b"192.0.2.", b"ref-77"):
        assert secret not in data


def test_an_unknown_answer_is_listed_with_its_row_and_column_as_downloaded(store, tmp_path):
    url, audit_id = store
    folks = people()
    folks[1].answers[REC03] = "Sometimes"
    path = surveymonkey(tmp_path / "Staff.csv", [REC01, REC03], [REC07], folks)
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION,
            tier_map=TIER_MAP)  # fmt: skip
    (p,) = exc.value.problems
    # Row 1 and 2 are SurveyMonkey's two header rows: the second respondent is row 4.
    assert (p.row, p.column) == (4, f"How far do you agree with each statement? [{REC03}]")
    assert "'Sometimes' is not an allowed answer to REC-03" in p.message
    assert counts(url) == (0, 0)


def test_an_export_wrong_throughout_lists_its_first_problems_then_counts_the_rest(
    store, tmp_path, monkeypatch
):
    from sgaudit.sheets import validate

    monkeypatch.setattr(validate, "MAX_LISTED", 2)
    url, audit_id = store
    folks = people()
    for person in folks:
        person.answers[REC01] = "Sometimes"
        person.answers[REC03] = "Often"
    path = surveymonkey(tmp_path / "Staff.csv", [REC01, REC03], [REC07], folks)
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_column=ROLE_QUESTION, area_column=AREA_QUESTION,
            tier_map=TIER_MAP)  # fmt: skip
    *listed, counted = exc.value.problems
    assert [p.row for p in listed] == [3, 3]  # the first respondent's two answers, as downloaded
    assert all(p.column.endswith(("]", "?")) for p in listed)
    assert counted.more == 4 and "and 4 more problems" in counted.message
    assert exc.value.count == 6 and str(exc.value).startswith("6 problems;")
    assert counts(url) == (0, 0)


def test_edited_wording_an_apostrophe_matches_and_a_typo_fix_is_a_near_miss_settled_by_a_map(
    store, tmp_path
):
    url, audit_id = store
    curly = CAS09.replace("person's", "person’s")
    typo = REC01.replace("work history", "employment history")
    folks = people()
    for p in folks:
        p.answers = {curly: "Agree", typo: "Disagree"}
    path = microsoft_forms(tmp_path / "staff.csv", [curly, typo], folks)
    opts = {"tier_column": ROLE_QUESTION, "area_column": AREA_QUESTION, "tier_map": TIER_MAP}
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, **opts)
    (p,) = exc.value.problems
    assert p.column == typo and "nearest is REC-01" in p.message and "--map" in p.message

    starter = tmp_path / "map.csv"
    result = run(url, audit_id, path, write_map=starter, **opts)
    assert "Nothing was imported" in result.message() and counts(url) == (0, 0)
    rows = {r["column"]: r for r in csv.DictReader(starter.open(encoding="utf-8"))}
    assert rows[curly]["maps_to"] == "CAS-09"
    assert rows[typo]["maps_to"] == "" and "nearest question: REC-01" in rows[typo]["note"]
    assert "Email" not in rows and "Name" not in rows
    rows[typo]["maps_to"] = "REC-01"
    with starter.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["column", "maps_to", "note"])
        w.writeheader()
        w.writerows(rows.values())
    result = run(url, audit_id, path, column_map=starter, **opts)
    assert result.summary.answers_created == 6


def test_a_later_export_updates_the_people_already_imported_and_adds_only_the_new(store, tmp_path):
    url, audit_id = store
    opts = {"tier_column": ROLE_QUESTION, "area_column": AREA_QUESTION, "tier_map": TIER_MAP}
    first = people()
    run(url, audit_id, surveymonkey(tmp_path / "week1.csv", [REC01, REC03], [REC07], first),
        **opts)  # fmt: skip
    before = stored(url, audit_id)
    later = people()[1:]  # respondent 1 deleted in the tool
    later[0].answers[REC01] = "Agree"  # respondent 2 edited an answer
    later.append(Respondent("4", datetime(2026, 3, 20, 11, 0), "Volunteer", "Youth Services",
                            {REC01: "Disagree"}))  # fmt: skip
    result = run(url, audit_id,
                 surveymonkey(tmp_path / "week2.csv", [REC01, REC03], [REC07], later), **opts)  # fmt: skip
    s = result.summary
    assert (s.interviews_created, s.interviews_updated) == (1, 2)
    after = stored(url, audit_id)
    assert set(after) == set(before) | {"surveymonkey:4"}
    assert after["surveymonkey:2"][0] == before["surveymonkey:2"][0]  # same code
    assert after["surveymonkey:2"][4]["REC-01"] == "agree"
    assert after["surveymonkey:1"] == before["surveymonkey:1"]  # kept, not erased


def test_identical_rows_from_different_respondents_never_merge(store, tmp_path):
    url, audit_id = store
    same = [Respondent(str(n), datetime(2026, 3, 14, 10, 0), "Volunteer", "Youth Services",
                       {REC01: "Agree"}) for n in (101, 102)]  # fmt: skip
    opts = {"tier_column": ROLE_QUESTION, "area_column": AREA_QUESTION, "tier_map": TIER_MAP}
    run(url, audit_id, surveymonkey(tmp_path / "a.csv", [REC01], [], same[:1]), **opts)
    run(url, audit_id, surveymonkey(tmp_path / "b.csv", [REC01], [], same[1:]), **opts)
    codes = [v[0] for v in stored(url, audit_id).values()]
    assert len(codes) == 2 and len(set(codes)) == 2
    assert all(c.startswith("FL-S") and len(c) == 11 for c in codes)


def test_a_dry_run_checks_everything_and_writes_nothing(store, tmp_path):
    url, audit_id = store
    path = microsoft_forms(tmp_path / "staff.csv", [REC01, REC03, REC07], people())
    result = run(url, audit_id, path, dry_run=True, tier_column=ROLE_QUESTION,
                 area_column=AREA_QUESTION, tier_map=TIER_MAP)  # fmt: skip
    assert "Would write 7 answers" in result.message()
    assert counts(url) == (0, 0)


def test_a_fixed_tier_and_an_area_map(store, tmp_path):
    url, audit_id = store
    folks = people()
    for p in folks:
        p.area = "Housing"
    path = microsoft_forms(tmp_path / "staff.csv", [REC01], folks)
    run(url, audit_id, path, tier="front_line", ignore_columns=(ROLE_QUESTION,),
        area_column=AREA_QUESTION, area_map="Housing=Supported Housing")  # fmt: skip
    assert {v[1:3] for v in stored(url, audit_id).values()} == {("front_line", "Supported Housing")}


def test_one_command_imports_a_surveymonkey_download_and_says_what_it_recognised(
    run, store, tmp_path
):
    url, audit_id = store
    path = surveymonkey(tmp_path / "Staff.xlsx", [REC01, REC03], [REC07], people())
    code, out, err = run(
        "import", audit_id, path, "--tier-column", ROLE_QUESTION, "--area-column",
        AREA_QUESTION, "--tier-map", TIER_MAP, "--db", url,
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0] == "Recognised Staff.xlsx as SurveyMonkey export."
    assert "not kept: IP Address, Email Address, First Name, Last Name, Custom Data 1" in out
    assert "Wrote 7 answers (7 new, 0 updated) in 3 new interviews and 0 existing interviews." in out


def test_the_xlsx_download_of_a_form_already_imported_as_csv_updates_the_same_people(
    store, tmp_path
):
    url, audit_id = store
    opts = {"tier_column": ROLE_QUESTION, "area_column": AREA_QUESTION, "tier_map": TIER_MAP}
    run(url, audit_id, microsoft_forms(tmp_path / "s.csv", [REC01], people()), **opts)
    again = run(url, audit_id, microsoft_forms(tmp_path / "s.xlsx", [REC01], people()), **opts)
    assert (again.summary.interviews_created, again.summary.interviews_updated) == (0, 3)


@pytest.mark.parametrize(
    ("options", "field", "says"),
    [
        (dict(tier="front_line", tier_column=ROLE_QUESTION, tier_map=TIER_MAP), "tier",
         f"give either --tier or a tier column ('{ROLE_QUESTION}'), not both"),
        (dict(tier="trustee", ignore_columns=(ROLE_QUESTION,)), "tier",
         "--tier: unknown tier 'trustee'; expected one of"),
        (dict(ignore_columns=(ROLE_QUESTION,)), "tier",
         "which tier does each respondent belong to? No column's answers are all tiers"),
        (dict(area="Youth Services", area_column=AREA_QUESTION), "area",
         f"give either --area or a service area column ('{AREA_QUESTION}'), not both"),
        (dict(area="Outreach", ignore_columns=(AREA_QUESTION,)), "area",
         "--area: unknown service area 'Outreach'; the organisation has Supported Housing"),
        (dict(ignore_columns=(AREA_QUESTION,)), "area",
         "which service area does each respondent belong to? No column's answers are all "
         "service areas. Name the column holding it with --area-column"),
    ],
)  # fmt: skip
def test_where_the_tier_or_area_comes_from_is_one_clear_problem_and_nothing_is_written(
    store, tmp_path, options, field, says
):
    # The tier and the service area come from --tier/--area or a column (through a map),
    # never both and never neither; each mistake is one problem naming the option.
    url, audit_id = store
    path = microsoft_forms(tmp_path / "staff.csv", [REC01], people())
    usual = dict(tier_column=ROLE_QUESTION, tier_map=TIER_MAP, area_column=AREA_QUESTION)
    given = {k: v for k, v in usual.items() if not k.startswith(field)} | options
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, **given)
    messages = [p.message for p in exc.value.problems]
    assert [m for m in messages if says in m], messages
    assert counts(url) == (0, 0)
