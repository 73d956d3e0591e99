"""Build report_templates/default.docx: the default board-report template.

    python report_templates/build_default_template.py

The result is an ordinary Word document: Word's own Title, Heading 1-3, Caption, List
Bullet, Quote and Table Grid styles (so the navigation pane and the contents page
work), with docxtpl's Jinja tags in its paragraphs and tables. Every name a tag uses
is documented in docs/report.md ("Template variables").

Tag conventions, so an organisation editing its copy in Word knows what to keep:
- `{{ name }}` prints a value; `{%p ... %}` is a whole paragraph of its own that
  docxtpl removes (loops and conditions over paragraphs and tables);
- `{%tr ... %}` in the first cell of a table row repeats or hides the row;
- `{% cellbg cell.fill %}` in a table cell shades that cell (RAG colour).
Each tag sits in a single run so Word's spell checker or autoformat cannot split it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent / "default.docx"

FONT = "Arial"
INK = RGBColor(0x1F, 0x1F, 0x1F)
NAVY = RGBColor(0x1B, 0x3A, 0x5C)
GREY = RGBColor(0x55, 0x55, 0x55)
HEADER_FILL = "DCE4EE"
LANGUAGE = "en-GB"
TEXT_WIDTH_CM = 17.0  # A4 minus 2 cm margins
# The theme x area table; sgaudit.report.pagination.AREA_TABLE_CAPTION finds it by this.
AREA_TABLE_CAPTION = "Each theme's score in each service area"

# Word is strict about the order of child elements (ECMA-376); these list what must
# come after the element being inserted, so it lands in its proper place.
PPR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
TBLPR_AFTER_CELL_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
TBLPR_AFTER_CAPTION = ("w:tblDescription", "w:tblPrChange")
SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


# ---- styles ----------------------------------------------------------------------------
def _font(style, size=None, bold=None, italic=None, colour=None, name=FONT):
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if colour is not None:
        style.font.color.rgb = colour


def _spacing(style, before=0, after=6, line=None, keep_next=None):
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next is not None:
        pf.keep_with_next = keep_next


def _paragraph_style(doc, name, base="Normal", style_id=None):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    if style_id:
        style.element.set(qn("w:styleId"), style_id)
    return style


def set_language(doc, tag: str = LANGUAGE) -> None:
    """British English for spelling, hyphenation and screen readers: the document default
    (docDefaults) and Normal, so every style that does not say otherwise inherits it."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rprs = [s_.get_or_add_rPr() for s_ in (doc.styles["Normal"].element,)]
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is not None:
            rprs.append(rpr)
    for rpr in rprs:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), tag)


def set_up_styles(doc) -> None:
    s = doc.styles
    set_language(doc)
    _font(s["Normal"], 10.5, colour=INK)
    _spacing(s["Normal"], after=6, line=1.15)
    _font(s["Title"], 28, bold=True, colour=NAVY)
    _spacing(s["Title"], before=0, after=12)
    title_ppr = s["Title"].element.get_or_add_pPr()
    for bdr in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(bdr)
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "48"),
        ("w:space", "12"),
        ("w:color", "1B3A5C"),
    ):
        top.set(qn(key), value)
    border.append(top)
    title_ppr.insert_element_before(border, *PPR_AFTER_BORDER)
    _font(s["Subtitle"], 16, italic=False, colour=NAVY)
    _spacing(s["Subtitle"], after=6)
    for level, size, before in ((1, 17, 18), (2, 13.5, 14), (3, 11.5, 10)):
        h = s[f"Heading {level}"]
        _font(h, size, bold=True, italic=False, colour=NAVY)
        _spacing(h, before=before, after=6, keep_next=True)
    # Only the main parts start a page (see `part`); every other chapter follows on,
    # so a short chapter end no longer leaves a page nearly empty.
    s["Heading 1"].paragraph_format.page_break_before = False
    _font(s["Caption"], 9, bold=False, italic=True, colour=GREY)
    _spacing(s["Caption"], before=2, after=10)
    _font(s["Quote"], 10.5, italic=True, colour=RGBColor(0x33, 0x33, 0x33))
    _spacing(s["Quote"], before=2, after=6)
    s["Quote"].paragraph_format.left_indent = Cm(0.8)
    s["Quote"].paragraph_format.right_indent = Cm(0.8)
    for name in ("List Bullet", "List Number"):
        _font(s[name], 10.5, colour=INK)
        _spacing(s[name], after=4, line=1.15)
    _font(s["TOC Heading"], 17, bold=True, colour=NAVY)
    _font(s["Header"], 8.5, colour=GREY)
    _font(s["Footer"], 8.5, colour=GREY)

    table_text = _paragraph_style(doc, "Table Text")
    _font(table_text, 9, colour=INK)
    _spacing(table_text, after=0, line=1.0)
    table_head = _paragraph_style(doc, "Table Heading", base="Table Text")
    _font(table_head, 9, bold=True, colour=INK)
    table_head.paragraph_format.keep_with_next = True

    evidence = _paragraph_style(doc, "Finding Evidence")
    _font(evidence, 9, colour=GREY)
    _spacing(evidence, after=2, line=1.0)
    evidence.paragraph_format.left_indent = Cm(0.6)

    finding = _paragraph_style(doc, "Finding")
    _spacing(finding, before=6, after=2)
    finding.paragraph_format.keep_with_next = True

    # The auditors' analysis under a finding: indented, so it reads as belonging to it.
    analysis = _paragraph_style(doc, "Analysis")
    _spacing(analysis, after=3, line=1.1)
    analysis.paragraph_format.left_indent = Cm(0.6)
    missing = _paragraph_style(doc, "Analysis Missing", base="Analysis")
    _font(missing, 10, italic=True, colour=RGBColor(0xA6, 0x33, 0x00))

    lead = _paragraph_style(doc, "Lead")
    _font(lead, 11.5, colour=NAVY)
    _spacing(lead, before=0, after=8, line=1.15)
    # A theme's opening lines stay with its first table, not alone at a page foot.
    lead.paragraph_format.keep_with_next = True
    intro = _paragraph_style(doc, "Theme Intro")
    intro.paragraph_format.keep_with_next = True

    cover = _paragraph_style(doc, "Cover Status")
    _font(cover, 22, bold=True, colour=RGBColor(0xA6, 0x33, 0x00))
    _spacing(cover, before=24, after=6)

    small = _paragraph_style(doc, "Small Print")
    _font(small, 8.5, colour=GREY)
    _spacing(small, after=4, line=1.0)

    figure = _paragraph_style(doc, "Figure")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    _spacing(figure, before=6, after=0)

    # Compact, so the contents of a full report (about 40 entries) fit on one page.
    for level, indent in ((1, 0.0), (2, 0.5)):
        toc = _paragraph_style(doc, f"toc {level}", style_id=f"TOC{level}")
        _font(toc, 10 if level == 1 else 9, bold=(level == 1), colour=INK)
        _spacing(toc, before=2 if level == 1 else 0, after=0, line=1.0)  # one page
        toc.paragraph_format.left_indent = Cm(indent)


