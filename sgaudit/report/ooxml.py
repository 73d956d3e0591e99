"""Small repairs to the rendered document's XML so Word opens it without complaint.

docxtpl's `{% cellbg %}` puts the cell shading first in a cell's properties, but the
Office Open XML schema wants it after the cell width; Word is strict about that
order, so the properties are put back in schema order after rendering.
"""

from __future__ import annotations

from docx.oxml.ns import qn

# ECMA-376 CT_TcPr child order.
TCPR_ORDER = tuple(
    qn(f"w:{name}")
    for name in (
        "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
        "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns",
        "cellDel", "cellMerge", "tcPrChange",
    )
)
_RANK = {tag: i for i, tag in enumerate(TCPR_ORDER)}


def order_cell_properties(document) -> int:
    """Put every table cell's properties in schema order; returns how many were fixed."""
    fixed = 0
    for tc_pr in document.element.body.iter(qn("w:tcPr")):
        children = list(tc_pr)
        ranked = sorted(children, key=lambda el: _RANK.get(el.tag, len(_RANK)))
        if ranked != children:
            for el in children:
                tc_pr.remove(el)
            tc_pr.extend(ranked)
            fixed += 1
    return fixed
