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

from collections.abc import Collection

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import sums_by
from sgaudit.analysis.like_with_like import POOL_SEP as POOL_SEP  # the thread's names
from sgaudit.analysis.like_with_like import pool_members as pool_members
from sgaudit.analysis.like_with_like import thread_respondents as thread_respondents
from sgaudit.analysis.own_level import RespondentCodes, centre, respondent_codes
from sgaudit.analysis.sides import compare_cells
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import TIERS

BETTER = "higher_rates_better"
# A thread comparison of each respondent against their own level (`own_level.py`): the
# gap on a theme beyond the two tiers' usual gap on the other themes.
BEYOND = "thread_break_beyond_usual"
THREAD_KINDS: tuple[str, ...] = ("thread_break", BEYOND)  # a thread gap's two readings
WORSE = "higher_rates_worse"
# Who is compared with whom is data: the set's `thread_pairs` setting (`thread_pairs()`).
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
    # A few dozen theme x tier rows: plain Python over them, not a groupby per pool.
    rows = list(
        zip(
            frame["theme"].tolist(),
            frame["tier"].tolist(),
            frame["n"].tolist(),
            frame["suppressed"].tolist(),
            strict=True,
        )
    )
    group = ["" if hidden else tier for _, tier, _, hidden in rows]
    pooled = [False] * len(rows)
    for pool in settings.thread_pools:
        per_theme: dict[str, list[int]] = {}  # hidden in the pool, hidden outside, pool's n
        for theme, tier, n, hidden in rows:
            sums = per_theme.setdefault(theme, [0, 0, 0])
            if tier in pool:
                sums[0] += bool(hidden)
                sums[2] += n
            else:
                sums[1] += bool(hidden)
        ok = {
            theme
            for theme, (hidden_in, hidden_out, pool_n) in per_theme.items()
            if hidden_in > 0 and hidden_out == 0 and pool_n >= settings.suppression_min
        }
        present: dict[str, set[str]] = {}
        for theme, tier, _, _ in rows:
            if tier in pool and theme in ok:
                present.setdefault(theme, set()).add(tier)
        for i, (theme, tier, _, _) in enumerate(rows):
            if tier in pool and theme in ok:
                group[i] = POOL_SEP.join(t for t in TIERS if t in present[theme])
                pooled[i] = True
    frame["group"] = np.asarray(group, dtype=object)
    frame["pooled"] = np.asarray(pooled, dtype=bool)
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
    group_of = dict(
        zip(
            zip(groups["theme"].tolist(), groups["tier"].tolist(), strict=True),
            groups["group"].tolist(),
            strict=True,
        )
    )
    # theme x tier rows, a few dozen: each theme's tiers heard, hidden and their people
    parts: dict[str, tuple[set, set, dict]] = {}
    for theme, tier, n, hidden in zip(
        frame["theme"].tolist(),
        frame["tier"].tolist(),
        frame["n"].tolist(),
        frame["suppressed"].tolist(),
        strict=True,
    ):
        heard_, hidden_, people_ = parts.setdefault(theme, (set(), set(), {}))
        heard_.add(tier)
        if hidden:
            hidden_.add(tier)
        people_[tier] = n
    rows: list[tuple[str, str, str, bool]] = []
    for theme, (heard, hidden, people) in parts.items():
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


def thread_comparisons(resp: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    """Each thread group minus its ground tier, per theme (like with like), two ways.

    "thread_break": the plain gap between the two tiers' scores. `BEYOND`: the gap beyond
    the two tiers' usual gap on the other themes, each respondent set against their own
    level (`own_level.py`); its scores are the tiers' own (the plain comparison's), its
    difference, interval and p the centred ones. Both take part in the audit's false-flag
    control; `thread_findings` makes at most one finding of the two.
    """
    if resp.empty:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    codes = respondent_codes(resp)  # both readings work on the same integer codes
    plain = compare_cells(codes.cell, codes.side_a, resp, codes.names)
    plain = _as_comparisons(plain.assign(kind="thread_break"), settings)
    beyond = beyond_usual_comparisons(resp, settings, plain, codes=codes)
    return pd.concat([plain, beyond], ignore_index=True) if len(beyond) else plain


def beyond_usual_comparisons(
    resp: pd.DataFrame,
    settings: AnalysisSettings,
    plain: pd.DataFrame,
    outstanding: Collection[tuple[str, str, str]] = (),
    codes: RespondentCodes | None = None,
) -> pd.DataFrame:
    """The `BEYOND` comparisons of `resp`, with the scores of `plain` (its "thread_break"
    rows). `outstanding` (base, group, theme) stand out from the usual level and are not
    counted in it (`own_level.centre`; `detect.settle_usual_level` gives them)."""
    codes = codes if codes is not None else respondent_codes(resp)
    own = centre(resp, settings.thread_own_level_themes, codes, outstanding)
    if own is None:
        return pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    beyond = _beyond_cells(own, codes.names)
    # the tiers' own scores: the plain comparison's row of the same cell (a few dozen)
    keys = ["base", "group", "theme"]
    at = {k: n for n, k in enumerate(plain[["base", "tier", "theme"]].itertuples(False, None))}
    row = [at.get(k, -1) for k in beyond[keys].itertuples(index=False, name=None)]
    row = np.asarray(row, dtype=np.int64)
    beyond = beyond[row >= 0].assign(
        **{c: plain[c].to_numpy()[row[row >= 0]] for c in ("score_a", "score_b")}
    )
    return _as_comparisons(beyond.assign(kind=BEYOND), settings)


def _as_comparisons(cells: pd.DataFrame, settings: AnalysisSettings) -> pd.DataFrame:
    return cells.rename(columns={"group": "tier"}).assign(
        area="", threshold=settings.thread_break_points, sign=0
    )[list(COMPARISON_COLUMNS)]


def _beyond_cells(own, names: pd.DataFrame) -> pd.DataFrame:
    """The gaps beyond the usual gap, each ground tier's comparisons pooled on their own.

    A cell's spread between people is pooled over the cells of its theme
    (`uncertainty.expected_variance`). Centred on their own level, what is left of the
    people who use services' scores (three questions a theme on a three-point scale) is
    far wider than staff's; pooled with the front line's comparisons it widened the
    board's interval beyond the usual gap by a quarter. So the comparisons of each
    ground tier (`base`) pool only among themselves.
    """
    pool = names["base"].astype(str) + "\x1f" + names["theme"].astype(str)
    return compare_cells(
        own.cell, own.side_a, own.values, names, bounded=False, pool_by=pool.to_numpy()
    )


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
    per_theme, sums = sums_by(t, {"within": y - y**2 / w, "df": w - 1}, sort=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        noise = (sums["within"] / sums["df"])[np.searchsorted(per_theme, t)]
    values = pd.DataFrame(
        {
            "y": y,
            "w": w,
            "people": ti["people"].to_numpy()[rows],
            "inv_k": 1.0 / w,
            "noise": noise,
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
