"""Read a register file (CSV or XLSX) into a validated, typed DataFrame, or refuse it whole.

Every problem is collected before anything is returned, each with the file, the row
(the header is row 1) and the column; `ImportError_` carries them all and nothing is
returned. Checks run column by column over the whole file (no loop over rows).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from sgaudit.errors import ImportError_, Problem
from sgaudit.registers.schema import (
    IDENTITY_HEADERS,
    PERSON_CODE,
    REGISTER_KINDS,
    REGISTER_LABELS,
    RULES,
    UNIQUE_KEYS,
    Column,
    columns_of,
)
from sgaudit.safe_csv import restore_formula

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def normalise_header(name: object) -> str:
    """'Person code ' -> 'person_code': case, spaces and hyphens do not matter in headers."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower()).strip("_")


def read_register(kind: str, path: str | Path) -> pd.DataFrame:
    """Read and validate one register file; see docs/registers.md for its columns.

    The frame's index is the file's row number (header = row 1); columns are typed
    (dates as datetime64, booleans and integers nullable, `links_to` as tuples).
    Raises ImportError_ listing every problem, including unreadable files, bad
    encoding, missing or unknown columns and identifying columns such as 'name'.
    """
    _check_kind(kind)
    file = Path(path)
    raw = _read_cells(file)
    return validate_cells(kind, raw, str(file))


