"""Every answer normalised to 0-100 (100 = strongest practice), vectorised.

Lookups go through integer codes rather than merges: each response's question id
and answer become codes, and one table of (question, answer) pairs, indexed by the
two codes, gives the score and kind of every valid answer in a single lookup.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import first_of_each
from sgaudit.analysis.data import AuditData
from sgaudit.vocab import HEARS_NOBODY, TIERS

ANSWER_KINDS: tuple[str, ...] = ("scored", "dont_know", "na", "text", "invalid")
ASPECTS: tuple[str, ...] = ("paper", "practice")
_KIND_CODE = {k: i for i, k in enumerate(ANSWER_KINDS)}


def theme_order(data: AuditData) -> list[str]:
    """Theme ids in the set's order; themes only named by questions come last."""
    listed = data.themes.sort_values("order", kind="stable")["theme"].astype(str).tolist()
    extra = sorted(set(data.questions["theme"].astype(str)) - set(listed))
    return listed + extra


def theme_titles(data: AuditData) -> dict[str, str]:
    titles = dict(
        zip(data.themes["theme"].astype(str), data.themes["title"].astype(str), strict=True)
    )
    return {t: titles.get(t, t) for t in theme_order(data)}


def _codes(values: pd.Series, categories: list[str] | pd.Index) -> np.ndarray:
    """Position of each value in `categories` (-1 if absent), via factorize.

    Factorizing first means the slow string lookup runs once per distinct value
    rather than once per response.
    """
    codes, uniques = pd.factorize(values, sort=False)
    if not len(uniques):
        return np.full(len(values), -1, dtype=np.int64)
    lookup = pd.Index(categories).get_indexer(pd.Index(uniques).astype(str))
    return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)


def _categorical(values: pd.Series, categories: list[str], ordered: bool = False) -> pd.Categorical:
    return pd.Categorical.from_codes(
        _codes(values, categories), categories=categories, ordered=ordered
    )


def people_heard(responses: pd.DataFrame, interview_codes: np.ndarray) -> np.ndarray:
    """Each response row's people heard: its interview's head count, 0 for a document review.

    A document review (`vocab.HEARS_NOBODY`) is stored with one head but hears nobody,
    so every count of people the analysis makes (a cell's n, the suppression minimum,
    the n of a comparison's sides) leaves it out, as `fieldwork.count_fieldwork` does.
    `interview_codes` number the rows' interviews (-1: no id); the mode is read once per
    interview, from its first row, as every other attribute of an interview is.
    """
    people = pd.to_numeric(responses["people"]).to_numpy().astype(np.int64)
    if not len(people):
        return people
    slot = np.asarray(interview_codes, dtype=np.int64) + 1  # a missing id has slot 0
    first = first_of_each(slot, int(slot.max()) + 1)
    seen = np.flatnonzero(first >= 0)
    modes = pd.Index(responses["mode"].iloc[first[seen]]).astype(str)
    nobody = np.zeros(len(first), dtype=bool)
    nobody[seen] = modes.isin(list(HEARS_NOBODY))
    return np.where(nobody[slot], 0, people)


