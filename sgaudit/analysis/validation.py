"""Planted-pattern scenarios for the validation suite (tests) and bench/validity.py.

A scenario plants one or more patterns in a realistic audit (`realistic.py`) and
says which findings must appear (`expect`) and which other findings would also be
true of what was planted (`allow`, e.g. people who use services seeing the same gap
to the board as the front line does). Any other finding is a false flag.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sgaudit.analysis.findings import Finding
from sgaudit.analysis.synthetic import Plant

LEADERS = ("dsl", "senior_leader")
USERS = "people who use services rate lower than the front line and leadership"


@dataclass(frozen=True)
class Expect:
    """A finding of `kind` on `theme` about `tier` (in its tiers) and/or exactly `areas`."""

    kind: str
    theme: str
    tier: str | None = None
    areas: tuple[str, ...] | None = None
    base: str | None = None

    def matches(self, f: Finding) -> bool:
        if f.kind != self.kind or f.theme != self.theme:
            return False
        if self.tier is not None and self.tier not in f.tiers:
            return False
        if self.base is not None and self.base not in f.tiers:
            return False
        return self.areas is None or tuple(sorted(f.service_areas)) == tuple(sorted(self.areas))


@dataclass(frozen=True)
class Pattern:
    """Plants (given the audit's service areas) and what they should produce."""

    name: str
    plants: Callable[[list[str]], list[Plant]]
    expect: Callable[[list[str]], list[Expect]]
    allow: Callable[[list[str]], list[Expect]] = field(default=lambda areas: [])


def _thread(name, theme, tiers, tier_score, rest, expect_tier, allow_bases=("service_user",)):
    return Pattern(
        name,
        lambda areas: [
            Plant(theme=theme, score=rest),
            Plant(theme=theme, tiers=tiers, score=tier_score),
        ],
        lambda areas: [Expect("thread_break", theme, expect_tier, base="front_line")],
        lambda areas: [Expect("thread_break", theme, expect_tier, base=b) for b in allow_bases],
    )


def patterns(gap: float = 30.0) -> dict[str, Pattern]:
    """The planted patterns of the targets, each `gap` points from the rest."""
    g = gap
    return {
        "board rates higher": _thread(
            "board rates higher", "culture", ("board",), 60 + g, 60, "board"
        ),
        "board rates lower": _thread(
            "board rates lower", "governance", ("board",), 80 - g, 80, "board"
        ),
        "senior leadership rates higher (pooled)": _thread(
            "senior leadership rates higher (pooled)",
            "leadership",
            LEADERS,
            60 + g,
            60,
            "senior_leader",
        ),
        "senior leadership rates lower (pooled)": _thread(
            "senior leadership rates lower (pooled)",
            "leadership",
            LEADERS,
            80 - g,
            80,
            "senior_leader",
        ),
        "managers rate lower": _thread(
            "managers rate lower", "training", ("manager",), 80 - g, 80, "manager", ()
        ),
        # Everyone else rates the theme 80. People who use services are set against the
        # front-line staff who support them and against the leadership as a whole
        # (thread_pairs): the gap is found when either link of the thread shows it.
        USERS: Pattern(
            USERS,
            lambda areas: [Plant(theme="safer_working", tiers=("service_user",), score=80 - g)],
            lambda areas: [Expect("thread_break", "safer_working", base="service_user")],
        ),
        "localised in one area": Pattern(
            "localised in one area",
            lambda areas: [Plant(theme="casework", areas=(areas[0],), score=80 - g)],
            lambda areas: [Expect("localised", "casework", areas=(areas[0],))],
            lambda areas: [Expect("thread_break", "casework", areas=(areas[0],))],
        ),
        "systemic": Pattern(
            "systemic",
            lambda areas: [Plant(theme="complaints", score=80 - g)],
            lambda areas: [Expect("systemic", "complaints")],
        ),
        "paper ahead of practice": Pattern(
            "paper ahead of practice",
            lambda areas: [
                Plant(theme="policies", aspect="paper", score=min(95.0, 65 + g)),
                Plant(theme="policies", aspect="practice", score=min(95.0, 65 + g) - g),
            ],
            lambda areas: [Expect("paper_practice_gap", "policies")],
        ),
        "front line don't know": Pattern(
            "front line don't know",
            lambda areas: [Plant(theme="quality_assurance", tiers=("front_line",), dont_know=0.5)],
            lambda areas: [Expect("knowledge_gap", "quality_assurance", "front_line")],
        ),
        "board don't know": Pattern(
            "board don't know",
            lambda areas: [Plant(theme="dsl", tiers=("board",), dont_know=0.5)],
            lambda areas: [Expect("knowledge_gap", "dsl", "board")],
        ),
    }


# Patterns that can share an audit (each on its own theme), so one audit tests several.
BUNDLES: dict[str, tuple[str, ...]] = {
    "thread": (
        "board rates higher",
        "managers rate lower",
        "senior leadership rates lower (pooled)",
        "front line don't know",
    ),
    "scope": (
        "localised in one area",
        "systemic",
        "paper ahead of practice",
        "board don't know",
    ),
    "top": (
        "board rates lower",
        "senior leadership rates higher (pooled)",
        USERS,
    ),
}


@dataclass(frozen=True)
class Outcome:
    found: dict[str, bool]  # per expected pattern: all its expected findings present
    false_flags: list[Finding]


def judge(findings: Sequence[Finding], chosen: Sequence[Pattern], areas: list[str]) -> Outcome:
    """Which planted patterns were found, and which findings nothing planted explains."""
    found = {}
    explained: set[str] = set()
    for p in chosen:
        exp = p.expect(areas)
        found[p.name] = all(any(e.matches(f) for f in findings) for e in exp)
        for f in findings:
            if any(e.matches(f) for e in [*exp, *p.allow(areas)]):
                explained.add(f.key)
    return Outcome(found, [f for f in findings if f.key not in explained])


def plants_of(chosen: Sequence[Pattern], areas: list[str]) -> list[Plant]:
    return [pl for p in chosen for pl in p.plants(areas)]
