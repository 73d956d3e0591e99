"""The core CLI commands, run through the real entry point (`sgaudit.cli.main`):
each works and prints what docs/cli.md says; errors are one clean line, exit 1."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_sheets_support import counts

from sgaudit.store.db import dispose_engines

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "questionnaires" / "core"


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def audit(run, db) -> str:
    code, _, err = run(
        "org",
        "create",
        "Test Trust",
        "--areas",
        "Supported Housing, Youth Services,Community Hub",
        "--db",
        db,
    )
    assert code == 0, err
    code, out, err = run(
        "audit", "create", "--org", "Test Trust", "--title", "Baseline", "--db", db
    )
    assert code == 0, err
    return out.strip()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('clidemo') / 'demo.db'}"
    from sgaudit.demo import build_demo
    from sgaudit.store.db import session_scope

    with session_scope(url) as s:
        result = build_demo(s)
    dispose_engines()
    return url, result


# ---- organisations and audits ----------------------------------------------------------
def test_org_create_and_list(run, db):
    code, out, _ = run("org", "create", "Test Trust", "--areas", "A, B,C", "--db", db)
    assert code == 0
    assert out.strip() == "Created organisation 'Test Trust' with 3 service areas: A, B, C"
    code, out, _ = run("org", "list", "--db", db)
    assert "Test Trust" in out and "A, B, C" in out


def test_a_duplicate_organisation_is_a_clean_error(run, db):
    run("org", "create", "Test Trust", "--areas", "A", "--db", db)
    code, out, err = run("org", "create", "Test Trust", "--areas", "A", "--db", db)
    assert code == 1 and out == ""
    assert err.strip() == "Error: an organisation called 'Test Trust' already exists"


def test_audit_create_prints_only_the_new_id_on_stdout(run, db, audit):
    assert audit.isdigit()
    code, out, err = run(
        "audit", "create", "--org", "Test Trust", "--title", "Re-audit", "--start", "2026-01-12",
        "--end", "2026-03-13", "--auditor", "Auditor One", "--auditor", "Auditor Two",
        "--scope", "adults", "--questions", CORE, "--previous", audit, "--db", db,
    )  # fmt: skip
    assert code == 0 and out.strip() == str(int(audit) + 1)
    assert "Created audit" in err
    code, out, _ = run("audit", "show", out.strip(), "--db", db)
    assert "Auditors:      Auditor One, Auditor Two" in out
    assert "Scope:         adults" in out and f"Previous:      {audit}" in out
    code, out, _ = run("audit", "list", "--db", db)
    assert "Re-audit" in out and "core v2" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "Nobody", "--title", "T"], "no organisation 'Nobody'"),
        (["--org", "Test Trust", "--title", "T", "--scope", "teens"], "--scope must be one of"),
        (["--org", "Test Trust", "--title", "T", "--start", "13/01/2025"], "YYYY-MM-DD"),
        (["--org", "Test Trust", "--title", "T", "--previous", "99"], "no audit with id 99"),
        (["--org", "Test Trust", "--title", "T", "--questions", "/nowhere"], "is not a folder"),
    ],
)
def test_audit_create_errors_are_clean(run, db, audit, args, message):
    code, out, err = run("audit", "create", *args, "--db", db)
    assert code == 1 and message in err and "Traceback" not in err


def test_an_unknown_audit_is_a_clean_error_for_every_audit_command(run, db, audit, tmp_path):
    for args in (
        ["audit", "show", "42"],
        ["template", "42", "--out", tmp_path / "t.csv"],
        ["export", "42", "--out", tmp_path / "a.zip"],
        ["analyse", "42"],
    ):
        code, _, err = run(*args, "--db", db)
        assert code == 1 and err.strip() == "Error: no audit with id 42", args


# ---- question sets ---------------------------------------------------------------------
def test_questionnaires_validate_summarises_a_good_set(run):
    code, out, _ = run("questionnaires", "validate", CORE)
    assert code == 0
    assert out.startswith("OK: ") and "11 themes" in out and "front_line" in out


def test_questionnaires_validate_lists_every_problem_and_exits_1(run, tmp_path):
    (tmp_path / "_set.yaml").write_text("id: x\ntitle: x\nversion: 0\nscales: {}\n")
    (tmp_path / "a.yaml").write_text(
        "theme: {id: a, title: A}\nquestions:\n  - id: A-1\n    scale: nope\n    tiers: [{tier: boss, text: x}]\n"
    )
    code, out, err = run("questionnaires", "validate", tmp_path)
    assert code == 1
    assert "problem in" in err or "problems in" in err
    assert "version" in err and "boss" in err


def test_questionnaires_coverage_of_the_core_set_is_ok(run):
    code, out, _ = run("questionnaires", "coverage")
    assert code == 0
    assert "OK: every code is detected" in out and "REC-1" in out


def test_questionnaires_coverage_strict_fails_on_a_gap(run, tmp_path):
    (tmp_path / "_set.yaml").write_text(
        "id: x\ntitle: x\nversion: 1\ncodes: {A-1: one, A-2: two}\n"
        "scales: {yn: {label: yn, points: [{value: n, label: N}, {value: y, label: Y}]}}\n"
    )
    (tmp_path / "a.yaml").write_text(
        "theme: {id: a, title: A}\nquestions:\n  - id: A-1\n    scale: yn\n    detects: [A-1]\n"
        "    tiers: [{tier: front_line, text: x}]\n"
    )
    code, out, _ = run("questionnaires", "coverage", tmp_path)
    assert code == 0 and "Gaps:" in out and "A-2" in out
    code, _, err = run("questionnaires", "coverage", tmp_path, "--strict")
    assert code == 1 and "A-2" in err and "a" in err


# ---- answer sheets ---------------------------------------------------------------------
def test_template_writes_csv_and_xlsx(run, db, audit, tmp_path):
    code, out, _ = run("template", audit, "--out", tmp_path / "t.csv", "--db", db)
    assert code == 0 and "rows: one per question per tier" in out
    header = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert (
        header
        == "interview_id,tier,service_area,consent,question_id,theme,question,allowed_answers,"
        "answer,note"
    )
    code, _, _ = run("template", audit, "--out", tmp_path / "t.xlsx", "--db", db)
    assert code == 0 and load_workbook(tmp_path / "t.xlsx")["Answers"].max_row > 100


LONG = (
    "interview_id,tier,service_area,question_id,answer,note,consent\n"
    "FL-01,front_line,Supported Housing,REC-01,Agree,,yes\n"
    "FL-01,front_line,Supported Housing,CUL-01,Disagree,,yes\n"
)
BAD = (
    "interview_id,tier,service_area,question_id,answer,note,consent\n"
    "FL-01,front_line,Supported Housing,REC-01,Perhaps,,yes\n"
    "FL-02,trustee,Supported Housing,REC-01,agree,,yes\n"
    "FL-03,front_line,Mars,REC-99,agree,,yes\n"
)


def test_import_then_import_again_updates(run, db, audit, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(LONG)
    code, out, _ = run("import", audit, path, "--db", db)
    assert code == 0
    assert (
        out.strip() == "Wrote 2 answers (2 new, 0 updated) in 1 new interview and 0 existing interviews."
    )
    code, out, _ = run("import", audit, path, "--db", db)
    assert "(0 new, 2 updated) in 0 new interviews and 1 existing interview." in out


def test_import_dry_run_writes_nothing(run, db, audit, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(LONG)
    code, out, _ = run("import", audit, path, "--dry-run", "--db", db)
    assert code == 0 and "checked, no problems" in out and "Nothing was written" in out
    assert counts(db) == (0, 0)


def test_a_bad_import_lists_every_problem_and_writes_nothing(run, db, audit, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD)
    code, out, err = run("import", audit, path, "--db", db)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "Error: 4 problems; nothing was imported"
    assert "bad.csv, row 2, column 'answer': 'Perhaps' is not an allowed answer" in lines[1]
    assert "row 3, column 'tier'" in lines[2]
    assert "row 4, column 'question_id'" in err and "row 4, column 'service_area'" in err
    assert "Traceback" not in err
    assert counts(db) == (0, 0)


def test_wide_import_with_a_fixed_tier_and_area(run, db, audit, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Timestamp,REC-01,CUL-01\n2025-03-01 10:00,Agree,Strongly agree\n")
    code, out, err = run(
        "import", audit, path, "--format", "wide", "--tier", "front_line",
        "--area", "Youth Services", "--auditor", "Auditor One", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert "Wrote 2 answers" in out


def test_wide_import_with_tier_and_area_columns(run, db, audit, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("Role,Team,REC-01\nFront line,Community Hub,Agree\n")
    code, out, err = run(
        "import", audit, path, "--tier-column", "Role", "--area-column", "Team",
        "--mode", "survey", "--db", db,
    )  # fmt: skip
    assert code == 0, err


# ---- archives and exports ---------------------------------------------------------------
def test_export_archive_and_import_it_into_another_store(run, db, audit, tmp_path):
    (tmp_path / "a.csv").write_text(LONG)
    run("import", audit, tmp_path / "a.csv", "--db", db)
    code, out, _ = run("export", audit, "--out", tmp_path / "audit.zip", "--db", db)
    assert code == 0 and "sgaudit import-archive" in out
    assert "audit.json" in zipfile.ZipFile(tmp_path / "audit.zip").namelist()
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, _ = run("import-archive", tmp_path / "audit.zip", "--db", other)
    assert code == 0
    assert out.strip() == "Restored audit 1 of Test Trust: 1 interviews, 2 answers."
    code, out, _ = run(
        "import-archive", tmp_path / "audit.zip", "--org", "Copy Trust", "--db", other
    )
    assert "Restored audit 2 of Copy Trust" in out


def test_import_archive_refuses_a_broken_file_cleanly(run, db, tmp_path):
    (tmp_path / "x.zip").write_text("not a zip")
    code, _, err = run("import-archive", tmp_path / "x.zip", "--db", db)
    assert code == 1 and "not a zip file" in err and "Traceback" not in err


def test_export_answers_as_csv(run, db, audit, tmp_path):
    (tmp_path / "a.csv").write_text(LONG)
    run("import", audit, tmp_path / "a.csv", "--db", db)
    code, out, _ = run("export", audit, "--out", tmp_path / "answers.csv", "--db", db)
    assert code == 0 and out.startswith("Wrote 2 answers")
    text = (tmp_path / "answers.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("interview_id,tier,service_area,question_id,answer,note")


# ---- analysis and comparison -----------------------------------------------------------
def test_analyse_json_is_the_documented_analysis(run, demo_db):
    url, result = demo_db
    code, out, _ = run("analyse", result.reaudit_audit_id, "--format", "json", "--db", url)
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"question_set", "settings", "interviews", "themes", "findings"}
    kinds = {f["kind"] for f in data["findings"]}
    assert {"systemic", "localised", "thread_break", "knowledge_gap", "paper_practice_gap"} <= kinds
    for theme in data["themes"]:
        for cell in theme["by_tier_and_service_area"]:
            if cell["suppressed"]:
                assert cell["score"] is None and cell["n"] is None


def test_analyse_json_carries_the_register_indicators_and_evidence_gaps(run, demo_db, db, audit):
    url, result = demo_db
    data = json.loads(run("analyse", result.baseline_audit_id, "--format", "json", "--db", url)[1])
    assert set(data["registers"]["registers"]) == {
        "training", "recruitment", "policies", "concerns", "complaints"}
    assert data["registers"]["training"]["framework_id"] == "wales_national"
    assert any(f["kind"] == "evidence_gap" for f in data["findings"])
    no_registers = json.loads(run("analyse", audit, "--format", "json", "--db", db)[1])
    assert no_registers["registers"] is None


def test_analyse_table_shows_a_grid_with_suppressed_cells_and_findings(run, demo_db):
    url, result = demo_db
    code, out, _ = run("analyse", result.baseline_audit_id, "--db", url)
    assert code == 0
    assert "Theme" in out and "Board" in out and "Culture" in out
    assert "Findings (" in out and "Golden thread break - Culture" in out
    # Where a finding is, in the table's words: the tiers as its columns name them.
    assert "tiers: Front line, Board" in out
    assert "front_line" not in out


def test_analyse_table_marks_suppressed_tiers(run, db, audit, tmp_path):
    (tmp_path / "a.csv").write_text(LONG)
    run("import", audit, tmp_path / "a.csv", "--db", db)
    code, out, _ = run("analyse", audit, "--db", db)
    assert code == 0 and "supp." in out


def test_analyse_of_an_audit_without_answers_says_so(run, db, audit):
    code, out, _ = run("analyse", audit, "--db", db)
    assert code == 0 and "has no answers yet" in out


def test_compare_json_and_table(run, demo_db):
    url, result = demo_db
    b, r = result.baseline_audit_id, result.reaudit_audit_id
    code, out, _ = run("compare", b, r, "--format", "json", "--db", url)
    assert code == 0
    data = json.loads(out)
    assert data["comparable_questions"] > 100 and data["findings_resolved"]
    code, out, _ = run("compare", b, r, "--db", url)
    assert code == 0
    assert (
        "Findings resolved (" in out and "Findings persisting (" in out and "Change by tier" in out
    )


def test_compare_refuses_audits_of_different_organisations(run, db, audit):
    run("org", "create", "Other Trust", "--areas", "A", "--db", db)
    _, other, _ = run("audit", "create", "--org", "Other Trust", "--title", "X", "--db", db)
    code, _, err = run("compare", audit, other.strip(), "--db", db)
    assert code == 1 and "only audits of one organisation can be compared" in err


def test_a_bad_format_is_refused(run, demo_db):
    url, result = demo_db
    code, _, err = run("analyse", result.baseline_audit_id, "--format", "xml", "--db", url)
    assert code == 1 and "json or table" in err


# ---- demo ------------------------------------------------------------------------------
def test_demo_prints_both_ids_and_the_next_steps(run, db):
    code, out, _ = run("demo", "--db", db)
    assert code == 0
    assert "Baseline audit: 1" in out and "Re-audit a year later: 2" in out
    assert "sgaudit analyse 2" in out
    assert "sgaudit report 2 --compare 1 --out report.docx" in out
    code, _, err = run("demo", "--db", db)
    assert code == 1 and '--org "Riverside Community Trust (2)"' in err


def test_the_installed_console_script_reports_errors_without_a_traceback(tmp_path):
    exe = Path(sys.executable).parent / "sgaudit"
    if not exe.exists():
        pytest.skip("console script not installed in this environment")
    proc = subprocess.run(
        [str(exe), "audit", "show", "7", "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Error: no audit with id 7"


def test_an_import_of_thousands_separates_every_count_the_same_way():
    # "Wrote 6,586 answers (6586 new, 0 updated)" gave one number two ways in a sentence.
    from sgaudit.sheets.importer import ImportSummary

    summary = ImportSummary(
        file="answers.csv", format="long", dry_run=False, rows_read=9000,
        interviews_created=1200, interviews_updated=0, answers_created=6586,
        answers_updated=1500, answers_unchanged=2400,
    )  # fmt: skip
    assert summary.message() == (
        "Wrote 8,086 answers (6,586 new, 1,500 updated, 2,400 unchanged) in 1,200 new "
        "interviews and 0 existing interviews."
    )
