"""Write a table as CSV (UTF-8 with a byte-order mark) or XLSX, safe to open in Excel.

Every text cell goes through `neutralise_formula`. The BOM makes Excel read the CSV
as UTF-8 (without it, accented letters and emoji in notes come out garbled).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from sgaudit.errors import SgauditError
from sgaudit.safe_csv import neutralise_frame, xlsx_text

CSV_ENCODING = "utf-8-sig"
SHEET_NAME = "Answers"
LISTS_SHEET = "Lists"
_WIDE_COLUMNS = {"question": 70, "note": 50, "allowed_answers": 40}


def table_format(path: Path) -> str:
    """'csv' or 'xlsx' from the file name; anything else is refused."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise SgauditError(f"{path.name}: use a .csv or .xlsx file name")


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    dropdowns: Mapping[str, Sequence[Sequence[str] | None]] | None = None,
) -> Path:
    """Write `frame` to `path` (.csv or .xlsx).

    `dropdowns` maps a column name to, per row, the values an XLSX dropdown offers in
    that cell (None: no dropdown). CSV files ignore it.
    """
    path = Path(path)
    fmt = table_format(path)
    if path.parent and not path.parent.exists():
        raise SgauditError(f"{path.parent}: folder does not exist")
    if fmt == "csv":
        neutralise_frame(frame).to_csv(
            path, index=False, encoding=CSV_ENCODING, lineterminator="\r\n"
        )
    else:
        _write_xlsx(frame, path, dropdowns or {})
    return path


def _write_xlsx(
    frame: pd.DataFrame, path: Path, dropdowns: Mapping[str, Sequence[Sequence[str] | None]]
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    columns = [str(c) for c in frame.columns]
    ws.append([xlsx_text(c) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    ws.freeze_panes = "A2"
    for i, name in enumerate(columns, start=1):
        width = _WIDE_COLUMNS.get(name, max(12, min(30, len(name) + 4)))
        ws.column_dimensions[get_column_letter(i)].width = width
        if name in ("question", "note"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    if dropdowns:
        lists_ws = wb.create_sheet(LISTS_SHEET)
        lists_ws.sheet_state = "hidden"
        list_col = 0
        for name, per_row in dropdowns.items():
            if name not in columns:
                continue
            letter = get_column_letter(columns.index(name) + 1)
            groups: dict[tuple[str, ...], list[int]] = {}
            for r, values in enumerate(per_row, start=2):
                if values:
                    groups.setdefault(tuple(values), []).append(r)
            for values, rows in groups.items():
                list_col += 1
                lc = get_column_letter(list_col)
                for j, v in enumerate(values, start=1):
                    lists_ws.cell(row=j, column=list_col, value=xlsx_text(v))
                dv = DataValidation(
                    type="list",
                    formula1=f"={LISTS_SHEET}!${lc}$1:${lc}${len(values)}",
                    allow_blank=True,
                    # A warning, not a stop: a label such as "Agree" is accepted on import.
                    errorStyle="warning",
                    showErrorMessage=True,
                    error="Not one of the listed answers; sgaudit will check it on import.",
                )
                for first, last in _runs(rows):
                    dv.add(f"{letter}{first}:{letter}{last}")
                ws.add_data_validation(dv)
    wb.save(path)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _xlsx_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if value is pd.NA:
        return None
    return xlsx_text(value)
