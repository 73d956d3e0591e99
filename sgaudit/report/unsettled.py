"""What the analysis could not settle: the report's account of its own limits.

Three things a board needs beside the findings, so that silence is never read as
agreement (issue 8):

- **worth exploring**: differences as large as a finding's that the people heard
  cannot confirm ("too few people to be sure"), and systemic calls close to the line,
  as the auditors reviewed them (a dismissed one is left out, a reworded one is in
  their words);
- **who could not be assessed or was taken together**: the analysis's notes, and each
  tier heard in fewer voices than the fieldwork guide asks (`sgaudit.fieldwork_guide`);
- **how large a difference had to be to show**, pair by pair of the golden thread and
  service area by service area (`sgaudit.analysis.reach`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sgaudit.analysis.reach import AreaReach, ThreadReach
from sgaudit.analysis.result import AuditAnalysis
from sgaudit.fieldwork_guide import heard_too_few
from sgaudit.report.context_findings import FindingItem
from sgaudit.report.context_unsettled import ReachRow, Unsettled
from sgaudit.report.findings_view import Review, reviewed_findings
from sgaudit.report.words import capitalise, clean_text, join_words, tier_people

NONE_AROSE = "None: every difference large enough to matter was clear enough to be a finding."
NONE_LEFT = (
    "None left open: the auditors looked into each difference the people heard could not settle."
)
REACH_INTRO = (
    "With the people we heard, a difference between two groups on one theme had to be at "
    "least this large to be shown as a finding: the set's threshold of {threshold} points, or "
    "more where too few people were heard for a smaller difference to stand out from the "
    "chance of who was asked. A real difference of about that size would be found about half "
    "the time; a smaller one could be there without our seeing it. Where we say the golden "
    "thread holds, we mean that no difference this large was found."
)
AREA_INTRO = (
    "In the same way, a theme in one service area had to score at least this far below the "
    "other areas, allowing for how the area rates the other themes, to be shown as a "
    "localised weakness: the set's threshold of {threshold} points, or more where few people "
    "were heard in the area."
)

# The reach table's columns, as the report and the app head them.
REACH_COLUMNS: dict[str, str] = {
    "pair": "Set against each other",
    "people": "People heard",
    "themes": "Themes",
    "smallest": "Smallest difference",
    "by_theme": "By theme",
}

AREA_COLUMNS: dict[str, str] = {
    **REACH_COLUMNS,
    "pair": "Service area",
    "smallest": "Smallest gap",
}


def reach_row(r: ThreadReach) -> ReachRow:
    who = join_words(tier_people(t) for t in r.tiers)
    together = " together" if len(r.tiers) > 1 else ""
    return ReachRow(
        pair=f"{capitalise(who)}{together} against {tier_people(r.base_tier)}",
        people=f"{r.people} and {r.base_people}",
        themes=r.themes,
        smallest=f"{r.smallest} points",
        by_theme=_by_theme(r),
    )


def _by_theme(r: ThreadReach | AreaReach) -> str:
    return f"{r.lowest} to {r.highest}" if r.highest > r.lowest else "the same on each"


def area_row(r: AreaReach) -> ReachRow:
    return ReachRow(
        pair=clean_text(r.service_area),
        people=f"{r.people} and {r.others_people}",
        themes=r.themes,
        smallest=f"{r.smallest} points",
        by_theme=_by_theme(r),
    )


def kept_worth_exploring(
    analysis: AuditAnalysis, reviews: Mapping[str, Review], titles: Mapping[str, str]
) -> list[FindingItem]:
    """The worth-exploring items as the auditors reviewed them (one left out is gone, one
    reworded is in their words)."""
    keys = {f.key for f in analysis.worth_exploring}
    # Only the reviews of these items: an auditor's own finding belongs to the findings.
    own = {k: r for k, r in reviews.items() if k in keys}
    return reviewed_findings(analysis.worth_exploring, own, titles)


def unsettled_weak_themes(kept: Sequence[FindingItem]) -> list[str]:
    """The themes that may be weak across the organisation, left unsettled: a systemic
    call worth exploring that the auditors kept (`kept_worth_exploring`); the opinion's
    rule reads them."""
    return [i.theme for i in kept if i.kind == "systemic"]


def weak_across_words(themes: Sequence[str], one: str = "is", several: str = "are each") -> str:
    """ "Complaints and whistleblowing is weak across the organisation" ("Culture and
    Complaints are each ..."): the report's one phrase for a theme weak across the
    organisation, `one` or `several` its verb."""
    verb = one if len(themes) == 1 else several
    return f"{join_words(themes)} {verb} weak across the organisation"


def may_be_weak_words(themes: Sequence[str]) -> str:
    """ "Complaints and whistleblowing may be weak across the organisation, which the
    people we heard could not settle (under “What the analysis could not settle”)": the
    one way the report says a systemic call was left open ("" for none)."""
    if not themes:
        return ""
    return (
        f"{weak_across_words(themes, 'may be', 'may each be')}, which the people we heard "
        "could not settle (under “What the analysis could not settle”)"
    )


def unsettled_section(
    analysis: AuditAnalysis,
    reviews: Mapping[str, Review],
    titles: Mapping[str, str],
    responses: pd.DataFrame | None = None,
) -> Unsettled:
    """The section's content: the worth-exploring items reviewed, the notes, the reach.

    With the analysis's `responses`, the notes also name each tier heard in fewer voices
    than the question set's fieldwork guide (`sgaudit.fieldwork_guide`)."""
    worth = kept_worth_exploring(analysis, reviews, titles)
    return Unsettled(
        worth_exploring=worth,
        worth_exploring_none=(
            "" if worth else NONE_LEFT if analysis.worth_exploring else NONE_AROSE
        ),
        notes=unsettled_notes(analysis, responses),
        reach_intro=REACH_INTRO.format(threshold=f"{analysis.settings.thread_break_points:g}")
        if analysis.thread_reach
        else "",
        reach=[reach_row(r) for r in analysis.thread_reach],
        area_intro=AREA_INTRO.format(threshold=f"{analysis.settings.localised_gap_points:g}")
        if analysis.area_reach
        else "",
        area_reach=[area_row(r) for r in analysis.area_reach],
        organisation_reach=clean_text(analysis.organisation_reach.summary)
        if analysis.organisation_reach is not None
        else "",
    )


def unsettled_notes(analysis: AuditAnalysis, responses: pd.DataFrame | None) -> list[str]:
    """The section's "Groups heard too few, or assessed together": tiers not assessable,
    then tiers read together, then each tier heard in fewer voices than the fieldwork
    guide (`fieldwork_notes`). `sgaudit analyse` prints the same list."""
    return [
        clean_text(n.summary) for n in [*analysis.not_assessable, *analysis.pooled]
    ] + fieldwork_notes(analysis, responses)


def tier_opening(tier: str) -> str:
    """A tier as it opens a sentence of the report ("Trustees were heard ...")."""
    return capitalise(tier_people(tier))


def fieldwork_notes(analysis: AuditAnalysis, responses: pd.DataFrame | None) -> list[str]:
    """Each tier heard in fewer voices than the fieldwork guide, in the report's words."""
    if responses is None or responses.empty:
        return []
    said = heard_too_few(responses, analysis.settings, tier_opening)
    return [clean_text(note) for note in said]
