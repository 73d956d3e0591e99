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

from sgaudit.analysis.uncertainty import (
    difference,
    expected_variance,
    moment_stats,
    respondent_moments,
)
from sgaudit.questionnaire.models import AnalysisSettings
from sgaudit.vocab import TIERS

BETTER = "higher_rates_better"
WORSE = "higher_rates_worse"
POOL_SEP = "+"
# Who is compared with whom is data: the set's `thread_pairs` setting (`thread_pairs()`).
MIN_QUESTIONS = 2  # questions each side must have answered for a thread comparison
NOISE_PRIOR_DF = 10.0  # how many answers' evidence the theme's answer noise is worth to a tier
DONT_KNOW_TIERS: tuple[str, ...] = ("front_line", "dsl", "senior_leader", "board")

DIFFERENCE_COLUMNS: tuple[str, ...] = ("score_a", "score_b", "n_a", "n_b", "diff", "se", "df", "p")
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


def thread_pairs(
    by_tier: pd.DataFrame, groups: pd.DataFrame, settings: AnalysisSettings
) -> pd.DataFrame:
    """Per theme, which group is set against which ground tier (`settings.thread_pairs`).

    Columns: theme, base, group, together (the group is a pool the set names, such as
    the leadership set against people who use services, rather than a tier or a
    `thread_pools` pool standing in for a hidden tier). The ground tier must be shown
    on its own. A tier named alone takes part as its thread group (`thread_groups`:
    itself, its pool, or not at all). A named pool is the tiers of it heard on the
    theme; when some of them are hidden, it is used only on the terms of
    `thread_groups` (at least `suppression_min` people, every tier outside it shown),
    otherwise only its shown tiers are taken together.
    """
    frame = by_tier.assign(theme=by_tier["theme"].astype(str), tier=by_tier["tier"].astype(str))
    frame = frame[frame["n"] > 0]
    group_of = groups.set_index(["theme", "tier"])["group"]
    rows: list[tuple[str, str, str, bool]] = []
    for theme, part in frame.groupby("theme", sort=False):
        heard = set(part["tier"])
        hidden = set(part.loc[part["suppressed"].to_numpy(dtype=bool), "tier"])
        people = dict(zip(part["tier"], part["n"], strict=True))
        for base, against in settings.thread_pairs.items():
            if group_of.get((theme, base), "") != base:
                continue
            for members in against:
                present = [t for t in TIERS if t in members and t in heard]
                if len(members) == 1:
                    group = group_of.get((theme, members[0]), "")
                elif not set(present) & hidden or (
                    sum(people[t] for t in present) >= settings.suppression_min
                    and not hidden - set(members)
                ):
                    group = POOL_SEP.join(present)
                else:
                    group = POOL_SEP.join(t for t in present if t not in hidden)
                if not group or base in pool_members(group):
                    continue
                if (theme, base, group) not in {r[:3] for r in rows}:
                    rows.append((theme, base, group, len(members) > 1))
    return pd.DataFrame(rows, columns=["theme", "base", "group", "together"])