# ---- building blocks -------------------------------------------------------------------
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


def _cell_margins(table, top=40, bottom=40, left=80, right=80):
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


def _caption(table, text):
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


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row):
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _set_cell(cell, text, style="Table Text", align=None, bold=False):
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
    _cell_margins(t)
    _caption(t, caption)
    for i, w in enumerate(widths_cm):
        t.columns[i].width = Cm(w)
        for cell in t.columns[i].cells:
            cell.width = Cm(w)
    head = t.rows[0]
    _repeat_header(head)
    for i, text in enumerate(headers):
        _set_cell(
            head.cells[i],
            text,
            "Table Heading",
            WD_ALIGN_PARAGRAPH.CENTER if i >= centre_from else None,
        )
        shade(head.cells[i], HEADER_FILL)
    for r, (kind, content) in enumerate(rows, start=1):
        row = t.rows[r]
        _cant_split(row)
        if kind == "TAG":
            _set_cell(row.cells[0], content)
            continue
        for i, text in enumerate(content):
            _set_cell(
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


# ---- the report ------------------------------------------------------------------------
def cover(doc):
    for _ in range(3):
        doc.add_paragraph()
    para(doc, "{{ report_title }}", "Title")
    para(doc, "{{ organisation }}", "Subtitle")
    para(doc, "{{ audit_title }}", "Lead")
    rows = [
        ("Fieldwork", "{{ dates }}"),
        ("Auditors", "{{ auditors }}"),
        ("Who the audit covers", "{{ scope }}"),
        ("Questions used", "{{ question_set }}"),
    ]
    t = doc.add_table(rows=len(rows) + 4, cols=2)
    t.autofit = False
    _caption(t, "About this audit")
    for i, w in enumerate((4.5, 11.5)):
        t.columns[i].width = Cm(w)
        for cell in t.columns[i].cells:
            cell.width = Cm(w)
    for r, (label, value) in enumerate(rows):
        _set_cell(t.rows[r].cells[0], label, "Table Heading")
        _set_cell(t.rows[r].cells[1], value, "Table Text")
    r = len(rows)
    _set_cell(t.rows[r].cells[0], "{%tr if previous_audit %}")
    _set_cell(t.rows[r + 1].cells[0], "Compared with", "Table Heading")
    _set_cell(t.rows[r + 1].cells[1], "{{ previous_audit }}", "Table Text")
    _set_cell(t.rows[r + 2].cells[0], "{%tr endif %}")
    _set_cell(t.rows[r + 3].cells[0], "Report date", "Table Heading")
    _set_cell(t.rows[r + 3].cells[1], "{{ report_date }}", "Table Text")
    _cell_margins(t, 60, 60, 0, 80)
    para(doc, "{{ status }}", "Cover Status")
    para(doc, "Version {{ version }}", "Small Print")
    tag(doc, "{%p if not is_final %}")
    para(
        doc,
        "This is a draft for discussion. Findings and recommendations may change "
        "before the final report.",
        "Small Print",
    )
    tag(doc, "{%p endif %}")
    for _ in range(2):
        doc.add_paragraph()
    para(
        doc,
        "This report contains sensitive information about how people are kept safe. "
        "Share it only with the board and those who need it. People are not named: they "
        "are described by their role, and no score is shown for a group small enough to "
        "identify anyone.",
        "Small Print",
    )
    para(doc, "Produced with {{ generator }}.", "Small Print")


def board_page(doc):
    """One page for the board, before the contents: how safe, why, what to decide."""
    tag(doc, "{%p if board %}")
    p = heading(doc, "Summary for the board", 1)
    p.paragraph_format.page_break_before = True
    p = para(doc, "", "Lead")
    p.add_run("Our opinion: {{ board.opinion.label }}. ").bold = True
    p.add_run("{{ board.opinion.definition }}")
    para(doc, "{{ board.opinion.why }} {{ board.opinion.statement }}", "Small Print")
    heading(doc, "The three most serious issues", 2)
    tag(doc, "{%p for i in board.issues %}")
    p = para(doc, "", "List Number")
    p.add_run("{{ i.text }}")
    p.add_run(" ({{ i.where }})").italic = True
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if board.areas %}")
    para(doc, "Localised issues are in {{ board.areas }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "What the board must decide or ask", 2)
    bullets(doc, "board.questions")
    tag(doc, "{%p if board.progress %}")
    para(doc, "{{ board.progress }}", bold_prefix="Since the last audit: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def contents(doc):
    p = para(doc, "Contents", "TOC Heading")
    p.paragraph_format.page_break_before = True
    toc = doc.add_paragraph()
    field(
        toc,
        'TOC \\o "1-2" \\h \\z \\u',
        "Contents: in Word, right-click here and choose Update Field.",
    )


def before_final(doc):
    """A draft with something missing says what, before anything else."""
    tag(doc, "{%p if missing %}")
    part(doc, "Before this report is final")
    para(
        doc, "This report is a draft. The audit cannot be made final until the following are done:"
    )
    bullets(doc, "missing")
    tag(doc, "{%p endif %}")


def executive_summary(doc):
    # The summary starts a page unless the list of what is missing already did.
    tag(doc, "{%p if missing %}")
    heading(doc, "Executive summary", 1)
    tag(doc, "{%p else %}")
    part(doc, "Executive summary")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for x in summary.overall %}")
    para(doc, "{{ x }}", "Lead")
    tag(doc, "{%p endfor %}")
    heading(doc, "What is working well", 2)
    bullets(doc, "summary.strengths")
    heading(doc, "Organisation-wide issues", 2)
    bullets(doc, "summary.systemic")
    heading(doc, "Where the golden thread breaks", 2)
    bullets(doc, "summary.thread")
    tag(doc, "{%p if change %}")
    heading(doc, "Since the last audit", 2)
    bullets(doc, "summary.change")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if summary.priorities %}")
    heading(doc, "What we recommend first", 2)
    bullets(doc, "summary.priorities")
    para(
        doc,
        "All our recommendations, with space for owners and dates, are in the action "
        "plan at the end of this report.",
    )
    tag(doc, "{%p endif %}")