def _check_kind(kind: str) -> None:
    if kind not in REGISTER_KINDS:
        raise ImportError_(
            [
                Problem(
                    "<register>",
                    None,
                    None,
                    f"unknown register '{kind}'; expected one of {', '.join(REGISTER_KINDS)}",
                )
            ]
        )


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
        frame = _read_csv(file) if suffix == ".csv" else _read_xlsx(file)
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
    import io

    try:
        return pd.read_csv(
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
    return frame.map(_xlsx_cell_text)


def _problems(file: str, rows: pd.Index, column: str, messages) -> list[Problem]:
    if isinstance(messages, str):
        messages = [messages] * len(rows)
    return [Problem(file, int(r), column, m) for r, m in zip(rows, messages, strict=True)]


def _check_header(
    kind: str, columns: list[object], file: str
) -> tuple[list[Problem], dict[str, object]]:
    """Problems with the header row, and the register column -> file column it is read from."""
    problems: list[Problem] = []
    specs = {c.name: c for c in columns_of(kind)}
    seen: dict[str, object] = {}
    for position, original in enumerate(columns, start=1):
        if (
            original is None
            or (isinstance(original, float) and np.isnan(original))
            or not str(original).strip()
        ):
            problems.append(Problem(file, 1, f"#{position}", "column has no header"))
            continue
        name = normalise_header(original)
        if name in IDENTITY_HEADERS:
            problems.append(
                Problem(
                    file,
                    1,
                    str(original),
                    "looks like it holds people's names or contact details; registers hold "
                    "pseudonymous codes only (e.g. P-0001) - remove this column",
                )
            )
        elif name not in specs:
            problems.append(
                Problem(
                    file,
                    1,
                    str(original),
                    f"unknown column for the {REGISTER_LABELS[kind].lower()} (its columns are "
                    f"{', '.join(specs)}); remove it - registers hold only what the audit needs",
                )
            )
        elif name in seen:
            problems.append(Problem(file, 1, str(original), f"column '{name}' appears twice"))
        else:
            seen[name] = original
    for spec in specs.values():
        if spec.name not in seen and not spec.optional_column:
            problems.append(Problem(file, 1, spec.name, "required column is missing"))
    return problems, seen


def _parse_column(spec: Column, text: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """(typed values, mask of cells that failed, message for a failed cell)."""
    given = text.notna()
    if spec.type in ("text", "code"):
        out = text.str.replace(r"\s+", " ", regex=True).str.strip()
        if spec.type == "code":
            # an '@' gets the email message instead (see validate_cells)
            emailish = text.str.contains("@", regex=False).fillna(False).astype(bool)
            bad = given & ~emailish & ~out.str.match(PERSON_CODE).fillna(False).astype(bool)
            return (
                out,
                bad,
                (
                    "does not look like a pseudonymous code (letters, digits and - _ . / with at least "
                    "one digit, no spaces, e.g. P-0001); never put a name or email here"
                ),
            )
        return out, pd.Series(False, index=text.index), ""
    if spec.type == "date":
        stripped = text.str.strip()
        iso = pd.to_datetime(
            stripped.where(stripped.str.match(_ISO).fillna(False).astype(bool)),
            format="%Y-%m-%d",
            errors="coerce",
        )
        uk = pd.to_datetime(
            stripped.where(stripped.str.match(_UK).fillna(False).astype(bool)),
            format="%d/%m/%Y",
            errors="coerce",
        )
        out = iso.fillna(uk).astype("datetime64[ns]")
        return out, given & out.isna(), "is not a date; use YYYY-MM-DD or dd/mm/yyyy"
    if spec.type == "int":
        stripped = text.str.strip()
        ok = stripped.str.fullmatch(r"\d{1,6}").fillna(False).astype(bool)
        out = pd.to_numeric(stripped.where(ok), errors="coerce").astype("Int64")
        return out, given & ~ok, "is not a whole number of 0 or more"
    if spec.type == "number":
        stripped = text.str.strip()
        ok = stripped.str.fullmatch(r"\d{1,6}(\.\d+)?|\.\d+").fillna(False).astype(bool)
        out = pd.to_numeric(stripped.where(ok), errors="coerce").astype("Float64")
        return out, given & ~ok, "is not a number of 0 or more (use '.' for decimals)"
    if spec.type == "bool":
        folded = text.str.strip().str.lower()
        out = pd.Series(pd.NA, index=text.index, dtype="boolean")
        out[folded.isin(_TRUE)] = True
        out[folded.isin(_FALSE)] = False
        return out, given & out.isna(), "is not true or false (yes/no and 1/0 also work)"
    if spec.type == "choice":
        folded = text.str.strip().str.lower().str.replace(r"[\s\-]+", "_", regex=True)
        ok = folded.isin(spec.choices)
        return folded.where(ok), given & ~ok, f"is not one of {', '.join(spec.choices)}"
    if spec.type == "list":
        parts = text.fillna("").str.split(";")
        out = parts.map(lambda items: tuple(p.strip() for p in items if p.strip()))
        return out, pd.Series(False, index=text.index), ""
    raise AssertionError(spec.type)  # pragma: no cover


def _unescape_formula(text: pd.Series) -> pd.Series:
    # undo the "'" that sgaudit's writers put before text a spreadsheet would run
    return text.map(restore_formula, na_action="ignore")


def validate_cells(kind: str, cells: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate a frame of text cells (header as in the file, index = file row number).

    The shared core of `read_register` and `records_to_frame`. Raises ImportError_.
    """
    _check_kind(kind)
    problems, used = _check_header(kind, list(cells.columns), file)
    specs = columns_of(kind)
    blank_row = (
        cells.isna().all(axis=1) if len(cells.columns) else pd.Series(True, index=cells.index)
    )
    cells = cells.loc[~blank_row]

    typed: dict[str, pd.Series] = {}
    failed: dict[str, pd.Series] = {}
    for spec in specs:
        if spec.name in used:
            column = cells.loc[:, [used[spec.name]]].iloc[:, 0].astype("string").astype(object)
            text = column.where(column.notna() & column.astype(str).str.strip().ne(""), np.nan)
            text = _unescape_formula(text.astype("string")).astype(object)
        else:
            text = pd.Series(np.nan, index=cells.index, dtype=object)
        text = text.astype("string")
        values, bad, message = _parse_column(spec, text)
        label = str(used.get(spec.name, spec.name))
        shown = text.fillna("").str.slice(0, 60)
        if bad.any():
            problems += _problems(
                file, cells.index[bad], label, ("'" + shown[bad] + "' " + message).tolist()
            )
        if spec.required and spec.name in used:
            missing = text.isna()
            problems += _problems(file, cells.index[missing], label, "a value is needed")
        if spec.type in ("text", "code", "list"):
            emailish = text.str.contains("@", regex=False).fillna(False).astype(bool) & ~bad
            problems += _problems(
                file,
                cells.index[emailish],
                label,
                "contains '@', which looks like an email address; registers hold no contact "
                "details or names",
            )
            bad = bad | emailish
        typed[spec.name] = values.where(~bad) if spec.type != "list" else values
        failed[spec.name] = bad

    frame = pd.DataFrame(typed, index=cells.index)
    for spec in specs:
        if spec.type in ("text", "code"):
            frame[spec.name] = frame[spec.name].astype("string")
    present = {s.name for s in specs if s.name in used}
    for rule in RULES[kind]:
        if rule.column not in present:
            continue
        hit = rule.bad(frame).fillna(False).astype(bool) & ~failed[rule.column]
        problems += _problems(file, frame.index[hit], str(used[rule.column]), rule.message)
    problems += _duplicate_problems(kind, frame, used, file)
    problems += _person_consistency_problems(kind, frame, used, file)

    if problems:
        order = {s.name: i for i, s in enumerate(specs)}
        problems.sort(key=lambda p: (p.row or 0, order.get(normalise_header(p.column or ""), -1)))
        raise ImportError_(problems)
    frame.index.name = "row"
    return frame


def _duplicate_problems(kind: str, frame: pd.DataFrame, used: dict, file: str) -> list[Problem]:
    key = UNIQUE_KEYS.get(kind)
    if not key or not set(key) <= set(used):
        return []
    filled = frame[list(key)].notna().all(axis=1)
    dup = frame[list(key)].duplicated(keep="first") & filled
    if not dup.any():
        return []
    first_row = (
        frame.loc[filled].reset_index().groupby(list(key), dropna=False)["row"].transform("min")
    )
    first_row.index = frame.index[filled]
    rows = frame.index[dup]
    what = " and ".join(key)
    return _problems(
        file,
        rows,
        str(used[key[0]]),
        [f"repeats the {what} of row {first_row[r]}; each must be unique" for r in rows],
    )


def _person_consistency_problems(
    kind: str, frame: pd.DataFrame, used: dict, file: str
) -> list[Problem]:
    """In the training register a person's role group, area and start date must agree on every row."""
    if kind != "training" or "person_code" not in used:
        return []
    out: list[Problem] = []
    for column in ("role_group", "service_area", "start_date"):
        if column not in used:
            continue
        first = frame.groupby("person_code")[column].transform("first")
        differs = (
            frame["person_code"].notna()
            & frame[column].notna()
            & first.notna()
            & frame[column].ne(first)
        )
        differs = differs.fillna(False).astype(bool)
        if differs.any():
            shown = first[differs].astype(str).str.slice(0, 10)
            out += _problems(
                file,
                frame.index[differs],
                str(used[column]),
                (
                    "differs from this person's first row ('"
                    + shown
                    + "'); a person has one "
                    + column
                    + " in the register"
                ).tolist(),
            )
    return out
