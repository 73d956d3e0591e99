"""Tables on the app's pages drawn whole: a short table as tall as its rows, and a
read-only one that wraps, with every cell shown as typed."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from app_pages._shared import literal

SHORT_TABLE_ROWS = 20  # a table up to this long shows every row, with no inner scroll


def table_height(rows: int, long: int | str = "auto") -> int | str:
    """The `height` of an st.dataframe or st.data_editor of `rows` rows: a short table
    as tall as its rows (no inner scroll hiding the last ones), a long one `long` (by
    default Streamlit's: ten rows, then scroll). Streamlit's default cut any table of
    eleven rows or more, so a row per theme lost its last theme."""
    return "content" if rows <= SHORT_TABLE_ROWS else long


_BLOCK_START = re.compile(r"^([-+*]|\d+[.)])(?=\s|$)", re.MULTILINE)


def table_text(value):
    """A cell of `static_table` shown as typed: st.table reads every cell as Markdown,
    so a cell of "-" became a list bullet, and typed text could become a link."""
    if not isinstance(value, str):
        return value
    text = literal(re.sub(r"^[ \t]+", "", value, flags=re.MULTILINE))  # no code block
    return _BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def static_table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> None:
    """A short read-only table drawn whole: every row, every column, long text wrapped
    (st.table, no inner scroll and no cut-off cell). Every cell and heading is shown as
    typed (`table_text`); `formats` (column: format) writes numbers, "—" where missing."""
    shown = frame.map(table_text).rename(columns=table_text)
    st.table(shown.style.format(formats, na_rep="—") if formats else shown, hide_index=True)
