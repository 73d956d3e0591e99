"""PDF through LibreOffice: the demo report converts to a sensible number of pages, and
a machine without LibreOffice gets a clear message (and still the Word report)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from conftest import require_or_skip
from test_report_fixtures import demo_pdf, demo_report

from sgaudit.errors import ReportError
from sgaudit.report import convert_to_pdf

# The demo report: cover, contents, summary, method, thread, eleven themes, change,
# records, self-assessment, action plan, management response, sign-off, appendix. Fewer
# pages means sections went missing; many more
# means a layout broke (a table or chart spilling page after page).
PAGES = range(15, 46)


def pdf_pages(path) -> int:
    data = path.read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def contents_page_text(pdf) -> str:
    """The text of the first page that starts with 'Contents' (pdftotext, bounded)."""
    for page in range(1, 6):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        if text.strip().startswith("Contents"):
            after = subprocess.run(
                ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), str(pdf), "-"],
                capture_output=True,
                text=True,
                timeout=60,
            ).stdout
            assert "....." not in after, "the contents run over onto a second page"
            return text
    return ""


@pytest.mark.libreoffice
@pytest.mark.slow
def test_the_demo_report_converts_to_a_pdf_of_the_expected_length(tmp_path_factory, artifacts_dir):
    require_or_skip(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    built = demo_report(tmp_path_factory)
    pdf = demo_pdf(tmp_path_factory)
    assert pdf.suffix == ".pdf" and pdf.stat().st_size > 50_000
    pages = pdf_pages(pdf)
    assert pages in PAGES, pages
    data = pdf.read_bytes()
    # Tagged (screen readers can follow headings, lists and tables): a structure tree.
    assert b"/StructTreeRoot" in data and re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", data)
    # The contents page carries LibreOffice's page numbers, not only the headings.
    if shutil.which("pdftotext"):
        contents = contents_page_text(pdf)
        numbered = re.findall(r"^\s*(Executive summary|Action plan)[.\s]+(\d+)\s*$", contents, re.M)
        assert [name for name, _ in numbered] == ["Executive summary", "Action plan"], contents
        assert 2 < int(numbered[0][1]) < int(numbered[1][1]) <= pages
    shutil.copyfile(pdf, artifacts_dir / "demo-report.pdf")  # to look at after a CI run
    shutil.copyfile(built["docx"], artifacts_dir / "demo-report.docx")


def test_without_libreoffice_the_message_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SGAUDIT_SOFFICE", str(tmp_path / "no-such-soffice"))
    docx = tmp_path / "report.docx"
    docx.write_bytes(b"placeholder")
    with pytest.raises(ReportError, match="LibreOffice") as err:
        convert_to_pdf(docx)
    assert str(docx) in str(err.value)  # the Word report is named, it is still there


def test_a_converter_that_fails_is_reported_not_hidden(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nprint('source file could not be loaded', "
        "file=sys.stderr)\nsys.exit(1)\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("SGAUDIT_SOFFICE", str(fake))
    docx = tmp_path / "report.docx"
    docx.write_bytes(b"placeholder")
    with pytest.raises(ReportError, match="could not convert report.docx"):
        convert_to_pdf(docx)
