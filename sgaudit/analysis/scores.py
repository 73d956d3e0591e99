"""Theme scores overall, by tier, by service area and by tier x area, with suppression.

A cell's score is the weighted mean of the 0-100 scores of its scored answers (weight
= the question's weight). Its n is the number of people behind it: the sum of
`people` over the distinct interviews in the cell that answered at least one question
of the theme (a focus group of 5 counts 5). Its don't-know rate is don't-know answers
/ (scored + don't-know answers). A cell with n below `suppression_min` is suppressed
(`suppression == "small_group"`): score, rag and dont_know_rate are blank. On top of
that, cells that would let a small group be worked out by subtraction from a total
are suppressed too (`suppression == "complementary"`, see `suppression.py`). n stays
in these frames (the analysis needs it); the result models blank it too.

The work is done in two steps so that only one pass touches every response: the
responses are summed per theme x aspect x interview (`interview_totals`), and every
cell is a small groupby over those sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sgaudit.analysis.alongside import Done, alongside, worth_a_thread
from sgaudit.analysis.codes import first_of_each, group_sums
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.decision import SuppressionDecision, forced_mask
from sgaudit.analysis.like_with_like import ThreadAnswers, thread_answers
from sgaudit.analysis.scoring import score_responses
from sgaudit.analysis.suppression import COMPLEMENTARY, SMALL_GROUP, protect_aspects, protect_tables
from sgaudit.questionnaire.settings import AnalysisSettings

SUMS: tuple[str, ...] = ("weighted_sum", "weight", "scored", "dont_know", "answers")
INTERVIEW_COLUMNS: tuple[str, ...] = ("tier", "service_area", "mode", "people")


def rag_labels(scores: np.ndarray | pd.Series, settings: AnalysisSettings) -> np.ndarray:
    """RAG label of each score (None where there is no score); same rule as settings.rag."""
    values = np.asarray(scores, dtype=float)
    mins = np.array([b.min for b in settings.rag_bands], dtype=float)
    labels = np.array([b.label for b in settings.rag_bands], dtype=object)
    idx = np.clip(np.searchsorted(mins, values, side="right") - 1, 0, len(labels) - 1)
    out = labels[idx]
    out[np.isnan(values)] = None
    return out


def _first_rows(scored: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of each interview's first response, and the interview codes there."""
    codes = scored["interview_id"].cat.codes.to_numpy()
    n = len(scored["interview_id"].cat.categories) + 1  # and a missing id (-1) its own slot
    first = first_of_each(codes.astype(np.int64) + 1, n)
    rows = np.sort(first[first >= 0])
    return rows, codes[rows]


def interview_table(scored: pd.DataFrame) -> pd.DataFrame:
    """One row per interview: interview_id, tier, service_area, mode, people.

    An interview's attributes are taken from its first response row.
    """
    rows, _ = _first_rows(scored)
    return scored.iloc[rows][["interview_id", *INTERVIEW_COLUMNS]].reset_index(drop=True)


def interview_totals(scored: pd.DataFrame) -> pd.DataFrame:
    """Sums per theme x aspect x interview over the valid answers of `score_responses`.

    Columns: theme, aspect, interview_id, weighted_sum (sum of weight x score over scored
    answers), weight (sum of weights of scored answers), scored, dont_know, answers (all
    valid answers, including na and text), then tier, service_area, mode, people.
    """
    kind = scored["kind"].cat.codes.to_numpy()
    valid = (
        (kind != scored["kind"].cat.categories.get_loc("invalid"))
        & (scored["theme"].cat.codes.to_numpy() >= 0)
        & (scored["aspect"].cat.codes.to_numpy() >= 0)
    )
    is_scored = kind == scored["kind"].cat.categories.get_loc("scored")
    is_dk = kind == scored["kind"].cat.categories.get_loc("dont_know")
    score = scored["score"].to_numpy()
    weight = scored["weight"].to_numpy()
    sums = {
        "weighted_sum": np.where(is_scored, score * weight, 0.0),
        "weight": np.where(is_scored, weight, 0.0),
        "scored": is_scored.astype(np.int64),
        "dont_know": is_dk.astype(np.int64),
        "answers": np.ones(len(scored), dtype=np.int64),
    }
    # One integer per theme x aspect x interview; the cells in order of first answer, as
    # the groupby on the three (observed, unsorted) gives them, summed as it sums them.
    keys = [scored[k].cat.codes.to_numpy() for k in ("theme", "aspect", "interview_id")]
    kept = valid & (keys[2] >= 0)  # a missing interview id is left out, as groupby leaves it
    kept = None if kept.all() else np.flatnonzero(kept)
    cell = np.zeros(len(scored), dtype=np.int64)
    for k, codes in zip(("theme", "aspect", "interview_id"), keys, strict=True):
        cell = cell * len(scored[k].cat.categories) + codes
    if kept is not None:
        cell = cell[kept]
        sums = {name: values[kept] for name, values in sums.items()}
    group, cells = pd.factorize(cell, sort=False)
    first = first_of_each(group, len(cells))
    if kept is not None:
        first = kept[first]
    totals = pd.DataFrame(
        {
            k: scored[k].iloc[first].reset_index(drop=True)
            for k in ("theme", "aspect", "interview_id")
        }
        | group_sums(group, len(cells), sums)
    )
    rows, codes = _first_rows(scored)
    row_of_code = np.full(len(scored["interview_id"].cat.categories), -1, dtype=np.int64)
    row_of_code[codes] = rows
    take = row_of_code[totals["interview_id"].cat.codes.to_numpy()]
    for col in INTERVIEW_COLUMNS:
        totals[col] = scored[col].iloc[take].reset_index(drop=True)
    return totals


