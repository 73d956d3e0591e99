"""The parts every professional audit report has besides its findings: what the audit
covered and what it could not, the documents and records it read, a place for the
organisation's management response, and the sign-off with version control.

Everything here is worked out from the audit itself (fieldwork, registers, the
question set's settings, the issued versions); nothing is a stock sentence that would
be true of any audit. Fieldwork counts are counts of conversations, shown in full as
in the method tables; no score appears here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sgaudit.registers.schema import REGISTER_LABELS
from sgaudit.report.context import ChangeSection, EvidenceSection, Method, ThreadRow
from sgaudit.report.context_professional import RecordReviewed, ScopeAndLimits, SignOffRow
from sgaudit.report.inputs import ReportInputs
from sgaudit.report.words import clean_text, join_words, plural, tier_label, tier_people
from sgaudit.vocab import TIERS

SCOPE_WORDS = {
    "children": "children and young people",
    "adults": "adults at risk",
    "both": "children, young people and adults at risk",
}


def _interviews(inputs: ReportInputs) -> pd.DataFrame:
    r = inputs.data.responses
    return (
        r[["interview_id", "tier", "service_area", "mode", "people"]]
        .astype({"interview_id": str, "tier": str, "service_area": str, "mode": str})
        .drop_duplicates("interview_id")
    )


def scope_and_limits(
    inputs: ReportInputs,
    method: Method,
    rows: Sequence[ThreadRow],
    evidence: EvidenceSection | None,
    change: ChangeSection | None,
) -> ScopeAndLimits:
    """The audit's scope and its limitations, from its own fieldwork and records."""
    facts = inputs.audit
    minimum = inputs.analysis.settings.suppression_min
    areas = [clean_text(a) for a in facts.service_areas] or [
        r.label for r in method.by_area if r.people or r.document_reviews
    ]
    scope = [
        f"The audit looked at how the organisation keeps "
        f"{SCOPE_WORDS.get(facts.scope, clean_text(facts.scope))} safe, across "
        f"{plural(len(areas), 'service area')}: {join_words(areas)}.",
        f"We heard from {method.people} people in {method.sessions} interviews, focus "
        f"groups, surveys and document reviews, and asked {method.question_count} questions "
        f"across {method.theme_count} themes ({method.question_set}).",
    ]
    if change is not None:
        scope.append(
            f"We compared this audit with {change.previous_title}"
            f"{f' ({change.previous_dates})' if change.previous_dates else ''}, on the "
            "questions asked the same way both times."
        )

    limits = [
        "We heard from the people the organisation arranged for us to meet and those who "
        "answered the surveys; what they told us may not be every person's experience. "
        "The findings describe the organisation at the time of the fieldwork.",
    ]
    # The people heard, as the analysis counts them towards the minimum: a document
    # review hears nobody, so a tier of records alone was not heard.
    heard = {r.label: r.people for r in method.by_tier}
    missing = [t for t in TIERS if heard.get(tier_label(t), 0) == 0]
    few = [t for t in TIERS if 0 < heard.get(tier_label(t), 0) < minimum]
    if missing:
        limits.append(
            f"We did not hear from {join_words(tier_people(t) for t in missing)}, so the "
            "golden thread cannot be followed to them."
        )
    if few:
        limits.append(
            f"Fewer than {minimum} {join_words(_counted_people(t) for t in few)} took part, so "
            "their scores are not shown on their own, to protect them from being identified."
        )
    unscored = [r.theme for r in rows if r.overall.status != "scored"]
    if unscored:
        limits.append(
            f"{join_words(unscored)} could not be scored for the organisation as a whole."
        )
    if evidence is None:
        limits.append(
            "No registers were given to us, so what people told us could not be checked "
            "against the organisation's own records."
        )
    else:
        absent = [
            label for key, label in REGISTER_LABELS.items() if label not in evidence.registers
        ]
        if absent:
            limits.append(
                f"We did not see the {join_words(a.lower() for a in absent)}, so what those "
                "records would show is not part of this report."
            )
        limits.append(
            "We read the registers as the organisation kept them; we did not check each "
            "entry against the original documents."
        )
    if change is not None and change.not_comparable:
        limits.append(
            "Some questions changed between the two audits and are left out of the "
            "comparison (see Change since the last audit)."
        )
    return ScopeAndLimits(scope=scope, limitations=limits)


def records_reviewed(
    inputs: ReportInputs, evidence: EvidenceSection | None
) -> list[RecordReviewed]:
    """The document reviews held and the registers read."""
    out = []
    interviews = _interviews(inputs)
    reviews = interviews[interviews["mode"] == "document_review"]
    if len(reviews):
        tiers = [t for t in TIERS if t in set(reviews["tier"])]
        areas = sorted(set(reviews["service_area"]) - {"", "nan", "None"})
        where = f"documents held by {join_words(tier_people(t) for t in tiers)}"
        if areas:
            where += f", in {join_words(clean_text(a) for a in areas)}"
        out.append(
            RecordReviewed(
                source="Document reviews (policies, procedures, minutes and case files shown "
                "to us)",
                extent=plural(len(reviews), "review"),
                note=where[:1].upper() + where[1:] + ".",
            )
        )
    counts = dict(inputs.register_rows)
    for label in evidence.registers if evidence is not None else []:
        rows = counts.get(label)
        out.append(
            RecordReviewed(
                source=clean_text(label),
                extent=plural(int(rows), "record") if rows else "read in full",
                note="The organisation's own register, imported for this audit.",
            )
        )
    return out


def sign_off_rows(inputs: ReportInputs) -> list[SignOffRow]:
    """Who signs the report: both auditors by name, and the organisation's chair."""
    names = [clean_text(a).strip() for a in inputs.audit.auditors]
    lead = names[0] if names else ""
    second = names[1] if len(names) > 1 else ""
    return [
        SignOffRow(role="Lead auditor", name=lead),
        SignOffRow(role="Second auditor (review)", name=second),
        SignOffRow(role="For the organisation (chair of the board or trustees)", name=""),
    ]


def _counted_people(tier: str) -> str:
    """A tier's people as a number can count them: "Fewer than 3 trustees", "Fewer than 3
    members of the safeguarding team" (not "Fewer than 3 the safeguarding team")."""
    people = tier_people(tier)
    return f"members of {people}" if people.startswith("the ") else people
