"""The template's look: page text in Arial, Word's own heading, caption, list and table
styles set up so the navigation pane and the contents page work, and the order Word
requires of the XML elements this package inserts."""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"


INK = RGBColor(0x1F, 0x1F, 0x1F)


NAVY = RGBColor(0x1B, 0x3A, 0x5C)


GREY = RGBColor(0x55, 0x55, 0x55)


HEADER_FILL = "DCE4EE"


LANGUAGE = "en-GB"


TEXT_WIDTH_CM = 17.0  # A4 minus 2 cm margins


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


def set_font(style, size=None, bold=None, italic=None, colour=None, name=FONT):
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


def set_spacing(style, before=0, after=6, line=None, keep_next=None):
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next is not None:
        pf.keep_with_next = keep_next


def paragraph_style(doc, name, base="Normal", style_id=None):
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
    set_font(s["Normal"], 10.5, colour=INK)
    set_spacing(s["Normal"], after=6, line=1.15)
    set_font(s["Title"], 28, bold=True, colour=NAVY)
    set_spacing(s["Title"], before=0, after=12)
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
    set_font(s["Subtitle"], 16, italic=False, colour=NAVY)
    set_spacing(s["Subtitle"], after=6)
    for level, size, before in ((1, 17, 18), (2, 13.5, 14), (3, 11.5, 10)):
        h = s[f"Heading {level}"]
        set_font(h, size, bold=True, italic=False, colour=NAVY)
        set_spacing(h, before=before, after=6, keep_next=True)
    # Only the main parts start a page (see `part`); every other chapter follows on,
    # so a short chapter end no longer leaves a page nearly empty.
    s["Heading 1"].paragraph_format.page_break_before = False
    set_font(s["Caption"], 9, bold=False, italic=True, colour=GREY)
    set_spacing(s["Caption"], before=2, after=10)
    set_font(s["Quote"], 10.5, italic=True, colour=RGBColor(0x33, 0x33, 0x33))
    set_spacing(s["Quote"], before=2, after=6)
    s["Quote"].paragraph_format.left_indent = Cm(0.8)
    s["Quote"].paragraph_format.right_indent = Cm(0.8)
    for name in ("List Bullet", "List Number"):
        set_font(s[name], 10.5, colour=INK)
        set_spacing(s[name], after=4, line=1.15)
    set_font(s["TOC Heading"], 17, bold=True, colour=NAVY)
    set_font(s["Header"], 8.5, colour=GREY)
    set_font(s["Footer"], 8.5, colour=GREY)

    table_text = paragraph_style(doc, "Table Text")
    set_font(table_text, 9, colour=INK)
    set_spacing(table_text, after=0, line=1.0)
    table_head = paragraph_style(doc, "Table Heading", base="Table Text")
    set_font(table_head, 9, bold=True, colour=INK)
    table_head.paragraph_format.keep_with_next = True

    evidence = paragraph_style(doc, "Finding Evidence")
    set_font(evidence, 9, colour=GREY)
    set_spacing(evidence, after=2, line=1.0)
    evidence.paragraph_format.left_indent = Cm(0.6)

    finding = paragraph_style(doc, "Finding")
    set_spacing(finding, before=6, after=2)
    finding.paragraph_format.keep_with_next = True

    # The auditors' analysis under a finding: indented, so it reads as belonging to it.
    analysis = paragraph_style(doc, "Analysis")
    set_spacing(analysis, after=3, line=1.1)
    analysis.paragraph_format.left_indent = Cm(0.6)
    missing = paragraph_style(doc, "Analysis Missing", base="Analysis")
    set_font(missing, 10, italic=True, colour=RGBColor(0xA6, 0x33, 0x00))

    lead = paragraph_style(doc, "Lead")
    set_font(lead, 11.5, colour=NAVY)
    set_spacing(lead, before=0, after=8, line=1.15)
    # A theme's opening lines stay with its first table, not alone at a page foot.
    lead.paragraph_format.keep_with_next = True
    intro = paragraph_style(doc, "Theme Intro")
    intro.paragraph_format.keep_with_next = True

    cover = paragraph_style(doc, "Cover Status")
    set_font(cover, 22, bold=True, colour=RGBColor(0xA6, 0x33, 0x00))
    set_spacing(cover, before=24, after=6)

    small = paragraph_style(doc, "Small Print")
    set_font(small, 8.5, colour=GREY)
    set_spacing(small, after=4, line=1.0)

    figure = paragraph_style(doc, "Figure")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    set_spacing(figure, before=6, after=0)

    # Compact, so the contents of a full report (about 40 entries) fit on one page.
    for level, indent in ((1, 0.0), (2, 0.5)):
        toc = paragraph_style(doc, f"toc {level}", style_id=f"TOC{level}")
        set_font(toc, 10 if level == 1 else 9, bold=(level == 1), colour=INK)
        set_spacing(toc, before=2 if level == 1 else 0, after=0, line=1.0)  # one page
        toc.paragraph_format.left_indent = Cm(indent)
