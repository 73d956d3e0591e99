"""Complementary (secondary) suppression: hide enough cells that no hidden one can be worked out.

Primary suppression (in `scores._finish`) hides every cell of fewer than
`suppression_min` people. That alone leaks: a theme's overall score and the score and
n of every other tier are shown, so a single hidden tier's score follows (closely)
from the difference. The same holds for service areas, and for the tier x area table
against its tier and area totals.

Per theme the cells form one table with margins: tier x area cells, each tier's
total (its `by_tier` cell) at the end of its row, each area's total (its `by_area`
cell) at the foot of its column, and the overall cell in the corner. Every row and
every column of that table is a *line*: a total and the cells it adds up. The rules,
applied until nothing changes:

1. **Shown total.** While a line's total is shown and some of its cells are hidden,
   and either only one cell is hidden or the hidden cells hold fewer than
   `suppression_min` people between them, hide one more of its shown cells. A line
   whose only cell is hidden hides its total too (the total *is* that cell).
2. **Hidden total.** A total hidden to protect another cell must not be rebuilt from
   its own parts: if none of its cells is hidden, hide one.
3. **No chain of one.** Hidden cells whose values are tied to each other by the lines
   must form closed loops; a hidden cell that is the only link between two groups of
   hidden cells (a bridge) can be solved for exactly, so one more cell is hidden to
   close the loop.

4. **Room to move (scores only).** Scores lie between 0 and 100, and each cell counts in
   its totals by its weight (of scored answers); a hidden score can move only 100 x
   (the other hidden cells' weight) / (its weight) points. When a small group's room
   is under `PROTECTION_WIDTH`, hide one more cell, as in rule 1.

The rules run twice, and the union is hidden: for the don't-know rates over every cell
that was asked, and for the scores over the cells with a scored answer (a cell that
scored nothing adds nothing to a total's score, so it hides nothing), with rule 4.

Which cell is hidden: never the overall cell; a front-line or board cell (they carry
the golden thread) only when no other is available; then a cell that does not leave
a one-cell line behind it; then a tier pooled for the thread with a hidden tier of the
line (`thread_pools`: with a DSL of one hidden, the senior leaders go before the
managers, because the thread reads the DSL and senior leaders as one pool anyway and
the managers stay testable); then the fewest people; then one whose other line already
has a hidden cell; then ground-to-board tier order and area order. The loop is over
the cells of one theme's small table (tens of cells), never over responses.

Cells hidden by rule 1 to 3 are marked `suppression == "complementary"`; those below
the minimum `"small_group"`. The models and JSON only say `suppressed: true`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.vocab import TIERS

SMALL_GROUP = "small_group"
COMPLEMENTARY = "complementary"
THREAD_TIERS: tuple[str, ...] = ("front_line", "board")
MARGIN = "\x00total"
# The least a hidden score must be free to move, in points, given everything shown (rule 1).
PROTECTION_WIDTH = 25.0  # the row or column of totals (no tier or area can be called this)

Key = tuple[str, str]  # (tier or MARGIN, area or MARGIN)
Node = tuple[str, str]  # ("row", tier or MARGIN) or ("col", area or MARGIN)
CORNER: Key = (MARGIN, MARGIN)


class ThemeTable:
    """One theme's cells as a table with margins, and which of them are hidden.

    `n` maps every cell that exists to its head count; `hidden` holds the hidden
    cells (primary ones to start with). Cells nobody was interviewed in do not exist:
    they are known to be empty, so they are neither shown nor hidden.
    """

    def __init__(
        self,
        n: dict[Key, int],
        hidden: Iterable[Key],
        minimum: int,
        areas: list[str],
        weight: dict[Key, float] | None = None,
        pools: Iterable[Iterable[str]] = (),
    ) -> None:
        self.n = n
        self.partners: dict[str, frozenset[str]] = {}
        for pool in pools:
            members = frozenset(pool)
            for tier in members:
                self.partners[tier] = self.partners.get(tier, frozenset()) | (members - {tier})
        self.weight = weight
        self.hidden: set[Key] = set(hidden)
        self.small: frozenset[Key] = frozenset(self.hidden)  # the small groups themselves
        self.minimum = minimum
        self.lines: dict[Node, list[Key]] = {}  # node -> its cells, the total first
        tier_rank = {t: i for i, t in enumerate(TIERS)}
        area_rank = {a: i for i, a in enumerate(areas)}
        self.rank = {
            k: (tier_rank.get(k[0], len(TIERS)), area_rank.get(k[1], len(areas))) for k in n
        }
        rows = sorted({k[0] for k in n}, key=lambda r: tier_rank.get(r, len(TIERS)))
        cols = sorted({k[1] for k in n}, key=lambda c: area_rank.get(c, len(areas)))
        # The tier and area margins first (the lines a reader sees), then rows, then columns.
        for node in [("col", MARGIN), ("row", MARGIN)]:
            self._add_line(node)
        for r in rows:
            if r != MARGIN:
                self._add_line(("row", r))
        for c in cols:
            if c != MARGIN:
                self._add_line(("col", c))

    def _add_line(self, node: Node) -> None:
        kind, label = node
        total: Key = (label, MARGIN) if kind == "row" else (MARGIN, label)
        if kind == "row":
            members = [k for k in self.n if k[0] == label and k[1] != MARGIN]
        else:
            members = [k for k in self.n if k[1] == label and k[0] != MARGIN]
        if total in self.n and members:
            self.lines[node] = [total, *sorted(members, key=lambda k: self.rank[k])]

    # ---- choosing the next cell to hide -------------------------------------------------

    @staticmethod
    def nodes_of(key: Key) -> tuple[Node, Node]:
        return ("row", key[0]), ("col", key[1])

    def _cost(self, key: Key, line: Node | None) -> tuple:
        """Sort key of a candidate `key` chosen to protect `line` (the smallest is hidden).

        Looks at the candidate's other lines: would it be their only cell (so their
        total would have to go too), and do they hold no hidden cell yet.
        """
        others = [self.lines.get(nd, []) for nd in self.nodes_of(key) if nd != line]
        lone = any(cells and cells[0] != key and len(cells) == 2 for cells in others)
        clean = not any(c in self.hidden for cells in others for c in cells if c != key)
        partner = line is not None and any(
            h in self.hidden and key[0] in self.partners.get(h[0], ())
            for h in self.lines.get(line, ())
        )
        return (key[0] in THREAD_TIERS, lone, not partner, self.n[key], clean, self.rank[key])

    def _best(self, candidates: Iterable[Key], line: Node | None) -> Key | None:
        pick = [k for k in candidates if k != CORNER and k not in self.hidden]
        return min(pick, key=lambda k: self._cost(k, line)) if pick else None

    def _line_needs(self, node: Node) -> Key | None:
        """The cell this line needs hidden next (rules 1 and 2), or None."""
        total, *members = self.lines[node]
        hidden = [m for m in members if m in self.hidden]
        shown = [m for m in members if m not in self.hidden]
        if total in self.hidden:
            return self._best(shown, node) if not hidden else None  # rule 2
        if not hidden:
            return None
        if not shown:  # every cell hidden: safe unless the line has only that one cell
            return total if len(members) == 1 and total != CORNER else None
        if len(hidden) == 1 or sum(self.n[m] for m in hidden) < self.minimum:
            return self._best(shown, node)  # rule 1
        if self._squeezed(hidden):
            return self._best(shown, node)  # rule 1, scores: room to move
        return None

    def _squeezed(self, hidden: list[Key]) -> bool:
        """Scores only: could a reader bound one hidden cell of this line to a narrow range?

        With the total and the shown cells known, the hidden cells' weighted scores add
        up to a known amount, and each score lies between 0 and 100; so a hidden cell can
        move only by as much as the others' weight lets it: 100 x (the others' weight) /
        its own weight points. That room must be at least `PROTECTION_WIDTH` points.
        """
        if self.weight is None:
            return False
        room = sum(self.weight[h] for h in hidden)
        return any(
            100 * (room - self.weight[h]) < PROTECTION_WIDTH * self.weight[h]
            for h in hidden
            if h in self.small  # a cell hidden only to protect others is a big enough group
        )

    # ---- rule 3: bridges -------------------------------------------------------------------

    def _component(self, start: Node, edges: set[Key]) -> set[Node]:
        adjacent: dict[Node, list[Node]] = {}
        for key in edges:
            a, b = self.nodes_of(key)
            adjacent.setdefault(a, []).append(b)
            adjacent.setdefault(b, []).append(a)
        seen, todo = {start}, [start]
        while todo:
            for nxt in adjacent.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def _bridge_fix(self) -> Key | None:
        """A cell that closes a loop through a bridge of the hidden cells (rule 3), or None."""
        for key in sorted(self.hidden, key=lambda k: self.rank[k]):
            a, b = self.nodes_of(key)
            rest = self.hidden - {key}
            side_a = self._component(a, rest)
            if b in side_a:
                continue  # on a loop: cannot be solved for
            side_b = self._component(b, rest)
            joins = [
                k
                for k in self.n
                if k not in self.hidden
                and (
                    (self.nodes_of(k)[0] in side_a and self.nodes_of(k)[1] in side_b)
                    or (self.nodes_of(k)[0] in side_b and self.nodes_of(k)[1] in side_a)
                )
            ]
            pick = self._best(joins, None)
            if pick is None:  # nothing joins the two sides directly: grow from either side
                near = [k for k in self.n if set(self.nodes_of(k)) & (side_a | side_b)]
                pick = self._best(near, None)
            if pick is not None:
                return pick
        return None

    def protect(self) -> set[Key]:
        """Apply rules 1-3 until nothing changes; return the cells hidden by them."""
        start = set(self.hidden)
        if CORNER in self.hidden or not self.hidden:
            return set()  # everything is below the minimum, or nothing is
        for _ in range(len(self.n) + 1):
            changed = False
            for node in self.lines:
                while (key := self._line_needs(node)) is not None:
                    self.hidden.add(key)
                    changed = True
            if not changed and (key := self._bridge_fix()) is not None:
                self.hidden.add(key)
                changed = True
            if not changed:
                break
        return self.hidden - start


def _keys(frame: pd.DataFrame, tier: bool, area: bool) -> list[Key]:
    tiers = frame["tier"].astype(str).tolist() if tier else [MARGIN] * len(frame)
    areas = frame["service_area"].astype(str).tolist() if area else [MARGIN] * len(frame)
    return list(zip(tiers, areas, strict=True))


def protect_tables(
    overall: pd.DataFrame,
    by_tier: pd.DataFrame,
    by_area: pd.DataFrame,
    by_tier_area: pd.DataFrame,
    settings: AnalysisSettings,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The four cell tables of `scores.cell_scores` with complementary suppression added.

    A cell hidden here gets `suppressed = True`, `suppression = "complementary"` and no
    score, rag or dont_know_rate, like a small group. Only themes with a small group
    anywhere are looked at; the others are returned unchanged.
    """
    frames = [overall, by_tier, by_area, by_tier_area]
    shapes = [(False, False), (True, False), (False, True), (True, True)]
    themes = [f["theme"].astype(str).to_numpy() for f in frames]
    small = set().union(
        *(set(t[f["suppressed"].to_numpy()]) for t, f in zip(themes, frames, strict=True))
    )
    if not small:
        return overall, by_tier, by_area, by_tier_area
    positions: list[dict[str, list[int]]] = [{} for _ in themes]
    for rows, names in zip(positions, themes, strict=True):
        for i, name in enumerate(names.tolist()):
            rows.setdefault(name, []).append(i)
    # Each table's cells as plain Python values, read once (not once per theme).
    columns = [
        list(
            zip(
                _keys(frame, has_tier, has_area),
                frame["n"].to_numpy().tolist(),
                frame["suppressed"].to_numpy().tolist(),
                frame["scored"].to_numpy().tolist(),
                frame["weight"].to_numpy().tolist(),
                strict=True,
            )
        )
        for frame, (has_tier, has_area) in zip(frames, shapes, strict=True)
    ]
    extra = [np.zeros(len(f), dtype=bool) for f in frames]
    for theme in sorted(small):
        n: dict[Key, int] = {}
        hidden: list[Key] = []
        scoreless: set[Key] = set()
        weight: dict[Key, float] = {}
        where: dict[Key, tuple[int, int]] = {}
        for i, cells in enumerate(columns):
            for pos in positions[i].get(theme, ()):
                key, count, hide, scored, w = cells[pos]
                n[key] = int(count)
                weight[key] = float(w)
                where[key] = (i, int(pos))
                if hide:
                    hidden.append(key)
                if scored <= 0:
                    scoreless.add(key)
        areas = [k[1] for k in n if k[0] == MARGIN and k[1] != MARGIN]
        m = settings.suppression_min
        # Two measures share these cells. The don't-know rate counts every cell that was
        # asked; the score only cells with a scored answer: a cell that scored nothing
        # (its people answered "don't know" or were not asked a scored question) adds
        # nothing to its line's score, so it cannot hide a neighbour's. Each measure is
        # protected on its own and both sets are hidden (hiding more never un-hides).
        pools = settings.thread_pools
        for_rates = ThemeTable(n, hidden, m, areas, pools=pools).protect()
        scoring = {k: v for k, v in n.items() if k not in scoreless}
        for_scores = ThemeTable(
            scoring, [k for k in hidden if k in scoring], m, areas, weight, pools
        ).protect()
        for key in for_rates | for_scores:
            i, pos = where[key]
            extra[i][pos] = True
    return tuple(_apply(f, e) for f, e in zip(frames, extra, strict=True))  # type: ignore[return-value]


