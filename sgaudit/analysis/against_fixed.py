"""The audit's evidence on a theme set against a number that is not a sample.

Two comparisons set the organisation-wide score of a theme, as published, against a
fixed number: the organisation's self-assessment (one statement, `self_assessment`)
and its registers' records score (each register read whole, as the organisation
keeps it: `sgaudit.registers.triangulation`). The fixed side has no interval. The
evidence's is how much the organisation-wide score could move with who happened to be
heard: the respondent-level interval of a systemic call against the weak score.
"""

from __future__ import annotations

import pandas as pd

from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.thread import COMPARISON_COLUMNS
from sgaudit.analysis.uncertainty import moment_stats, one_sample, respondent_moments

AGAINST_COLUMNS: tuple[str, ...] = (
    "theme",
    "evidence_score",
    "evidence_n",
    "fixed",
    "diff",
    "se",
    "df",
    "p",
)


def shown_evidence(tables: ScoreTables) -> pd.DataFrame:
    """theme, evidence_score, evidence_n of every organisation-wide cell that is shown."""
    o = tables.overall
    shown = o[~o["suppressed"].to_numpy(dtype=bool) & o["score"].notna().to_numpy()]
    return pd.DataFrame(
        {
            "theme": shown["theme"].astype(str).to_numpy(),
            "evidence_score": shown["score"].to_numpy(dtype=float),
            "evidence_n": shown["n"].to_numpy(dtype=float),
        }
    )


def evidence_against(tables: ScoreTables, fixed: pd.DataFrame) -> pd.DataFrame:
    """Per theme of `fixed` (columns theme, fixed) whose evidence score is shown: the
    evidence score minus the fixed number (`diff`), its standard error, degrees of
    freedom and two-sided p (`AGAINST_COLUMNS`). A hidden evidence score is no row:
    a difference set against it would give it away."""
    given = fixed.assign(theme=fixed["theme"].astype(str))[["theme", "fixed"]]
    both = given.merge(shown_evidence(tables), on="theme", how="inner")
    both = both[pd.notna(both["fixed"]).to_numpy()].reset_index(drop=True)
    if both.empty:
        return pd.DataFrame(columns=list(AGAINST_COLUMNS))
    m = respondent_moments(
        tables.theme_interview.assign(theme=tables.theme_interview["theme"].astype(str)),
        ["theme"],
        "weighted_sum",
        "weight",
    )
    m = m[m["theme"].isin(both["theme"])]
    st = moment_stats(m)
    st.index = m["theme"].to_numpy()
    st = st.loc[both["theme"]].reset_index(drop=True)
    test = one_sample(st, both["fixed"].to_numpy(dtype=float), prior=st["s2"].to_numpy())
    return pd.DataFrame(
        {
            "theme": both["theme"].to_numpy(),
            # the published score: the very number shown beside it in the report
            "evidence_score": both["evidence_score"].to_numpy(dtype=float),
            "evidence_n": both["evidence_n"].to_numpy(dtype=float),
            "fixed": both["fixed"].to_numpy(dtype=float),
            "diff": test["diff"].to_numpy(dtype=float),
            "se": test["se"].to_numpy(dtype=float),
            "df": test["df"].to_numpy(dtype=float),
            "p": test["p"].to_numpy(dtype=float),
        }
    )[list(AGAINST_COLUMNS)]


def fixed_comparisons(
    test: pd.DataFrame, kind: str, threshold: float, *, fixed_first: bool, sign: int
) -> pd.DataFrame:
    """`evidence_against`'s rows as comparisons for the false-flag control
    (`thread.COMPARISON_COLUMNS`). With `fixed_first` the fixed number is side a (one
    statement: n 1) and the difference is fixed minus evidence; otherwise the evidence is
    side a and the fixed side has no n (a whole register: no sample)."""
    fixed = test["fixed"].to_numpy(dtype=float)
    evidence = test["evidence_score"].to_numpy(dtype=float)  # the published score
    people = test["evidence_n"].to_numpy(dtype=float)
    diff = test["diff"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "kind": kind,
            "theme": test["theme"].astype(str).to_numpy(),
            "tier": "",
            "base": "",
            "area": "",
            "score_a": fixed if fixed_first else evidence,
            "score_b": evidence if fixed_first else fixed,
            "n_a": 1.0 if fixed_first else people,
            "n_b": people if fixed_first else float("nan"),
            "diff": -diff if fixed_first else diff,
            "se": test["se"].to_numpy(dtype=float),
            "df": test["df"].to_numpy(dtype=float),
            "p": test["p"].to_numpy(dtype=float),
            "threshold": threshold,
            "sign": sign,
        }
    )[list(COMPARISON_COLUMNS)]
