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

The guide also asks for `fieldwork_guide_organisation` voices of those tiers together
(60): whether a theme is weak across the organisation is judged on everyone they heard,
and one about 10 points below the weak score is found 19 times in 20 only from about
that many (`together`) when it does not stand out from the other themes (one that does
is found from fewer, docs/analysis.md).

`guide_cells` sets each cell against the guide; `guide_lines` says it in words for the
app and `sgaudit coverage`, `shortfall_notes` for the report (from `voices_heard`, the
analysis's responses). Pure: it reads coverage cells or responses, not the store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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


def guide_lines(
    guided: pd.DataFrame, has_plan: bool, organisation: Together | None = None
) -> list[tuple[str, str]]:
    """What the guide says of each tier, as (kind, sentence): kind "warning" where the
    plan or the voices heard so far fall short, "success" where every cell has them;
    then, given `organisation` (`together`), of the tiers that compare service areas
    together across the organisation.

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
    if organisation is not None:
        lines.append(together_line(organisation, has_plan))
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


@dataclass(frozen=True)
class Together:
    """The tiers that compare service areas, together across the organisation, against
    the guide's `fieldwork_guide_organisation`: the voices a theme weak across the
    organisation (a systemic finding) is judged on."""

    tiers: tuple[str, ...]
    needed: int
    planned: int
    voices: int

    @property
    def who(self) -> str:
        """'People who use services, front-line staff and managers', as findings say it."""
        from sgaudit.analysis.findings import _cap
        from sgaudit.analysis.scope_findings import people_of

        return _cap(people_of(self.tiers))


def together(cells: pd.DataFrame, settings) -> Together | None:
    """The voices (and people planned) of `settings.scope_tiers` summed over every service
    area of `cells` (coverage cells, or `voices_heard`), against the guide's number for
    the whole organisation; None when the set asks for none or none of them is planned
    or heard."""
    needed = int(getattr(settings, "fieldwork_guide_organisation", 0) or 0)
    tiers = tuple(settings.scope_tiers)
    rows = cells[cells["tier"].isin(list(tiers))]
    planned, voices = int(rows["planned"].sum()), int(rows["voices"].sum())
    if not needed or not (planned or voices):
        return None
    return Together(tiers, needed, planned, voices)


def _needs(t: Together) -> str:
    """'60 voices in all to find a theme weak across the organisation ... 19 times in 20'."""
    return (
        f"{printed.count(t.needed, 'voice')} in all to find a theme weak across the "
        "organisation 19 times in 20 when it is about 10 points below the weak score in "
        "every service area"
    )


def together_line(t: Together, has_plan: bool) -> tuple[str, str]:
    """`guide_lines`' sentence for the tiers together: ("warning", ...) when the voices
    heard so far fall short of the guide, ("success", ...) when they reach it."""
    if t.voices >= t.needed:
        return "success", (
            f"{t.who} together: at least {printed.count(t.needed, 'voice')} in all, as the "
            "analysis needs to see a theme weak across the organisation."
        )
    said = [f"{t.who} together: the analysis needs {_needs(t)}."]
    if has_plan and t.planned < t.needed:
        said.append(
            f"The plan has {t.planned} of them in all. "
            "Where the organisation is small, hear more of each: otherwise the report says "
            "a theme weak across the organisation is more likely to be left worth exploring."
        )
    said.append(f"Voices heard so far: {t.voices}.")
    return "warning", " ".join(said)


def together_note(t: Together | None, reach_given: bool = False) -> str | None:
    """For a report, when the tiers together were heard in fewer voices than the guide;
    with `reach_given`, pointing to this audit's own reach for the organisation (the
    analysis's `organisation_reach`), which the report, the app and `analyse` print after
    these notes."""
    if t is None or t.voices >= t.needed:
        return None
    note = (
        f"{t.who} were heard in {printed.count(t.voices, 'voice')} in all, fewer than the "
        f"analysis needs ({_needs(t)}). A theme only a little below the weak score across "
        "the organisation is more likely to have been listed as worth exploring, for too "
        "few people to be sure, or to have gone unseen."
    )
    if reach_given:
        note += (
            " This audit's own reach says how far below the weak score a theme had to "
            "score to show."
        )
    return note


def heard_too_few(
    responses: pd.DataFrame, settings, name: Callable[[str], str] = tier_label
) -> list[str]:
    """`shortfall_notes` of an analysis's `responses` against the question set's
    `settings` (its `fieldwork_guide` and `scope_tiers`), then `together_note` (against
    `fieldwork_guide_organisation`): what `analyse` and the report say."""
    guided, t = _against_guide(responses, settings)
    return _notes(guided, t, settings, name)


def _against_guide(responses: pd.DataFrame, settings) -> tuple[pd.DataFrame, Together | None]:
    """The guide's cells and the tiers together, from the voices an analysis heard."""
    heard = voices_heard(responses)
    return guide_cells(heard, settings.fieldwork_guide, settings.scope_tiers), together(
        heard, settings
    )


def _notes(guided: pd.DataFrame, t: Together | None, settings, name=tier_label) -> list[str]:
    # the analysis judges a theme against the weak score, and so gives its reach, from
    # `suppression_min` people of the tiers together (a voice is one person or more)
    reach = t is not None and t.voices >= settings.suppression_min
    note = together_note(t, reach)
    return shortfall_notes(guided, name) + ([note] if note else [])


def guide_json(responses: pd.DataFrame, settings, name: Callable[[str], str] = tier_label) -> dict:
    """The guide against the voices an analysis heard, for `analyse --format json`:
    `short` (each guided cell heard in fewer voices than it needs: tier, service_area
    ("" for a tier judged once for the organisation), needed, voices), `together` (the
    tiers that compare service areas, together: tiers, needed, voices; null when the set
    asks for none) and `notes` (the sentences `analyse` and the report print, each tier
    named by `name`)."""
    guided, t = _against_guide(responses, settings)
    short = guided[guided["voices"] < guided["needed"]]
    return {
        "short": short[["tier", "service_area", "needed", "voices"]].to_dict("records"),
        "together": None
        if t is None
        else {"tiers": list(t.tiers), "needed": t.needed, "voices": t.voices},
        "notes": _notes(guided, t, settings, name),
    }
