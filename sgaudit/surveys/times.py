"""Completion times as the survey tools write them, turned into interview dates.

A column is read with the first date order under which every one of its values
parses, so a UK export (`14/03/2027 10:22`) and a US one (`3/14/2027 10:22:33 AM`)
both read right; where a column fits both orders (every day 12 or less) the tool's
own order wins (month first for Microsoft Forms and SurveyMonkey). Time zones after
the time (`GMT`, `GMT+1`, `+01:00`, `Z`) are dropped: the date is the respondent's.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from sgaudit.errors import Problem

_ZONE = re.compile(r"(\s*(GMT|UTC)([+-]\d{1,2}(:?\d{2})?)?|Z|[+-]\d{2}:?\d{2})$", re.IGNORECASE)
_FORMATS: dict[str, tuple[str, ...]] = {
    "ymd": (
        "%Y-%m-%dT%H:%M:%S.%f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%Y/%m/%d %I:%M:%S %p",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d",
    ),
    "mdy": (
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%y %H:%M",
        "%m/%d/%Y",
    ),
    "dmy": (
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%d/%m/%y %H:%M",
        "%d/%m/%Y",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y",
    ),
}


def _parse(text: str, formats: tuple[str, ...]) -> str | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).isoformat()
        except ValueError:
            continue
    return None


def completion_dates(values: pd.Series, orders: tuple[str, ...]) -> tuple[pd.Series, str | None]:
    """ISO dates for a column of completion times, and the first value that fits no
    date order (None when all fit). Blank cells stay blank."""
    times, bad = completion_times(values, orders)
    return times.str.slice(0, 10), bad


def completion_times(values: pd.Series, orders: tuple[str, ...]) -> tuple[pd.Series, str | None]:
    """ISO date-times (`2027-03-14T10:22:33`) for a column of times as a tool writes them,
    so a csv and an xlsx download of one survey give the same text."""
    text = values.astype(str).str.strip().str.replace(_ZONE, "", regex=True).str.strip()
    distinct = [v for v in pd.unique(text) if v]
    first_failure: str | None = None
    for order in dict.fromkeys((*orders, "ymd")):
        formats = _FORMATS["ymd"] + (_FORMATS[order] if order != "ymd" else ())
        parsed = {v: _parse(v, formats) for v in distinct}
        failed = [v for v, p in parsed.items() if p is None]
        if not failed:
            return text.map(parsed).fillna(""), None
        first_failure = first_failure or failed[0]
    return pd.Series("", index=values.index, dtype=object), first_failure


# ---- completion dates against today and the audit's fieldwork --------------------------
def today() -> date:
    """Today's date (a function, so a test can move the clock)."""
    return date.today()


def future_date_problems(
    name: str, rows: pd.Series, dates: pd.Series, header: str, now: date
) -> list[Problem]:
    """A completion date after today: the file's clock or dates are wrong, so refused."""
    later = dates.ne("") & dates.gt(now.isoformat())
    return [
        Problem(
            name,
            int(r),
            header,
            f"completed on {d}, which is in the future (today is {now.isoformat()}); "
            "the completion time becomes the interview date: check the export",
        )
        for r, d in zip(rows[later], dates[later], strict=True)
    ]


def outside_fieldwork(
    rows: pd.Series, dates: pd.Series, start: date | None, end: date | None
) -> tuple[tuple[int, str], ...]:
    """(row, date) of the responses completed before the audit's start or after its end."""
    outside = pd.Series(False, index=dates.index)
    if start is not None:
        outside |= dates.ne("") & dates.lt(start.isoformat())
    if end is not None:
        outside |= dates.ne("") & dates.gt(end.isoformat())
    return tuple((int(r), str(d)) for r, d in zip(rows[outside], dates[outside], strict=True))


def fieldwork_dates(start: date | None, end: date | None) -> str:
    """The audit's dates as a warning names them ("2026-01-12 to 2026-03-13")."""
    if start and end:
        return f"{start.isoformat()} to {end.isoformat()}"
    if start:
        return f"from {start.isoformat()}"
    return f"until {end.isoformat()}" if end else ""