def method(doc):
    heading(doc, "How the audit was done", 1)
    para(
        doc,
        "We followed the golden thread of safeguarding through the organisation. We "
        "heard from {{ method.people }} people in {{ method.sessions }} interviews, focus "
        "groups, surveys and document reviews, at every level from the people who use "
        "services up to trustees, and in each service area. The tables below show who we "
        "heard from.",
    )
    cols = ["Interviews", "Focus groups", "Surveys", "Document reviews", "People"]
    cells = [
        "{{ r.interviews }}",
        "{{ r.focus_groups }}",
        "{{ r.surveys }}",
        "{{ r.document_reviews }}",
        "{{ r.people }}",
    ]
    total = [
        "Total",
        "{{ method.total.interviews }}",
        "{{ method.total.focus_groups }}",
        "{{ method.total.surveys }}",
        "{{ method.total.document_reviews }}",
        "{{ method.total.people }}",
    ]
    table(
        doc,
        ["Who we heard from", *cols],
        [5.5, 2.2, 2.2, 2.0, 2.6, 2.0],
        [["{{ r.label }}", *cells]],
        "Fieldwork by tier of the golden thread",
        loop="r in method.by_tier",
        total_row=total,
    )
    table(
        doc,
        ["Service area", *cols],
        [5.5, 2.2, 2.2, 2.0, 2.6, 2.0],
        [["{{ r.label }}", *cells]],
        "Fieldwork by service area",
        loop="r in method.by_area",
        total_row=total,
    )
    heading(doc, "The questions", 2)
    para(
        doc,
        "We used the {{ method.question_set }}: {{ method.question_count }} questions "
        "across {{ method.theme_count }} themes. Each question is worded for the people "
        "being asked, so a board member is asked how they know and a front-line worker "
        "what happens in practice; asking the same thing at every level is what lets us "
        "see where the thread holds and where it breaks.",
    )
    heading(doc, "A systems approach", 2)
    para(
        doc,
        "We looked at the organisation as a whole system: not only whether policies "
        "exist, but whether practice follows them, and why people act as they do. We have "
        "tried to understand what helps and what gets in the way, without hindsight and "
        "without looking for someone to blame. Culture matters as much as paperwork.",
    )
    heading(doc, "Protecting the people we spoke to", 2)
    para(
        doc,
        "People are described by their role, never by name. A quote says only which "
        "level of the organisation it came from (never a name or a service area), and only "
        "when at least {{ method.suppression_min }} people there answered on that theme. To stop anyone being identified, no score is shown for "
        "a group of fewer than {{ method.suppression_min }} people; such groups are marked "
        "\u201cSuppressed\u201d and left out of every table, chart and sentence. The counts "
        "above are of conversations, not scores, so they are shown in full.",
    )


def scope_and_records(doc):
    """What the audit covered, its limits, and the documents and records it read."""
    heading(doc, "Scope and limitations", 2)
    bullets(doc, "scope_limits.scope")
    para(doc, "What limits what this report can say:")
    bullets(doc, "scope_limits.limitations")
    tag(doc, "{%p if records_reviewed %}")
    heading(doc, "Documents and records reviewed", 2)
    table(
        doc,
        ["What we read", "How much", "Where it came from"],
        [6.5, 2.8, 7.7],
        [["{{ r.source }}", "{{ r.extent }}", "{{ r.note }}"]],
        "Documents and records reviewed",
        loop="r in records_reviewed",
        centre_from=1,
    )
    tag(doc, "{%p endif %}")


