"""Stored register records back to the typed register frame, without checking them again.

Every register row in the store passed the register file's validation on its way in:
`import_register`, an archive import (`archive_checks.register_problems`) and the demo
all run `records_to_frame` / `validate_cells` before anything is written, and the rows
are written as `rows_to_records` gives them (text tidied, dates as ISO strings, lists
as lists). Reading them back for the indicators only needs each column typed as
`validate_cells` types it, one column at a time (no loop over rows).

What is not parsed again is the text itself (spaces, code patterns, '@'). The rules
across cells (a learning record needs its date, hours and kind; no repeated key; one
role group per person) are cheap on typed columns and are checked again. Should a
stored row not have the store's shape (an unknown column, a cell of the wrong type, a
date that is not YYYY-MM-DD, a required cell empty) or break a rule, `stored_frame`
hands the register to `records_to_frame`, which checks it in full and names the row
and column that no longer passes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sgaudit.registers.schema import RULES, UNIQUE_KEYS, Column, columns_of

_TEXT = ("text", "code", "choice")
_PLAIN = {"int": "Int64", "number": "Float64", "bool": "boolean"}
_JSON_TYPES = {"int": (int,), "number": (int, float), "bool": (bool,)}


def records_to_frame(kind: str, records: list[dict[str, Any]], row_numbers=None) -> pd.DataFrame:
    """The full check (`registers.records.records_to_frame`), loaded only when needed."""
    from sgaudit.registers.records import records_to_frame as full_check

    return full_check(kind, records, row_numbers=row_numbers)


class _NotAsStored(Exception):
    """A stored cell is not in the form the store writes: check the register in full."""


def _typed(spec: Column, values: list[Any]) -> Any:
    """The column's values as the array its frame column holds (see `validate_cells`)."""
    given = [v is not None for v in values]
    if spec.required and not all(given):
        raise _NotAsStored  # "a value is needed": let the full check say where
    if spec.type in _TEXT:
        if any(g and (not isinstance(v, str) or not v) for v, g in zip(values, given, strict=True)):
            raise _NotAsStored
        return pd.array(values, dtype="string")
    if spec.type == "date":
        if any(g and not isinstance(v, str) for v, g in zip(values, given, strict=True)):
            raise _NotAsStored
        out = pd.to_datetime(
            np.array(values, dtype=object), format="%Y-%m-%d", errors="coerce"
        ).to_numpy(dtype="datetime64[ns]")
        if (np.isnat(out) & np.asarray(given, dtype=bool)).any():
            raise _NotAsStored
        return out
    if spec.type in _PLAIN:
        kinds = _JSON_TYPES[spec.type]
        if any(
            g and (not isinstance(v, kinds) or (spec.type != "bool" and isinstance(v, bool)))
            for v, g in zip(values, given, strict=True)
        ):
            raise _NotAsStored
        return pd.array(values, dtype=_PLAIN[spec.type])
    if spec.type == "list":
        if any(g and not isinstance(v, list | tuple) for v, g in zip(values, given, strict=True)):
            raise _NotAsStored
        out = np.empty(len(values), dtype=object)  # one tuple per cell, not a 2-D array
        for i, v in enumerate(values):
            out[i] = tuple(str(p) for p in v) if v is not None else ()
        return out
    raise _NotAsStored  # pragma: no cover - a column type this reader does not know


def stored_frame(
    kind: str, records: list[dict[str, Any]], row_numbers: list[int] | None = None
) -> pd.DataFrame:
    """The typed register frame of stored records: what `records_to_frame` returns for them.

    `row_numbers` are the original file rows (default 2, 3, ...). Records not in the
    store's own form are checked in full by `records_to_frame` (ImportError_ if they no
    longer pass).
    """
    specs = columns_of(kind)
    names = {c.name for c in specs}
    rows = row_numbers if row_numbers is not None else list(range(2, 2 + len(records)))
    if not records or any(r.keys() - names for r in records):
        return records_to_frame(kind, records, row_numbers=row_numbers)
    index = pd.Index(rows, name="row")
    try:
        columns = {spec.name: _typed(spec, [r.get(spec.name) for r in records]) for spec in specs}
    except _NotAsStored:
        return records_to_frame(kind, records, row_numbers=row_numbers)
    frame = pd.DataFrame(columns, index=index, copy=False)
    blank = any(all(v is None or v == [] for v in r.values()) for r in records)
    if blank or _breaks_a_rule(kind, frame):
        return records_to_frame(kind, records, row_numbers=row_numbers)
    return frame


def _breaks_a_rule(kind: str, frame: pd.DataFrame) -> bool:
    """The register's rules across cells (a learning record needs a date, no repeated
    keys, one role group per person): cheap on typed columns, so checked again.

    Only whether any rule is broken is asked here (a broken one sends the register to
    the full check, which names the rows), so the keys and the people are checked with
    sets of a few hundred values rather than pandas' groupings: a key is repeated when
    two rows with every key cell filled share it (`_duplicate_problems`), and a person
    disagrees with their first row when they have two different values in a column
    (`_person_consistency_problems`)."""
    if any(rule.bad(frame).to_numpy(dtype=bool, na_value=False).any() for rule in RULES[kind]):
        return True
    key = UNIQUE_KEYS.get(kind)
    if key and set(key) <= set(frame.columns):
        filled = [k for k in zip(*(_cells(frame[c]) for c in key), strict=True) if None not in k]
        if len(set(filled)) < len(filled):
            return True
    if kind == "training" and "person_code" in frame.columns:
        people = _cells(frame["person_code"])
        for column in ("role_group", "service_area", "start_date"):
            if column not in frame.columns:
                continue
            pairs = {
                (p, v)
                for p, v in zip(people, _cells(frame[column]), strict=True)
                if p is not None and v is not None
            }
            if len(pairs) > len({p for p, _ in pairs}):
                return True
    return False


def _cells(column: pd.Series) -> list[Any]:
    """A column's cells as Python values, None for a blank one."""
    blank = column.isna().to_numpy()
    return [None if b else v for v, b in zip(column.tolist(), blank, strict=True)]
