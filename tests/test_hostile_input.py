"""Hostile files meet a one-line error, never a traceback, a hang or a blown memory.

Issue 10, items 9, 11, 12 and 13: each case here was a traceback, a silent loss or a
memory blow-up. Every one now exits 1 with one line naming the file and the problem,
and stores nothing. (tests/test_hostile_corpus.py runs hundreds more under a memory
limit.)
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from test_archive import _good_doc
from test_sheets_support import counts

from sgaudit.limits import MAX_YAML_DEPTH, safe_load_yaml

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "questionnaires" / "core"
HEADER = "interview_id,tier,service_area,question_id,answer,note,consent\n"
ROW = "FL-01,front_line,Supported Housing,REC-01,agree,,yes\n"


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hostile.db'}"


@pytest.fixture
def audit(run, db) -> str:
    assert run("org", "create", "Test Trust", "--areas", "Supported Housing", "--db", db)[0] == 0
    code, out, err = run("audit", "create", "--org", "Test Trust", "--title", "B", "--db", db)
    assert code == 0, err
    return out.strip()


def one_line_error(result) -> str:
    code, out, err = result
    assert code != 0, out
    assert "Traceback" not in err and "Traceback" not in out
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert lines and lines[0].startswith("Error"), err
    return err


def refused_import(run, db, audit, path: Path) -> str:
    before = counts(db)
    err = one_line_error(run("import", audit, path, "--db", db))
    assert counts(db) == before
    return err


# ---- sheets ------------------------------------------------------------------------------


def test_odd_length_utf16_is_an_encoding_error(run, db, audit, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes((HEADER + ROW).encode("utf-16") + b"\x00")
    assert "not UTF-16 text" in refused_import(run, db, audit, path)


def test_a_head_count_of_1e20_is_refused_with_the_range(run, db, audit, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER.replace("note", "people,note") + ROW.replace(",agree,", ",agree,1e20,"))
    assert "from 1 to 10000" in refused_import(run, db, audit, path)


def test_interview_id_written_two_ways_in_one_file_is_refused(run, db, audit, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(HEADER.rstrip("\n") + ",Interview ID\n" + ROW.rstrip("\n") + ",FL-99\n")
    err = refused_import(run, db, audit, path)
    assert "'interview_id' (1) and 'Interview ID' (8) are the same column" in err


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Answers"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(run, db, audit, tmp_path):
    rows = [HEADER.strip().split(","), ROW.strip().split(",") + [""]]
    rows[1][5] = '=CONCAT("a","b")'  # openpyxl saves the formula, never its value
    err = refused_import(run, db, audit, _xlsx(tmp_path / "formula.xlsx", rows))
    assert "cell F2 holds a formula with no saved value" in err


def test_a_far_cell_is_refused_at_once_instead_of_filling_memory(run, db, audit, tmp_path):
    path = _xlsx(tmp_path / "far.xlsx", [HEADER.strip().split(","), ROW.strip().split(",")])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    err = refused_import(run, db, audit, path)
    assert "1048576 rows by 16384 columns, over the limit" in err


def test_a_zip_bomb_sheet_is_refused(run, db, audit, tmp_path):
    path = _xlsx(tmp_path / "bomb.xlsx", [HEADER.strip().split(","), ROW.strip().split(",")])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    assert "over the limit of 200 (a zip bomb?)" in refused_import(run, db, audit, path)


def test_a_cell_longer_than_excel_allows_is_refused(run, db, audit, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(HEADER + ROW.replace(",agree,", ",agree," + "x" * 40_000))
    assert "more than 32767 characters" in refused_import(run, db, audit, path)


# ---- archives ----------------------------------------------------------------------------


def _archive(tmp_path: Path, doc: dict, **extra: bytes) -> Path:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("audit.json", json.dumps(doc))
        for name, data in extra.items():
            zf.writestr(name.replace("__", "."), data)
    return path


def _set_flag(path: Path, bit: int) -> None:
    """Mark every member encrypted (as a zip tool would), in both headers."""
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(sig, start)) >= 0:
            flags = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, flags | bit)
            start = at + 4
    path.write_bytes(bytes(data))


def refused_archive(run, db, path: Path) -> str:
    before = counts(db)
    err = one_line_error(run("import-archive", path, "--db", db))
    assert counts(db) == before
    return err


@pytest.fixture
def good_doc(tmp_path):
    return _good_doc(f"sqlite:///{tmp_path / 'source.db'}", tmp_path)


def test_an_encrypted_archive_is_refused(run, db, tmp_path, good_doc):
    path = _archive(tmp_path, good_doc)
    _set_flag(path, 0x1)
    assert "is encrypted" in refused_archive(run, db, path)


def test_an_archive_with_an_unknown_compression_method_is_refused(run, db, tmp_path, good_doc):
    path = tmp_path / "lzma.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_LZMA) as zf:
        zf.writestr("audit.json", json.dumps(good_doc))
    assert "compression method 14" in refused_archive(run, db, path)


def test_nested_archives_are_refused(run, db, tmp_path, good_doc):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("audit.json", json.dumps(good_doc))
    path = _archive(tmp_path, good_doc, inner__zip=inner.getvalue())
    assert "nested zips are refused" in refused_archive(run, db, path)


def test_a_zip_bomb_archive_is_refused(run, db, tmp_path, good_doc):
    path = _archive(tmp_path, good_doc, padding__bin=b"\0" * (20 * 1024 * 1024))
    assert "a zip bomb?" in refused_archive(run, db, path)


def test_a_lone_surrogate_in_an_archive_is_refused(run, db, tmp_path, good_doc):
    good_doc["interviews"][0]["responses"][0]["note"] = "\ud800"
    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("audit.json", json.dumps(good_doc))  # ensure_ascii: the escape \\ud800
    assert "not valid Unicode" in refused_archive(run, db, path)


def test_a_head_count_of_1e20_in_an_archive_is_refused(run, db, tmp_path, good_doc):
    good_doc["interviews"][0]["people"] = 10**20
    assert "less than or equal to 10000" in refused_archive(run, db, _archive(tmp_path, good_doc))


# ---- question sets -----------------------------------------------------------------------


@pytest.fixture
def qset(tmp_path) -> Path:
    folder = tmp_path / "set"
    shutil.copytree(CORE, folder)
    return folder


def test_yaml_nested_1000_deep_is_refused(run, qset):
    (qset / "deep.yaml").write_text("theme: " + "[" * 1000 + "]" * 1000 + "\n")
    err = one_line_error(run("questionnaires", "validate", qset))
    assert f"nested more than {MAX_YAML_DEPTH} levels deep" in err


def test_yaml_alias_fan_out_is_refused_before_it_expands():
    text = "a: &a [" + ",".join(["x"] * 10) + "]\n"
    for i in range(1, 8):
        text += f"b{i}: &b{i} [" + ",".join([f"*{'a' if i == 1 else f'b{i - 1}'}"] * 10) + "]\n"
    with pytest.raises(Exception, match="expands to more than"):
        safe_load_yaml(text)


def test_a_lone_surrogate_in_a_question_set_is_refused(run, qset):
    text = (qset / "culture.yaml").read_text()
    (qset / "culture.yaml").write_text(text.replace("title:", 'title: "\\ud800"  #', 1))
    assert "not valid Unicode" in one_line_error(run("questionnaires", "validate", qset))


@pytest.mark.timeout(30)
def test_a_theme_file_that_is_a_fifo_is_refused_without_waiting(run, qset):
    os.mkfifo(qset / "fifo.yaml")
    assert "is not a regular YAML file" in one_line_error(run("questionnaires", "validate", qset))


@pytest.mark.timeout(30)
def test_a_theme_file_that_is_dev_zero_is_refused(run, qset):
    (qset / "zero.yaml").symlink_to("/dev/zero")
    assert "is not a regular YAML file" in one_line_error(run("questionnaires", "validate", qset))


# ---- report templates --------------------------------------------------------------------


def _template_with(tmp_path: Path, jinja: str) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph(jinja)
    path = tmp_path / "t.docx"
    doc.save(path)
    return path


@pytest.fixture
def reported(run, db, audit, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(HEADER + ROW)
    assert run("import", audit, path, "--db", db)[0] == 0
    return audit


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "jinja, message",
    [
        ("{{ 9**99999999 }}", "over the limit of 4096 bits"),
        ("{{ 'x' * 10**9 }}", "over the limit of 1000000"),
        ("{{ ''.center(10**9) }}", "str.center would build"),
        ("{{ 'a'|center(10**9) }}", "the center filter would build"),
        ("{% for i in range(10**9) %}x{% endfor %}", "range() of 1000000000 numbers"),
        ("{% include 'word/document.xml' %}", "word/document.xml"),
        ("{{ lipsum(10**6) }}", "over the limit of 100 paragraphs"),
        ("{{ '{}{}'.format(1) }}", "problem"),
    ],
)
def test_a_template_that_would_hang_or_explode_is_refused(
    run, db, reported, tmp_path, jinja, message
):
    template = _template_with(tmp_path, jinja)
    out = tmp_path / "r.docx"
    err = one_line_error(run("report", reported, "--template", template, "--out", out, "--db", db))
    assert message in err
    assert not out.exists()


def test_a_template_with_no_document_part_is_refused(run, db, reported, tmp_path):
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    err = one_line_error(
        run("report", reported, "--template", path, "--out", tmp_path / "r.docx", "--db", db)
    )
    assert "no document part" in err


def test_a_register_with_a_far_cell_is_refused_at_once(run, db, audit, tmp_path):
    path = tmp_path / "training.xlsx"
    wb = Workbook()
    wb.active.append(["person_code", "role_group", "service_area", "start_date", "date"])
    wb.active["XFD1048576"] = "x"
    wb.save(path)
    err = one_line_error(run("registers", "import", audit, "training", path, "--db", db))
    assert "over the limit" in err


# ---- a CSV may be as large as a million-answer long sheet, and no larger ----------------
def test_a_csv_of_a_million_answers_fits_the_csv_limits_and_nine_million_cells_do_not():
    from sgaudit.limits import LimitExceeded
    from sgaudit.sheets.reading import _limited_rows

    row = ["IV-1", "front_line", "North", "interview", "1", "CUL-01", "agree", ""]
    million = (row for _ in range(1_000_001))  # the header and a million answers
    assert len(_limited_rows(million)) == 1_000_001  # 8 million cells: over the XLSX limit
    too_many = (row for _ in range(1_125_001))  # 9,000,008 cells
    with pytest.raises(LimitExceeded, match="9,000,000 cells"):
        _limited_rows(too_many)


def test_a_csv_over_100_mb_is_refused_before_it_is_read(run, db, audit, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024 + 1)  # sparse: costs no disk
    assert "over the limit of 100 MB" in refused_import(run, db, audit, big)
