"""Complementary suppression of register counts: no hidden count can be worked out.

The concerns log and the complaints log publish counts of records: concerns by quarter
and category and by service area (each adding up to the number of concerns), and
complaints by type and stage (adding up to the complaints received of that type). A
count below `suppression_min` is hidden, but the total stays on show, so one hidden
count in a line is the total minus the shown ones. Each breakdown is a *line*: a total
and the counts that add up to it. Every listed count is at least 1 (a line lists only
what occurred), and a service area has at least as many concerns as its triage rate
counts, so a reader knows a floor for each hidden count. A line is safe when:

- it hides at least two counts, holding at least `suppression_min` records between them;
- its hidden records exceed the sum of the floors, so every hidden count could take at
  least two values.

Until a line is safe its smallest shown count is hidden too. A line that cannot be made
safe (its total is itself small) loses its rows altogether: the total says how many
records there are, and nothing says how they split.

The lines are protected here with the true counts, before anything is published; the
total used is the sum of the line's counts, the most a reader could know.
"""

from __future__ import annotations

from collections.abc import Sequence


def protect_line(
    counts: Sequence[int], minimum: int, floors: Sequence[int] | None = None
) -> list[int | None] | None:
    """The counts of one line as published: None where hidden; None for the whole line
    when it cannot be made safe (drop its rows).

    `floors[i]` is the least a reader knows count i to be (1 when not given).
    """
    counts = [int(c) for c in counts]
    floors = [max(1, int(f)) for f in (floors or [1] * len(counts))]
    hidden = {i for i, c in enumerate(counts) if 0 < c < minimum}
    total = sum(counts)
    by_size = sorted(range(len(counts)), key=lambda i: (counts[i], i))
    for _ in range(len(counts) + 1):
        if not hidden:
            return list(counts)
        rest = total - sum(c for i, c in enumerate(counts) if i not in hidden)
        slack = rest - sum(floors[i] for i in hidden)
        if len(hidden) >= 2 and rest >= minimum and slack >= 1:
            return [None if i in hidden else c for i, c in enumerate(counts)]
        shown = [i for i in by_size if i not in hidden]
        if not shown:
            return None
        hidden.add(shown[0])
    return None
