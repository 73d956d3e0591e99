"""Fill the contents page: the TOC field's entries written in, linked to their headings.

Word rebuilds a TOC field (with page numbers) when it opens the report, because the
template marks the field to be updated. LibreOffice and other readers show the
field's last result instead, so the rendered report carries a complete one: every
Heading 1 and 2 (the levels the field asks for), each a link to a bookmark on its
heading. Page numbers are left for Word, which is the only one that knows them.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')
_BOOKMARK_BASE = 90000


def _toc_field(body):
    """(paragraph, instruction) of the first TOC field in the body, or (None, "")."""
    for p in body.iter(qn("w:p")):
        instr = "".join(t.text or "" for t in p.iter(qn("w:instrText")))
        if instr.strip().upper().startswith("TOC"):
            return p, instr
    return None, ""


def _heading_level(p, level_of_style: dict[str, int]) -> int | None:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    if style is None:
        return None
    return level_of_style.get(style.get(qn("w:val")))


def _styles_by_level(document) -> dict[str, int]:
    """styleId -> heading level, for Word's built-in headings (whatever their display name)."""
    out = {}
    for style in document.styles:
        name = (style.name or "").lower()
        if name.startswith("heading ") and name[8:].isdigit():
            out[style.style_id] = int(name[8:])
    return out


def _run(text: str):
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _entry(level: int, text: str, anchor: str, style_ids: dict[int, str]):
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_ids.get(level, f"TOC{level}"))
    ppr.append(style)
    p.append(ppr)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    link.append(_run(text))
    p.append(link)
    return p


def _bookmark(p, number: int) -> str:
    name = f"_Toc{_BOOKMARK_BASE + number}"
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(_BOOKMARK_BASE + number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(_BOOKMARK_BASE + number))
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)
    return name


def fill_contents(document) -> int:
    """Write the headings into the document's TOC field; returns how many were written."""
    body = document.element.body
    field_p, instr = _toc_field(body)
    if field_p is None:
        return 0
    match = _LEVELS.search(instr)
    low, high = (int(match.group(1)), int(match.group(2))) if match else (1, 3)
    level_of_style = _styles_by_level(document)
    toc_ids = {s.style_id: s for s in document.styles}
    style_ids = {lvl: f"TOC{lvl}" for lvl in range(1, 10) if f"TOC{lvl}" in toc_ids}

    entries = []
    for p in body.iter(qn("w:p")):
        level = _heading_level(p, level_of_style)
        if level is None or not (low <= level <= high):
            continue
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if text:
            entries.append((level, text, _bookmark(p, len(entries))))
    if not entries:
        return 0

    # The field paragraph keeps begin/instr/separate; its old result and end go.
    runs = list(field_p.iterchildren(qn("w:r")))
    separate_at = next((i for i, r in enumerate(runs)
                        if any(c.get(qn("w:fldCharType")) == "separate"
                               for c in r.iter(qn("w:fldChar")))), None)
    if separate_at is None:
        return 0
    end_run = None
    for r in runs[separate_at + 1:]:
        if any(c.get(qn("w:fldCharType")) == "end" for c in r.iter(qn("w:fldChar"))):
            end_run = r
        field_p.remove(r)
    if end_run is None:
        return 0
    first = _entry(*entries[0], style_ids)
    ppr = field_p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        field_p.insert(0, ppr)
    for old in ppr.findall(qn("w:pStyle")):
        ppr.remove(old)
    ppr.insert(0, first.find(qn("w:pPr")).find(qn("w:pStyle")))
    field_p.append(first.find(qn("w:hyperlink")))
    anchor = field_p
    for level, text, name in entries[1:]:
        p = _entry(level, text, name, style_ids)
        anchor.addnext(p)
        anchor = p
    anchor.append(end_run)
    return len(entries)
