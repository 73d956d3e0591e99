"""Registers as JSON-safe records (for the store) and as CSV text safe to open in a spreadsheet.

The store keeps one `register_entry` row per register row with its `data` as JSON:
`rows_to_records` gives those dicts (dates as ISO strings; `FrameRecords` a batch at a
time, for an import) and `records_to_frame`
turns them back into the typed, validated frame `read_register` returns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sgaudit.registers.schema import columns_of
from sgaudit.registers.validation import validate_cells
from sgaudit.safe_csv import neutralise_frame


def rows_to_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """One JSON-safe dict per row, in row order: str, int, float, bool, None, ISO dates, lists.

    Only register columns are kept; the row numbers are `df.index` (file row numbers).
    """
    names = list(df.columns)
    if not names:
        return [{} for _ in range(len(df))]
    # astype(object) gives plain Python int / float / bool / str, which JSON takes as they
    # are; the dicts are built from whole columns (pandas' to_dict boxes cell by cell),
    # each column's values taken as a list at once (no frame is built to hold them)
    columns = []
    for column in names:
        s = df[column]
        if column == "links_to":
            columns.append(s.map(_as_list).astype(object).tolist())
            continue
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        s = s.astype(object)
        columns.append(s.where(s.notna(), None).tolist())
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


class FrameRecords(Sequence):
    """`rows_to_records(df)` worked out a slice at a time, as a store writes them.

    A million-row register as a million dicts (and a Python object per cell) is most of
    an import's memory; the store's bulk write asks for the records a batch at a time
    (`records[start:stop]`), so only one batch is ever built.
    """

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    def __len__(self) -> int:
        return len(self._df)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return rows_to_records(self._df.iloc[index])
        return rows_to_records(self._df.iloc[[index]])[0]


def _as_list(value: Any) -> list[str]:
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [p.strip() for p in value.split(";") if p.strip()]
    return []


def _as_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) or np.nan
    return str(value)


def records_to_frame(
    kind: str, records: list[dict[str, Any]], row_numbers: list[int] | None = None
) -> pd.DataFrame:
    """The typed register frame from stored records, validated exactly as a file is.

    `row_numbers` restores the original file row numbers (default 2, 3, ...).
    Raises ImportError_ (file '<stored KIND register>') if a record no longer validates.
    """
    names = [c.name for c in columns_of(kind)]
    cells = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=names)
    cells = cells.astype(object).map(_as_text) if len(cells) else cells.astype(object)
    start = 2
    cells.index = pd.Index(
        row_numbers if row_numbers is not None else range(start, start + len(cells)), name="row"
    )
    return validate_cells(kind, cells, f"<stored {kind} register>")


def register_to_csv(df: pd.DataFrame, path: str | Path | None = None) -> str:
    """The register as UTF-8 CSV text (written to `path` too if given).

    A text cell that a spreadsheet would run as a formula (starting = + - @ or a tab)
    is written with a leading "'" (sgaudit.safe_csv) so it shows as text;
    `read_register` removes it again.
    """
    records = rows_to_records(df)
    frame = (
        pd.DataFrame.from_records(records, columns=list(df.columns))
        if records
        else (pd.DataFrame(columns=list(df.columns)))
    )
    text = neutralise_frame(frame.astype(object).map(_as_text))
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, lineterminator="\n")
    out = buffer.getvalue()
    if path is not None:
        Path(path).write_text(out, encoding="utf-8")
    return out
