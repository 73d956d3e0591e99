"""Read a register file (CSV or XLSX) into a validated, typed DataFrame, or refuse it whole.

This module only turns a file into a table of text cells (reporting unreadable files,
wrong types and bad encodings); `validation.validate_cells` checks and types them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from sgaudit.errors import ImportError_, Problem
from sgaudit.limits import MAX_CSV_BYTES, LimitExceeded, read_limited_bytes
from sgaudit.registers.validation import check_kind, validate_cells
from sgaudit.xlsx_guard import check_xlsx

SUPPORTED_SUFFIXES = (".csv", ".xlsx")


def read_register(kind: str, path: str | Path) -> pd.DataFrame:
    """Read and validate one register file; see docs/registers.md for its columns.

    The frame's index is the file's row number (header = row 1); columns are typed
    (dates as datetime64, booleans and integers nullable, `links_to` as tuples).
    Raises ImportError_ listing every problem, including unreadable files, bad
    encoding, missing or unknown columns and identifying columns such as 'name'.
    """
    check_kind(kind)
    file = Path(path)
    raw = _read_cells(file)
    return validate_cells(kind, raw, str(file))


def _read_cells(file: Path) -> pd.DataFrame:
    """The file's cells as text (NaN for blank), header as given, index = file row number."""
    name = str(file)
    if not file.exists():
        raise ImportError_([Problem(name, None, None, "no such file")])
    if not file.is_file():
        raise ImportError_([Problem(name, None, None, "is not a file")])
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportError_(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"unsupported file type '{suffix or '(none)'}'; save it as .csv (UTF-8) or .xlsx",
                )
            ]
        )
    try:
        if suffix == ".csv":
            read_limited_bytes(file, MAX_CSV_BYTES, "register")  # size, regular file
        else:
            check_xlsx(file)  # extent, zip bombs, formulas without a saved value
        frame = _read_csv(file) if suffix == ".csv" else _read_xlsx(file)
    except LimitExceeded as exc:
        raise ImportError_([Problem(name, None, None, str(exc))]) from None
    except OSError as exc:
        raise ImportError_(
            [Problem(name, None, None, f"cannot be read: {exc.strerror or exc}")]
        ) from exc
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def _read_csv(file: Path) -> pd.DataFrame:
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportError_(
            [
                Problem(
                    str(file),
                    row,
                    None,
                    f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
                    "save it as 'CSV UTF-8' and import again",
                )
            ]
        ) from exc
    if not text.strip():
        raise ImportError_([Problem(str(file), None, None, "is empty (no header row)")])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportError_(
            [Problem(str(file), None, None, f"is not a readable CSV file: {exc}")]
        ) from exc
    return _as_typed(frame, next(csv.reader(io.StringIO(text)), []))


def _as_typed(frame: pd.DataFrame, header: list[object]) -> pd.DataFrame:
    """`frame` under the header as the file has it: pandas renames a repeated header
    ('hours' again becomes 'hours.1') and names a blank one 'Unnamed: 3', so the check
    would report a column the file does not have instead of the one repeated or blank."""
    if len(header) == len(frame.columns):
        frame.columns = [h if str(h).strip() else np.nan for h in header]
    return frame


def _xlsx_cell_text(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else np.nan


def _read_xlsx(file: Path) -> pd.DataFrame:
    try:
        sheets = pd.read_excel(file, sheet_name=None, dtype=object, header=0, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportError_(
            [Problem(str(file), None, None, f"is not a readable .xlsx workbook ({exc})")]
        ) from exc
    if not sheets:
        raise ImportError_([Problem(str(file), None, None, "has no worksheets")])
    frame = next(iter(sheets.values()))  # the first sheet holds the register
    if frame.columns.empty:
        raise ImportError_([Problem(str(file), None, None, "is empty (no header row)")])
    frame.columns = [np.nan if str(c).startswith("Unnamed:") else c for c in frame.columns]
    return _as_typed(frame.map(_xlsx_cell_text), _first_row(file))


def _first_row(file: Path) -> list[object]:
    """The header cells of the workbook's first sheet, as typed."""
    from openpyxl import load_workbook

    wb = load_workbook(file, read_only=True)
    try:
        row = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
    finally:
        wb.close()
    return [np.nan if c is None else c for c in row]