def _answer_noise(theme_code, iv, score, n_themes: int) -> np.ndarray:
    """Per theme: the variance of one respondent's answers around their own mean, pooled."""
    frame = pd.DataFrame({"t": theme_code, "i": iv, "s": score, "ss": score * score, "k": 1})
    per = frame.groupby(["t", "i"], sort=False)[["s", "ss", "k"]].sum()
    per["within"] = per["ss"] - per["s"] ** 2 / per["k"]
    per["df"] = per["k"] - 1
    sums = per.groupby(level="t")[["within", "df"]].sum()
    out = np.full(max(n_themes, 1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out[sums.index.to_numpy()] = (sums["within"] / sums["df"]).to_numpy()
    return out


def _tier_answer_noise(theme_code, tier_code, iv, score, theme_noise, n_themes: int) -> np.ndarray:
    """Theme x tier: the answer noise of the tier's respondents, shrunk towards the theme's.

    A tier near the top of the scale (trustees rating nearly everything "strongly
    agree") answers with less spread than the theme's respondents as a whole; judging
    its score by the theme's spread would make its intervals too wide. The tier's own
    within-respondent variance is moderated towards the theme's with `NOISE_PRIOR_DF`.
    """
    frame = pd.DataFrame(
        {"t": theme_code, "r": tier_code, "i": iv, "s": score, "ss": score * score, "k": 1}
    )
    per = frame.groupby(["t", "r", "i"], sort=False)[["s", "ss", "k"]].sum()
    per["within"] = per["ss"] - per["s"] ** 2 / per["k"]
    per["df"] = per["k"] - 1
    sums = per.groupby(level=["t", "r"])[["within", "df"]].sum()
    t = sums.index.get_level_values("t").to_numpy()
    r = sums.index.get_level_values("r").to_numpy()
    prior = np.asarray(theme_noise, dtype=float)
    out = np.tile(prior[:, None], (1, len(TIERS)))
    with np.errstate(invalid="ignore", divide="ignore"):
        shrunk = (NOISE_PRIOR_DF * prior[t] + sums["within"].to_numpy()) / (
            NOISE_PRIOR_DF + sums["df"].to_numpy()
        )
    out[t, r] = np.where(np.isfinite(prior[t]), shrunk, out[t, r])
    return out


def _item_variance(theme_code, tier_code, q_code, score, noise, n_themes: int) -> np.ndarray:
    """Per theme: how much question means differ within a tier beyond answer noise.

    Two tiers asked different questions differ by the questions' own pull as well as
    by what they think; this is that pull's variance (question by tier), pooled over
    the audit's themes and tiers. It is added to a comparison's variance over the number of
    questions each side answered.
    """
    frame = pd.DataFrame({"t": theme_code, "r": tier_code, "q": q_code, "s": score, "k": 1})
    per_q = frame.groupby(["t", "r", "q"], sort=False)[["s", "k"]].sum()
    per_q["mean"] = per_q["s"] / per_q["k"]
    per_q["inv"] = 1.0 / per_q["k"]
    cells = per_q.groupby(level=["t", "r"]).agg(
        var=("mean", "var"), inv=("inv", "mean"), questions=("k", "size")
    )
    # Only tiers heard by ten or more, where answer noise does not swamp the questions' pull.
    cells = cells[(cells["questions"] >= 2) & (cells["inv"] <= 0.1)]
    t = cells.index.get_level_values("t").to_numpy()
    excess = cells["var"].to_numpy() - noise[t] * cells["inv"].to_numpy()
    df = cells["questions"].to_numpy() - 1.0
    # Pooled over every theme: one theme has too few questions to say it alone.
    den = float(df.sum())
    pooled = max(float((excess * df).sum()) / den, 0.0) if den > 0 else 0.0
    return np.full(max(n_themes, 1), pooled)


def thread_respondents(scored: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Respondent scores for every thread comparison (`thread_pairs`), like with like.

    One row per (base, group, theme, interview): side ('a' the upper group, 'b' the
    ground tier), service_area, people, y (the respondent's score) and w (1). Only the
    aspects (paper, practice) that both the ground tier and the group were asked in
    the theme count, and every respondent's score mixes them in the same proportion
    (the ground tier's share of answer weight on each aspect), so a board asked mostly
    about paper is not set against a front line asked mostly about practice.
    Works on integer codes, so a million answers take a few masks, not string lookups.
    """
    rows = scored[(scored["kind"] == "scored").to_numpy()]
    q_code, _ = pd.factorize(rows["question_id"], sort=False)
    tier_code = rows["tier"].cat.codes.to_numpy()
    themes = list(rows["theme"].cat.categories)
    theme_code = rows["theme"].cat.codes.to_numpy()
    aspect = rows["aspect"].cat.codes.to_numpy()
    n_aspects = len(rows["aspect"].cat.categories)
    asked = np.zeros((max(len(themes), 1), n_aspects, len(TIERS)), dtype=bool)
    asked[theme_code, aspect, tier_code] = True
    yw = (rows["score"] * rows["weight"]).to_numpy(dtype=float)
    w = rows["weight"].to_numpy(dtype=float)
    iv = rows["interview_id"].cat.codes.to_numpy()
    iv_names = np.asarray(rows["interview_id"].cat.categories, dtype=object)
    area = rows["service_area"]
    people = rows["people"].to_numpy()
    noise = _answer_noise(theme_code, iv, rows["score"].to_numpy(dtype=float), len(themes))
    tier_noise = _tier_answer_noise(
        theme_code, tier_code, iv, rows["score"].to_numpy(dtype=float), noise, len(themes)
    )
    item = _item_variance(
        theme_code, tier_code, q_code, rows["score"].to_numpy(dtype=float), noise, len(themes)
    )
    out = []
    for (base, group), pair in pairs.groupby(["base", "group"], sort=False):
        b = TIERS.index(base)
        in_group = set(pair["theme"]) & set(themes)
        if in_group:
            m = [TIERS.index(t) for t in pool_members(group)]
            common = asked[:, :, b] & asked[:, :, m].any(axis=2)  # theme x aspect
            side_a = np.isin(tier_code, m)
            theme_ok = np.isin(np.arange(len(themes)), [themes.index(t) for t in in_group])
            keep = (side_a | (tier_code == b)) & theme_ok[theme_code] & common[theme_code, aspect]
            part = pd.DataFrame(
                {
                    "t": theme_code[keep],
                    "i": iv[keep],
                    "asp": aspect[keep],
                    "a": side_a[keep],
                    "y": yw[keep],
                    "w": w[keep],
                }
            )
            part["q"] = q_code[keep]
            questions = part.groupby(["t", "a"])["q"].nunique().rename("questions")
            part["k"] = 1
            per = part.groupby(["t", "i", "asp", "a"], sort=False)[["y", "w", "k"]].sum()
            per = per.reset_index()
            base_w = per[~per["a"]].groupby(["t", "asp"])["w"].sum()
            share = (base_w / base_w.groupby(level=0).transform("sum")).rename("share")
            per = per.join(share, on=["t", "asp"])
            per["num"] = per["share"] * per["y"] / per["w"]
            per["inv"] = per["share"] ** 2 / per["k"]
            resp = per.groupby(["t", "i", "a"], sort=False)[["num", "share", "inv"]].sum()
            resp = resp.reset_index().join(questions, on=["t", "a"])
            # One question is not a tier's view of a theme: both sides need two or more.
            enough = resp.groupby("t")["questions"].transform("min") >= MIN_QUESTIONS
            resp = resp[enough.to_numpy()]
            first = np.flatnonzero(keep)
            lookup = pd.Series(first, index=iv[keep]).groupby(level=0).first()
            pos = lookup.reindex(resp["i"].to_numpy()).to_numpy()
            out.append(
                pd.DataFrame(
                    {
                        "theme": np.asarray(themes, dtype=object)[resp["t"].to_numpy()],
                        "interview_id": iv_names[resp["i"].to_numpy()],
                        "side": np.where(resp["a"].to_numpy(), "a", "b"),
                        "service_area": area.iloc[pos].astype(str).to_numpy(),
                        "people": people[pos],
                        "y": (resp["num"] / resp["share"]).to_numpy(),
                        "w": 1.0,
                        "inv_k": (resp["inv"] / resp["share"] ** 2).to_numpy(),
                        "noise": tier_noise[resp["t"].to_numpy(), tier_code[pos]],
                        "item_var": item[resp["t"].to_numpy()] / resp["questions"].to_numpy(),
                    }
                ).assign(base=base, group=group)
            )
    if not out:
        cols = ["theme", "interview_id", "side", "service_area", "people", "y", "w"]
        return pd.DataFrame(columns=[*cols, "base", "group"])
    return pd.concat(out, ignore_index=True).dropna(subset=["y"])


def compare_sides(resp: pd.DataFrame, keys: list[str], scale: float = 1.0) -> pd.DataFrame:
    """Side 'a' minus side 'b' per cell of `keys`, from respondent rows.

    `resp` has y, w, people, and for the variance model inv_k (1 / answers behind the
    respondent's score) and noise (the theme's answer variance); see
    `uncertainty.expected_variance`. Each side's own spread is shrunk towards it.
    """
    m = respondent_moments(resp, [*keys, "side"], "y", "w")
    if "item_var" not in resp.columns:
        resp = resp.assign(item_var=0.0)
    model = resp.groupby([*keys, "side"], sort=False).agg(
        inv_k=("inv_k", "mean"), noise=("noise", "mean"), item_var=("item_var", "first")
    )
    stats_ = pd.concat([m[[*keys, "side"]], moment_stats(m)], axis=1)
    stats_ = stats_.join(model, on=[*keys, "side"])
    stats_["expected"] = expected_variance(
        stats_["theme"].to_numpy(),
        stats_["s2"].to_numpy(dtype=float),
        stats_["n"].to_numpy(dtype=float),
        stats_["inv_k"].to_numpy(dtype=float),
        stats_["noise"].to_numpy(dtype=float),
        # scores follow the scale's bounds; don't-know rates (scale 100) have their own noise
        stats_["score"].to_numpy(dtype=float) / 100 if scale == 1.0 else None,
    )
    cols = ("score", "n", "people", "s2", "expected", "item_var")
    wide = stats_.pivot_table(
        index=keys, columns="side", values=list(cols), aggfunc="first", dropna=False
    )
    sides = set(wide.columns.get_level_values(1))
    if wide.empty or not {"a", "b"} <= sides:
        return pd.DataFrame(columns=[*keys, *DIFFERENCE_COLUMNS])
    wide = wide.dropna(subset=[("score", "a"), ("score", "b")])
    a = pd.DataFrame({c: wide[(c, "a")].to_numpy() for c in cols})
    b = pd.DataFrame({c: wide[(c, "b")].to_numpy() for c in cols})
    out = difference(
        a, b, prior=a["expected"].to_numpy(), scale=scale, prior_b=b["expected"].to_numpy()
    )
    for i, k in enumerate(keys):
        out.insert(i, k, wide.index.get_level_values(i))
    return out


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
    means the board or leaders have no information to know.
    """
    ti = theme_interview.assign(
        theme=theme_interview["theme"].astype(str), tier=theme_interview["tier"].astype(str)
    )
    ti = ti.assign(asked=ti["scored"] + ti["dont_know"])
    ti = ti.merge(groups[["theme", "tier", "group"]], on=["theme", "tier"], how="left")
    ti["group"] = ti["group"].fillna("")
    tested = {  # decided once per group, not once per row
        g: bool(g) and bool(set(pool_members(g)) & set(DONT_KNOW_TIERS))
        for g in ti["group"].unique()
    }
    wanted = ti["group"].map(tested).to_numpy(dtype=bool)
    ti["side"] = "b"
    rows = []
    for group in pd.unique(ti.loc[wanted, "group"]):
        themes = ti.loc[ti["group"] == group, "theme"].unique()
        part = ti[ti["theme"].isin(themes)].copy()
        part["side"] = np.where(part["group"] == group, "a", "b")
        rows.append(part.assign(grp=group))
    if not rows:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    resp = pd.concat(rows, ignore_index=True).rename(columns={"dont_know": "y", "asked": "w"})
    resp = resp[resp["w"] > 0]
    within = (resp["y"] - resp["y"] ** 2 / resp["w"]).groupby(resp["theme"]).sum()
    df = (resp["w"] - 1).groupby(resp["theme"]).sum()
    resp = resp.assign(inv_k=1.0 / resp["w"], noise=resp["theme"].map(within / df).to_numpy())
    out = compare_sides(resp, ["grp", "theme"], scale=100.0)
    return out.rename(columns={"grp": "tier"}).assign(
        kind="knowledge_gap", base="", area="", threshold=settings.knowledge_gap_points, sign=1
    )[list(COMPARISON_COLUMNS)]
