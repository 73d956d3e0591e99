"""Who each row of an export is: its response key, and the pseudonymous code it gets.

A respondent is identified by the tool's own response id (Microsoft Forms' `ID` with
the response's start time, SurveyMonkey's `Respondent ID`, ODK's `meta/instanceID` or
Kobo's `_uuid`), or by the submission time where the tool gives no id (Google Forms'
`Timestamp`). The key is stored on the interview, so a later export of the same
survey updates the people already imported and adds only the new ones.

Codes are drawn at random (`FL-S7K3QXA`) and checked against the audit's codes and
each other, so two respondents never share one; nothing about the person or the row
goes into the code.
"""

from __future__ import annotations

import hashlib
import secrets

import numpy as np
import pandas as pd

from sgaudit.errors import Problem, SgauditError
from sgaudit.sheets.columns import header_key
from sgaudit.sheets.reading import ROW
from sgaudit.store.changes import _CODE_ALPHABET, TIER_CODE_PREFIX
from sgaudit.surveys.detect import SurveyTool
from sgaudit.surveys.times import completion_times

CODE_LENGTH = 7  # 32**7 = 34 billion codes per tier


def find_header(headers: list[str], names: tuple[str, ...]) -> str | None:
    """The first of `names` present among `headers` (compared as header_key)."""
    by_key = {header_key(h): h for h in headers}
    for name in names:
        if header_key(name) in by_key:
            return by_key[header_key(name)]
    return None


def response_keys(
    file: str, frame: pd.DataFrame, tool: SurveyTool
) -> tuple[pd.Series, list[str], list[Problem]]:
    """(key per row, the headers the key came from, problems: blank or repeated keys)."""
    headers = [h for h in frame.columns if h != ROW]
    used = [h for group in tool.key_columns if (h := find_header(headers, group))]
    if tool.id == "wide":
        used = used[:1]  # a sheet's id, else its timestamp
    problems: list[Problem] = []
    if not used:
        # No id at all (a hand-made sheet): the row's number and cells, hashed in
        # full, so the same file imported again updates the same respondents.
        cells = frame[headers].astype(str).agg("\x1f".join, axis=1)
        keys = (frame[ROW].astype(str) + "\x1e" + cells).map(
            lambda k: "row:" + hashlib.sha256(k.encode("utf-8")).hexdigest()
        )
        return keys, [], problems
    parts = [_same_in_every_download(frame[h], h, tool) for h in used]
    if tool.id in ("odk", "kobo"):
        # Kobo's _uuid is ODK's instanceID without its 'uuid:' prefix: one key for both.
        parts[0] = parts[0].str.replace(r"^uuid:", "", regex=True)
    blank = pd.concat(parts, axis=1).eq("").any(axis=1)
    for r in frame.loc[blank, ROW]:
        problems.append(Problem(file, int(r), used[0], "the response id is empty"))
    prefix = "instance" if tool.id in ("odk", "kobo") else tool.id
    keys = parts[0]
    for p in parts[1:]:
        keys = keys + "@" + p
    keys = prefix + ":" + keys
    repeated = keys.duplicated(keep="first") & ~blank
    if repeated.any():
        first_row = frame.groupby(keys)[ROW].transform("first")
        for r, f in zip(frame.loc[repeated, ROW], first_row[repeated], strict=True):
            problems.append(
                Problem(
                    file,
                    int(r),
                    used[0],
                    (
                        f"the same response as row {int(f)} (the same {' and '.join(used)}); "
                        "remove one of the two rows"
                    ),
                )
            )
    return keys, used, problems


_TIME_KEYS = frozenset({"start_time", "timestamp", "submitted_at", "submission_time",
                        "completion_time"})  # fmt: skip


def _same_in_every_download(values: pd.Series, header: str, tool: SurveyTool) -> pd.Series:
    """A key column as text that does not depend on the file type: a time written
    `3/14/2027 10:17:33` in a csv is a date cell in an xlsx (read `2027-03-14T10:17:33`)."""
    text = values.astype(str).str.strip()
    if header_key(header) not in _TIME_KEYS:
        return text
    times, bad = completion_times(text, tool.date_orders)
    return text if bad is not None else times.where(text.ne(""), "")


def draw_codes(tiers: pd.Series, taken: set[str]) -> pd.Series:
    """A new random code per row, unique among `taken` and each other.

    Seven characters from a 32-letter alphabet (32 divides 256, so every byte maps to a
    letter without bias); the rare code drawn twice, or already in the audit, is drawn
    again.
    """
    prefix = tiers.map(TIER_CODE_PREFIX).fillna("SV").astype(str) + "-S"
    alphabet = np.array(list(_CODE_ALPHABET))
    codes = pd.Series("", index=tiers.index, dtype=object)
    todo = pd.Series(True, index=tiers.index)
    for _ in range(100):  # each round leaves ~n**2 / 32**7 clashes: one round in practice
        n = int(todo.sum())
        if not n:
            return codes
        raw = np.frombuffer(secrets.token_bytes(n * CODE_LENGTH), dtype=np.uint8)
        letters = alphabet[raw % len(_CODE_ALPHABET)].reshape(n, CODE_LENGTH)
        codes[todo] = prefix[todo] + pd.Series(
            ["".join(row) for row in letters], index=codes.index[todo]
        )
        todo = codes.duplicated(keep="first") | codes.isin(taken)
    raise SgauditError("could not draw unique respondent codes")  # pragma: no cover
