"""Read a CSV or XLSX file into a frame of text cells, row numbers as a spreadsheet shows them.

Every cell comes back as a string ("" for an empty cell), exactly as typed (apart
from the apostrophe `safe_csv` adds on export), so validation sees what the user wrote. An unreadable file raises `ImportError_` at once; smaller
structural problems (a repeated or missing header, a row with extra cells) are
returned with the frame so they are reported together with the content problems.

Encodings: CSV files must be UTF-8 (with or without a byte-order mark, as Excel's
"CSV UTF-8" writes them). Anything else is refused with advice rather than guessed,
because a wrong guess silently garbles notes; `encoding="cp1252"` reads a file saved
with Excel's plain "CSV (Comma delimited)" on Windows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from sgaudit.errors import ImportError_, Problem
from sgaudit.limits import (
    MAX_CELL_CHARS,
    MAX_CSV_BYTES,
    MAX_CSV_CELLS,
    MAX_SHEET_COLUMNS,
    LimitExceeded,
    read_limited_bytes,
)
from sgaudit.safe_csv import _MARKED
from sgaudit.sheets.columns import header_key

ROW = "_row"  # column holding the spreadsheet row number (header = row 1)
_DELIMITERS = (",", ";", "\t")


@dataclass
class Table:
    """The cells of a file: `frame` has one str column per header plus `_row`."""

    name: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def read_table(path: str | Path, *, encoding: str | None = None) -> Table:
    """Read `path` (.csv, .txt or .xlsx/.xlsm) into text cells."""
    header, rows = read_records(path, encoding=encoding)
    return table_from_records(Path(path).name, header, rows)


def read_records(
    path: str | Path, *, encoding: str | None = None
) -> tuple[list[str], list[list[str]]]:
    """The header row and the other rows of `path` as text cells, nothing interpreted
    (for exports whose header spans two rows)."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImportError_([Problem(name, None, None, f"file not found: {path}")])
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        if suffix in (".csv", ".txt", ".tsv"):
            return _read_csv(path, encoding)
    except LimitExceeded as exc:
        raise ImportError_([Problem(name, None, None, str(exc))]) from None
    raise ImportError_(
        [Problem(name, None, None, "unsupported file type; use a .csv or .xlsx file")]
    )


