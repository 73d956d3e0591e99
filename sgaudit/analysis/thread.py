"""The golden thread: how each tier, from service users to the board, rates each theme.

A thread break compares a tier with the front line (and senior leaders or the board
with people who use services) like with like: only on the questions both were
asked, so a board asked mostly about paper is not set against a front line asked
mostly about practice. Only tiers that may be shown take part; where the DSL or
senior leaders are too few to show, they are pooled ("the DSL and senior leaders")
when the pool reveals nothing the shown cells do not, and said so. A tier that was
heard but still cannot be shown gets a "not assessable" note, never silence.

These functions return *comparisons* (differences with their uncertainty, see
`uncertainty.py`); which of them are findings is decided over the whole audit in
`detect.py`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import first_of_each, labels
from sgaudit.analysis.sides import compare_cells, compare_sides
from sgaudit.questionnaire.models import AnalysisSettings
from sgaudit.vocab import TIERS

BETTER = "higher_rates_better"
WORSE = "higher_rates_worse"
POOL_SEP = "+"
# Who is compared with whom: (ground tier, tiers above it that are set against it).
THREAD_PAIRS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("front_line", ("manager", "dsl", "senior_leader", "board")),
    ("service_user", ("senior_leader", "board")),
)
MIN_QUESTIONS = 2  # questions each side must have answered for a thread comparison
DONT_KNOW_TIERS: tuple[str, ...] = ("front_line", "dsl", "senior_leader", "board")

COMPARISON_COLUMNS: tuple[str, ...] = (
    "kind",
    "theme",
    "tier",
    "base",
    "area",
    "score_a",
    "score_b",
    "n_a",
    "n_b",
    "diff",
    "se",
    "df",
    "p",
    "threshold",
    "sign",
)


def golden_thread(by_tier: pd.DataFrame) -> pd.DataFrame:
    """Theme x tier matrix of scores (from `theme_scores_by_tier`); blank where suppressed.

    Rows in theme order, columns ground to board, only tiers that were asked.
    """
    frame = by_tier.assign(tier=by_tier["tier"].astype(str), theme=by_tier["theme"].astype(str))
    matrix = frame.pivot(index="theme", columns="tier", values="score")
    themes = list(dict.fromkeys(frame["theme"]))
    tiers = [t for t in TIERS if t in matrix.columns]
    return matrix.reindex(index=themes, columns=tiers)


def pool_members(group: str) -> list[str]:
    """The tiers in a thread group: one tier, or a pool such as 'dsl+senior_leader'."""
    return group.split(POOL_SEP)


def thread_groups(by_tier: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Per theme, the group each heard tier takes part in the thread as.

    Columns: theme, tier, group ('' when the tier cannot be assessed), pooled (bool).
    A shown tier is its own group. A pool of `settings.thread_pools` whose members
    include a hidden tier is used when it holds at least `suppression_min` people and
    every tier outside it is shown: then the pool's score follows from the shown cells
    and the theme's total anyway, so pooling reveals nothing new.
    """
    frame = by_tier.assign(theme=by_tier["theme"].astype(str), tier=by_tier["tier"].astype(str))
    frame = frame[frame["n"] > 0][["theme", "tier", "n", "suppressed"]].copy()
    frame["group"] = np.where(frame["suppressed"], "", frame["tier"])
    frame["pooled"] = False
    for pool in settings.thread_pools:
        members = frame["tier"].isin(pool)
        per_theme = (
            frame.assign(
                in_pool=members,
                hidden_in=members & frame["suppressed"],
                hidden_out=~members & frame["suppressed"],
                pool_n=np.where(members, frame["n"], 0),
            )
            .groupby("theme")[["hidden_in", "hidden_out", "pool_n"]]
            .sum()
        )
        ok = per_theme[
            (per_theme["hidden_in"] > 0)
            & (per_theme["hidden_out"] == 0)
            & (per_theme["pool_n"] >= settings.suppression_min)
        ].index
        use = members & frame["theme"].isin(ok)
        present = (
            frame[use]
            .groupby("theme")["tier"]
            .agg(lambda ts: POOL_SEP.join(t for t in TIERS if t in set(ts)))
        )
        frame.loc[use, "group"] = frame.loc[use, "theme"].map(present)
        frame.loc[use, "pooled"] = True
    return frame[["theme", "tier", "group", "pooled"]].reset_index(drop=True)


