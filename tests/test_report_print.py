"""The report as a board prints it: chart text at least 8 pt on paper, no page left
nearly empty, and no table broken after its header and a single row.

Measured on the demo re-audit report (rendered once, converted to PDF once).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from xml.etree import ElementTree

import pytest
from conftest import require_or_skip
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu
from PIL import Image
from test_report_fixtures import demo_pdf, demo_report

from sgaudit.report import build_report_context
from sgaudit.report import charts as chart_drawing
from sgaudit.report.pagination import rows_kept_together
from sgaudit.report.render import OVERVIEW_WIDTH, context_settings
from sgaudit.store.db import session_scope

CM_PER_INCH = 2.54


def printed_text_sizes(figure, scale: float) -> list[tuple[str, float]]:
    """(text, size in points on paper) for every piece of text a reader can see."""
    from matplotlib.text import Text

    figure.canvas.draw()  # tick labels get their text when drawn
    seen = []
    for text in figure.findobj(Text):
        shown = text.get_visible() and (text.axes is None or text.axes.get_visible())
        if shown and text.get_text().strip():
            seen.append((text.get_text(), text.get_fontsize() * scale))
    return seen


def thread_picture(docx_path) -> tuple[float, int]:
    """(printed width in cm, width in pixels) of the golden-thread chart in the report."""
    doc = Document(docx_path)
    for inline in doc.element.body.iter(qn("wp:inline")):
        title = inline.find(qn("wp:docPr")).get("title") or ""
        if "golden thread" not in title.lower():
            continue
        width_cm = Emu(int(inline.find(qn("wp:extent")).get("cx"))).cm
        rid = next(inline.iter(qn("a:blip"))).get(qn("r:embed"))
        blob = doc.part.related_parts[rid].blob
        return width_cm, Image.open(io.BytesIO(blob)).width
    raise AssertionError("the report has no golden-thread chart")


def test_every_word_on_the_golden_thread_chart_prints_at_8_points_or_more(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    printed_cm, pixels = thread_picture(built["docx"])
    drawn_cm = pixels / chart_drawing.DPI * CM_PER_INCH  # the width it was drawn at
    scale = printed_cm / drawn_cm
    assert 0.95 < scale < 1.05, "the chart is drawn at the width it is printed"
    with session_scope(built["url"]) as session:
        context = build_report_context(session, built["reaudit"], compare_to=built["baseline"])
    figure = chart_drawing.thread_figure(
        context.thread.chart, context_settings(context), OVERVIEW_WIDTH.cm
    )
    sizes = printed_text_sizes(figure, scale)
    assert {"Culture", "Board", "Key", "100"} <= {t for t, _ in sizes}
    too_small = [(t, round(pt, 1)) for t, pt in sizes if pt < chart_drawing.MIN_PRINTED_PT]
    assert not too_small


def test_a_chart_printed_at_half_its_drawn_width_would_be_caught(tmp_path_factory):
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title("Culture", fontsize=9)
    sizes = printed_text_sizes(fig, 0.5)
    plt.close(fig)
    assert ("Culture", 4.5) in sizes


def page_fill(pdf) -> list[float]:
    """How far down each page its text reaches, as a share of the text area (A4, 2 cm
    margins); the footer is left out."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    root = ElementTree.fromstring(re.sub(r'xmlns="[^"]+"', "", out, count=1))
    cm = 72 / CM_PER_INCH
    fills = []
    for page in root.iter("page"):
        height = float(page.get("height"))
        bottoms = [
            float(b.get("yMax"))
            for b in page.iter("block")
            if float(b.get("yMin")) < height - 2 * cm
        ]
        fills.append((max(bottoms, default=2 * cm) - 2 * cm) / (height - 4 * cm))
    return fills


@pytest.mark.libreoffice
@pytest.mark.slow
def test_no_page_of_the_printed_report_is_left_nearly_empty(tmp_path_factory):
    require_or_skip(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    fills = page_fill(demo_pdf(tmp_path_factory))
    assert len(fills) > 20
    # the cover is laid out by design and the last page ends where the report ends
    nearly_empty = [
        (n, round(f, 2)) for n, f in enumerate(fills, start=1) if 1 < n < len(fills) and f < 0.3
    ]
    assert not nearly_empty


def header_tables(docx_path):
    return [
        t
        for t in Document(docx_path).tables
        if len(t.rows) > 2
        and t.rows[0]._tr.trPr is not None
        and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    ]


def keeps_with_next(row) -> bool:
    paragraphs = list(row._tr.iter(qn("w:p")))
    return bool(paragraphs) and all(
        p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
        for p in paragraphs
    )


def test_no_table_can_break_after_its_header_and_one_row(tmp_path_factory):
    tables = header_tables(demo_report(tmp_path_factory)["docx"])
    assert len(tables) > 20
    for t in tables:
        assert keeps_with_next(t.rows[0]) and keeps_with_next(t.rows[1]), t.rows[0].cells[0].text
        assert keeps_with_next(t.rows[-2]), "the last row never stands alone on a page"


def test_the_theme_tables_are_kept_whole_and_the_action_plan_may_break(tmp_path_factory):
    tables = header_tables(demo_report(tmp_path_factory)["docx"])
    tier = next(t for t in tables if t.rows[0].cells[0].text == "Tier")
    assert all(keeps_with_next(r) for r in tier.rows)
    plan = next(t for t in tables if t.rows[0].cells[1].text == "Recommendation")
    kept = [keeps_with_next(r) for r in plan.rows]
    # The header holds the first row and the first row the second; the second row may
    # end a page, so a long plan can start under its heading, not on the next page.
    assert kept[:3] == [True, True, False] and not all(kept), kept


def long_table(rows: int, text: str):
    head = "<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>Head</w:t></w:r></w:p></w:tc></w:tr>"
    body = f"<w:tr><w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc></w:tr>" * rows
    return parse_xml(
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>{head}{body}</w:tbl>'
    )


def test_a_table_is_kept_whole_only_while_it_fits_in_half_a_page():
    assert rows_kept_together(long_table(6, "short")) == list(range(7))
    tall = long_table(6, "a long recommendation " * 20)
    assert rows_kept_together(tall) == [0, 1, 5, 6]  # the last keeps with its caption
