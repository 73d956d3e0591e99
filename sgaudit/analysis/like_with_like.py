"""Like with like: each respondent's score for a golden-thread comparison.

A thread comparison sets a group (a tier, or tiers taken together) against a ground
tier on the questions both were asked, each respondent's score mixing paper and
practice in the ground tier's proportion (`thread_respondents`), with what the variance
model needs: the answer noise of the respondent's tier (`_tier_answer_noise`) and the
questions' own pull (`_item_variance`). The answers are summed once per theme x
interview x aspect x tier (`_answer_cells`); each comparison then works on those sums
with integer codes, never on the answers again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import category_labels, first_of_each, group_sums, sums_by
from sgaudit.vocab import TIERS

POOL_SEP = "+"
# thread_respondents' base x group, theme and interview as integer codes
CODE_COLUMNS: tuple[str, ...] = ("pair_code", "theme_code", "interview_code")
MIN_QUESTIONS = 2  # questions each side must have answered for a thread comparison
NOISE_PRIOR_DF = 10.0  # how many answers' evidence the theme's answer noise is worth to a tier


def pool_members(group: str) -> list[str]:
    """The tiers in a thread group: one tier, or a pool such as 'dsl+senior_leader'."""
    return group.split(POOL_SEP)


def _answer_noise(theme_code, iv, score, n_themes: int) -> tuple[np.ndarray, tuple]:
    """Per theme: the variance of one respondent's answers around their own mean, pooled;
    and the per theme x interview sums it is made from (`_tier_answer_noise` reuses them)."""
    n_i = int(iv.max()) + 1 if len(iv) else 1
    key = theme_code.astype(np.int64) * n_i + iv
    values = {"s": score, "ss": score * score, "k": np.ones(len(score), np.int64)}
    keys, per = sums_by(key, values)
    within = per["ss"] - per["s"] ** 2 / per["k"]
    themes, sums = sums_by(keys // n_i, {"within": within, "df": per["k"] - 1}, sort=True)
    out = np.full(max(n_themes, 1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[themes] = sums["within"] / sums["df"]
    return out, (keys, per)


def _tier_of_interview(tier_code, iv, n_i: int) -> np.ndarray | None:
    """Each interview's tier code, or None if some interview's answers name two tiers (or
    an answer has no interview): an interview has one tier, but a frame may say otherwise."""
    if len(iv) and iv.min() < 0:
        return None
    tier_of = np.zeros(n_i, dtype=np.int64)
    tier_of[iv] = tier_code
    return tier_of if bool((tier_of[iv] == tier_code).all()) else None


def _tier_answer_noise(
    theme_code, tier_code, iv, score, theme_noise, n_themes: int, by_interview=None
) -> np.ndarray:
    """Theme x tier: the answer noise of the tier's respondents, shrunk towards the theme's.

    A tier near the top of the scale (trustees rating nearly everything "strongly
    agree") answers with less spread than the theme's respondents as a whole; judging
    its score by the theme's spread would make its intervals too wide. The tier's own
    within-respondent variance is moderated towards the theme's with `NOISE_PRIOR_DF`.
    """
    n_i, n_r = int(iv.max()) + 1 if len(iv) else 1, len(TIERS) + 1
    tier_of = _tier_of_interview(tier_code, iv, n_i) if by_interview is not None else None
    if tier_of is not None:
        # One tier per interview: the theme x tier x interview groups are the theme x
        # interview groups `_answer_noise` summed, in the same order, with the same sums.
        keys, per = by_interview
        theme, interview = keys // n_i, keys % n_i
        keys = (theme * n_r + tier_of[interview] + 1) * n_i + interview
    else:
        key = (theme_code.astype(np.int64) * n_r + tier_code + 1) * n_i + iv
        values = {"s": score, "ss": score * score, "k": np.ones(len(score), np.int64)}
        keys, per = sums_by(key, values)
    within = per["ss"] - per["s"] ** 2 / per["k"]
    # theme x tier, in that order
    cells, sums = sums_by(keys // n_i, {"within": within, "df": per["k"] - 1}, sort=True)
    t = cells // n_r
    r = cells % n_r - 1
    prior = np.asarray(theme_noise, dtype=float)
    out = np.tile(prior[:, None], (1, len(TIERS)))
    with np.errstate(invalid="ignore", divide="ignore"):
        shrunk = (NOISE_PRIOR_DF * prior[t] + sums["within"]) / (NOISE_PRIOR_DF + sums["df"])
    out[t, r] = np.where(np.isfinite(prior[t]), shrunk, out[t, r])
    return out


def _item_variance(theme_code, tier_code, q_code, score, noise, n_themes: int) -> np.ndarray:
    """Per theme: how much question means differ within a tier beyond answer noise.

    Two tiers asked different questions differ by the questions' own pull as well as
    by what they think; this is that pull's variance (question by tier), pooled over
    the audit's themes and tiers. It is added to a comparison's variance over the number of
    questions each side answered.
    """
    n_q = int(q_code.max()) + 1 if len(q_code) else 1
    n_r = len(TIERS) + 1
    key = (theme_code.astype(np.int64) * n_r + tier_code + 1) * n_q + q_code
    keys, per_q = sums_by(key, {"s": score, "k": np.ones(len(score), np.int64)})
    k = per_q["k"]
    # keys as an Index: an array key makes pandas look it up as a column name first
    cells = pd.DataFrame({"mean": per_q["s"] / k, "inv": 1.0 / k, "k": k}).groupby(
        pd.Index(keys // n_q)
    )
    cells = cells.agg({"mean": "var", "inv": "mean", "k": "size"})
    cells.columns = ["var", "inv", "questions"]
    # Only tiers heard by ten or more, where answer noise does not swamp the questions' pull.
    cells = cells[(cells["questions"] >= 2) & (cells["inv"] <= 0.1)]
    t = cells.index.to_numpy() // n_r
    excess = cells["var"].to_numpy() - noise[t] * cells["inv"].to_numpy()
    df = cells["questions"].to_numpy() - 1.0
    # Pooled over every theme: one theme has too few questions to say it alone.
    den = float(df.sum())
    pooled = max(float((excess * df).sum()) / den, 0.0) if den > 0 else 0.0
    return np.full(max(n_themes, 1), pooled)


def _answer_cells(t, i, asp, tier, y, w) -> dict[str, np.ndarray]:
    """Scored answers summed per theme x interview x aspect x tier, in order of first answer.

    One pass over the answers serves every thread comparison: which answers a comparison
    keeps depends only on these keys. The sums are pandas' (compensated summation, as in
    every other sum of the analysis), grouped on one integer key.
    """
    n_i, n_asp = int(i.max()) + 1 if len(i) else 1, int(asp.max()) + 2 if len(asp) else 1
    key = ((t.astype(np.int64) * n_i + i) * n_asp + asp + 1) * (len(TIERS) + 1) + tier + 1
    cell = pd.factorize(key, sort=False)[0]
    first = first_of_each(cell, int(cell.max()) + 1 if len(cell) else 0)
    values = {"y": y, "w": w, "k": np.ones(len(y), dtype=np.int64)}
    out = {"t": t[first], "i": i[first], "asp": asp[first], "tier": tier[first], "row": first}
    return out | group_sums(cell, len(first), values)  # cells numbered in order of first row


def _sums(codes: np.ndarray, values: np.ndarray, n: int, exact: bool) -> np.ndarray:
    """Sum of `values` per code 0..n-1: `np.bincount` when any order gives the same sum
    (`exact`), else pandas' compensated groupby sum, the rest of the analysis's."""
    if exact:
        return np.bincount(codes, values, minlength=n)
    return group_sums(codes, n, {"v": values})["v"]


@dataclass(frozen=True, eq=False)
class ThreadAnswers:
    """What every thread comparison of an audit works from (`thread_answers`): the scored
    answers summed per theme x interview x aspect x tier, with their codes and the
    variance model's inputs. A pure function of the scored answers."""

    themes: list[str]
    n_aspects: int
    asked: np.ndarray  # theme x aspect x tier: asked at all
    q_theme: np.ndarray  # each question's theme and aspect code
    q_aspect: np.ndarray
    answered: np.ndarray  # question x tier: answered at all
    iv_names: pd.Index
    area_names: pd.Index
    area_code: np.ndarray  # per scored answer
    tier_code: np.ndarray
    people: np.ndarray
    tier_noise: np.ndarray  # theme x tier
    item: np.ndarray  # per theme
    cells: dict[str, np.ndarray]  # `_answer_cells`
    whole: bool  # every weight whole: sums in any order agree
    respondent: np.ndarray  # per cell: theme x interview, numbered in order of first cell
    n_respondents: int


