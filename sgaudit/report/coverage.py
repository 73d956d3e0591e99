"""How far the golden thread could be followed: who was set against the front line,
who was heard but too few even pooled, and who was not heard at all.

Read from the analysis, not from the table: a DSL of one and three senior leaders are
both "Suppressed" in the golden-thread table, yet the analysis sets them against the
front line together (`thread_pools`). The executive summary, the board's page and the
opinion's rule all read this one account, so none says "too few" of a tier the
analysis did compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sgaudit.analysis.result import AuditAnalysis
from sgaudit.report.context import ThreadRow
from sgaudit.report.words import join_words, tier_people
from sgaudit.vocab import UPPER_TIERS


def group_words(group: Sequence[str]) -> str:
    """A tier's people, or a pool's: "trustees", "the safeguarding team with senior
    leaders (taken together)"."""
    if len(group) == 1:
        return tier_people(group[0])
    return f"{join_words((tier_people(t) for t in group), 'with')} (taken together)"


@dataclass(frozen=True)
class ThreadCoverage:
    """`compared`: tiers or pools (tuples of tier ids) set against the front line on
    some theme; `too_few`: tiers heard but never compared, not even pooled; `not_heard`:
    tiers the question set asks but nobody of which answered."""

    compared: tuple[tuple[str, ...], ...] = ()
    too_few: tuple[str, ...] = ()
    not_heard: tuple[str, ...] = ()

    @property
    def untested(self) -> tuple[str, ...]:
        """The tiers the golden thread could not be followed through, in tier order."""
        out = set(self.too_few) | set(self.not_heard)
        return tuple(t for t in UPPER_TIERS if t in out)

    def compared_words(self) -> str:
        """Who the thread reached: "managers, the safeguarding team with senior leaders
        (taken together) and trustees"."""
        return join_words(map(group_words, self.compared))

    def untested_sentence(self) -> str:
        """Why the thread stops short and that it does, in one clause ('' when it does
        not): "we did not hear from trustees, and managers were too few to set against the
        front line without identifying them, so the golden thread could not be followed
        through them"."""
        if not self.untested:
            return ""
        parts = []
        if self.not_heard:
            parts.append(f"we did not hear from {join_words(map(tier_people, self.not_heard))}")
        if self.too_few:
            parts.append(
                f"{join_words(map(tier_people, self.too_few))} were too few to set against "
                "the front line without identifying them"
            )
        return f"{', and '.join(parts)}, so the golden thread could not be followed through them"


def thread_coverage(
    rows: Sequence[ThreadRow], analysis: AuditAnalysis, tiers: Sequence[str] = UPPER_TIERS
) -> ThreadCoverage:
    """Who of `tiers` the golden thread reached (see `ThreadCoverage`)."""
    alone = [
        t
        for t in tiers
        if any(
            r.tier[t].status == "scored" and r.tier["front_line"].status == "scored" for r in rows
        )
    ]
    thread_pools = {frozenset(p): p for p in analysis.settings.thread_pools}
    pools = [
        thread_pools[frozenset(n.tiers)]
        for n in analysis.pooled
        if frozenset(n.tiers) in thread_pools and set(n.tiers) <= set(tiers)
    ]
    pools = [p for p in dict.fromkeys(pools) if not set(p) <= set(alone)]
    pooled = {t for p in pools for t in p}
    compared: list[tuple[str, ...]] = []  # in tier order: a pool where its first member is
    for t in tiers:
        group = (t,) if t in alone else next((p for p in pools if t in p), None)
        if group is not None and group not in compared:
            compared.append(group)
    reached = set(alone) | pooled
    not_assessable = {
        t for n in analysis.not_assessable if n.reason == "not_assessable" for t in n.tiers
    }
    too_few = tuple(t for t in tiers if t not in reached and t in not_assessable)
    not_heard = tuple(
        t
        for t in tiers
        if t not in reached
        and t not in not_assessable
        and any(r.tier[t].status == "not_heard" for r in rows)
        and all(r.tier[t].status in ("not_heard", "not_asked") for r in rows)
    )
    return ThreadCoverage(tuple(compared), too_few, not_heard)
