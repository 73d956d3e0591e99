"""What the golden thread could not look at, or looked at only pooled, and why.

A tier heard but too few to show gets a "not assessable" note, tier by tier, with its
themes, and a tier the question set asks but nobody of which was heard a "not heard"
one: never silence. A pool used in the thread (the DSL and senior leaders taken
together; the leadership as a whole against people who use services) gets a "pooled"
note saying who was taken together and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from sgaudit.analysis.findings import TIER_NOUNS, _and, _cap
from sgaudit.analysis.thread import POOL_SEP, pool_members
from sgaudit.analysis.thread_findings import group_noun, together_noun
from sgaudit.vocab import TIERS


class AssessmentNote(BaseModel):
    """What the analysis could not look at, or looked at only pooled, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: Literal["not_assessable", "not_heard", "pooled"]
    tiers: list[str]
    themes: list[str] = Field(default_factory=list)
    summary: str


def _names(themes: list[str], titles: dict[str, str], compared: set[str]) -> str:
    """The themes in words; "any theme" when they are all the themes compared (the note
    says the tier "cannot be set against ... on any theme": never, not "not always")."""
    if len(themes) > 2 and set(themes) >= compared:
        return "any theme"
    return _and([titles.get(t, t) for t in themes])


def _thread_tiers(settings) -> set[str]:
    """Every tier `thread_pairs` sets against another, or against which one is set."""
    return {t for base, against in settings.thread_pairs.items() for t in (base, *sum(against, ()))}


def not_heard_notes(heard: set[str], asked: Sequence[str], settings) -> list[AssessmentNote]:
    """One note per tier of the golden thread the question set asks but nobody of which
    was heard (`reason: not_heard`): a board nobody interviewed is said to be missing."""
    thread_tiers = _thread_tiers(settings)
    if not heard:  # nothing heard yet: the audit has not started, nothing to single out
        return []
    return [
        AssessmentNote(
            reason="not_heard",
            tiers=[tier],
            summary=(
                f"Not heard: nobody from this tier took part. {_cap(TIER_NOUNS.get(tier, tier))} "
                "cannot be set against the rest of the golden thread."
            ),
        )
        for tier in TIERS
        if tier in thread_tiers and tier in asked and tier not in heard
    ]


def _in_order(themes, order: list[str]) -> list[str]:
    """The distinct themes in the question set's order (any it does not list last)."""
    return sorted(set(themes), key=lambda t: order.index(t) if t in order else 99)


def assessment_notes(
    groups: pd.DataFrame, pairs: pd.DataFrame, settings, titles: dict[str, str]
) -> tuple[list[AssessmentNote], list[AssessmentNote]]:
    """One note per tier that was heard but cannot be shown, and one per pool used."""
    thread_tiers = _thread_tiers(settings)
    order = list(titles)
    compared = set(groups["theme"].astype(str))
    missing = groups[(groups["group"] == "") & groups["tier"].isin(thread_tiers)]
    out = []
    for tier, rows in missing.groupby("tier", sort=False):
        themes = _in_order(rows["theme"], order)
        names = _names(themes, titles, compared)
        out.append(
            AssessmentNote(
                reason="not_assessable",
                tiers=[tier],
                themes=themes,
                summary=(
                    f"Not assessable: too few people heard. {_cap(TIER_NOUNS.get(tier, tier))} "
                    f"cannot be set against the rest of the golden thread on {names}."
                ),
            )
        )
    used = groups[groups["pooled"]]
    pools = []

    def pooled(group: str, themes: list[str], said: str) -> AssessmentNote:
        return AssessmentNote(
            reason="pooled", tiers=pool_members(group), themes=themes, summary=said
        )

    for group, rows in used.groupby("group", sort=False):
        themes = _in_order(rows["theme"], order)
        names = _names(themes, titles, compared)
        said = f"{_cap(group_noun(group))} are taken together in the golden thread on {names}"
        pools.append(pooled(group, themes, said + ": too few to show apart."))
    named = pairs[pairs["together"] & pairs["group"].str.contains(POOL_SEP, regex=False)]
    for (base, group), rows in named.groupby(["base", "group"], sort=False):
        themes = _in_order(rows["theme"], order)
        why = (
            ": they answer a few questions a theme, too few to set against each tier of the "
            "leadership alone"
            if base == "service_user"
            else ""
        )
        names = _names(themes, titles, compared)
        said = f"{_cap(TIER_NOUNS.get(base, base))} are set against {together_noun(group)} on"
        pools.append(pooled(group, themes, f"{said} {names}{why}."))
    return out, pools
