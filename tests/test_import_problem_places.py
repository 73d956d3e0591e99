"""A problem not of one row says what it is about: the header, a whole column, the file.

Real example files from examples/, altered to carry one such problem, go through the
command line (and one through the app's upload); the message names the file and the
column and never reads "row None".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from app_support import app, assert_clean, button, make_audit, open_page, problems_table

from sgaudit.demo import build_demo
from sgaudit.store.db import get_engine, session_scope

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('places') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as s:
        result = build_demo(s, registers=False)
    return url, str(result.reaudit_audit_id)


def _with_header(source: Path, path: Path, old: str, new: str) -> Path:
    lines = source.read_text(encoding="utf-8-sig").split("\n")
    header = lines[0].split(",")
    header[header.index(old)] = new
    path.write_text("\n".join([",".join(header), *lines[1:]]), encoding="utf-8")
    return path


def _with_column(source: Path, path: Path, column: str, value: str) -> Path:
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8-sig"))))
    at = rows[0].index(column)
    for row in rows[1:]:
        row[at] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_sheet_missing_its_tier_column_names_the_header_and_the_column(demo, run, tmp_path):
    url, audit_id = demo
    path = _with_header(EXAMPLES / "answers_long.csv", tmp_path / "no_tier.csv", "tier", "tear")
    code, _, err = run("import", audit_id, path, "--db", url)
    assert code != 0
    assert "no_tier.csv, column 'tier' (header, row 1): missing column 'tier'" in err
    assert "no_tier.csv, column 'tear' (header, row 1): unknown column 'tear'" in err
    assert "None" not in err


def test_a_sheet_with_a_header_twice_names_the_header_row(demo, run, tmp_path):
    url, audit_id = demo
    path = _with_header(EXAMPLES / "answers_long.csv", tmp_path / "twice.csv", "note", "answer")
    code, _, err = run("import", audit_id, path, "--db", url)
    assert code != 0
    assert "twice.csv, column 'answer' (header, row 1): column 'answer' appears twice" in err
    assert "None" not in err


def test_a_survey_whose_every_tier_is_unknown_is_told_so_for_the_whole_column(
    demo, run, tmp_path
):
    url, audit_id = demo
    path = _with_column(
        EXAMPLES / "surveys" / "kobotoolbox.csv", tmp_path / "kobo.csv", "tier", "nobody"
    )
    code, _, err = run("import", audit_id, path, "--db", url)
    assert code != 0
    assert "kobo.csv, column 'tier' (whole column): these answers are not tiers: 'nobody'" in err
    assert "None" not in err


def test_the_app_lists_a_whole_column_problem_in_words_not_as_row_none(app_db, tmp_path):
    audit_id, _ = make_audit(app_db)
    path = _with_column(
        EXAMPLES / "surveys" / "kobotoolbox.csv", tmp_path / "kobo.csv", "tier", "nobody"
    )
    at = app(audit=audit_id)
    open_page(at, "interview")
    at.file_uploader(key="sheet_upload").upload("kobo.csv", path.read_bytes(), "text/csv")
    at.run()
    button(at, "Import").click().run()
    assert_clean(at)
    assert at.error and "Nothing was changed" in at.error[0].value
    problems = problems_table(at)
    # a few problems are drawn whole, each message wrapped (no cell cut off mid-sentence)
    assert [t for t in at.table if "problem" in t.value.columns]
    tier = problems[problems["column"].eq("tier")]
    assert list(tier["row"]) == ["whole column"]
    assert "these answers are not tiers" in tier["problem"].iloc[0]
    assert problems["row"].notna().all() and "None" not in set(problems["row"].astype(str))


def test_a_register_with_a_header_twice_names_that_header_not_a_renamed_copy(run, tmp_path):
    register = EXAMPLES / "registers" / "training.csv"
    path = _with_header(register, tmp_path / "tr.csv", "mode", "hours")
    code, _, err = run("registers", "check", "training", path)
    assert code != 0
    assert "tr.csv, column 'hours' (header, row 1): column 'hours' appears twice" in err
    assert "tr.csv, column 'mode' (header, row 1): required column is missing" in err
    assert "hours.1" not in err and "None" not in err


def test_registers_with_a_blank_header_say_so_at_the_header_csv_and_xlsx_alike(run, tmp_path):
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO((EXAMPLES / "registers" / "training.csv").read_text())))
    rows[0][rows[0].index("topic")] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (tmp_path / "tr.csv").write_text(out.getvalue(), encoding="utf-8")
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "tr.xlsx")
    for name in ("tr.csv", "tr.xlsx"):
        code, _, err = run("registers", "check", "training", tmp_path / name)
        assert code != 0
        assert f"{name}, column '#8' (header, row 1): column has no header" in err
        assert "Unnamed" not in err and "None" not in err
