"""Complementary suppression of register rates: no hidden rate can be worked out.

A rate over fewer than `suppression_min` people (or records) is hidden by `Rate`. That
alone leaks, as scores do: `registers show` gives training compliance overall and per
role group, so with one group hidden, overall minus the shown groups gives its count
("4 - 3 = 1 person, and 3 - 3 = 0 of them had induction"). So, as for scores, more
rates are hidden until none can be worked out, across every breakdown a rate is
published in: per role group, per role group x service area, per service area, the
DSL groups together, paid and volunteer, complaint types, concern service areas.

Each breakdown is a *line*: a total and the rates whose counts add up to it. Rules,
applied until nothing changes (the loop is over the rates of one register, tens of
them, never over people):

1. A shown total with hidden parts needs at least two hidden parts holding at least
   `suppression_min` people between them; otherwise the shown part with the fewest
   people is hidden too (or the total, when no part is left to hide).
2. A shown total whose hidden parts are all good or all bad (its count minus the shown
   counts is 0, or is all of the hidden people) tells each hidden part's rate: the
   total is hidden.
3. A hidden total that is not itself a small group, with every part shown, could be
   added up again: its smallest part is hidden.
4. Last, the attacker's own tests: any hidden count that the lines pin down exactly (a
   rank test of the equations), or squeeze to a single value between 0 and its n
   across several lines at once (a linear programme per hidden count), gets one more
   shown part of its lines hidden.

Head counts (`n`, `people`) stay (but for `risk_assessed` when `dbs_information` is
hidden: there `n` is that hidden count): they say how many people a register holds, which
the organisation knows; counts and rates of hidden groups do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from sgaudit.registers.models import RegisterIndicators

Path = tuple[Any, ...]
SPREAD_POINTS = 6  # programmes with mixed objectives, run before the per-count ones
# A unit vector whose part outside the row space of the sums is no longer than this lies
# in it (the sums have small whole coefficients: such a part is 0 or far from it).
_ROW_SPACE_TOLERANCE = 1e-8
Line = tuple[Path, list[Path]]


def _get(doc: dict, path: Path) -> dict:
    node: Any = doc
    for step in path:
        node = node[step]
    return node


def _training_lines(t: dict) -> Iterator[Line]:
    groups = t["by_role_group"]
    cells = t["by_role_group_and_area"]
    for check in ("compliance", "refresher", "induction", "cpd_log"):
        total = ("training", "overall") if check == "compliance" else ("training", check)
        yield total, [("training", "by_role_group", i, check) for i in range(len(groups))]
        for i, g in enumerate(groups):
            parts = [
                ("training", "by_role_group_and_area", j, check)
                for j, c in enumerate(cells)
                if c["role_group"] == g["role_group"]
            ]
            yield ("training", "by_role_group", i, check), parts
    areas = t["by_service_area"]
    yield (
        ("training", "overall"),
        [("training", "by_service_area", k, "compliance") for k in range(len(areas))],
    )
    for k, a in enumerate(areas):
        parts = [
            ("training", "by_role_group_and_area", j, "compliance")
            for j, c in enumerate(cells)
            if c["service_area"] == a["service_area"]
        ]
        yield ("training", "by_service_area", k, "compliance"), parts
    yield (
        ("training", "dsl_compliance"),
        [
            ("training", "by_role_group", i, "compliance")
            for i, g in enumerate(groups)
            if g["is_dsl_group"]
        ],
    )


def _lines(doc: dict) -> list[Line]:
    lines: list[Line] = []
    if doc.get("training"):
        lines += list(_training_lines(doc["training"]))
    if doc.get("recruitment"):
        kinds = doc["recruitment"]["by_type"]
        lines.append(
            (
                ("recruitment", "checks_complete"),
                [("recruitment", "by_type", i, "checks_complete") for i in range(len(kinds))],
            )
        )
    if doc.get("concerns"):
        areas = doc["concerns"]["by_service_area"]
        lines.append(
            (
                ("concerns", "triaged_within_target"),
                [
                    ("concerns", "by_service_area", i, "triaged_within_target")
                    for i in range(len(areas))
                ],
            )
        )
    if doc.get("complaints"):
        kinds = doc["complaints"]["by_type"]
        for check in ("time_limits_met", "feedback_given", "themes_recorded"):
            lines.append(
                (
                    ("complaints", check),
                    [("complaints", "by_type", i, check) for i in range(len(kinds))],
                )
            )
    return [(t, parts) for t, parts in lines if parts]


class _Programme:
    """The linear programme of the hidden counts: min cost . x with A x = b, 0 <= x <= n.

    Solved by HiGHS through its own Python binding (`highspy`), the solver scipy's
    `linprog(method="highs")` runs: importing `scipy.optimize` for it took a third of a
    second of every command that shows register rates. A fresh model per programme, as
    `linprog` builds it, so no answer depends on the programmes solved before it.
    """

    def __init__(self, a: np.ndarray, b: np.ndarray, upper: np.ndarray) -> None:
        rows, cols = np.nonzero(a.T)  # column-wise: for each count, the sums it is in
        self.a, self.b, self.upper = a, b, upper
        self.starts = np.searchsorted(rows, np.arange(a.shape[1] + 1)).astype(np.int32)
        self.index = cols.astype(np.int32)
        self.value = a.T[rows, cols].astype(np.float64)

    def least(self, cost: np.ndarray) -> tuple[np.ndarray, float] | None:
        """(x, cost . x) at the least, or None when no counts meet the sums."""
        import highspy  # only needed once something is hidden

        m, n = self.a.shape
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = cost.astype(np.float64)
        lp.col_lower_, lp.col_upper_ = np.zeros(n), self.upper
        lp.row_lower_ = lp.row_upper_ = self.b.astype(np.float64)
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kColwise
        matrix.num_col_, matrix.num_row_ = n, m
        matrix.start_, matrix.index_, matrix.value_ = self.starts, self.index, self.value
        lp.a_matrix_ = matrix
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.array(h.getSolution().col_value)
        return x, float(h.getInfo().objective_function_value)


class _Rates:
    """The rates of one register document, their lines, and which are hidden."""

    def __init__(self, doc: dict, lines: list[Line], minimum: int) -> None:
        self.doc, self.lines, self.minimum = doc, lines, minimum
        self.rate = {p: _get(doc, p) for line in lines for p in (line[0], *line[1])}
        self.hidden = {p for p, r in self.rate.items() if r["suppressed"]}
        self.small = set(self.hidden)
        self.lone = {parts[0] for _, parts in lines if len(parts) == 1}

    def n(self, p: Path) -> int:
        return int(self.rate[p]["n"])

    def count(self, p: Path) -> int:
        return int(self.rate[p]["count"] or 0)

    def _smallest(self, parts: list[Path]) -> Path | None:
        """The shown part to hide next: not the only part of another line (its total
        would have to go too), then the fewest people."""
        shown = [p for p in parts if p not in self.hidden and self.n(p) > 0]
        return min(shown, key=lambda p: (p in self.lone, self.n(p), repr(p))) if shown else None

    def _line_needs(self, total: Path, parts: list[Path]) -> Path | None:
        hidden = [p for p in parts if p in self.hidden]
        if total in self.hidden:
            if not hidden and total not in self.small:
                return self._smallest(parts)  # rule 3
            return None
        if not hidden:
            return None
        people = sum(self.n(p) for p in hidden)
        if len(hidden) == 1 or people < self.minimum:  # rule 1
            return self._smallest(parts) or total
        rest = self.count(total) - sum(self.count(p) for p in parts if p not in self.hidden)
        if rest in (0, people):  # rule 2
            return total
        return None

    def _pinned(self) -> list[Path]:
        cols = sorted(self.hidden, key=repr)
        index = {p: i for i, p in enumerate(cols)}
        rows = []
        for total, parts in self.lines:
            row = np.zeros(len(cols))
            for p in parts:
                if p in index:
                    row[index[p]] += 1
            if total in index:
                row[index[total]] -= 1
            if row.any():
                rows.append(row)
        if not rows:
            return []
        # A count is pinned when its unit vector lies in the row space of the sums: adding
        # it as one more row leaves the rank as it is. One singular value decomposition
        # answers that for every count at once: the unit vector of count j is in the row
        # space when the null space has nothing in coordinate j. The rank and the
        # tolerance are matrix_rank's (largest singular value x size x machine epsilon).
        a = np.array(rows)
        _, sv, vt = np.linalg.svd(a)
        tol = (sv.max() if len(sv) else 0.0) * max(a.shape) * np.finfo(float).eps
        rank = int((sv > tol).sum())
        null = vt[rank:]  # an orthonormal basis of the null space, row by row
        outside = np.sqrt((null**2).sum(axis=0))  # each unit vector's part off the row space
        return [p for p, j in index.items() if outside[j] <= _ROW_SPACE_TOLERANCE]

    def _equations(self) -> tuple[list[Path], np.ndarray, np.ndarray]:
        cols = sorted(self.hidden, key=repr)
        index = {p: i for i, p in enumerate(cols)}
        rows, rhs = [], []
        for total, parts in self.lines:
            row, known = np.zeros(len(cols)), 0.0
            for p in parts:
                if p in index:
                    row[index[p]] += 1
                else:
                    known -= self.count(p)
            if total in index:
                row[index[total]] -= 1
            else:
                known += self.count(total)
            if row.any():
                rows.append(row)
                rhs.append(known)
        return cols, np.array(rows), np.array(rhs)

    def _squeezed(self) -> list[Path]:
        """Hidden counts that the sums and 0 <= count <= n leave only one value for.

        Two linear programmes per hidden count (its least and its greatest value) would
        answer it, but most counts need neither: every programme solved gives a point
        that meets all the sums, and once two such points differ by a whole person in a
        count, that count can take more than one value. So the programmes are run only
        for counts no point found so far has moved by one, the second only when the
        first has not shown it. (A difference of at least 1 - 1e-9 counts as one whole
        person, the tolerance the least and greatest values are compared with.)
        """
        cols, a, b = self._equations()
        if not len(a):
            return []
        upper = np.array([float(self.n(p)) for p in cols])
        lowest = np.full(len(cols), np.inf)
        highest = np.full(len(cols), -np.inf)
        programme = _Programme(a, b, upper)

        def solve(cost: np.ndarray) -> float | None:
            """The least of cost . x over the counts that meet every sum (None if none do)."""
            found = programme.least(cost)
            if found is None:
                return None
            x, fun = found
            np.minimum(lowest, x, out=lowest)
            np.maximum(highest, x, out=highest)
            return fun

        # A few points pulled every which way first: they settle most counts.
        for cost in np.random.default_rng(0).choice((-1.0, 1.0), size=(SPREAD_POINTS, len(cols))):
            solve(cost)
        out = []
        for i, p in enumerate(cols):
            if highest[i] - lowest[i] >= 1 - 1e-9:
                continue  # two points meeting every sum already differ in it
            cost = np.zeros(len(cols))
            cost[i] = 1
            # the side with more room first: its optimum alone may show it moves by one
            up_first = self.n(p) - highest[i] >= lowest[i]
            first = solve(-cost if up_first else cost)
            if highest[i] - lowest[i] >= 1 - 1e-9:
                continue
            second = solve(cost if up_first else -cost)
            low, high = (second, first) if up_first else (first, second)
            if low is not None and high is not None and (-high - low) < 1 - 1e-9:
                out.append(p)
        return out

    def protect(self) -> set[Path]:
        for _ in range(len(self.rate) + 1):
            changed = False
            for total, parts in self.lines:
                while (p := self._line_needs(total, parts)) is not None:
                    self.hidden.add(p)
                    changed = True
            if not changed:
                for p in [*self._pinned(), *self._squeezed()]:  # rule 4
                    near = [q for t, parts in self.lines if p in (t, *parts) for q in (t, *parts)]
                    pick = self._smallest(near)
                    if pick is not None:
                        self.hidden.add(pick)
                        changed = True
                        break
            if not changed:
                break
        return self.hidden - self.small


def _blank(rate: dict) -> None:
    rate.update(count=None, rate=None, suppressed=True)


def _missing(rate: dict) -> int | None:
    return None if rate["count"] is None or rate["n"] is None else rate["n"] - rate["count"]


def _rederive(doc: dict) -> None:
    """Numbers computed from a rate's count follow it into hiding."""
    t = doc.get("training")
    if t:
        for row in [*t["by_role_group"], *t["by_role_group_and_area"]]:
            row["refresher_overdue"] = _missing(row["refresher"])
            row["induction_missing"] = _missing(row["induction"])
            row["cpd_log_missing"] = _missing(row["cpd_log"])
    r = doc.get("recruitment")
    if r:
        shares = {b["paid_or_volunteer"]: b["checks_complete"]["rate"] for b in r["by_type"]}
        paid, volunteer = shares.get("paid"), shares.get("volunteer")
        r["paid_volunteer_gap_points"] = (
            None if paid is None or volunteer is None else round((paid - volunteer) * 100, 1)
        )
        if r["dbs_information"]["suppressed"]:
            # its count is the head count of risk_assessed: hide that rate, its count and n
            _blank(r["risk_assessed"])
            r["risk_assessed"]["n"] = None
        r["without_risk_assessment"] = _missing(r["risk_assessed"])


def protect_rates(ind: RegisterIndicators) -> RegisterIndicators:
    """`ind` with enough further rates hidden that no hidden rate can be worked out.

    Call before the indicator scores are computed, so triangulation only uses shown rates.
    """
    doc = ind.model_dump()
    rates = _Rates(doc, _lines(doc), ind.settings.suppression_min)
    for path in rates.protect():
        _blank(_get(doc, path))
    _rederive(doc)
    return RegisterIndicators.model_validate(doc)
