"""Where the rendered report's tables may break across pages.

A template can only mark its looped row once, so the rows docxtpl repeats all carry the
same properties. After rendering, each table with a header row is given the page
breaks a reader expects:

- a short table (it fits in about half a page) is kept whole, with its caption;
- a long one may break, but never after its header and fewer than `HEAD_ROWS` rows,
  and never leaves its last row (nor its caption) alone on a page.

Word and LibreOffice both keep a table's rows together through "keep with next" on the
paragraphs in them (rows already cannot split inside: `cantSplit`).
"""

from __future__ import annotations

import math

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Half the text height of an A4 page with 2 cm margins, in points.
KEEP_WHOLE_PT = 360.0
HEAD_ROWS = 3  # the header and the first two rows of the body stay together
TAIL_ROWS = 2  # the last two rows stay together
LINE_PT = 11.0  # a line of 9 pt table text at single spacing
ROW_PADDING_PT = 4.0  # the cell margins above and below
CHAR_PT = 5.0  # the average width of a character of 9 pt text, generously


def _is_header_row(tr) -> bool:
    tr_pr = tr.find(qn("w:trPr"))
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def _cell_lines(tc, width_twips: int) -> int:
    chars_per_line = max(1, int(width_twips / 20 / CHAR_PT))
    lines = 0
    for p in tc.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        lines += max(1, math.ceil(len(text) / chars_per_line))
    return max(1, lines)


def estimated_row_height(tr, grid: list[int]) -> float:
    """A row's height in points, from its text and column widths (an estimate)."""
    lines, col = 1, 0
    for tc in tr.findall(qn("w:tc")):
        span_el = tc.find(qn("w:tcPr"))
        span = 1
        if span_el is not None and span_el.find(qn("w:gridSpan")) is not None:
            span = int(span_el.find(qn("w:gridSpan")).get(qn("w:val")))
        width = sum(grid[col : col + span]) if grid else 2000
        lines = max(lines, _cell_lines(tc, width))
        col += span
    return lines * LINE_PT + ROW_PADDING_PT


def _keep_with_next(tr) -> None:
    for p in tr.iter(qn("w:p")):
        p_pr = p.find(qn("w:pPr"))
        if p_pr is None:
            p_pr = OxmlElement("w:pPr")
            p.insert(0, p_pr)
        if p_pr.find(qn("w:keepNext")) is None:
            keep = OxmlElement("w:keepNext")
            # pPr children are ordered: pStyle first, keepNext straight after it
            style = p_pr.find(qn("w:pStyle"))
            if style is not None:
                style.addnext(keep)
            else:
                p_pr.insert(0, keep)


def rows_kept_together(tbl) -> list[int]:
    """The indexes of the rows of `tbl` that keep with the row after them."""
    rows = tbl.findall(qn("w:tr"))
    if not rows or not _is_header_row(rows[0]):
        return []
    grid = [int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))]
    height = sum(estimated_row_height(tr, grid) for tr in rows)
    if height <= KEEP_WHOLE_PT:
        return list(range(len(rows)))  # the last keeps with the caption after it
    # A row marked "keep with next" holds the row after it: the header and the first
    # HEAD_ROWS - 2 body rows are marked, so HEAD_ROWS rows in all stay together.
    head = range(min(HEAD_ROWS - 1, len(rows)))
    tail = range(max(len(rows) - TAIL_ROWS, 0), len(rows))  # the last keeps with its caption
    return sorted(set(head) | set(tail))


def keep_tables_together(document) -> int:
    """Mark every header-row table of `document` as above; returns how many were marked."""
    marked = 0
    for tbl in document.element.body.iter(qn("w:tbl")):
        rows = tbl.findall(qn("w:tr"))
        kept = rows_kept_together(tbl)
        for i in kept:
            _keep_with_next(rows[i])
        marked += bool(kept)
    return marked


# The theme x service-area table of the default template (its Word table title).
AREA_TABLE_CAPTION = "Each theme's score in each service area"
THEME_COLUMN_TWIPS = int(2.7 / 2.54 * 1440)
TURNED_HEADING_MAX_PT = 80.0  # a turned heading's row is at most this tall; longer names wrap