def theme_interview_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Sums per theme x interview (aspects added together), with the interview's attributes.

    Accepts the output of `score_responses`, of `interview_totals`, or of this function.
    """
    if "weighted_sum" not in frame.columns:
        frame = interview_totals(frame)
    if "aspect" not in frame.columns:
        return frame
    # theme x interview cells in order of first row, as groupby(observed, sort=False) has
    # them; an interview's attributes are the same on each of its rows, so its first row's
    # are the ones `first` would pick (all missing there means all missing in the cell).
    theme = frame["theme"].cat.codes.to_numpy()
    interview = frame["interview_id"].cat.codes.to_numpy()
    cell = theme.astype(np.int64) * len(frame["interview_id"].cat.categories) + interview
    kept = (
        None
        if ((theme >= 0) & (interview >= 0)).all()
        else np.flatnonzero((theme >= 0) & (interview >= 0))
    )
    if kept is not None:
        cell = cell[kept]
    group, cells = pd.factorize(cell, sort=False)
    first = first_of_each(group, len(cells))
    sums = {c: frame[c].to_numpy() for c in SUMS}
    if kept is not None:
        first = kept[first]
        sums = {c: v[kept] for c, v in sums.items()}
    rows = {c: frame[c].iloc[first].reset_index(drop=True) for c in ("theme", "interview_id")}
    attributes = {c: frame[c].iloc[first].reset_index(drop=True) for c in INTERVIEW_COLUMNS}
    # summed column by column, as the named aggregation summed them
    sums = group_sums(group, len(cells), sums, one_block=False)
    return pd.DataFrame(rows | sums | attributes)


def cell_scores(
    frame: pd.DataFrame, settings: AnalysisSettings, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Theme scores per cell of `by` (a subset of tier, service_area), small groups suppressed.

    Columns: theme, *by, score, rag, n, suppressed, suppression ("" or "small_group"),
    dont_know_rate, weight (of the scored answers), answers, scored, dont_know. Rows in
    theme order, then tier order (ground to board), then area. This is one table on its
    own, so it has primary
    suppression only; `cell_tables` (and the `theme_scores*` functions, and
    `ScoreTables`) add the complementary suppression that needs all four tables.
    """
    ti = theme_interview_totals(frame)
    keys = ["theme", *by]
    # The cells of `keys` as one integer in category order, observed cells only, rows with
    # a missing key left out: the groups of groupby(keys, observed=True, sort=True), and
    # its sums (`group_sums`), without a frame stacked for it.
    cell = np.zeros(len(ti), dtype=np.int64)
    complete = np.ones(len(ti), dtype=bool)
    for k in keys:
        codes = ti[k].cat.codes.to_numpy()
        cell = cell * len(ti[k].cat.categories) + codes
        complete &= codes >= 0
    if not complete.all():
        cell = np.where(complete, cell, -1)
    group, found = pd.factorize(cell, sort=True)
    if len(found) and found[0] < 0:  # the incomplete rows sorted first: no group for them
        group, found = group - 1, found[1:]
    sums = group_sums(group, len(found), {c: ti[c].to_numpy() for c in (*SUMS, "people")})
    cells = {}
    for k in reversed(keys):
        size = len(ti[k].cat.categories)
        cells[k] = pd.Categorical.from_codes(found % size, dtype=ti[k].dtype)
        found = found // size
    sums["n"] = sums.pop("people")
    return _finish({k: cells[k] for k in keys} | sums, keys, settings)