def _answer_noise(theme_code, iv, score, n_themes: int) -> np.ndarray:
    """Per theme: the variance of one respondent's answers around their own mean, pooled."""
    n_i = int(iv.max()) + 1 if len(iv) else 1
    key = theme_code.astype(np.int64) * n_i + iv
    values = pd.DataFrame({"s": score, "ss": score * score, "k": np.ones(len(score), np.int64)})
    per = values.groupby(key, sort=False).sum()
    within = per["ss"] - per["s"] ** 2 / per["k"]
    t = per.index.to_numpy() // n_i
    sums = pd.DataFrame({"within": within.to_numpy(), "df": (per["k"] - 1).to_numpy()})
    sums = sums.groupby(t).sum()
    out = np.full(max(n_themes, 1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[sums.index.to_numpy()] = (sums["within"] / sums["df"]).to_numpy()
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
    values = pd.DataFrame({"s": score, "k": np.ones(len(score), np.int64)})
    per_q = values.groupby(key, sort=False).sum()
    k = per_q["k"]
    cells = pd.DataFrame({"mean": per_q["s"] / k, "inv": 1.0 / k, "k": k}).groupby(
        per_q.index.to_numpy() // n_q
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
    sums = pd.DataFrame(values).groupby(cell, sort=False).sum()
    out = {"t": t[first], "i": i[first], "asp": asp[first], "tier": tier[first], "row": first}
    return out | {c: sums[c].to_numpy() for c in values}


def _sums(codes: np.ndarray, values: np.ndarray, n: int, exact: bool) -> np.ndarray:
    """Sum of `values` per code 0..n-1: `np.bincount` when any order gives the same sum
    (`exact`), else pandas' compensated groupby sum, the rest of the analysis's."""
    if exact:
        return np.bincount(codes, values, minlength=n)
    return pd.Series(values).groupby(codes).sum().reindex(range(n), fill_value=0.0).to_numpy()


def thread_respondents(scored: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Respondent scores for every thread comparison, like with like.

    One row per (base, group, theme, interview): side ('a' the upper group, 'b' the
    ground tier), service_area, people, y (the respondent's score) and w (1). Only the
    aspects (paper, practice) that both the ground tier and the group were asked in
    the theme count, and every respondent's score mixes them in the same proportion
    (the ground tier's share of answer weight on each aspect), so a board asked mostly
    about paper is not set against a front line asked mostly about practice.
    The answers are summed once per theme x interview x aspect (`_answer_cells`); each
    comparison then works on those sums with integer codes, never on the answers again.
    """
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
    q_theme, q_aspect = theme_code[q_rows], aspect[q_rows]
    answered = np.zeros((n_q, len(TIERS)), dtype=bool)
    answered[q_code, tier_code] = True
    iv_names = scored["interview_id"].cat.categories
    area_names = scored["service_area"].cat.categories
    area_code = codes("service_area")
    people = scored["people"].to_numpy()[is_scored]
    score = scored["score"].to_numpy(dtype=float)[is_scored]
    weight = scored["weight"].to_numpy(dtype=float)[is_scored]
    noise = _answer_noise(theme_code, iv, score, len(themes))
    item = _item_variance(theme_code, tier_code, q_code, score, noise, len(themes))
    c = _answer_cells(theme_code, iv, aspect, tier_code, score * weight, weight)
    n_i = len(iv_names)
    whole = bool(np.all(c["w"] == np.round(c["w"])))  # whole weights add up exactly
    respondent = pd.factorize(c["t"] * n_i + c["i"], sort=False)[0]  # theme x interview
    n_respondents = int(respondent.max()) + 1 if len(respondent) else 0
    used = groups[groups["group"] != ""]
    parts: list[dict[str, np.ndarray]] = []
    pairs: list[tuple[str, str]] = []
    for base, uppers in THREAD_PAIRS:
        b = TIERS.index(base)
        base_ok = set(used.loc[used["tier"] == base, "theme"])
        for group in dict.fromkeys(used["group"]):
            members = pool_members(group)
            if base in members or not set(members) & set(uppers):
                continue
            in_group = set(used.loc[used["group"] == group, "theme"]) & base_ok
            if not in_group:
                continue
            m = [TIERS.index(t) for t in members]
            common = asked[:, :, b] & asked[:, :, m].any(axis=2)  # theme x aspect
            theme_ok = np.isin(np.arange(n_themes), [themes.index(t) for t in in_group])
            a_cell = np.isin(c["tier"], m)
            keep = (a_cell | (c["tier"] == b)) & theme_ok[c["t"]] & common[c["t"], c["asp"]]
            t, i, asp, a = c["t"][keep], c["i"][keep], c["asp"][keep], a_cell[keep]
            y, w, k = c["y"][keep], c["w"][keep], c["k"][keep]
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
            key = respondent[keep] * 2 + a
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
            row = c["row"][keep][first_of_each(i, n_i)[ri]]
            with np.errstate(invalid="ignore", divide="ignore"):
                parts.append(
                    {
                        "t": rt,
                        "i": ri,
                        "a": ra,
                        "row": row,
                        "pair": np.full(resp_n, len(pairs)),
                        "y": total["num"] / total["share"],
                        "inv_k": total["inv"] / total["share"] ** 2,
                        "item_var": item[rt] / q_side,
                        "keep": enough,
                    }
                )
            pairs.append((base, group))
    if not parts:
        cols = ["theme", "interview_id", "side", "service_area", "people", "y", "w"]
        return pd.DataFrame(columns=[*cols, "base", "group"])
    keep = np.concatenate([p["keep"] for p in parts])
    col = {name: np.concatenate([p[name] for p in parts])[keep] for name in parts[0]}
    row, pair = col["row"], col["pair"]
    out = pd.DataFrame(
        {
            "theme": labels(themes, col["t"]),
            "interview_id": labels(iv_names, col["i"]),
            "side": np.where(col["a"], "a", "b"),
            "service_area": labels(area_names, area_code[row]),
            "people": people[row],
            "y": col["y"],
            "w": np.ones(len(row)),
            "inv_k": col["inv_k"],
            "noise": noise[col["t"]],
            "item_var": col["item_var"],
            "base": labels([b for b, _ in pairs], pair),
            "group": labels([g for _, g in pairs], pair),
        }
    )
    return out.dropna(subset=["y"])


def thread_comparisons(resp: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Each thread group minus its ground tier, per theme (like with like)."""
    if resp.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    out = compare_sides(resp, ["base", "group", "theme"])
    return out.rename(columns={"group": "tier"}).assign(
        kind="thread_break", area="", threshold=settings.thread_break_points, sign=0
    )[list(COMPARISON_COLUMNS)]


def dont_know_comparisons(
    theme_interview: pd.DataFrame, groups: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    """Don't-know rate of a tier (or pool) minus everyone else's, per theme, in points.

    For the front line a high rate means staff do not know what happens; at the top it
    means the board or leaders have no information to know. Each respondent is a row
    once per group compared on their theme (an index into `theme_interview`, not a copy).
    """
    ti = theme_interview
    themes = np.asarray(ti["theme"].cat.categories, dtype=object)
    theme = ti["theme"].cat.codes.to_numpy()
    tier = ti["tier"].cat.codes.to_numpy()
    # each row's thread group: groups names one per (theme, tier); -1 codes land on the edge
    group_of = np.full((len(themes) + 1, len(TIERS) + 1), "", dtype=object)
    g_theme = pd.Index(themes).get_indexer(groups["theme"].astype(str))
    g_tier = pd.Index(TIERS).get_indexer(groups["tier"].astype(str))
    known = (g_theme >= 0) & (g_tier >= 0)
    group_of[g_theme[known], g_tier[known]] = groups["group"].to_numpy(dtype=object)[known]
    group = group_of[theme, tier]
    tested = [  # groups in order of first appearance, decided once per group
        g for g in pd.unique(group) if g and set(pool_members(g)) & set(DONT_KNOW_TIERS)
    ]
    dk = ti["dont_know"].to_numpy()
    asked = dk + ti["scored"].to_numpy()
    idx, at, side_a = [], [], []
    for g in tested:
        own = group == g
        in_theme = np.zeros(len(themes) + 1, dtype=bool)
        in_theme[theme[own]] = True
        rows = np.flatnonzero(in_theme[theme] & (asked > 0))
        idx.append(rows)
        at.append(np.full(len(rows), len(at)))
        side_a.append(own[rows])
    if not idx:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    rows = np.concatenate(idx)
    y, w, t = dk[rows], asked[rows], theme[rows]
    sums = pd.DataFrame({"within": y - y**2 / w, "df": w - 1}).groupby(t).sum()
    within, df = sums["within"], sums["df"]
    values = pd.DataFrame(
        {
            "y": y,
            "w": w,
            "people": ti["people"].to_numpy()[rows],
            "inv_k": 1.0 / w,
            "noise": (within / df).reindex(t).to_numpy(),
        }
    )
    # cells: group x theme, numbered in order of first appearance
    n_t = len(themes) + 1
    cell, uniques = pd.factorize(np.concatenate(at) * n_t + t + 1, sort=False)
    names = pd.DataFrame(
        {
            "grp": np.asarray(tested, dtype=object)[uniques // n_t],
            "theme": np.append(themes, "nan")[uniques % n_t - 1],
        }
    )
    out = compare_cells(cell, np.concatenate(side_a), values, names, scale=100.0)
    return out.rename(columns={"grp": "tier"}).assign(
        kind="knowledge_gap", base="", area="", threshold=settings.knowledge_gap_points, sign=1
    )[list(COMPARISON_COLUMNS)]