def management_response(doc):
    """A place for the organisation to answer each recommendation (filled in by hand)."""
    heading(doc, "Management response", 1)
    para(
        doc,
        "For the organisation to complete. For each recommendation, say whether you "
        "accept it, what you will do, who will lead it and by when. The auditors will "
        "review progress against these responses at the next audit.",
    )
    tag(doc, "{%p if actions %}")
    table(
        doc,
        ["No.", "Recommendation", "Accepted?", "Response and action", "Lead", "By when"],
        [1.0, 4.8, 2.5, 4.5, 2.2, 2.0],
        [["{{ a.number }}", "{{ a.text }}", "", "", "", ""]],
        "Management response to each recommendation",
        loop="a in actions",
        centre_from=2,
    )
    tag(doc, "{%p endif %}")
    para(doc, "", bold_prefix="Overall response from the organisation's leadership:")
    for _ in range(3):
        para(doc, "\u00a0")
    para(doc, "Name and role: ______________________   Date: ______________")


def sign_off(doc):
    """Who signs the report, and which version this is."""
    heading(doc, "Sign-off and version control", 1)
    para(
        doc,
        "This is version {{ version }} of the report ({{ status }}), produced on "
        "{{ report_date }}.{% if not is_final %} It is a draft: it may change before it is "
        "issued as final, and is not to be relied on until then.{% endif %}",
    )
    table(
        doc,
        ["Signed by", "Name", "Signature", "Date"],
        [6.5, 4.0, 4.0, 2.5],
        [["{{ s.role }}", "{{ s.name }}", "", ""]],
        "Sign-off",
        loop="s in sign_off",
        centre_from=4,
    )
    tag(doc, "{%p if history %}")
    table(
        doc,
        ["Version", "Issued", "Issued by", "Reviewed by", "Why"],
        [1.8, 3.2, 3.4, 3.4, 5.2],
        [
            [
                "{{ v.version }}",
                "{{ v.date }}",
                "{{ v.issued_by }}",
                "{{ v.reviewed_by }}",
                "{{ v.reason }}",
            ]
        ],
        "Versions of this report",
        loop="v in history",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not history %}")
    para(doc, "No version of this report has been issued as final yet.")
    tag(doc, "{%p endif %}")


def double_scoring(doc):
    """The method chapter's paragraph on the two auditors' agreement (when double-scored)."""
    tag(doc, "{%p if method.agreement %}")
    heading(doc, "Scoring by two auditors", 2)
    para(doc, "{{ method.agreement }}")
    tag(doc, "{%p endif %}")


def thread(doc):
    heading(doc, "The golden thread", 1)
    para(
        doc,
        "The table shows how each group rates each theme, from the people who use "
        "services on the left up to the board on the right. Scores run from 0 (weakest) to "
        "100 (strongest) and every cell names its rating in words as well as colour: "
        "{% for k in thread.key %}{{ k.label }} {{ k.range }}{% if not loop.last %}; "
        "{% endif %}{% endfor %}.",
    )
    cell = "{% cellbg row.tier.TIER.fill %}{{ row.tier.TIER.text }}"
    tiers = ["service_user", "front_line", "manager", "dsl", "senior_leader", "board"]
    headers = [
        "Theme",
        "Overall",
        "People using services",
        "Front line",
        "Managers",
        "DSL team",
        "Senior leaders",
        "Board",
    ]
    body = [
        "{{ row.theme }}",
        "{% cellbg row.overall.fill %}{{ row.overall.text }}",
        *[cell.replace("TIER", t) for t in tiers],
    ]
    # Tier columns wide enough for "Managers" in bold on one line, even in DejaVu Sans.
    thread_table = table(
        doc,
        headers,
        [3.1, *[(TEXT_WIDTH_CM - 3.1) / 7] * 7],
        [body],
        "Each theme's score at each tier of the golden thread",
        loop="row in thread.rows",
    )
    _cell_margins(thread_table, left=50, right=50)
    figure(doc, "thread.chart")
    heading(doc, "Where the thread breaks", 2)
    bullets(doc, "thread.breaks")
    tag(doc, "{%p if not thread.breaks %}")
    bullets(doc, "thread.no_breaks")
    tag(doc, "{%p endif %}")
    heading(doc, "Where leaders do not know", 2)
    bullets(doc, "thread.knowledge_gaps")
    tag(doc, "{%p if not thread.knowledge_gaps %}")
    bullets(doc, "thread.no_knowledge_gaps")
    tag(doc, "{%p endif %}")


def scope(doc):
    # Short, so it follows the golden thread on the same page rather than alone.
    heading(doc, "Localised and systemic issues", 1)
    para(doc, "{{ localised_systemic.summary }}", "Lead")
    para(
        doc,
        "A systemic issue runs across most of the organisation and needs an "
        "organisation-wide response. A localised issue belongs to particular service areas "
        "and can be tackled there, though the board should ask why it arose.",
    )
    area_table(doc)
    heading(doc, "Across the organisation", 2)
    bullets(
        doc,
        "localised_systemic.systemic",
        "{{ x.summary }}",
        empty="No theme is weak across the organisation.",
    )
    heading(doc, "In particular service areas", 2)
    tag(doc, "{%p for g in localised_systemic.localised %}")
    heading(doc, "{{ g.area }}", 3)
    tag(doc, "{%p for x in g.findings %}")
    para(doc, "{{ x.summary }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not localised_systemic.localised %}")
    para(doc, "No service area stands out as weaker than the others.")
    tag(doc, "{%p endif %}")


def reach_table(doc, names, rows, caption):
    """A reach table (`ReachRow`s): who, the people heard, the themes, the smallest
    difference that could show and its range; `names` head the first and fourth columns."""
    who, smallest = names
    table(
        doc,
        [who, "People heard", "Themes", smallest, "By theme"],
        [6.4, 2.6, 1.8, 3.2, 3.0],
        [
            [
                "{{ r.pair }}",
                "{{ r.people }}",
                "{{ r.themes }}",
                "{{ r.smallest }}",
                "{{ r.by_theme }}",
            ]
        ],
        caption,
        loop=f"r in {rows}",
        centre_from=1,
    )


