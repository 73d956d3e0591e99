"""Register files are imported whole or refused whole, with every problem located."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgaudit.errors import ImportError_
from sgaudit.registers import (
    REGISTER_KINDS,
    columns_of,
    read_register,
    records_to_frame,
    register_to_csv,
    rows_to_records,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "registers"
TRAINING_HEADER = "person_code,role_group,service_area,start_date,date,hours,mode,topic,kind\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(kind: str, path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ImportError_) as err:
        read_register(kind, path)
    assert "nothing was imported" in str(err.value)
    return [(p.row, p.column, p.message) for p in err.value.problems]


def test_a_valid_training_file_is_read_with_types_and_file_row_numbers(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        "Person code,Role group,service_area,start_date,date,hours,mode,topic,kind\n"
        "P-0001,E,Housing,2020-01-01,02/03/2024,1.5,Face to face,Refresher,course\n"
        "\n"
        "P-0002,B,Housing,15/09/2024,,,,,\n",
    )
    frame = read_register("training", path)
    assert list(frame.index) == [2, 4]  # the blank line 3 is skipped, row numbers kept
    first = frame.loc[2]
    assert first["date"] == pd.Timestamp("2024-03-02")  # dd/mm/yyyy
    assert first["hours"] == 1.5
    assert first["mode"] == "face_to_face"  # case and spaces forgiven in choices
    assert pd.isna(frame.loc[4, "kind"])
    assert "multi_agency" in frame.columns  # an optional column left out is still there, empty


def test_every_problem_is_listed_with_row_and_column_and_nothing_is_returned(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        TRAINING_HEADER + "P-0001,E,Housing,2020-01-01,2024-02-30,12,face_to_face,,course\n"
        "P-0002,,Housing,01/13/2024,2024-01-01,-3,zoom,,lecture\n"
        "P-0003,B,Housing,2024-01-01,2024-02-01,,,,\n",
    )
    problems = refused("training", path)
    assert problems == [
        (2, "date", "'2024-02-30' is not a date; use YYYY-MM-DD or dd/mm/yyyy"),
        (3, "role_group", "a value is needed"),
        (3, "start_date", "'01/13/2024' is not a date; use YYYY-MM-DD or dd/mm/yyyy"),
        (3, "hours", "'-3' is not a number of 0 or more (use '.' for decimals)"),
        (3, "mode", "'zoom' is not one of e_learning, virtual_classroom, face_to_face, "
         "self_directed, meeting, other"),
        (3, "kind", "'lecture' is not one of course, cpd, induction"),
        (4, "hours", "a learning record needs date, hours and kind (leave every learning "
         "column blank for a person with no learning yet)"),
        (4, "kind", "a learning record needs date, hours and kind (leave every learning "
         "column blank for a person with no learning yet)"),
    ]  # fmt: skip


def test_a_file_missing_required_columns_names_each_one(tmp_path):
    path = write(tmp_path, "p.csv", "document,owner\nSafeguarding policy,DSL\n")
    problems = refused("policies", path)
    assert [(r, c) for r, c, _ in problems] == [
        (1, "last_reviewed"),
        (1, "next_review_due"),
        (1, "links_to"),
    ]
    assert all(m == "required column is missing" for _, _, m in problems)


@pytest.mark.parametrize("header", ["name", "Full name", "Email", "e-mail address"])
def test_a_column_that_would_hold_names_or_emails_is_refused(tmp_path, header):
    path = write(
        tmp_path,
        "p.csv",
        f"{header},document,owner,last_reviewed,next_review_due,links_to\n"
        "x,Safeguarding policy,DSL,2024-01-01,2025-01-01,\n",
    )
    (row, column, message), *_ = refused("policies", path)
    assert (row, column) == (1, header)
    assert "pseudonymous codes only" in message


def test_a_person_code_that_is_a_name_or_an_email_is_refused(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        TRAINING_HEADER + "Jane Smith,E,Housing,2020-01-01,,,,,\n"
        "jane@example.org,E,Housing,2020-01-01,,,,,\n",
    )
    problems = refused("training", path)
    assert [(r, c) for r, c, _ in problems] == [(2, "person_code"), (3, "person_code")]
    assert "does not look like a pseudonymous code" in problems[0][2]
    assert "looks like an email address" in problems[1][2]


def test_an_email_address_in_any_text_column_is_refused(tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "document,owner,last_reviewed,next_review_due,links_to\n"
        "Safeguarding policy,dsl@example.org,2024-01-01,2025-01-01,\n",
    )
    assert refused("policies", path)[0][:2] == (2, "owner")


def test_an_unknown_column_is_refused_so_nothing_extra_is_kept(tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "document,owner,last_reviewed,next_review_due,links_to,notes\n"
        "Safeguarding policy,DSL,2024-01-01,2025-01-01,,see file\n",
    )
    ((row, column, message),) = refused("policies", path)
    assert (row, column) == (1, "notes") and message.startswith("unknown column")


def test_a_file_that_is_not_utf8_is_refused_with_the_row_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"document,owner,last_reviewed,next_review_due,links_to\n"
        b"Safeguarding policy,DSL,2024-01-01,2025-01-01,\n"
        b"Caf\xe9 policy,DSL,2024-01-01,2025-01-01,\n"
    )
    ((row, column, message),) = refused("policies", path)
    assert row == 3 and column is None
    assert "not UTF-8" in message and "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", "", "is empty"),
        ("register.xls", "x", "unsupported file type '.xls'"),
        ("broken.xlsx", "not a zip", "not a readable .xlsx workbook"),
    ],
)
def test_unreadable_files_are_refused_with_a_plain_reason(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    ((row, column, message),) = refused("policies", path)
    assert expected in message and row is None and column is None


def test_duplicate_references_name_the_first_row_they_repeat(tmp_path):
    path = write(
        tmp_path,
        "k.csv",
        "ref,type,date_received,stage_reached,time_limits_met,feedback_given,theme\n"
        "K-001,complaint,2024-01-01,stage 1,yes,no,\n"
        "K-001,complaint,2024-02-01,stage 1,yes,no,\n",
    )
    assert refused("complaints", path) == [
        (3, "ref", "repeats the ref of row 2; each must be unique")
    ]


def test_a_dbs_that_showed_information_needs_a_risk_assessment_answer(tmp_path):
    path = write(
        tmp_path,
        "r.csv",
        "person_code,paid_or_volunteer,role,dbs_level,dbs_date,references_received,"
        "check_outcome,dbs_information_disclosed,risk_assessment_done\n"
        "V-1,volunteer,Helper,enhanced,2024-01-01,2,cleared,true,\n"
        "V-2,volunteer,Helper,enhanced,,2,cleared,false,\n"
        "V-3,volunteer,Helper,none,,2,cleared,true,\n",
    )
    assert [(r, c) for r, c, _ in refused("recruitment", path)] == [
        (2, "risk_assessment_done"),
        (3, "dbs_date"),
        (4, "dbs_information_disclosed"),
    ]


def test_concern_dates_must_not_run_backwards_and_a_referral_names_who(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "concern_ref,date_raised,category,service_area,triage_date,referral_made,referred_to,"
        "outcome,date_closed\n"
        "C-1,2024-05-02,neglect,Day,2024-05-01,true,,,\n",
    )
    assert refused("concerns", path) == [
        (2, "triage_date", "is before date_raised"),
        (2, "referred_to", "referral_made is true, so say who it was referred to"),
    ]


def test_a_person_has_one_role_group_on_every_row(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        TRAINING_HEADER + "P-1,E,Housing,2020-01-01,2024-01-01,3,,,course\n"
        "P-1,D,Housing,2020-01-01,2024-02-01,3,,,course\n",
    )
    assert refused("training", path)[0][:2] == (3, "role_group")


def test_an_xlsx_register_with_real_dates_and_booleans_is_read_like_a_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ref", "type", "date_received", "stage_reached", "time_limits_met",
                  "feedback_given", "theme"])  # fmt: skip
    sheet.append(["K-001", "complaint", dt.datetime(2024, 3, 5), "stage 1", True, False, None])
    sheet.append(["W-002", "Whistleblowing", "05/04/2024", "stage 2", "no", "yes", "culture"])
    path = tmp_path / "k.xlsx"
    book.save(path)
    frame = read_register("complaints", path)
    assert list(frame["date_received"]) == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-04-05")]
    assert list(frame["time_limits_met"]) == [True, False]
    assert list(frame["type"]) == ["complaint", "whistleblowing"]


def test_an_xlsx_register_with_problems_is_refused_with_rows_and_columns(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ref", "type", "date_received", "stage_reached", "time_limits_met",
                  "feedback_given", "theme"])  # fmt: skip
    sheet.append(["K-001", "grumble", dt.datetime(2024, 3, 5), "stage 1", "maybe", True, None])
    path = tmp_path / "k.xlsx"
    book.save(path)
    assert [(r, c) for r, c, _ in refused("complaints", path)] == [
        (2, "type"),
        (2, "time_limits_met"),
    ]


def test_records_round_trip_through_json_to_the_same_frame():
    for kind in REGISTER_KINDS:
        frame = read_register(kind, EXAMPLES / f"{kind}.csv")
        records = json.loads(json.dumps(rows_to_records(frame)))
        back = records_to_frame(kind, records, row_numbers=list(frame.index))
        pd.testing.assert_frame_equal(back, frame)


def test_a_stored_record_that_no_longer_validates_is_refused_by_field():
    with pytest.raises(ImportError_) as err:
        records_to_frame(
            "complaints",
            [{"ref": "K-1", "type": "praise", "date_received": "2024-01-01",
              "stage_reached": "stage 1", "time_limits_met": None, "feedback_given": True,
              "theme": None, "service_area": None}],
        )  # fmt: skip
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (
        "<stored complaints register>",
        2,
        "type",
    )


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    document=_text.filter(lambda s: "@" not in s and ";" not in s and s.strip()),
    owner=st.one_of(st.none(), _text.filter(lambda s: "@" not in s and s.strip())),
)
def test_any_policy_text_survives_csv_export_and_import_unchanged(
    tmp_path_factory, document, owner
):
    frame = records_to_frame(
        "policies",
        [{"document": document, "owner": owner, "last_reviewed": "2024-01-01",
          "next_review_due": None, "links_to": ["Code of conduct"]}],
    )  # fmt: skip
    path = tmp_path_factory.mktemp("csv") / "p.csv"
    register_to_csv(frame, path)
    pd.testing.assert_frame_equal(read_register("policies", path), frame)


def test_csv_export_neutralises_text_a_spreadsheet_would_run(tmp_path):
    frame = records_to_frame(
        "policies",
        [{"document": '=HYPERLINK("http://x","y")', "owner": "+DSL", "last_reviewed": None,
          "next_review_due": None, "links_to": []}],
    )  # fmt: skip
    text = register_to_csv(frame)
    assert "'=HYPERLINK" in text and "'+DSL" in text
    path = write(tmp_path, "p.csv", text)
    assert read_register("policies", path).iloc[0]["document"] == '=HYPERLINK("http://x","y")'


def test_the_example_files_import_cleanly_and_the_bad_one_is_refused():
    for kind in REGISTER_KINDS:
        assert len(read_register(kind, EXAMPLES / f"{kind}.csv")) > 0
    problems = refused("training", EXAMPLES / "bad_training.csv")
    assert len(problems) >= 4
    assert all(row is not None and column for row, column, _ in problems)


def test_every_register_column_has_a_description_and_an_example():
    for kind in REGISTER_KINDS:
        for column in columns_of(kind):
            assert column.description and column.example is not None, (kind, column.name)


def test_a_header_only_file_is_a_valid_empty_register_that_scores_nothing(tmp_path):
    from sgaudit.registers import compute_indicators

    header = ",".join(c.name for c in columns_of("complaints")) + "\n"
    frame = read_register("complaints", write(tmp_path, "k.csv", header))
    assert frame.empty
    result = compute_indicators({"complaints": frame}, None, "2025-01-01")
    assert result.complaints.received == 0
    assert all(s.score is None for s in result.scores)