def thread_answers(scored: pd.DataFrame) -> ThreadAnswers:
    """The scored answers summed once for every thread comparison (`thread_respondents`)."""
    is_scored = scored["kind"].cat.codes.to_numpy() == scored["kind"].cat.categories.get_loc(
        "scored"
    )

    def codes(col: str) -> np.ndarray:
        return scored[col].cat.codes.to_numpy().astype(np.int64)[is_scored]

    q_code = pd.factorize(scored["question_id"], sort=False)[0][is_scored]
    tier_code, theme_code, aspect, iv = (
        codes("tier"),
        codes("theme"),
        codes("aspect"),
        codes("interview_id"),
    )
    themes = list(scored["theme"].cat.categories)
    n_aspects = len(scored["aspect"].cat.categories)
    n_themes = max(len(themes), 1)
    asked = np.zeros((n_themes, n_aspects, len(TIERS)), dtype=bool)
    asked[theme_code, aspect, tier_code] = True
    # Which questions each tier answered: a question belongs to one theme and one aspect.
    n_q = int(q_code.max()) + 1 if len(q_code) else 0
    q_rows = first_of_each(q_code, n_q)
    answered = np.zeros((n_q, len(TIERS)), dtype=bool)
    answered[q_code, tier_code] = True
    score = scored["score"].to_numpy(dtype=float)[is_scored]
    weight = scored["weight"].to_numpy(dtype=float)[is_scored]
    noise, by_interview = _answer_noise(theme_code, iv, score, len(themes))
    tier_noise = _tier_answer_noise(
        theme_code, tier_code, iv, score, noise, len(themes), by_interview
    )
    item = _item_variance(theme_code, tier_code, q_code, score, noise, len(themes))
    c = _answer_cells(theme_code, iv, aspect, tier_code, score * weight, weight)
    iv_names = scored["interview_id"].cat.categories
    respondent = pd.factorize(c["t"] * len(iv_names) + c["i"], sort=False)[0]
    return ThreadAnswers(
        themes=themes,
        n_aspects=n_aspects,
        asked=asked,
        q_theme=theme_code[q_rows],
        q_aspect=aspect[q_rows],
        answered=answered,
        iv_names=iv_names,
        area_names=scored["service_area"].cat.categories,
        area_code=codes("service_area"),
        tier_code=tier_code,
        people=scored["people"].to_numpy()[is_scored],
        tier_noise=tier_noise,
        item=item,
        cells=c,
        whole=bool(np.all(c["w"] == np.round(c["w"]))),  # whole weights add up exactly
        respondent=respondent,
        n_respondents=int(respondent.max()) + 1 if len(respondent) else 0,
    )