def _apply(frame: pd.DataFrame, extra: np.ndarray) -> pd.DataFrame:
    if not extra.any():
        return frame
    return frame.assign(
        suppressed=frame["suppressed"].to_numpy() | extra,
        suppression=np.where(extra, COMPLEMENTARY, frame["suppression"].to_numpy(dtype=object)),
        score=np.where(extra, np.nan, frame["score"].to_numpy(dtype=float)),
        dont_know_rate=np.where(extra, np.nan, frame["dont_know_rate"].to_numpy(dtype=float)),
        rag=np.where(extra, None, frame["rag"].to_numpy(dtype=object)),
    )


def protect_aspects(
    aspects: pd.DataFrame, overall: pd.DataFrame, forced: frozenset[str] = frozenset()
) -> tuple[pd.DataFrame, frozenset[str]]:
    """Paper and practice scores with the side that would give a hidden side away blanked.

    A theme's overall score mixes its paper and practice answers, so when one side is
    hidden (too few people) and the other is shown, the hidden one follows from the
    overall score: both are withheld then. Both are withheld too when the theme's
    overall cell is hidden, or the theme is in `forced`. Returns the frame and the
    themes whose sides are withheld.
    """
    if aspects.empty:
        return aspects, frozenset(forced)
    out = aspects.copy()
    hidden_overall = set(overall.loc[overall["suppressed"], "theme"].astype(str))
    paper_small = out["paper_score"].isna() & (out["paper_n"] > 0)
    practice_small = out["practice_score"].isna() & (out["practice_n"] > 0)
    themes = out["theme"].astype(str)
    withheld = (
        paper_small
        | practice_small
        | themes.isin(hidden_overall).to_numpy()
        | themes.isin(forced).to_numpy()
    )
    out.loc[withheld, ["paper_score", "practice_score"]] = np.nan
    return out, frozenset(themes[withheld]) | frozenset(forced)
