"""Protection against CSV / spreadsheet formula injection, shared by every writer.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return can be
run as a formula when a spreadsheet opens the file (an interview note such as
`=HYPERLINK("http://evil", "click")` would become a live link). Every CSV or XLSX
cell sgaudit writes goes through `neutralise_formula`, which puts an apostrophe in
front, the convention spreadsheets use for "this is text". Importers call
`restore_formula` so a value exported and imported again is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
# Text a spreadsheet would run, possibly behind apostrophes sgaudit or the user added;
# one more apostrophe is added on export and one removed on import, so any text
# survives an export/import round trip unchanged.
_RUNNABLE = re.compile(r"^'*[=+\-@\t\r]")
_MARKED = re.compile(r"^'+[=+\-@\t\r]")


def neutralise_formula(value: Any) -> Any:
    """The value, with an apostrophe in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and _RUNNABLE.match(value):
        return TEXT_MARK + value
    return value


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
