"""Protection against CSV / spreadsheet formula injection, shared by every writer.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab, a carriage return or a line
feed can be run as a formula when a spreadsheet opens the file (an interview note such
as `=HYPERLINK("http://evil", "click")` would become a live link). So can one whose
formula sign comes after leading spaces (some spreadsheets trim them first), and the
full-width signs `＝ ＋ － ＠` that some spreadsheets read as their ASCII twins. Every CSV or XLSX
cell sgaudit writes goes through `neutralise_formula`, which puts an apostrophe in
front, the convention spreadsheets use for "this is text". Importers call
`restore_formula` so a value exported and imported again is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = (
    "=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20"
)  # fmt: skip
TEXT_MARK = "'"
# Text a spreadsheet would run, possibly behind apostrophes sgaudit or the user added:
# a formula sign (ASCII or full-width), maybe after spaces, or a leading tab, CR or LF.
# One more apostrophe is added on export and one removed on import, so any text
# survives an export/import round trip unchanged.
_FORMULA = r"(?:[\t\r\n]|[ \u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])"
_RUNNABLE = re.compile(r"^'*" + _FORMULA)
_MARKED = re.compile(r"^'+" + _FORMULA)
# Characters an XLSX file cannot hold (XML 1.0 forbids them): C0 controls except tab,
# line feed and carriage return. Lone surrogates cannot be encoded in the file either.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def neutralise_formula(value: Any) -> Any:
    """The value, with an apostrophe in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and _RUNNABLE.match(value):
        return TEXT_MARK + value
    return value


def xlsx_text(value: Any) -> Any:
    """`value` made safe for an XLSX cell: formula neutralised, control characters dropped.

    The stored text keeps them; only the copy written to the workbook is cleaned (a NUL
    or a form feed in a note would otherwise stop the whole export).
    """
    if isinstance(value, str):
        value = _NOT_IN_XLSX.sub("", value)
    return neutralise_formula(value)


def restore_formula(value: Any) -> Any:
    """Undo `neutralise_formula`: drop the apostrophe sgaudit put before such text.

    One apostrophe is dropped only from text of apostrophes followed by a formula
    character; any other apostrophe is the user's own text and is kept.
    """
    if isinstance(value, str) and _MARKED.match(value):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and the header) passed through
    `neutralise_formula`."""
    out = frame.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula).astype(object)
    return out