def _finish(cells: dict, keys: list[str], settings: AnalysisSettings) -> pd.DataFrame:
    """The cell frame from each cell's keys and sums (plain arrays, one per column)."""
    weight = np.asarray(cells["weight"], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.asarray(cells["weighted_sum"], dtype=float) / weight
        asked = np.asarray(cells["scored"] + cells["dont_know"], dtype=float)
        dk_rate = np.asarray(cells["dont_know"], dtype=float) / asked
    score[weight <= 0] = np.nan
    dk_rate[asked <= 0] = np.nan
    n = np.asarray(cells["n"], dtype=np.int64)
    suppressed = n < settings.suppression_min
    score[suppressed] = np.nan
    dk_rate[suppressed] = np.nan
    columns = {k: cells[k] for k in keys}
    columns.update(
        score=score,
        rag=rag_labels(score, settings),
        n=n,
        suppressed=suppressed,
        suppression=np.where(suppressed, SMALL_GROUP, ""),
        dont_know_rate=dk_rate,
        weight=weight,  # of the scored answers: how much the cell counts in its totals
        answers=np.asarray(cells["answers"], dtype=np.int64),
        scored=np.asarray(cells["scored"], dtype=np.int64),
        dont_know=np.asarray(cells["dont_know"], dtype=np.int64),
    )
    return pd.DataFrame(columns)


def _force(cells: pd.DataFrame, decision: SuppressionDecision | None) -> pd.DataFrame:
    """Hide the cells `decision` hides (when these answers are a part of a decided audit)."""
    mask = forced_mask(cells, decision) & ~cells["suppressed"]
    if not mask.any():
        return cells
    out = cells.copy()
    out.loc[mask, "suppressed"] = True
    out.loc[mask, "suppression"] = COMPLEMENTARY
    out.loc[mask, ["score", "dont_know_rate"]] = np.nan
    out.loc[mask, "rag"] = None
    return out


def cell_tables(
    frame: pd.DataFrame, settings: AnalysisSettings, decision: SuppressionDecision | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(overall, by_tier, by_area, by_tier_area), with primary and complementary suppression.

    `decision` (the whole audit's, when `frame` holds only some of its questions, as in
    a comparison) hides its cells here too before the complementary cells are chosen,
    so this part never shows a cell the whole audit hides.
    """
    ti = theme_interview_totals(frame)
    return protect_tables(
        _force(cell_scores(ti, settings), decision),
        _force(cell_scores(ti, settings, ["tier"]), decision),
        _force(cell_scores(ti, settings, ["service_area"]), decision),
        _force(cell_scores(ti, settings, ["tier", "service_area"]), decision),
        settings,
    )


def theme_scores(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """One row per theme: the organisation-wide score."""
    return cell_tables(frame, settings)[0]


def theme_scores_by_tier(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """One row per theme x tier, tiers ground to board."""
    return cell_tables(frame, settings)[1]


def theme_scores_by_area(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """One row per theme x service area."""
    return cell_tables(frame, settings)[2]


def theme_scores_by_tier_and_area(frame: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """One row per theme x tier x service area."""
    return cell_tables(frame, settings)[3]


@dataclass(frozen=True, eq=False)
class ScoreTables:
    """Everything computed from the responses once, shared by thread, scope and findings."""

    data: AuditData
    scored: pd.DataFrame
    totals: pd.DataFrame  # theme x aspect x interview
    theme_interview: pd.DataFrame  # theme x interview
    overall: pd.DataFrame
    by_tier: pd.DataFrame
    by_area: pd.DataFrame
    by_tier_area: pd.DataFrame
    aspects: pd.DataFrame  # per theme: paper and practice scores (paper_practice.aspect_scores)
    decision: SuppressionDecision  # the one suppression decision every output consults
    # The golden thread's answer sums: being worked out on a second thread (a large
    # audit, `alongside`), or None until first asked for (`thread_answers`).
    answers_alongside: Any = field(default=None, repr=False, compare=False)

    @property
    def settings(self) -> AnalysisSettings:
        return self.data.settings

    def thread_answers(self) -> ThreadAnswers:
        """The scored answers summed for the golden thread (`like_with_like.thread_answers`),
        worked out once."""
        made = self.answers_alongside
        if not isinstance(made, Done):  # not asked for yet, or still on the second thread
            made = Done(thread_answers(self.scored) if made is None else made.result())
            object.__setattr__(self, "answers_alongside", made)  # the value, not the future
        return made.result()

    @classmethod
    def build(cls, data: AuditData, decision: SuppressionDecision | None = None) -> ScoreTables:
        """Every table of `data`; `decision` is the whole audit's when `data` is a part of it.

        Without `decision` the audit's own decision is made here (`tables.decision`).
        With it, everything it hides stays hidden, and more may be hidden to protect it.
        """
        scored = score_responses(data)
        # A large audit's golden-thread sums need only the scored answers: they are worked
        # out on a second thread while this one builds the tables.
        answers = (
            alongside(len(scored), thread_answers, scored) if worth_a_thread(len(scored)) else None
        )
        totals = interview_totals(scored)
        ti = theme_interview_totals(totals)
        s = data.settings
        from sgaudit.analysis.paper_practice import aspect_scores  # it imports this module

        overall, by_tier, by_area, by_tier_area = cell_tables(ti, s, decision)
        forced = decision.hidden_aspects if decision is not None else frozenset()
        aspects, hidden_aspects = protect_aspects(aspect_scores(totals, s), overall, forced)
        return cls(
            data=data,
            scored=scored,
            totals=totals,
            theme_interview=ti,
            overall=overall,
            by_tier=by_tier,
            by_area=by_area,
            by_tier_area=by_tier_area,
            aspects=aspects,
            decision=SuppressionDecision.from_tables(
                s.suppression_min, overall, by_tier, by_area, by_tier_area, hidden_aspects
            ),
            answers_alongside=answers,
        )
