"""The attacker: a linear solver over everything an audit publishes.

Written apart from `sgaudit.analysis.suppression` on purpose: it knows nothing of the
rules used to choose hidden cells, only the arithmetic a reader can do with the
published numbers. The attacker is generous to itself: it knows every cell's head
count and weight (so scores and rates become sums it can add and subtract exactly),
and it treats the same cell published by two outputs (an audit's analysis and a
comparison) as one number, which is how the differencing attack of issue 10 worked.

A system is a set of unknowns (hidden cells) and equations "total = sum of its parts"
(the lines of a table). A hidden unknown is pinned down exactly when its unit vector
lies in the row space of the equations restricted to the hidden unknowns: that is a
rank test (numpy), and a least-squares solve shows the value it would recover.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np

Line = tuple[Hashable, list[Hashable]]  # (total, its parts)


def pinned(lines: Iterable[Line], hidden: set[Hashable]) -> set[Hashable]:
    """The hidden unknowns that the equations of `lines` determine exactly.

    Every line says total = sum(parts); shown values are constants, so only the hidden
    ones are columns of the matrix.
    """
    cols = sorted(hidden, key=repr)
    if not cols:
        return set()
    index = {k: i for i, k in enumerate(cols)}
    rows = []
    for total, parts in lines:
        row = np.zeros(len(cols))
        for p in parts:
            if p in index:
                row[index[p]] += 1
        if total in index:
            row[index[total]] -= 1
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    out = set()
    for key, j in index.items():
        unit = np.zeros(len(cols))
        unit[j] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.add(key)
    return out


def table_lines(cells: Iterable[tuple]) -> list[Line]:
    """Lines of a (theme, tier, area) table with margins: None is "all tiers" / "all areas"."""
    cells = set(cells)
    lines: list[Line] = []
    themes = {c[0] for c in cells}
    for theme in themes:
        mine = [c for c in cells if c[0] == theme]
        tiers = {c[1] for c in mine if c[1] is not None}
        areas = {c[2] for c in mine if c[2] is not None}
        lines.append(((theme, None, None), [c for c in mine if c[1] and c[2] is None]))
        lines.append(((theme, None, None), [c for c in mine if c[1] is None and c[2]]))
        for t in tiers:
            lines.append(((theme, t, None), [c for c in mine if c[1] == t and c[2]]))
        for a in areas:
            lines.append(((theme, None, a), [c for c in mine if c[2] == a and c[1]]))
    return [(t, p) for t, p in lines if p and t in cells]


def shown_in_analysis(doc: dict) -> set[tuple]:
    """(theme, tier, area) of every cell with a score or rate on show in `analyse` JSON."""
    out = set()
    for t in doc["themes"]:
        if not t["suppressed"]:
            out.add((t["theme"], None, None))
        for c in t["by_tier"]:
            if not c["suppressed"]:
                out.add((t["theme"], c["tier"], None))
        for c in t["by_service_area"]:
            if not c["suppressed"]:
                out.add((t["theme"], None, c["service_area"]))
        for c in t["by_tier_and_service_area"]:
            if not c["suppressed"]:
                out.add((t["theme"], c["tier"], c["service_area"]))
    return out


def shown_aspects(doc: dict) -> set[tuple]:
    out = set()
    for t in doc["themes"]:
        for side in ("paper", "practice"):
            if t[f"{side}_score"] is not None:
                out.add((t["theme"], "aspect", side))
    return out


def shown_in_comparison(doc: dict, side: str) -> set[tuple]:
    """Cells of one side ("old" or "new") of `compare` JSON that carry a score."""
    return {
        (c["theme"], c["tier"], c["service_area"])
        for c in doc["theme_changes"]
        if c[f"{side}_score"] is not None
    }


def analysis_leaks(
    cells: set[tuple],
    shown: set[tuple],
    aspects: dict[str, tuple[bool, bool]] | None = None,
    shown_aspect_keys: set[tuple] = frozenset(),
    audit_wide_rate: bool = False,
) -> set[tuple]:
    """Hidden cells of one audit that the published `shown` cells give away.

    `cells` are all the cells that exist; `aspects[theme]` says whether the theme has
    paper and practice answers (its overall = paper + practice, in weighted sums);
    `audit_wide_rate`: the audit-wide don't-know rate is published (it pools all themes).
    """
    lines = table_lines(cells)
    unknowns = set(cells)
    for theme, (paper, practice) in (aspects or {}).items():
        parts = []
        for side, present in (("paper", paper), ("practice", practice)):
            if present:
                parts.append((theme, "aspect", side))
        if len(parts) == 2:
            lines.append(((theme, None, None), parts))
            unknowns |= set(parts)
    if audit_wide_rate:
        themes = {c[0] for c in cells}
        lines.append((("*", None, None), [(t, None, None) for t in themes]))
        unknowns.add(("*", None, None))
    hidden = unknowns - shown - set(shown_aspect_keys)
    if audit_wide_rate:
        hidden.discard(("*", None, None))
    return pinned(lines, hidden)


def count_lines(doc: dict) -> list[tuple[int, list[tuple[int | None, int]]]]:
    """The lines of counts a register document publishes: (shown total, [(shown count or
    None when hidden, the least a reader knows it to be)]). Every listed count is at least
    1; a service area's concerns are at least its triage rate's head count."""
    lines = []
    c = doc.get("concerns")
    if c:
        lines.append((c["concerns"], [(q["count"], 1) for q in c["by_quarter"]]))
        lines.append(
            (
                c["concerns"],
                [
                    (a["concerns"], max(1, a["triaged_within_target"]["n"] or 0))
                    for a in c["by_service_area"]
                ],
            )
        )
    k = doc.get("complaints")
    if k:
        for t in k["by_type"]:
            mine = [s for s in k["stages"] if s["type"] == t["type"]]
            lines.append((t["received"], [(s["count"], 1) for s in mine]))
    return [(total, cells) for total, cells in lines if cells]


def count_leaks(doc: dict) -> list[tuple[int, int]]:
    """(line, cell) of every hidden count that the shown total, the shown counts and the
    floors leave only one whole value for (a linear programme per hidden count)."""
    from scipy.optimize import linprog

    out = []
    for li, (total, cells) in enumerate(count_lines(doc)):
        hidden = [j for j, (shown, _) in enumerate(cells) if shown is None]
        if not hidden:
            continue
        rest = total - sum(shown for shown, _ in cells if shown is not None)
        bounds = [(cells[j][1], rest) for j in hidden]
        for i, j in enumerate(hidden):
            cost = np.zeros(len(hidden))
            cost[i] = 1
            ones = [np.ones(len(hidden))]
            low = linprog(cost, A_eq=ones, b_eq=[rest], bounds=bounds, method="highs")
            high = linprog(-cost, A_eq=ones, b_eq=[rest], bounds=bounds, method="highs")
            if low.status == 0 and high.status == 0 and -high.fun - low.fun < 1 - 1e-9:
                out.append((li, j))
    return out


# ---- scores, with the head counts, weights and the 0..100 range -----------------------


def score_truth(data) -> dict[tuple, tuple[float, float]]:
    """(theme, tier, area) -> (weight, score) of every cell with a scored answer, from the
    raw responses. A cell whose answers scored nothing adds nothing to any total's score,
    and the generous attacker knows that (from the question set, or the n)."""
    from sgaudit.analysis.scores import ScoreTables, theme_interview_totals

    ti = theme_interview_totals(ScoreTables.build(data).theme_interview)
    out = {}
    for by in ((), ("tier",), ("service_area",), ("tier", "service_area")):
        g = ti.groupby(["theme", *by], observed=True)[["weight", "weighted_sum"]].sum()
        for _, row in g.reset_index().iterrows():
            if row["weight"] > 0:
                cell = (
                    str(row["theme"]),
                    str(row["tier"]) if "tier" in by else None,
                    str(row["service_area"]) if "service_area" in by else None,
                )
                out[cell] = (float(row["weight"]), float(row["weighted_sum"] / row["weight"]))
    return out


def score_squeeze(
    truth: dict[tuple, tuple[float, float]], shown: set[tuple], width: float
) -> list[tuple[tuple, float, float]]:
    """Hidden score cells that the published scores, the weights and 0 <= score <= 100
    confine to an interval narrower than `width` points: (cell, low, high).

    Each line of the table says weight(total) x score(total) = the sum of weight x score
    of its cells; shown scores are constants. A linear programme per hidden cell finds
    the least and the most it can be.
    """
    from scipy.optimize import linprog

    hidden = sorted(set(truth) - shown, key=repr)
    index = {k: i for i, k in enumerate(hidden)}
    rows, rhs = [], []
    for total, parts in table_lines(set(truth)):
        row, known = np.zeros(len(hidden)), 0.0
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            weight, score = truth[cell]
            if cell in index:
                row[index[cell]] += sign * weight
            else:
                known -= sign * weight * score
        if row.any():
            rows.append(row)
            rhs.append(known)
    if not rows:
        return []
    a, b = np.array(rows), np.array(rhs)
    bounds = [(0.0, 100.0)] * len(hidden)
    out = []
    for cell, j in index.items():
        cost = np.zeros(len(hidden))
        cost[j] = 1.0
        low = linprog(cost, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        high = linprog(-cost, A_eq=a, b_eq=b, bounds=bounds, method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < width:
            out.append((cell, round(low.fun, 1), round(-high.fun, 1)))
    return out