def fit_area_table(document) -> int:
    """Give the theme x area table's first column room for theme titles.

    docxtpl shares a table's width evenly when `{%tc %}` adds a column per service
    area; the theme column gets its width back and the areas share the rest. Where a
    service area's name has a word wider than its column (nine areas leave each about
    1.6 cm), the area headings are turned to run upwards (`turn_area_headings`) rather
    than broken mid-word ("Outreac / h"). Returns how many tables were fitted.
    """
    fitted = 0
    for tbl in document.element.body.iter(qn("w:tbl")):
        caption = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        if caption is None or caption.get(qn("w:val")) != AREA_TABLE_CAPTION:
            continue
        grid = tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
        if len(grid) < 2:
            continue
        total = sum(int(g.get(qn("w:w"))) for g in grid)
        first = min(THEME_COLUMN_TWIPS, total // 2)
        rest = (total - first) // (len(grid) - 1)
        widths = [first] + [rest] * (len(grid) - 1)
        for g, w in zip(grid, widths, strict=True):
            g.set(qn("w:w"), str(w))
        for tr in tbl.findall(qn("w:tr")):
            for tc, w in zip(tr.findall(qn("w:tc")), widths, strict=False):
                tc_w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                if tc_w is not None:
                    tc_w.set(qn("w:w"), str(w))
                    tc_w.set(qn("w:type"), "dxa")
        turn_area_headings(tbl, rest)
        fitted += 1
    return fitted


def widest_word_pt(text: str, size_pt: float) -> float:
    """The widest word of `text` in bold at `size_pt`, in points (advance widths, as a
    line is set), in DejaVu Sans Bold: the font LibreOffice falls back to for Arial where
    Arial is missing, and wider than Arial, so a word that fits by this measure fits in
    Word too."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", weight="bold", size=size_pt)
    measure = TextToPath().get_text_width_height_descent
    return max((measure(word, prop, ismath=False)[0] for word in text.split()), default=0.0)


def turn_area_headings(tbl, column_twips: int) -> bool:
    """Turn the area columns' headings to run upwards when a word of one is wider than
    its column; the header row is made tall enough for the longest name. True if turned."""
    header = tbl.find(qn("w:tr"))
    cells = header.findall(qn("w:tc"))[1:] if header is not None else []
    if not cells:
        return False
    size = _heading_size_pt(cells[0])
    room = (column_twips - _side_margins_twips(tbl)) / 20
    names = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in cells]
    if max(widest_word_pt(n, size) for n in names) <= room:
        return False
    for tc in cells:
        props = tc.find(qn("w:tcPr"))
        direction = OxmlElement("w:textDirection")
        direction.set(qn("w:val"), "btLr")
        middle = OxmlElement("w:vAlign")
        middle.set(qn("w:val"), "center")
        props.append(direction)  # after tcW and shd, as the schema orders them
        props.append(middle)
        for jc in tc.iter(qn("w:jc")):  # read from the foot of the cell up
            jc.set(qn("w:val"), "left")
    # tall enough for the longest name on one line (two lines beyond a cap)
    longest = max(len(n) for n in names) * CHAR_PT * size / 9
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(20 * (min(longest, TURNED_HEADING_MAX_PT) + 12))))
    height.set(qn("w:hRule"), "atLeast")
    row_props = header.find(qn("w:trPr"))
    if row_props is None:
        row_props = OxmlElement("w:trPr")
        header.insert(0, row_props)
    row_props.insert(0, height)  # before tblHeader
    return True


def _heading_size_pt(tc) -> float:
    """The point size of a heading cell's first run (the Table Heading style's 9 pt when
    the run does not say)."""
    size = tc.find(f".//{qn('w:rPr')}/{qn('w:sz')}")
    return int(size.get(qn("w:val"))) / 2 if size is not None else 9.0


def _side_margins_twips(tbl) -> int:
    """The table's left and right cell margins together (the template's default when it
    sets none)."""
    margins = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    sides = (
        [margins.find(qn(f"w:{side}")) for side in ("left", "right")] if margins is not None else []
    )
    return sum(int(m.get(qn("w:w"))) for m in sides if m is not None) or 2 * 108
