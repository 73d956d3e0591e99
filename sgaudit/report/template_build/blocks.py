"""The building blocks every part of the template is made of: paragraphs, docxtpl tags
(each in a run of its own), headings, bulleted loops, tables with a repeating header and
a caption, figures and fields."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from sgaudit.report.template_build.styles import (
    HEADER_FILL,
    SETTINGS_AFTER_UPDATE_FIELDS,
    TBLPR_AFTER_CAPTION,
    TBLPR_AFTER_CELL_MARGINS,
)


def para(doc, text="", style=None, bold_prefix=None):
    p = doc.add_paragraph(style=style)
    if bold_prefix:
        p.add_run(bold_prefix).bold = True
    if text:
        p.add_run(text)
    return p


def part(doc, text):
    """A Heading 1 that starts a new page: the main parts of the report."""
    h = heading(doc, text, 1)
    h.paragraph_format.page_break_before = True
    return h


def tag(doc, text):
    """A paragraph holding only a `{%p ... %}` tag (docxtpl removes it)."""
    return doc.add_paragraph(text)


def heading(doc, text, level):
    return doc.add_heading(text, level)


def bullets(doc, loop, item="{{ x }}", style="List Bullet", empty=None):
    """`{%p for x in loop %}` bullets, with an optional sentence when the list is empty."""
    tag(doc, f"{{%p for x in {loop} %}}")
    para(doc, item, style)
    tag(doc, "{%p endfor %}")
    if empty:
        tag(doc, f"{{%p if not {loop} %}}")
        para(doc, empty)
        tag(doc, "{%p endif %}")


def cell_margins(table, top=40, bottom=40, left=80, right=80):
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblCellMar")):
        tbl_pr.remove(old)
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.insert_element_before(mar, *TBLPR_AFTER_CELL_MARGINS)


def table_caption(table, text):
    """Word's table Alt Text (title), read by screen readers."""
    el = OxmlElement("w:tblCaption")
    el.set(qn("w:val"), text)
    table._tbl.tblPr.insert_element_before(el, *TBLPR_AFTER_CAPTION)


def shade(cell, fill):
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def cant_split(row):
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def set_cell(cell, text, style="Table Text", align=None, bold=False):
    p = cell.paragraphs[0]
    p.style = cell.part.document.styles[style] if hasattr(cell.part, "document") else style
    if text:
        run = p.add_run(text)
        run.bold = bold or None
    if align is not None:
        p.alignment = align


def table(doc, headers, widths_cm, body_rows, caption, *, loop=None, centre_from=1, total_row=None):
    """A Table Grid table: a repeating shaded header row, then the body.

    `body_rows` is a list of rows of cell texts (tags allowed). With `loop`, the
    body row is wrapped in `{%tr for ... %}` / `{%tr endfor %}` rows.
    """
    rows = []
    if loop:
        rows.append(("TAG", f"{{%tr for {loop} %}}"))
    rows += [("ROW", r) for r in body_rows]
    if loop:
        rows.append(("TAG", "{%tr endfor %}"))
    if total_row:
        rows.append(("TOTAL", total_row))
    t = doc.add_table(rows=1 + len(rows), cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    cell_margins(t)
    table_caption(t, caption)
    for i, w in enumerate(widths_cm):
        t.columns[i].width = Cm(w)
        for cell in t.columns[i].cells:
            cell.width = Cm(w)
    head = t.rows[0]
    repeat_header(head)
    for i, text in enumerate(headers):
        set_cell(
            head.cells[i],
            text,
            "Table Heading",
            WD_ALIGN_PARAGRAPH.CENTER if i >= centre_from else None,
        )
        shade(head.cells[i], HEADER_FILL)
    for r, (kind, content) in enumerate(rows, start=1):
        row = t.rows[r]
        cant_split(row)
        if kind == "TAG":
            set_cell(row.cells[0], content)
            continue
        for i, text in enumerate(content):
            set_cell(
                row.cells[i],
                text,
                "Table Heading" if kind == "TOTAL" else "Table Text",
                WD_ALIGN_PARAGRAPH.CENTER if i >= centre_from else None,
            )
            if kind == "TOTAL":
                shade(row.cells[i], "F2F2F2")
    para(doc, caption, "Caption")
    return t


def figure(doc, chart):
    """A chart paragraph (docxtpl puts the picture there) with its caption."""
    tag(doc, f"{{%p if {chart} %}}")
    para(doc, f"{{{{ {chart}.image }}}}", "Figure")
    para(doc, f"{{{{ {chart}.title }}}}", "Caption")
    tag(doc, "{%p endif %}")


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def field(paragraph, instruction, placeholder=""):
    """A Word field (PAGE, TOC...) in `paragraph`, marked dirty so Word updates it."""

    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    if placeholder:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = placeholder
        run_with(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def update_fields_on_open(doc):
    settings = doc.settings.element
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings.insert_element_before(el, *SETTINGS_AFTER_UPDATE_FIELDS)


def cell_lines(cell, lines, style="Table Text"):
    """A table cell of several paragraphs (tags allowed), in `style`, a little space
    after each so that one quote or record line reads apart from the next."""
    set_cell(cell, lines[0], style)
    for text in lines[1:]:
        p = cell.add_paragraph(text)
        p.style = cell.part.document.styles[style]
        p.paragraph_format.space_after = Pt(4)
