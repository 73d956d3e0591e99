"""How many voices each tier needs for the analysis to see a real difference: the fieldwork guide.

What the analysis can show depends on the people heard (docs/analysis.md, "What the
analysis can and cannot see"): a 30-point gap in the view of people who use services
is found 19 times in 20 with 5 of them heard per service area, about 9 in 10 with 2 to
5. Auditors decide that when they plan the fieldwork, not when they read the findings,
so the plan and the coverage say it while there is still time to hear more people.

The guide is the question set's setting `fieldwork_guide` (tier -> voices): per service
area for the tiers that compare service areas (`scope_tiers`), in all for the others
(the DSL team, senior leaders, the board). A *voice* is one respondent as the analysis
counts them: an interview, a survey return, or a focus group however many came (its
answers are one voice). A document review hears nobody and is no voice.

`guide_cells` sets each cell against the guide; `guide_lines` says it in words for the
app and `sgaudit coverage`, `shortfall_notes` for the report (from `voices_heard`, the
analysis's responses). Pure: it reads coverage cells or responses, not the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from sgaudit import printed
from sgaudit.vocab import HEARS_NOBODY, TIERS, tier_label

GUIDE_COLUMNS: tuple[str, ...] = ("tier", "service_area", "needed", "planned", "voices")


def guide_cells(
    cells: pd.DataFrame, guide: Mapping[str, int], area_tiers: Sequence[str]
) -> pd.DataFrame:
    """Each guided tier's cells against the guide.

    `cells` are coverage cells (tier, service_area, planned, voices). A tier of
    `area_tiers` is judged per service area where it is planned or heard; any other tier
    of the guide once for the whole organisation (service_area ""), its cells summed.
    Columns: tier, service_area, needed, planned (people), voices (heard so far); tiers in
    golden-thread order, areas as the cells have them.
    """
    frame = cells[cells["tier"].isin(list(guide))]
    per_area = frame[frame["tier"].isin(list(area_tiers))]
    per_area = per_area[(per_area["planned"] > 0) | (per_area["voices"] > 0)]
    whole = (
        frame[~frame["tier"].isin(list(area_tiers))]
        .groupby("tier", sort=False)[["planned", "voices"]]
        .sum()
        .reset_index()
        .assign(service_area="")
    )
    out = pd.concat([per_area[["tier", "service_area", "planned", "voices"]], whole])
    out = out.assign(needed=out["tier"].map(dict(guide)).astype("int64"))
    order = {t: k for k, t in enumerate(TIERS)}
    out = out.sort_values("tier", key=lambda s: s.map(order), kind="stable")
    return (
        out[list(GUIDE_COLUMNS)]
        .astype({"planned": "int64", "voices": "int64"})
        .reset_index(drop=True)
    )


def _where(rows: pd.DataFrame, column: str) -> str:
    """'Outreach 3, Housing 2' or '1 in each of Outreach and Housing' (per area), or '3'
    (the whole organisation)."""
    values = rows[column].tolist()
    areas = [str(a) for a in rows["service_area"]]
    if not any(areas):
        return ", ".join(str(v) for v in values)
    if len(values) > 1 and len(set(values)) == 1:
        listed = ", ".join(areas[:-1]) + " and " + areas[-1]
        return f"{values[0]} in each of {listed}"
    return ", ".join(f"{a} {v}" for a, v in zip(areas, values, strict=True))


def guide_lines(guided: pd.DataFrame, has_plan: bool) -> list[tuple[str, str]]:
    """What the guide says of each tier, as (kind, sentence): kind "warning" where the
    plan or the voices heard so far fall short, "success" where every cell has them.

    A plan counts people, and a focus group of five is one voice, so a plan that reaches
    the guide is necessary, not enough: the voices heard are what settle it.
    """
    lines: list[tuple[str, str]] = []
    for tier, rows in guided.groupby("tier", sort=False):
        needed = int(rows["needed"].iloc[0])
        per_area = bool((rows["service_area"] != "").any())
        who = tier_label(tier)
        want = printed.count(needed, "voice") + (" in each service area" if per_area else "")
        short_heard = rows[rows["voices"] < needed]
        short_plan = rows[rows["planned"] < needed] if has_plan else rows.iloc[0:0]
        if short_heard.empty:
            lines.append(("success", f"{who}: at least {want}, as the analysis needs."))
            continue
        said = [
            f"{who}: the analysis needs {want} to find a 30-point difference in their view "
            "19 times in 20 (an interview or survey return is one voice, and so is a focus "
            "group, however many come)."
        ]
        if not short_plan.empty:
            said.append(
                f"The plan has fewer people than that: {_where(short_plan, 'planned')}. Where "
                "there are not that many to hear, hear every one: the "
                "report then says a difference in their view is more likely to go unseen."
            )
        said.append(f"Voices heard so far: {_where(short_heard, 'voices')}.")
        lines.append(("warning", " ".join(said)))
    return lines


def voices_heard(responses: pd.DataFrame) -> pd.DataFrame:
    """Voices per tier x service area from an analysis's responses (one row per answer):
    tier, service_area, planned (0: the report speaks of what was heard), voices."""
    interviews = responses.drop_duplicates("interview_id")
    interviews = interviews[~interviews["mode"].astype(str).isin(list(HEARS_NOBODY))]
    out = (
        interviews.astype({"tier": str, "service_area": str})
        .groupby(["tier", "service_area"], sort=False)
        .size()
        .rename("voices")
        .reset_index()
    )
    return out.assign(planned=0)[["tier", "service_area", "planned", "voices"]]


def shortfall_notes(guided: pd.DataFrame, name: Callable[[str], str] = tier_label) -> list[str]:
    """For a report: each tier heard in fewer voices than the guide, in a sentence that
    says what it means for the findings (a difference in their view may go unseen);
    `name` puts a tier in the reader's words ("Trustees")."""
    notes = []
    for tier, rows in guided.groupby("tier", sort=False):
        short = rows[rows["voices"] < rows["needed"]]
        if short.empty:
            continue
        needed = int(rows["needed"].iloc[0])
        per_area = bool((rows["service_area"] != "").any())
        want = printed.count(needed, "voice") + (" in each service area" if per_area else "")
        notes.append(
            f"{name(tier)} were heard in fewer voices than the analysis needs to find a "
            f"30-point difference in their view 19 times in 20 ({want}; an interview or survey "
            f"return is one voice, and so is a focus group): {_where(short, 'voices')}. A "
            "difference in their view is more likely to have gone unseen."
        )
    return notes


def heard_too_few(
    responses: pd.DataFrame, settings, name: Callable[[str], str] = tier_label
) -> list[str]:
    """`shortfall_notes` of an analysis's `responses` against the question set's
    `settings` (its `fieldwork_guide` and `scope_tiers`): what `analyse` and the report say."""
    guided = guide_cells(voices_heard(responses), settings.fieldwork_guide, settings.scope_tiers)
    return shortfall_notes(guided, name)
