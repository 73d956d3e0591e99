"""`sgaudit import` of a long sheet reads the file once: telling the long format from a
survey export takes the header row alone, not a second copy of every row in memory."""

from __future__ import annotations

import pytest
from test_sheets_support import counts, make_audit

import sgaudit.sheets.reading as reading
from sgaudit.errors import ImportError_
from sgaudit.questionnaire import load_question_set
from sgaudit.sheets.reading import read_header
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file

CORE = load_question_set()


def test_a_long_csv_is_parsed_once_when_its_kind_is_worked_out(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    audit_id = make_audit(url, CORE)
    sheet = tmp_path / "answers.csv"
    sheet.write_text(
        "interview_id,tier,service_area,question_id,answer,consent\n"
        "A1,front_line,Youth Services,REC-01,agree,yes\n"
        "A1,front_line,Youth Services,REC-03,disagree,yes\n",
        encoding="utf-8",
    )
    parsed = []
    whole = reading._limited_rows
    monkeypatch.setattr(reading, "_limited_rows", lambda rows: parsed.append(1) or whole(rows))
    with session_scope(url) as s:
        result = import_file(s, audit_id, sheet, SurveyOptions())
    assert result.summary.answers_created == 2
    assert counts(url) == (1, 2)
    assert len(parsed) == 1  # the import's own read; the kind came from the header alone


def test_the_header_alone_follows_the_same_encoding_and_delimiter_rules(tmp_path):
    semicolons = tmp_path / "export.csv"
    semicolons.write_bytes('\ufeffID;"Which team are\nyou in?";Name\n1;Youth;Ann\n'.encode("utf-8"))
    assert read_header(semicolons) == ["ID", "Which team are\nyou in?", "Name"]
    latin = tmp_path / "excel.csv"
    latin.write_bytes("Caf\xe9,question_id,answer\n".encode("cp1252"))
    assert read_header(latin, encoding="cp1252") == ["Café", "question_id", "answer"]


@pytest.mark.parametrize("text", ["", "\n\n", ",,\n1,2\n"])
def test_a_file_without_a_header_row_is_refused_naming_the_file_and_row(tmp_path, text):
    empty = tmp_path / "empty.csv"
    empty.write_text(text, encoding="utf-8")
    with pytest.raises(ImportError_) as caught:
        read_header(empty)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row) == ("empty.csv", 1)
    assert "no header row" in problem.message