def thread_respondents(
    scored: pd.DataFrame, pairs: pd.DataFrame, answers: ThreadAnswers | None = None
) -> pd.DataFrame:
    """Respondent scores for every thread comparison (`thread.thread_pairs`), like with like.

    One row per (base, group, theme, interview): side ('a' the upper group, 'b' the
    ground tier), service_area, people, y (the respondent's score) and w (1), with
    base x group, theme and interview also as integers (`CODE_COLUMNS`). Only the
    aspects (paper, practice) that both the ground tier and the group were asked in
    the theme count, and every respondent's score mixes them in the same proportion
    (the ground tier's share of answer weight on each aspect), so a board asked mostly
    about paper is not set against a front line asked mostly about practice.
    The answers are summed once per theme x interview x aspect (`thread_answers`, which
    `answers` are when the caller has them already); each comparison then works on
    those sums with integer codes, never on the answers again.
    """
    x = answers if answers is not None else thread_answers(scored)
    themes, n_aspects, asked, answered = x.themes, x.n_aspects, x.asked, x.answered
    q_theme, q_aspect, c, whole = x.q_theme, x.q_aspect, x.cells, x.whole
    respondent, n_respondents, item = x.respondent, x.n_respondents, x.item
    n_themes = max(len(themes), 1)
    n_i = len(x.iv_names)
    n_tiers = len(TIERS)
    # Each cell's theme x aspect x tier as one code: a pair keeps the cells whose code it
    # marks (one gather per pair, not a mask built from three columns).
    cell_code = (c["t"] * n_aspects + c["asp"]) * n_tiers + c["tier"]
    parts: list[dict[str, np.ndarray]] = []
    compared: list[tuple[str, str]] = []
    for (base, group), pair in pairs.groupby(["base", "group"], sort=False):
        b = TIERS.index(base)
        in_group = set(pair["theme"]) & set(themes)
        if in_group:
            members = pool_members(group)
            m = [TIERS.index(t) for t in members]
            common = asked[:, :, b] & asked[:, :, m].any(axis=2)  # theme x aspect
            theme_ok = np.isin(np.arange(n_themes), [themes.index(t) for t in in_group])
            side = np.zeros(n_tiers, dtype=np.int8)  # 1 the ground tier, 2 the group
            side[b], side[m] = 1, 2
            ok = (theme_ok[:, None] & common)[:, :, None] * side[None, None, :]
            at = ok.reshape(-1)[cell_code]
            kept = np.flatnonzero(at)
            t, i, asp, a = c["t"][kept], c["i"][kept], c["asp"][kept], at[kept] == 2
            y, w, k = c["y"][kept], c["w"][kept], c["k"][kept]
            # questions each side answered on the kept aspects, per theme
            q_kept = theme_ok[q_theme] & common[q_theme, q_aspect]
            questions = np.zeros((n_themes, 2), dtype=np.int64)
            np.add.at(questions[:, 1], q_theme[q_kept & answered[:, m].any(axis=1)], 1)
            np.add.at(questions[:, 0], q_theme[q_kept & answered[:, b]], 1)
            # each aspect's share of the ground tier's answer weight in the theme
            ta = t * n_aspects + asp
            base_w = _sums(ta[~a], w[~a], n_themes * n_aspects, whole)
            per_theme = base_w.reshape(n_themes, n_aspects).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = base_w[ta] / per_theme[t]
                num = share * y / w
                inv = share**2 / k
            # respondents (theme x interview x side), numbered in order of first appearance
            key = respondent[kept] * 2 + a
            seen = first_of_each(key, n_respondents * 2)
            first = np.sort(seen[seen >= 0])
            number = np.empty(n_respondents * 2, dtype=np.int64)
            number[key[first]] = np.arange(len(first))
            resp, resp_n = number[key], len(first)
            total = {
                name: np.bincount(resp, np.nan_to_num(v, nan=0.0), minlength=resp_n)
                for name, v in (("num", num), ("share", share), ("inv", inv))
            }
            rt, ri, ra = t[first], i[first], a[first]
            q_side = questions[rt, ra.astype(np.int64)]
            # One question is not a tier's view of a theme: both sides need two or more.
            fewest = np.full(n_themes, np.iinfo(np.int64).max)
            np.minimum.at(fewest, rt, q_side)
            enough = fewest[rt] >= MIN_QUESTIONS
            row = c["row"][kept[first_of_each(i, n_i)[ri]]]
            with np.errstate(invalid="ignore", divide="ignore"):
                parts.append(
                    {
                        "t": rt,
                        "i": ri,
                        "a": ra,
                        "row": row,
                        "pair": np.full(resp_n, len(compared)),
                        "y": total["num"] / total["share"],
                        "inv_k": total["inv"] / total["share"] ** 2,
                        "item_var": item[rt] / q_side,
                        "keep": enough,
                    }
                )
            compared.append((base, group))
    if not parts:
        cols = ["theme", "interview_id", "side", "service_area", "people", "y", "w"]
        return pd.DataFrame(columns=[*cols, "base", "group", *CODE_COLUMNS])
    keep = np.concatenate([p["keep"] for p in parts])
    col = {name: np.concatenate([p[name] for p in parts])[keep] for name in parts[0]}
    row, pair = col["row"], col["pair"]
    # The label columns are categorical (`category_labels`): half a million rows of
    # strings took a tenth of a second to build at a million answers.
    out = pd.DataFrame(
        {
            "theme": category_labels(themes, col["t"]),
            "interview_id": category_labels(x.iv_names, col["i"]),
            "side": category_labels(["b", "a"], col["a"].astype(np.int64)),
            "service_area": category_labels(x.area_names, x.area_code[row]),
            "people": x.people[row],
            "y": col["y"],
            "w": np.ones(len(row)),
            "inv_k": col["inv_k"],
            "noise": x.tier_noise[col["t"], x.tier_code[row]],
            "item_var": col["item_var"],
            "base": category_labels([b for b, _ in compared], pair),
            "group": category_labels([g for _, g in compared], pair),
            # the same labels as integers, for the comparisons (`own_level.respondent_codes`)
            "pair_code": pair,
            "theme_code": col["t"],
            "interview_code": col["i"],
        }
    )
    return out.dropna(subset=["y"])
