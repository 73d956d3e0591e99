"""Check a table of register cells column by column, and type it, or refuse it whole.

Every problem is collected before anything is returned, each with the file, the row
(the header is row 1) and the column; `ImportError_` carries them all. Checks run
column by column over the whole table (no loop over rows). `reading.py` turns a
file into cells; `records.py` turns stored records into cells; both end here.
"""

from __future__ import annotations

import re

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
from sgaudit.safe_csv import TEXT_MARK, restore_formula
from sgaudit.vocab import mid_sentence

_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def normalise_header(name: object) -> str:
    """'Person code ' -> 'person_code': case, spaces and hyphens do not matter in headers."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower()).strip("_")


def check_kind(kind: str) -> None:
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
                    f"unknown column for the {mid_sentence(REGISTER_LABELS[kind])} (its columns are "
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


# Python's \s (Unicode whitespace) spelled out for RE2, the engine of pyarrow.compute.
_WHITESPACE = (
    r"[\t\n\v\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
)


def _collapse_spaces(text: pd.Series) -> pd.Series:
    """Runs of whitespace as one space, none at either end (a C++ pass over the column)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.to_numpy(dtype=object, na_value=None), pa.string())
    out = pc.utf8_trim(pc.replace_substring_regex(arr, _WHITESPACE, " "), " ")
    return pd.Series(out.to_numpy(zero_copy_only=False), index=text.index, dtype="string")


def _parse_column(spec: Column, text: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """(typed values, mask of cells that failed, message for a failed cell)."""
    given = text.notna()
    if spec.type in ("text", "code"):
        out = _collapse_spaces(text)
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
    # (`restore_formula`, for the whole column at once: only cells starting with "'"
    # are looked at, and only those the export marked lose their first character)
    quoted = text.str.startswith(TEXT_MARK).fillna(False).astype(bool)
    if not quoted.any():
        return text
    marked = quoted.copy()
    marked[quoted] = text[quoted].map(lambda v: restore_formula(v) != v)
    return text.where(~marked, text.str.slice(1))


def validate_cells(kind: str, cells: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate a frame of text cells (header as in the file, index = file row number).

    The shared core of `read_register` and `records_to_frame`. Raises ImportError_.
    """
    check_kind(kind)
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
