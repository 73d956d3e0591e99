"""An answer sheet's consent is stored as the sheet recorded it, and no answers are kept
without it: a sheet from `sgaudit template`, filled in and imported, shows its
interview as consented in the app's interview list and in `sgaudit export`; a sheet
that records no consent for a new interview is refused whole, naming the row."""

from __future__ import annotations

import csv
import io

from app_support import make_audit, resume_table
from test_sheets_support import counts

from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope


def _read(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write(path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _filled_template(run, url, audit_id, path, *, consent: str, code: str = "PAPER-1"):
    """The template of the audit, with a front-line interview's first three answers."""
    assert run("template", audit_id, "--out", path, "--db", url)[0] == 0
    rows = [r for r in _read(path) if r["tier"] == "front_line" and r["allowed_answers"]][:3]
    for i, row in enumerate(rows):
        row.update(interview_id=code, service_area="Youth", answer="dont_know")
        row["consent"] = consent if i == 0 else ""  # once per interview is enough
    _write(path, rows)
    return path


def _summary(url, audit_id, code):
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        return next(x for x in capture.interview_summaries(s, audit) if x.code == code)


def test_a_template_filled_in_with_consent_yes_imports_as_consented(app_db, run, tmp_path):
    audit_id, _ = make_audit(app_db)
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "sheet.csv", consent="yes")
    code, out, err = run("import", audit_id, sheet, "--db", app_db)
    assert code == 0, err
    assert _summary(app_db, audit_id, "PAPER-1").consent_confirmed
    # the Interview page's list says so
    listed = resume_table(audit_id).value.set_index("code")
    assert listed.loc["PAPER-1", "consent"] == "given"
    # and so does the command line's sheet of the audit, which imports again unchanged
    exported = tmp_path / "export.csv"
    assert run("export", audit_id, "--out", exported, "--db", app_db)[0] == 0
    assert {r["consent"] for r in _read(exported) if r["interview_id"] == "PAPER-1"} == {"yes"}
    code, out, err = run("import", audit_id, exported, "--dry-run", "--db", app_db)
    assert code == 0, err
    assert "(0 new," in out and "stored value" not in out  # nothing would change


def test_a_new_interview_without_consent_refuses_the_whole_file_naming_its_row(
    app_db, run, tmp_path
):
    audit_id, _ = make_audit(app_db)
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "sheet.csv", consent="")
    before = counts(app_db)
    code, _, err = run("import", audit_id, sheet, "--db", app_db)
    assert code != 0 and counts(app_db) == before
    assert "sheet.csv, row 2, column 'consent': interview 'PAPER-1' has no consent recorded" in err
    assert "no answers are kept without consent" in err


def test_consent_no_refuses_the_file(app_db, run, tmp_path):
    audit_id, _ = make_audit(app_db)
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "sheet.csv", consent="no")
    before = counts(app_db)
    code, _, err = run("import", audit_id, sheet, "--db", app_db)
    assert code != 0 and counts(app_db) == before
    assert "sheet.csv, row 2, column 'consent': interview 'PAPER-1' has consent 'no'" in err


def test_a_sheet_with_no_consent_column_is_refused_once_naming_its_new_interviews(
    app_db, run, tmp_path
):
    audit_id, _ = make_audit(app_db)
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "sheet.csv", consent="yes")
    rows = [{k: v for k, v in r.items() if k != "consent"} for r in _read(sheet)]
    _write(sheet, rows)
    before = counts(app_db)
    code, _, err = run("import", audit_id, sheet, "--db", app_db)
    assert code != 0 and counts(app_db) == before
    assert "1 problem;" in err
    assert "sheet.csv, column 'consent' (header, row 1): missing column 'consent'" in err
    assert "(PAPER-1)" in err


def test_a_stored_interview_keeps_its_consent_when_the_sheet_leaves_it_blank(
    app_db, run, tmp_path
):
    audit_id, interview_id = make_audit(app_db)  # started in the app, consent ticked
    with session_scope(app_db) as s:
        code = repo.get_interview(s, interview_id).code
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "sheet.csv", consent="", code=code)
    rows = [{k: v for k, v in r.items() if k != "consent"} for r in _read(sheet)]
    rows = [dict(r, service_area="Housing") for r in rows]
    _write(sheet, rows)
    code_, _, err = run("import", audit_id, sheet, "--db", app_db)
    assert code_ == 0, err
    assert _summary(app_db, audit_id, code).consent_confirmed


def test_a_yes_records_the_consent_of_an_interview_stored_without_it(app_db, run, tmp_path):
    audit_id, interview_id = make_audit(app_db)
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, interview_id)
        iv.consent_confirmed = False  # as sheets imported before they carried consent
        code = iv.code
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "s.csv", consent="yes", code=code)
    _write(sheet, [dict(r, service_area="Housing") for r in _read(sheet)])
    code_, out, err = run("import", audit_id, sheet, "--dry-run", "--db", app_db)
    assert code_ == 0, err
    assert f"interview {code}: consent 'not recorded' -> 'given'" in out
    assert not _summary(app_db, audit_id, code).consent_confirmed  # a dry run writes nothing
    assert run("import", audit_id, sheet, "--db", app_db)[0] == 0
    assert _summary(app_db, audit_id, code).consent_confirmed


def test_a_sheet_does_not_give_back_a_withdrawn_consent(app_db, run, tmp_path):
    audit_id, interview_id = make_audit(app_db)
    with session_scope(app_db) as s:
        iv = repo.get_interview(s, interview_id)
        repo.withdraw_consent(s, iv)
        code = iv.code
    sheet = _filled_template(run, app_db, audit_id, tmp_path / "s.csv", consent="yes", code=code)
    _write(sheet, [dict(r, service_area="Housing") for r in _read(sheet)])
    before = counts(app_db)
    code_, _, err = run("import", audit_id, sheet, "--db", app_db)
    assert code_ != 0 and counts(app_db) == before
    assert f"interview '{code}' had its consent withdrawn" in err
    assert _summary(app_db, audit_id, code).consent_withdrawn