def score_responses(data: AuditData, responses: pd.DataFrame | None = None) -> pd.DataFrame:
    """The responses with theme, weight, aspect, score and kind added.

    `score` is 0-100 for scored answers (reverse-scored questions inverted: 100 - score)
    and NaN otherwise. `kind` is one of scored, dont_know, na, text (an answer to a
    free-text question) or invalid (unknown question, or an answer off the scale);
    invalid rows are kept so they can be counted, and every analysis ignores them.
    tier, service_area, interview_id, theme, aspect and kind are categoricals; tier is
    ordered ground to board. `people` is the people heard (`people_heard`: 0 for a
    document review, whose answers still count). `responses` scores other rows against
    the same question set (the self-assessment's; their tier is then not a golden-thread tier).
    """
    r = data.responses if responses is None else responses
    q = data.questions.reset_index(drop=True)
    themes = theme_order(data)

    q_ids = q["question_id"].astype(str)
    q_code = _codes(r["question_id"], q_ids)
    a_code, a_uniques = pd.factorize(r["answer"], sort=False)
    a_uniques = pd.Index(a_uniques).astype(str)

    # The small table of valid (question, answer) pairs: one row per scale point per question.
    sp = data.scale_points.copy()
    sp["scale"] = sp["scale"].astype(str)
    sp["answer"] = sp["answer"].astype(str)
    pairs = q[["scale", "reverse"]].assign(q_code=np.arange(len(q)), scale=q["scale"].astype(str))
    pairs = pairs.merge(sp, on="scale", how="inner")
    reverse = pairs["reverse"].astype(bool).to_numpy()
    pair_score = pairs["score"].astype(float).to_numpy()
    pair_score = np.where(reverse, 100.0 - pair_score, pair_score)
    pair_kind = pairs["kind"].map(_KIND_CODE).fillna(_KIND_CODE["invalid"]).to_numpy(np.int8)
    pair_a = pd.Index(a_uniques).get_indexer(pairs["answer"])
    keep = pair_a >= 0  # scale points nobody chose need no lookup
    n_answers = max(len(a_uniques), 1)
    pair_key = pairs["q_code"].to_numpy(np.int64)[keep] * n_answers + pair_a[keep]
    order = np.argsort(pair_key)
    pair_key, pair_score, pair_kind = (
        pair_key[order],
        pair_score[keep][order],
        pair_kind[keep][order],
    )

    # Each answer's pair by direct lookup in a table of every question x answer (a few
    # thousand entries): one index per answer, where a search would take a dozen steps.
    known_pair = (q_code >= 0) & (a_code >= 0)
    key = np.where(known_pair, q_code.astype(np.int64) * n_answers + a_code, 0)
    pair_at = np.full(max(len(q), 1) * n_answers, -1, dtype=np.int64)
    pair_at[pair_key[::-1]] = np.arange(len(pair_key))[::-1]  # a repeated pair: its first
    pos = pair_at[key]
    found = known_pair & (pos >= 0)
    score = np.full(len(r), np.nan)
    kind = np.full(len(r), _KIND_CODE["invalid"], dtype=np.int8)
    score[found] = pair_score[pos[found]]
    kind[found] = pair_kind[pos[found]]

    # A question whose scale has no scored points is a free-text question.
    scored_scales = set(sp.loc[sp["kind"] == "scored", "scale"])
    q_is_text = ~q["scale"].astype(str).isin(scored_scales).to_numpy()
    blank = np.asarray(a_uniques.str.strip() == "", dtype=bool)
    answered = (a_code >= 0) & ~blank[np.maximum(a_code, 0)] if len(blank) else a_code >= 0
    text_answer = (~found) & (q_code >= 0) & answered
    if len(q):
        text_answer &= q_is_text[np.maximum(q_code, 0)]
    kind[text_answer] = _KIND_CODE["text"]

    safe_q = np.maximum(q_code, 0)
    known = q_code >= 0
    if not len(q):  # nothing to look up; keep the indexing below valid
        q = pd.DataFrame({"theme": [""], "aspect": ["practice"], "weight": [np.nan]})
    theme_codes = np.where(known, pd.Index(themes).get_indexer(q["theme"].astype(str))[safe_q], -1)
    aspect_codes = np.where(
        known, pd.Index(ASPECTS).get_indexer(q["aspect"].astype(str))[safe_q], -1
    )
    weight = np.where(known, q["weight"].astype(float).to_numpy()[safe_q], np.nan)

    out = r.copy(deep=False)
    out["tier"] = _categorical(r["tier"], list(TIERS), ordered=True)
    area_codes, areas = pd.factorize(r["service_area"], sort=True)
    out["service_area"] = pd.Categorical.from_codes(area_codes, pd.Index(areas).astype(str))
    iv_codes, interviews = pd.factorize(r["interview_id"], sort=False)
    out["interview_id"] = pd.Categorical.from_codes(iv_codes, pd.Index(interviews).astype(str))
    out["people"] = people_heard(r, iv_codes)
    out["quotable"] = r["quotable"].fillna(False).astype(bool)
    out["theme"] = pd.Categorical.from_codes(theme_codes, categories=themes)
    out["weight"] = weight
    out["aspect"] = pd.Categorical.from_codes(aspect_codes, categories=list(ASPECTS))
    out["score"] = score
    out["kind"] = pd.Categorical.from_codes(kind, categories=list(ANSWER_KINDS))
    return out