def read_header(path: str | Path, *, encoding: str | None = None) -> list[str]:
    """The header row of `path` alone, to tell which kind of file it is: a CSV's first
    record is parsed (same encoding and delimiter rules as `read_records`) without
    reading the rows under it into memory; a workbook is read as `read_records` reads it."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return read_records(path, encoding=encoding)[0]
    if not path.is_file():
        raise ImportError_([Problem(path.name, None, None, f"file not found: {path}")])
    try:
        text = _decode(path, encoding)
    except LimitExceeded as exc:
        raise ImportError_([Problem(path.name, None, None, str(exc))]) from None
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count) if first else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = next(reader, [])
    except csv.Error as exc:
        raise ImportError_(
            [Problem(path.name, None, None, f"is not a readable CSV file: {exc}")]
        ) from None
    if not any(c.strip() for c in header):
        raise ImportError_([Problem(path.name, 1, None, "the file is empty or has no header row")])
    return header


def _decode(path: Path, encoding: str | None) -> str:
    data = read_limited_bytes(path, MAX_CSV_BYTES, "CSV sheet")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ImportError_(
                [Problem(path.name, None, None, f"cannot be read as {encoding}: {exc}")]
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportError_(
                [
                    Problem(
                        path.name,
                        None,
                        None,
                        f"encoding problem: the file starts as UTF-16 but is not UTF-16 text "
                        f"({exc.reason} at byte {exc.start}). Save it again as 'CSV UTF-8'",
                    )
                ]
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportError_(
            [
                Problem(
                    path.name,
                    line,
                    None,
                    f"encoding problem: the file is not UTF-8 text (byte 0x{data[exc.start]:02x} "
                    f"on line {line}). Save it from your spreadsheet as 'CSV UTF-8', or, if it "
                    "was saved as Excel's plain 'CSV (Comma delimited)', import it with "
                    "--encoding cp1252",
                )
            ]
        ) from None


def _read_csv(path: Path, encoding: str | None) -> tuple[list[str], list[list[str]]]:
    text = _decode(path, encoding)
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count) if first else ","
    try:
        records = _limited_rows(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        )
    except csv.Error as exc:
        raise ImportError_(
            [Problem(path.name, None, None, f"is not a readable CSV file: {exc}")]
        ) from None
    if not records or not any(c.strip() for c in records[0]):
        raise ImportError_([Problem(path.name, 1, None, "the file is empty or has no header row")])
    return records[0], records[1:]


def _limited_rows(rows) -> list[list[str]]:  # noqa: ANN001
    """The rows of a reader, refused as soon as they pass the sheet limits."""
    out: list[list[str]] = []
    cells = 0
    for row in rows:
        cells += len(row)
        if len(row) > MAX_SHEET_COLUMNS:
            raise LimitExceeded(
                f"row {len(out) + 1} has {len(row)} columns, over the limit of {MAX_SHEET_COLUMNS}"
            )
        if cells > MAX_CSV_CELLS:
            raise LimitExceeded(f"has more than {MAX_CSV_CELLS:,} cells, the limit for a CSV sheet")
        if max(map(len, row), default=0) > MAX_CELL_CHARS:
            raise LimitExceeded(
                f"row {len(out) + 1} has a cell of more than {MAX_CELL_CHARS} characters, the "
                "limit for a cell"
            )
        out.append(row)
    return out


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    from sgaudit.xlsx_guard import check_xlsx

    check_xlsx(path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportError_(
            [Problem(path.name, None, None, f"is not a readable .xlsx workbook: {exc}")]
        ) from None
    ws = wb["Answers"] if "Answers" in wb.sheetnames else wb.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    wb.close()
    if not rows or not any(c for c in rows[0]):
        raise ImportError_([Problem(path.name, 1, None, "the sheet is empty or has no header row")])
    return rows[0], rows[1:]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _restore_formulas(column: pd.Series) -> pd.Series:
    """`restore_formula` over a whole column, vectorised."""
    marked = column.str.match(_MARKED.pattern)
    return column.where(~marked, column.str[1:]).astype(object)


def table_from_records(
    name: str, header: list[str], rows: list[list[str]], first_row: int = 2
) -> Table:
    """A `Table` of `rows` under `header`; the first of `rows` is spreadsheet row `first_row`."""
    problems: list[Problem] = []
    header = [h.strip() for h in header]
    width = len(header)
    # Trailing empty header cells are common in spreadsheets; keep them only if used.
    while (
        width
        and not header[width - 1]
        and not any(len(r) >= width and str(r[width - 1]).strip() for r in rows)
    ):
        width -= 1
    header = header[:width]
    seen: dict[str, int] = {}
    columns: list[str] = []
    for i, h in enumerate(header):
        label = h or f"(column {i + 1})"
        if not h:
            problems.append(Problem(name, 1, label, "this column has values but no header"))
        # Compared as the importer reads them: 'interview_id' and 'Interview ID' are one
        # column, and the second would otherwise be dropped without a word.
        key = header_key(h) or h.casefold()
        if key in seen:
            first = header[seen[key]]
            twice = (
                f"column '{h}' appears twice (columns {seen[key] + 1} and {i + 1})"
                if first.casefold() == h.casefold()
                else f"columns '{first}' ({seen[key] + 1}) and '{h}' ({i + 1}) are the same "
                "column written two ways; keep one"
            )
            problems.append(Problem(name, 1, h, twice))
            label = f"{h} ({i + 1})"
        seen.setdefault(key, i)
        columns.append(label)

    # Column by column over the whole file (a million rows: no Python loop per cell).
    # Cells are not stripped here: a note keeps its spaces; identifiers are stripped
    # by the importer.
    longest = max(map(len, rows), default=0)
    if any(len(r) != longest for r in rows):  # ragged rows (a short last line): pad them
        rows = [[*r, *[None] * (longest - len(r))] for r in rows]
    grid = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame()
    grid = grid.reindex(columns=range(max(width, grid.shape[1])))
    grid = grid.where(grid.notna(), "").astype(str)
    filled = pd.DataFrame({c: grid[c].str.strip().ne("") for c in grid.columns})
    keep = filled.any(axis=1) if len(filled.columns) else pd.Series(False, index=grid.index)
    numbers = pd.Series(range(first_row, len(grid) + first_row), index=grid.index)
    if grid.shape[1] > width:
        over = filled.iloc[:, width:].any(axis=1) & keep
        for i in over[over].index:  # only the rows that are too long
            problems.append(
                Problem(
                    name,
                    int(numbers[i]),
                    None,
                    f"has {len(rows[i])} cells but the header has {width} columns",
                )
            )
    grid = grid.loc[keep, list(range(width))]
    grid.columns = columns
    frame = pd.DataFrame(
        {c: _restore_formulas(grid[c]) for c in columns}, index=grid.index, dtype=object
    ).reset_index(drop=True)
    frame[ROW] = numbers[keep].astype("int64").to_numpy()
    return Table(name=name, frame=frame, problems=problems)
