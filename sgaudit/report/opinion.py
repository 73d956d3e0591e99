"""The overall assurance opinion: four levels defined in plain words, and the rule by
which sgaudit proposes one from the findings the board reads.

The rule (documented in docs/report.md), on the findings after the auditors' review:

- **No assurance**: two or more High findings run across the organisation (systemic),
  and two or more themes are rated in the lowest band.
- **Limited**: any High systemic finding, or three or more High findings, or any theme
  rated in the lowest band.
- **Reasonable**: any other High finding, or three or more Medium findings.
- **Substantial**: otherwise, when the golden thread was followed through every tier
  above the front line (managers, the DSL, senior leaders, the board: alone or pooled).
  Where a tier was not heard, or was too few to set against the front line even pooled,
  the rule proposes no more than **reasonable**: "safeguarding works in practice across
  the organisation" cannot rest on a thread that stops short of the people who lead it.
  Nor can it rest on a theme that is, or may be, weak across the organisation: a
  systemic finding of any severity ("the few weaknesses we found are minor" cannot be
  said beside one), or one the analysis left worth exploring as systemic (the people
  heard could not settle it) and the auditors kept, caps the proposal at **reasonable**.

The lead auditor confirms the proposal or gives another level with a reason; both
are stored (`sgaudit.store.opinion`) and printed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sgaudit.report.context import FindingItem, ThreadRow
from sgaudit.report.coverage import ThreadCoverage
from sgaudit.report.unsettled import may_be_weak_words, weak_across_words
from sgaudit.report.words import number_word, plural

LEVELS: dict[str, tuple[str, str]] = {
    "substantial": (
        "Substantial assurance",
        "Safeguarding is well led and works in practice across the organisation; the few "
        "weaknesses we found are minor and already being dealt with.",
    ),
    "reasonable": (
        "Reasonable assurance",
        "Safeguarding generally works, but some weaknesses need action to keep people safe "
        "in every service.",
    ),
    "limited": (
        "Limited assurance",
        "Significant weaknesses put people at risk in parts of the organisation or across "
        "it; the board must act on them now.",
    ),
    "no": (
        "No assurance",
        "Safeguarding does not work reliably across the organisation; people are at serious "
        "risk and urgent action is needed from the board.",
    ),
}


def propose_level(
    items: Sequence[FindingItem],
    rows: Sequence[ThreadRow],
    lowest_band: str,
    coverage: ThreadCoverage | None = None,
    unsettled_weak: Sequence[str] = (),
) -> tuple[str, str]:
    """(level, why in one sentence) by the documented rule. `coverage` says how far the
    golden thread was followed (`sgaudit.report.coverage`); without it, all the way.
    `unsettled_weak`: the titles of the themes that may be weak across the organisation,
    left unsettled (`unsettled.unsettled_weak_themes`)."""
    high = [i for i in items if i.severity == "high"]
    high_systemic = [i for i in high if i.kind == "systemic"]
    medium = [i for i in items if i.severity == "medium"]
    systemic = [i for i in items if i.kind == "systemic"]
    red = [r.theme for r in rows if r.overall.status == "scored" and r.overall.rag == lowest_band]
    if high:
        wide = number_word(len(high_systemic)) if high_systemic else "none"
        found = (
            f"{plural(len(high), 'High finding')} ({wide} organisation-wide), "
            f"{plural(len(medium), 'Medium finding')}"
        )
    elif medium:
        found = f"no High finding, {plural(len(medium), 'Medium finding')}"
    else:
        found = "no High or Medium finding"
    rated = plural(len(red), "theme") if red else "no theme"
    counts = f"{found} and {rated} rated {lowest_band}"
    if len(high_systemic) >= 2 and len(red) >= 2:
        level = "no"
    elif high_systemic or len(high) >= 3 or red:
        level = "limited"
    elif high or len(medium) >= 3:
        level = "reasonable"
    elif (coverage is not None and coverage.untested) or unsettled_weak or systemic:
        level = "reasonable"
        short: list[str] = []
        if systemic:
            short.append(
                f"{weak_across_words([i.theme for i in systemic])}, and substantial "
                "assurance needs no weakness that runs across it"
            )
        if coverage is not None and coverage.untested:
            who = "tier" if len(coverage.untested) == 1 else "tiers"
            short.append(
                "the golden thread could not be followed through "
                f"{number_word(len(coverage.untested))} {who} (below), which substantial "
                "assurance needs"
            )
        if unsettled_weak:
            short.append(
                f"{may_be_weak_words(unsettled_weak)} and substantial assurance needs settled"
            )
        return level, f"We found {counts}, but {'; and '.join(short)}."
    else:
        level = "substantial"
    return level, f"We found {counts}."