def unsettled(doc):
    """What the analysis could not settle: worth exploring, who could not be assessed,
    and how large a golden-thread difference had to be to show."""
    heading(doc, "What the analysis could not settle", 1)
    para(
        doc,
        "A finding needs a difference large enough to matter and clear of the chance of "
        "who happened to be asked. This section says where the people we heard could not "
        "settle the question either way, so that no silence in this report is read as "
        "all being well.",
    )
    heading(doc, "Worth exploring: too few people to be sure", 2)
    tag(doc, "{%p if unsettled.worth_exploring %}")
    para(
        doc,
        "Each of these differences is as large as a finding, but too few people were heard "
        "to be sure of it. They are not findings; they are questions for the organisation "
        "to look into.",
    )
    tag(doc, "{%p endif %}")
    bullets(
        doc,
        "unsettled.worth_exploring",
        "{{ x.theme }}: {{ x.summary }}",
        empty="{{ unsettled.worth_exploring_none }}",
    )
    tag(doc, "{%p if unsettled.notes %}")
    heading(doc, "Groups heard too few, or assessed together", 2)
    bullets(doc, "unsettled.notes")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unsettled.reach %}")
    heading(doc, "How large a difference had to be to show", 2)
    para(doc, "{{ unsettled.reach_intro }}").paragraph_format.keep_with_next = True
    reach_table(
        doc,
        ("Set against each other", "Smallest difference"),
        "unsettled.reach",
        "The smallest difference on one theme that could show as a finding, pair by pair "
        "of the golden thread",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unsettled.area_reach %}")
    para(doc, "{{ unsettled.area_intro }}").paragraph_format.keep_with_next = True
    reach_table(
        doc,
        ("Service area", "Smallest gap"),
        "unsettled.area_reach",
        "The smallest gap below the other service areas that could show as localised, area by area",
    )
    tag(doc, "{%p endif %}")


def area_table(doc):
    """Every theme in every service area: columns repeat per area (docxtpl `{%tc %}`)."""
    tag(doc, "{%p if areas.areas %}")
    heading(doc, "Each theme in each service area", 2)
    para(
        doc,
        "Each cell gives the score, its rating and the number of people behind it (n). "
        "\u201cSuppressed\u201d marks a group too small to show without identifying "
        "someone, or one hidden so that another small group cannot be worked out.",
    )
    t = doc.add_table(rows=4, cols=4)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _cell_margins(t, left=40, right=40)  # narrow margins: area names stay whole
    _caption(t, AREA_TABLE_CAPTION)
    widths = (2.7, 4.77, 4.77, 4.76)
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
        for cell in t.columns[i].cells:
            cell.width = Cm(w)
    head = t.rows[0]
    _repeat_header(head)
    for i, text in enumerate(
        ("Theme", "{%tc for a in areas.areas %}", "{{ a }}", "{%tc endfor %}")
    ):
        _set_cell(head.cells[i], text, "Table Heading", WD_ALIGN_PARAGRAPH.CENTER if i else None)
        for run in head.cells[i].paragraphs[0].runs:
            run.font.size = Pt(8)  # a column per area: room for "Opportunities" at 8 pt
        shade(head.cells[i], HEADER_FILL)
    _set_cell(t.rows[1].cells[0], "{%tr for row in areas.rows %}")
    body = (
        "{{ row.theme }}",
        "{%tc for c in row.cells %}",
        "{% cellbg c.fill %}{{ c.text }}{% if c.n %} (n={{ c.n }}){% endif %}",
        "{%tc endfor %}",
    )
    for i, text in enumerate(body):
        _set_cell(t.rows[2].cells[i], text, "Table Text", WD_ALIGN_PARAGRAPH.CENTER if i else None)
    _set_cell(t.rows[3].cells[0], "{%tr endfor %}")
    for row in t.rows[1:]:
        _cant_split(row)
    para(doc, AREA_TABLE_CAPTION, "Caption")
    tag(doc, "{%p endif %}")


ANALYSIS_LABELS = (
    ("seen", "What we saw"),
    ("why", "Why it happens"),
    ("impact", "Impact on people who use services"),
    ("helps", "What helps"),
)


def analysis_block(doc, var):
    """The auditors' four-part analysis of `var` (a finding or a theme), or a plain note
    that it is still to be written."""
    for part, label in ANALYSIS_LABELS:
        tag(doc, f"{{%p if {var}.analysis.{part} %}}")
        para(doc, f"{{{{ {var}.analysis.{part} }}}}", "Analysis", bold_prefix=f"{label}: ")
        tag(doc, "{%p endif %}")
    tag(doc, f"{{%p if not {var}.analysis.written %}}")
    para(doc, f"{{{{ {var}.analysis.missing }}}}", "Analysis Missing")
    tag(doc, "{%p endif %}")


