"""Layout a board can print: headings stay with their text, tables do not break after a
lone header, column headers fit their columns, and the report says it is British English.

Checked on the committed template and on the demo re-audit report as rendered.
"""

from __future__ import annotations

from pathlib import Path

from conftest import require_or_skip
from docx import Document
from docx.oxml.ns import qn
from test_report_fixtures import demo_report

from sgaudit.report.render import DEFAULT_TEMPLATE

# The widest common stand-in for Arial on machines without it (LibreOffice uses it).
WIDE_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def languages(doc) -> set[str]:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    normal = doc.styles["Normal"].element.find(qn("w:rPr"))
    return {
        rpr.find(qn("w:lang")).get(qn("w:val"))
        for rpr in (defaults, normal)
        if rpr is not None and rpr.find(qn("w:lang")) is not None
    }


def test_the_template_and_the_report_are_british_english(tmp_path_factory):
    assert languages(Document(DEFAULT_TEMPLATE)) == {"en-GB"}
    assert languages(Document(demo_report(tmp_path_factory)["docx"])) == {"en-GB"}


def test_headings_keep_with_the_text_after_them():
    doc = Document(DEFAULT_TEMPLATE)
    for level in (1, 2, 3):
        assert doc.styles[f"Heading {level}"].paragraph_format.keep_with_next, level
    assert doc.styles["Table Heading"].paragraph_format.keep_with_next


def test_every_report_table_repeats_its_header_and_keeps_rows_whole(tmp_path_factory):
    doc = Document(demo_report(tmp_path_factory)["docx"])
    tables = [  # tables with a header row (the cover's label/value table has none)
        t
        for t in doc.tables
        if len(t.rows) > 2
        and all(c.paragraphs[0].style.name == "Table Heading" for c in t.rows[0].cells)
    ]
    assert len(tables) > 20
    for t in tables:
        first = t.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None, (
            t.rows[0].cells[0].text
        )
        for row in t.rows[1:]:
            tr_pr = row._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None, row.cells[
                0
            ].text


def header_words_too_wide(path) -> list[tuple[str, float, float]]:
    """(word, its width, the column's room) in points, for header words that would break."""
    from PIL import ImageFont

    doc = Document(path)
    size = doc.styles["Table Heading"].font.size.pt
    font = ImageFont.truetype(str(WIDE_BOLD), 100)
    too_wide = []
    for t in doc.tables:
        grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        margins = t._tbl.tblPr.find(qn("w:tblCellMar"))
        sides = (
            sum(
                int(m.get(qn("w:w")))
                for m in (margins.find(qn(k)) for k in ("w:left", "w:right"))
                if m is not None
            )
            if margins is not None
            else 0
        )
        for i, cell in enumerate(t.rows[0].cells):
            room = (grid[i] - sides) / 20
            for word in cell.text.split():
                width = font.getlength(word) * size / 100
                if width > room - 1:  # a point to spare for rounding in the layout
                    too_wide.append((word, round(width, 1), room))
    return too_wide


def test_no_column_header_breaks_in_the_middle_of_a_word():
    require_or_skip(WIDE_BOLD.is_file(), "DejaVu Sans Bold (fonts-dejavu-core), to measure with,")
    assert header_words_too_wide(DEFAULT_TEMPLATE) == []
