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


def fit_area_table(document) -> int:
    """Give the theme x area table's first column room for theme titles.

    docxtpl shares a table's width evenly when `{%tc %}` adds a column per service
    area; the theme column gets its width back and the areas share the rest.
    Returns how many tables were fitted.
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
        fitted += 1
    return fitted
