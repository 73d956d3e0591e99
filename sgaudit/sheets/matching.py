"""How typed values are matched to sgaudit's vocabulary (documented in docs/formats.md).

Matching ignores case, spaces, underscores, hyphens and apostrophes, so "Strongly
agree", "strongly_agree" and "STRONGLY-AGREE" are the same answer, and "Don't know",
"dont know" and "dont_know" all mean `dont_know`. An answer may be given as the
scale's value or its label ("3" or "3 - In place and consistent"; "Agree" or "agree").
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from sgaudit.questionnaire import QuestionSet
from sgaudit.vocab import (
    ANSWER_DONT_KNOW,
    ANSWER_NA,
    CAPTURE_TIERS,
    MODE_LABELS,
    MODES,
    TIER_LABELS,
)

_SEPARATORS = re.compile(r"[\s_\-]+")

# Other ways people write the two reserved answers.
RESERVED_SYNONYMS: dict[str, tuple[str, ...]] = {
    ANSWER_DONT_KNOW: ("dont_know", "Don't know", "do not know"),
    ANSWER_NA: ("na", "N/A", "not applicable"),
}
TRUE_WORDS = frozenset({"y", "yes", "true", "1", "x"})
FALSE_WORDS = frozenset({"", "n", "no", "false", "0"})


def match_key(text: str) -> str:
    """The form two spellings of one value share: lower case, no apostrophes, single spaces."""
    text = str(text).casefold().replace("\u2019", "").replace("'", "")
    return _SEPARATORS.sub(" ", text).strip()


def key_series(values: pd.Series) -> pd.Series:
    """`match_key` over a column: worked out once per distinct value, then spread."""
    import numpy as np

    codes, uniques = pd.factorize(values.astype(str), use_na_sentinel=False)
    keys = np.array([match_key(u) for u in uniques], dtype=object)
    return pd.Series(keys[codes] if len(keys) else [], index=values.index, dtype=object)


def tier_lookup() -> dict[str, str]:
    out = {match_key(t): t for t in CAPTURE_TIERS}
    out.update({match_key(label): t for t, label in TIER_LABELS.items()})
    return out


def mode_lookup() -> dict[str, str]:
    out = {match_key(m): m for m in MODES}
    out.update({match_key(label): m for m, label in MODE_LABELS.items()})
    return out


def area_lookup(areas: list[str]) -> dict[str, str]:
    return {match_key(a): a for a in areas}


def answer_lookup(question_set: QuestionSet) -> pd.DataFrame:
    """One row per way of writing each allowed answer: `scale, key, value`.

    Values come before labels, so if a label happened to spell another point's value
    the value wins.
    """
    rows: list[tuple[str, str, str]] = []
    for name, scale in question_set.scales.items():
        if scale.kind == "text":
            continue
        rows += [(name, match_key(p.value), p.value) for p in scale.points]
        rows += [(name, match_key(p.label), p.value) for p in scale.points]
        for reserved, allowed in (
            (ANSWER_DONT_KNOW, scale.allow_dont_know),
            (ANSWER_NA, scale.allow_na),
        ):
            if allowed:
                rows += [(name, match_key(s), reserved) for s in RESERVED_SYNONYMS[reserved]]
    frame = pd.DataFrame(rows, columns=["scale", "key", "value"])
    return frame.drop_duplicates(["scale", "key"], keep="first").reset_index(drop=True)


def parse_date(text: str) -> date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY (UK order); a time after it is ignored.

    Raises ValueError for anything else.
    """
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(text) from None


def parse_bool(text: str) -> bool:
    """yes/no, true/false, y/n, 1/0, x/blank. Raises ValueError for anything else."""
    key = text.strip().casefold()
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueError(text)