def themes(doc):
    part(doc, "Findings by theme")
    para(
        doc,
        "Each theme has the same parts: its scores by tier and by service area, what "
        "we found and the numbers behind it, what people told us, the questions we suggest "
        "the board asks, and our recommendations.",
    )
    tag(doc, "{%p for t in themes %}")
    heading(doc, "{{ t.number }}. {{ t.title }}", 2)
    para(doc, "{{ t.headline }}", "Lead")
    tag(doc, "{%p if t.description %}")
    para(doc, "{{ t.description }}", "Theme Intro")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.paper_practice %}")
    para(doc, "{{ t.paper_practice }}", "Theme Intro")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.change %}")
    para(
        doc,
        "{% for c in t.change %}{{ c }} {% endfor %}",
        "Theme Intro",
        bold_prefix="Since the last audit: ",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.by_tier %}")
    table(
        doc,
        ["Tier", "Score", "People (n)", "Answered \u201cdon't know\u201d"],
        [7.0, 2.8, 2.2, 3.5],
        [
            [
                "{{ s.label }}",
                "{% cellbg s.cell.fill %}{{ s.cell.text }}",
                "{{ s.cell.n }}",
                "{{ s.dont_know }}",
            ]
        ],
        "{{ t.title }}: scores by tier",
        loop="s in t.by_tier",
    )
    table(
        doc,
        ["Service area", "Score", "People (n)", "Answered \u201cdon't know\u201d"],
        [7.0, 2.8, 2.2, 3.5],
        [
            [
                "{{ s.label }}",
                "{% cellbg s.cell.fill %}{{ s.cell.text }}",
                "{{ s.cell.n }}",
                "{{ s.dont_know }}",
            ]
        ],
        "{{ t.title }}: scores by service area",
        loop="s in t.by_area",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "Our analysis", 3)
    analysis_block(doc, "t")

    heading(doc, "What we found", 3)
    tag(doc, "{%p for f in t.findings %}")
    p = doc.add_paragraph(style="Finding")
    p.add_run("{{ f.severity_label }} \u00b7 {{ f.kind_label }}: ").bold = True
    p.add_run("{{ f.summary }}")
    tag(doc, "{%p for e in f.evidence %}")
    para(doc, "{{ e }}", "Finding Evidence")
    tag(doc, "{%p endfor %}")
    analysis_block(doc, "f")
    tag(doc, "{%p if f.no_recommendation %}")
    para(doc, "{{ f.no_recommendation }}", "Analysis", bold_prefix="No recommendation: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not t.findings %}")
    para(doc, "{{ t.no_findings }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if t.quotes %}")
    heading(doc, "What people told us", 3)
    tag(doc, "{%p for q in t.attributed_quotes %}")
    para(doc, "\u201c{{ q.text }}\u201d{% if q.who %} ({{ q.who }}){% endif %}", "Quote")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if t.evidence %}")
    heading(doc, "What the records show", 3)
    bullets(doc, "t.evidence", "{{ x.text }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if t.questions_to_consider %}")
    heading(doc, "Questions for the board", 3)
    bullets(doc, "t.questions_to_consider")
    tag(doc, "{%p endif %}")

    heading(doc, "Recommendations", 3)
    tag(doc, "{%p for r in t.recommendations %}")
    p = para(doc, "", "List Bullet")
    p.add_run("{{ r.text }}")
    p.add_run(
        " (action {{ r.number }}, {{ r.priority_label|lower }} priority"
        "{% if r.measure %}; we will know it worked when: {{ r.measure }}{% endif %})"
    ).italic = True
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not t.recommendations %}")
    para(doc, "No recommendation on this theme.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def change(doc):
    tag(doc, "{%p if change %}")
    heading(doc, "Change since the last audit", 1)
    para(
        doc,
        "We compared this audit with {{ change.previous_title }} "
        "({{ change.previous_dates }}). Only questions asked the same way both times are "
        "compared, so a change shown here is a change in what people told us, not in the "
        "questions. A change of less than {{ change.change_points }} points is treated as "
        "no real change. A larger one is called better or worse only when it is clear of "
        "chance, given how many people were heard each time; otherwise it is marked "
        "Unsure (a group of four can move by ten points from who happened to be heard).",
    )
    bullets(doc, "change.summary")
    table(
        doc,
        ["Theme", "Last audit", "This audit", "Change"],
        [7.0, 3.0, 3.0, 3.0],
        [
            [
                "{{ row.theme }}",
                "{{ row.before }}",
                "{{ row.after }}",
                "{% cellbg row.overall.fill %}{{ row.overall.text }}",
            ]
        ],
        "Change in each theme's overall score",
        loop="row in change.rows",
    )
    cell = "{% cellbg row.tier.TIER.fill %}{{ row.tier.TIER.text }}"
    tiers = ["service_user", "front_line", "manager", "dsl", "senior_leader", "board"]
    table(
        doc,
        [
            "Theme",
            "People using services",
            "Front line",
            "Managers",
            "DSL team",
            "Senior leaders",
            "Board",
        ],
        [3.8, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2],
        [["{{ row.theme }}", *[cell.replace("TIER", t) for t in tiers]]],
        "Change in points at each tier (Unsure: at least {{ change.change_points }} points, "
        "but from too few people to be sure; Not comparable: suppressed or not asked in one "
        "of the two audits)",
        loop="row in change.rows",
    )
    bullets(doc, "change.unsure_why")
    heading(doc, "Findings no longer found", 2)
    tag(doc, "{%p if change.resolved_rows %}")
    table(
        doc,
        ["Finding last time", "Then", "Now", "Status"],
        [6.4, 2.6, 2.6, 5.4],
        [["{{ x.finding }}", "{{ x.then }}", "{{ x.now }}", "{{ x.status }}"]],
        "Findings of the last audit not found this time",
        loop="x in change.resolved_rows",
        centre_from=9,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not change.resolved_rows %}")
    para(doc, "None.")
    tag(doc, "{%p endif %}")
    heading(doc, "Findings found again", 2)
    bullets(doc, "change.persisting", "{{ x.summary }}", empty="None.")
    heading(doc, "New findings", 2)
    bullets(doc, "change.new", "{{ x.summary }}", empty="None.")
    tag(doc, "{%p if change.not_comparable %}")
    heading(doc, "What could not be compared", 2)
    para(doc, "These questions changed between the two audits and are left out of the comparison:")
    bullets(doc, "change.not_comparable")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def progress(doc):
    tag(doc, "{%p if progress %}")
    heading(doc, "Progress on the last audit's recommendations", 1)
    para(doc, "{{ progress.summary }}", "Lead")
    para(
        doc,
        "We reviewed each recommendation of the last audit against what we saw and the "
        "organisation's evidence. An action not yet achieved is carried into this audit's "
        "action plan with a new due date; an achieved one is not recommended again.",
    )
    table(
        doc,
        ["Recommendation last time", "Due then", "Status", "Evidence", "Now"],
        [5.6, 1.9, 2.2, 5.3, 2.0],
        [
            [
                "{{ p.text }}",
                "{{ p.due_then }}",
                "{{ p.status_label }}",
                "{{ p.evidence }}{% if p.reviewed_on %} (reviewed {{ p.reviewed_on }}){% endif %}",
                "{% if p.action %}Action {{ p.action }}, due {{ p.due_now }}{% else %}Closed"
                "{% endif %}",
            ]
        ],
        "Progress on each recommendation of the last audit",
        loop="p in progress.rows",
        centre_from=9,
    )
    tag(doc, "{%p endif %}")


def evidence(doc):
    tag(doc, "{%p if evidence %}")
    heading(doc, "What the records show", 1)
    para(
        doc,
        "Besides what people told us, we read the organisation's own registers: "
        "{{ evidence.registers|join(', ') }}.",
    )
    tag(doc, "{%p if evidence.framework %}")
    para(doc, "Training was checked against {{ evidence.framework }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if evidence.training %}")
    table(
        doc,
        ["Role group", "People", "Meeting the requirement", "Requirement"],
        [4.5, 2.0, 3.0, 7.5],
        [["{{ r.group }}", "{{ r.people }}", "{{ r.compliant }}", "{{ r.note }}"]],
        "Training compliance by role group",
        loop="r in evidence.training",
    )
    # The note follows the table and its caption, as a table note does.
    tag(doc, "{%p if evidence.training|selectattr('compliant', 'equalto', 'Suppressed')|list %}")
    para(
        doc,
        "\u201cSuppressed\u201d marks a figure not shown: a group too small to show "
        "without identifying someone, or one hidden so that another small group's figure "
        "cannot be worked out from the others.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    bullets(doc, "evidence.lines", "{{ x.text }}")
    tag(doc, "{%p if evidence.gaps %}")
    heading(doc, "Where interviews and records disagree", 2)
    bullets(doc, "evidence.gaps", "{{ x.summary }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def _cell_lines(cell, lines, style="Table Text"):
    """A table cell of several paragraphs (tags allowed), in `style`, a little space
    after each so that one quote or record line reads apart from the next."""
    _set_cell(cell, lines[0], style)
    for text in lines[1:]:
        p = cell.add_paragraph(text)
        p.style = cell.part.document.styles[style]
        p.paragraph_format.space_after = Pt(4)


def said_and_recorded(doc):
    """Where what people said and what the records or the action plan say differ."""
    tag(doc, "{%p if said_and_recorded %}")
    heading(doc, "What people said and what the records say", 1)
    para(
        doc,
        "On these themes people describe a weakness that the organisation's records, or "
        "its action plan from the last audit, do not show. We set the two side by side "
        "without deciding between them: the board should ask which is right.",
    )
    t = table(
        doc,
        ["Theme", "What people said", "What the records and the action plan say"],
        [3.4, 6.8, 6.8],
        [["{{ c.theme }}", "", ""]],
        "What people said beside what the records and the action plan say",
        loop="c in said_and_recorded",
    )
    body = t.rows[2]
    _cell_lines(
        body.cells[1],
        ["{%p for q in c.said %}", "{{ q }}", "{%p endfor %}", "{{ c.scores }}"],
    )
    _cell_lines(body.cells[2], ["{%p for x in c.recorded %}", "{{ x }}", "{%p endfor %}"])
    tag(doc, "{%p endif %}")


def self_assessment(doc):
    """The organisation's self-assessment against the evidence (when it has one)."""
    tag(doc, "{%p if self_assessment %}")
    heading(doc, "Self-assessment against the evidence", 1)
    para(doc, "{{ self_assessment.intro }}")
    table(
        doc,
        ["Theme", "Self", "Evidence", "Gap", "Interval", "Registers", "Reading"],
        [4.3, 1.5, 2.1, 1.5, 2.4, 2.2, 3.0],
        [
            [
                "{{ r.theme }}",
                "{{ r.self_score }}",
                "{{ r.evidence_score }}",
                "{{ r.difference }}",
                "{{ r.interval }}",
                "{{ r.registers }}",
                "{{ r.reading }}",
            ]
        ],
        "The organisation's self-assessment against the audit's evidence, by theme",
        loop="r in self_assessment.rows",
    )
    para(doc, "{{ self_assessment.conclusion }}")
    tag(doc, "{%p endif %}")


def actions(doc):
    heading(doc, "Action plan", 1)
    para(
        doc,
        "Our recommendations, most urgent first. The board should agree an owner and a "
        "date for each; blank cells are for the board to complete.",
    )
    tag(doc, "{%p if actions %}")
    table(
        doc,
        ["No.", "Recommendation", "Theme", "Priority", "Owner", "Due by", "Measure of success"],
        # Theme and Owner fit "whistleblowing" and "Community" unbroken.
        [1.0, 4.45, 2.75, 1.7, 2.3, 1.8, 3.0],
        [
            [
                "{{ a.number }}",
                "{{ a.text }}{% if a.carried_over %} (carried over from the last audit"
                "{% if a.follow_up %}: {{ a.follow_up }}{% endif %}){% endif %}",
                "{{ a.theme }}",
                "{{ a.priority_label }}",
                "{{ a.owner }}",
                "{{ a.due }}",
                "{{ a.measure }}",
            ]
        ],
        "Action plan",
        loop="a in actions",
        centre_from=3,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not actions %}")
    para(doc, "No recommendations have been recorded for this audit yet.")
    tag(doc, "{%p endif %}")


def appendix(doc):
    heading(doc, "Appendix: how the numbers are worked out", 1)
    heading(doc, "Scores", 2)
    para(
        doc,
        "Every answer is placed on a scale from 0 (weakest practice) to 100 (strongest): "
        "on a five-point scale the answers score 0, 25, 50, 75 and 100. \u201cDon't know\u201d "
        "and \u201cnot applicable\u201d carry no score; we report how often people did not "
        "know, because not knowing is itself a finding. A theme's score is the average of its "
        "answers; some questions count double where the question set says so.",
    )
    heading(doc, "RAG ratings", 2)
    table(
        doc,
        ["Rating", "Scores"],
        [5.0, 5.0],
        [["{% cellbg k.fill %}{{ k.label }}", "{{ k.range }}"]],
        "The RAG bands used",
        loop="k in appendix.rag_bands",
    )
    heading(doc, "Thread breaks and knowledge gaps", 2)
    para(
        doc,
        "A thread break is a tier (managers, the safeguarding team, senior leaders or "
        "trustees) whose score for a theme is {{ appendix.rules.thread_break_points }} points "
        "or more away from the front line's, clear of chance: the range of likely values "
        "of the gap does not include zero, and the number of themes and tiers compared is "
        "allowed for. The people who use services are also set against the front-line "
        "staff who support them, and against the organisation's leadership (trustees, "
        "senior leaders and the safeguarding team together). "
        "Tiers are compared like with like: only on the kinds of question both "
        "were asked, and only where each answered at least two of the theme's questions. "
        "Each gap is also read with every person set against their own ratings of the "
        "other themes, so that a few generous or harsh raters do not make or hide it; a "
        "gap found that way is the same distance beyond how the two tiers usually differ, "
        "and its finding says so. "
        "The safeguarding team and senior leaders are taken together when too few to show "
        "apart; a tier too small to show at all is named as not assessable, never "
        "compared. When one service area's front line alone makes the gap, the finding "
        "says the leaders are not sighted on that area. A knowledge gap is a tier "
        "answering \u201cdon't know\u201d {{ appendix.rules.knowledge_gap_points }} percentage "
        "points more often than everyone else, clear of chance: for senior leaders or "
        "trustees it means they have no information to know; for front-line staff, that "
        "staff do not know what happens.",
    )
    heading(doc, "Localised and systemic", 2)
    para(
        doc,
        "A score below {{ appendix.rules.weak_score }} is weak. A theme is systemic when "
        "at least {{ appendix.rules.systemic_share }} of service areas are weak in it. It is "
        "localised when one or a few areas score at least "
        "{{ appendix.rules.localised_gap_points }} points below the others.",
    )
    heading(doc, "Paper and practice", 2)
    para(
        doc,
        "Some questions ask what is written down (policies, procedures, records), others "
        "what happens in practice. When the written score is "
        "{{ appendix.rules.paper_practice_gap_points }} points or more above practice, we "
        "report a gap between paper and practice.",
    )
    heading(doc, "Small groups", 2)
    para(
        doc,
        "No score is shown for a group of fewer than {{ appendix.rules.suppression_min }} "
        "people. A change is called a change when it is at least "
        "{{ appendix.rules.change_points }} points and clear of chance given the people "
        "heard each time; a change as large that is not is marked Unsure.",
    )
    heading(doc, "Glossary", 2)
    table(
        doc,
        ["Term", "Meaning"],
        [4.0, 13.0],
        [["{{ g.term }}", "{{ g.meaning }}"]],
        "Glossary",
        loop="g in appendix.glossary",
        centre_from=9,
    )


def header_footer(doc):
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # no footer on the cover
    footer = doc.styles["Footer"]
    tabs = footer.element.find(qn("w:pPr")).find(qn("w:tabs"))
    for tab in list(tabs):
        tabs.remove(tab)
    right = OxmlElement("w:tab")
    right.set(qn("w:val"), "right")
    right.set(qn("w:pos"), str(int(TEXT_WIDTH_CM / 2.54 * 1440)))
    tabs.append(right)
    p = section.footer.paragraphs[0]
    p.style = footer
    p.add_run("{{ organisation }} \u00b7 {{ report_title }} \u00b7 {{ status }}")
    p.add_run("\tPage ")
    field(p, "PAGE", "1")


def build(out: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.start_type = WD_SECTION.NEW_PAGE
    set_up_styles(doc)
    # Word's document properties are set by render_report from the audit, never by a tag.
    doc.core_properties.title = "Safeguarding audit report"
    doc.core_properties.author = "sgaudit"
    doc.core_properties.comments = ""
    doc.core_properties.language = LANGUAGE
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)

    cover(doc)
    board_page(doc)
    contents(doc)
    before_final(doc)
    executive_summary(doc)
    method(doc)
    double_scoring(doc)
    scope_and_records(doc)
    thread(doc)
    scope(doc)
    unsettled(doc)
    themes(doc)
    change(doc)
    progress(doc)
    evidence(doc)
    said_and_recorded(doc)
    self_assessment(doc)
    actions(doc)
    management_response(doc)
    sign_off(doc)
    appendix(doc)
    header_footer(doc)
    update_fields_on_open(doc)
    doc.save(out)
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
