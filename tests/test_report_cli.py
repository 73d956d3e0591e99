"""`sgaudit report` and `sgaudit report-template`: files written, errors as plain
messages with exit code 1, never a traceback."""

from __future__ import annotations

import sys

import pytest
from docx import Document
from test_report_fixtures import demo_report, paragraphs_with_style

from sgaudit.cli import main


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["sgaudit", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_report(tmp_path_factory)


def test_report_with_compare_writes_the_word_report(demo, tmp_path, monkeypatch, capsys):
    out = tmp_path / "board.docx"
    code, stdout, _ = run(monkeypatch, capsys, "report", str(demo["reaudit"]), "--compare",
                          str(demo["baseline"]), "--out", str(out), "--db", demo["url"])
    assert code == 0 and f"Wrote {out}" in stdout
    assert "Change since the last audit" in paragraphs_with_style(Document(str(out)),
                                                                 "Heading 1")


def test_report_with_a_custom_template(demo, tmp_path, monkeypatch, capsys):
    ours = tmp_path / "ours.docx"
    code, stdout, _ = run(monkeypatch, capsys, "report-template", "--out", str(ours))
    assert code == 0 and ours.is_file() and "--template" in stdout
    document = Document(str(ours))
    document.add_paragraph("Our own closing words for {{ organisation }}.")
    document.save(str(ours))
    out = tmp_path / "board.docx"
    code, _, _ = run(monkeypatch, capsys, "report", str(demo["reaudit"]), "--out", str(out),
                     "--template", str(ours), "--db", demo["url"])
    assert code == 0
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "Our own closing words for Riverside Community Trust." in texts


def test_report_template_will_not_overwrite_without_force(tmp_path, monkeypatch, capsys):
    ours = tmp_path / "ours.docx"
    ours.write_text("my careful work")
    code, _, err = run(monkeypatch, capsys, "report-template", "--out", str(ours))
    assert code == 1 and "already exists" in err and ours.read_text() == "my careful work"
    code, _, _ = run(monkeypatch, capsys, "report-template", "--out", str(ours), "--force")
    assert code == 0 and ours.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "999", "--out", "r.docx"], "no audit with id 999"),
        (["report", "2", "--out", "r.txt"], "--out must end in .docx"),
        (["report", "2", "--compare", "2", "--out", "r.docx"], "cannot be compared with itself"),
        (["report", "2", "--out", "r.docx", "--template", "missing.docx"],
         "report template not found"),
    ],
)
def test_mistakes_get_a_plain_message_and_exit_code_1(demo, tmp_path, monkeypatch, capsys,
                                                       args, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(monkeypatch, capsys, *args, "--db", demo["url"])
    assert code == 1
    assert message in err and "Traceback" not in err


def test_pdf_without_libreoffice_still_leaves_the_word_report(demo, tmp_path, monkeypatch,
                                                              capsys):
    monkeypatch.setenv("SGAUDIT_SOFFICE", str(tmp_path / "no-soffice"))
    out = tmp_path / "board.docx"
    code, _, err = run(monkeypatch, capsys, "report", str(demo["reaudit"]), "--out", str(out),
                       "--pdf", "--db", demo["url"])
    assert code == 1 and "LibreOffice" in err and out.is_file()
