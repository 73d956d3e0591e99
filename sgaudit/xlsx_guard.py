"""Look inside an XLSX before opening it: limits, and formulas that carry no value.

An XLSX is a zip of XML parts. Before openpyxl builds the workbook, this reads the
zip's directory (entries, methods, sizes) and streams each worksheet's XML once:

- the sheet's declared dimension and the cells it really uses must fit the sheet
  limits (`sgaudit.limits`): one cell at XFD1048576 would otherwise make the reader
  walk seventeen billion empty cells;
- a formula cell must carry the value the spreadsheet last computed. openpyxl reads
  that cached value; a file written by a program that does not compute formulas has
  none, and its cells would be read as blank, losing what they show. Such a file is
  refused, naming the cell, with advice to open and save it in a spreadsheet.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from sgaudit.errors import ImportError_, Problem
from sgaudit.limits import (
    MAX_SHEET_BYTES,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    LimitExceeded,
    check_zip,
)

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def _position(ref: str) -> tuple[int, int]:
    """(row, column) of an A1 reference; (0, 0) when it is not one."""
    m = _REF.match(ref.upper())
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its XML part, from the workbook and its relationships."""
    try:
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PKG_REL)}
    out = {}
    for sheet in book.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(_REL), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        out[sheet.get("name", "?")] = posixpath.normpath(part)
    return out


def _check_extent(rows: int, cols: int, sheet: str, how: str) -> None:
    if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLUMNS or rows * cols > MAX_SHEET_CELLS:
        raise LimitExceeded(
            f"sheet '{sheet}' {how} {rows} rows by {cols} columns, over the limit of "
            f"{MAX_SHEET_CELLS} cells ({MAX_SHEET_COLUMNS} columns) for a sheet"
        )


def _scan_sheet(zf: zipfile.ZipFile, part: str, sheet: str, file: str) -> None:
    rows = cols = 0
    with zf.open(part) as stream:
        for _, elem in ET.iterparse(stream, events=("end",)):
            tag = elem.tag
            if tag == f"{_NS}dimension":
                last = elem.get("ref", "").split(":")[-1]
                _check_extent(*_position(last), sheet, "declares")
            elif tag == f"{_NS}c":
                r, c = _position(elem.get("r", ""))
                if r > rows or c > cols:
                    rows, cols = max(rows, r), max(cols, c)
                    _check_extent(rows, cols, sheet, "reaches")
                formula = elem.find(f"{_NS}f")
                if formula is not None:
                    value = elem.find(f"{_NS}v")
                    if value is None or value.text is None:
                        raise ImportError_(
                            [
                                Problem(
                                    file,
                                    r or None,
                                    elem.get("r"),
                                    f"sheet '{sheet}': cell {elem.get('r')} holds a formula "
                                    "with no saved value, so it would be read as blank. Open "
                                    "the file in a spreadsheet and save it (that stores the "
                                    "values), or paste the values in place of the formulas",
                                )
                            ]
                        )
                elem.clear()
            elif tag == f"{_NS}row":
                elem.clear()


def check_xlsx(path: Path) -> None:
    """Refuse `path` (LimitExceeded or ImportError_) if it is over a limit or has empty formulas."""
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise LimitExceeded(f"is over the limit of {MAX_SHEET_BYTES // (1024 * 1024)} MB")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: openpyxl says it is not a readable workbook
    with zf:
        check_zip(zf, nested_allowed=True)
        try:
            for sheet, part in _sheet_parts(zf).items():
                if part in zf.namelist():
                    _scan_sheet(zf, part, sheet, path.name)
        except (ET.ParseError, zipfile.BadZipFile, EOFError) as exc:
            raise LimitExceeded(f"is not a readable .xlsx workbook: {exc}") from None
