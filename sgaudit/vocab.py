"""The fixed vocabulary shared by every question set: tiers, modes, scopes, statuses."""

from __future__ import annotations

import re

# A label that opens with an abbreviation: two or more capitals, not the start of a word.
_OPENS_WITH_ABBREVIATION = re.compile(r"[A-Z]{2,}(?![a-z])")


def mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter lower-cased, unless it opens
    with an abbreviation ("Training and CPD register" -> "training and CPD register";
    "DSL team" and "DBS-checked" stay, so a screen reader does not read "dsl" as a word)
    or it is a name, every word of two or more capitalised ("Designated Safeguarding
    Lead" stays; "Culture" reads "culture")."""
    if _OPENS_WITH_ABBREVIATION.match(label):
        return label
    words = label.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words):
        return label
    return label[:1].lower() + label[1:]


# The golden thread, from the ground up.
TIERS: tuple[str, ...] = ("service_user", "front_line", "manager", "dsl", "senior_leader", "board")

TIER_LABELS: dict[str, str] = {
    "service_user": "People who use services",
    "front_line": "Front-line staff and volunteers",
    "manager": "Managers and team leaders",
    "dsl": "DSL and safeguarding team",
    "senior_leader": "Senior leaders",
    "board": "Trustees / board",
    "self_assessment": "Self-assessment (the organisation's own)",
}

# Column headings for a tier: short enough for six columns on A4 or a laptop screen. The
# report, the app's Compare page and every theme x tier table head their columns with
# these, so a column reads the same wherever it is printed.
TIER_SHORT_LABELS: dict[str, str] = {
    "service_user": "People using services",
    "front_line": "Front line",
    "manager": "Managers",
    "dsl": "DSL team",
    "senior_leader": "Senior leaders",
    "board": "Board",
}

# The organisation's own answers to the question set before the audit (the challenge
# step of a Section 11 audit). A tier of capture, not of the golden thread: it is the
# organisation's statement, never pooled into a tier, thread, scope or agreement figure.
SELF_ASSESSMENT = "self_assessment"
# Every tier an interview may have: the golden thread, then the self-assessment.
CAPTURE_TIERS: tuple[str, ...] = (*TIERS, SELF_ASSESSMENT)
# The self-assessment in a word, beside the golden thread's short labels (above).
SELF_ASSESSMENT_SHORT_LABEL = "Self-assessment"


def tier_label(tier: str) -> str:
    """A tier in words ("Trustees / board"); a tier the vocabulary does not know reads
    as its id with spaces, never as a raw id."""
    return TIER_LABELS.get(tier) or str(tier).replace("_", " ").capitalize()


def tier_short_label(tier: str) -> str:
    """A tier in a word or two ("Board", "Self-assessment"), falling back to its label."""
    if tier == SELF_ASSESSMENT:
        return SELF_ASSESSMENT_SHORT_LABEL
    return TIER_SHORT_LABELS.get(tier) or tier_label(tier)


# The wording a self-assessment uses for a question the set does not word for it:
# the first of these the question is worded for (the organisation speaking of itself).
SELF_ASSESSMENT_WORDING_FROM: tuple[str, ...] = ("senior_leader", "board", "dsl", "manager")

# Tiers whose view is compared with the front line's to find a thread break.
UPPER_TIERS: tuple[str, ...] = ("manager", "dsl", "senior_leader", "board")
# Tiers expected to hold the data ("how do you know?"): a knowledge gap is looked for here.
OVERSIGHT_TIERS: tuple[str, ...] = ("senior_leader", "board")

MODES: tuple[str, ...] = ("interview", "focus_group", "survey", "document_review")
MODE_LABELS: dict[str, str] = {
    "interview": "Interview",
    "focus_group": "Focus group",
    "survey": "Survey",
    "document_review": "Document review",
}
# Modes that hear nobody: a document review is the auditors reading records. Its
# answers count in the scores, but it adds no one to any count of people (the people
# heard, a score's n, the suppression minimum), whatever head count it is stored with.
HEARS_NOBODY: frozenset[str] = frozenset({"document_review"})

SCOPES: tuple[str, ...] = ("children", "adults", "both")
# An audit's path: captured and written up (draft), checked by the second auditor
# (in_review), confirmed by the lead auditor and locked (final).
AUDIT_STATUSES: tuple[str, ...] = ("draft", "in_review", "final")
AUDIT_STATUS_LABELS: dict[str, str] = {
    "draft": "Draft",
    "in_review": "In review",
    "final": "Final",
}
# Statuses of sgaudit 0.1 (older stores and archives) and what they are now.
LEGACY_AUDIT_STATUSES: dict[str, str] = {"in_progress": "draft"}

ANSWER_DONT_KNOW = "dont_know"
ANSWER_NA = "na"
RESERVED_ANSWERS: dict[str, str] = {ANSWER_DONT_KNOW: "Don't know", ANSWER_NA: "Not applicable"}

FINDING_KINDS: tuple[str, ...] = (
    "systemic",
    "localised",
    "thread_break",
    "knowledge_gap",
    "paper_practice_gap",
    "evidence_gap",
    "records",
    "self_assessment_optimism",
)
FINDING_KIND_LABELS: dict[str, str] = {
    "systemic": "Systemic (organisation-wide)",
    "localised": "Localised (named service areas)",
    "thread_break": "Golden thread break",
    "knowledge_gap": "Knowledge gap",
    "paper_practice_gap": "Paper vs practice gap",
    "evidence_gap": "Evidence gap (interviews vs records)",
    "records": "Records (what the registers show)",
    "self_assessment_optimism": "Self-assessment optimism",
}
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
# A finding's evidence as the app shows it ("The numbers behind it"): each key in words.
# A key not listed reads as itself with spaces ("weak_share" -> "Weak share").
EVIDENCE_LABELS: dict[str, str] = {
    "tier_score": "Score of the tier (or pool)",
    "front_line_score": "Score of the tier it is set against",
    "base_tier": "Set against",
    "gap": "Gap (points)",
    "direction": "Direction",
    "tier_n": "People in the tier (or pool)",
    "front_line_n": "People in the tier it is set against",
    "beyond_usual_gap": "Gap beyond the two tiers' usual gap (points)",
    "usual_gap": "Their usual gap on the other themes (points)",
    "area_score": "Score of the named areas",
    "others_score": "Score of the other areas",
    "areas_assessed": "Service areas assessed",
    "area_n": "People in each named area",
    "not_sighted": "Not sighted on the area",
    "across_themes": "Weak across the themes",
    "score": "Score",
    "weak_areas": "Weak service areas",
    "weak_share": "Share of areas weak",
    "weak_area_names": "Weak areas",
    "weak_area_n": "People in each weak area",
    "weak_score": "Weak below",
    "below_own_level": "Below the same people's other themes (points)",
    "tier_dont_know_rate": "Don't-know rate of the tier",
    "others_dont_know_rate": "Don't-know rate of everyone else",
    "gap_points": "Gap (percentage points)",
    "others_n": "People among everyone else",
    "paper_score": "Paper score",
    "practice_score": "Practice score",
    "paper_n": "People answering on paper",
    "practice_n": "People answering on practice",
    "self_score": "Self-assessment score",
    "evidence_score": "The audit's evidence score",
    "evidence_n": "People behind the evidence",
    "register_evidence_gaps": "Evidence gaps the registers show on the theme",
    "interview_score": "Score from the interviews",
    "records_score": "Score from the records",
    "evidence_gap_points": "Gap that makes an evidence gap (points)",
    "weak_codes": "Weaknesses the records point to",
    "indicator": "Register check",
    "without": "Records without it",
    "groups_short": "Role groups short of the framework",
}
DIRECTION_WORDS: dict[str, str] = {
    "higher_rates_better": "rates it higher than the tier it is set against",
    "higher_rates_worse": "rates it lower than the tier it is set against",
}

# No question set, archive or register setting may hide less than this: a group of one
# or two people is identified by its score, so suppression can never be switched off.
SUPPRESSION_FLOOR = 3


def check_suppression_min(value: int) -> int:
    """`value` when it is at least SUPPRESSION_FLOOR; a ValueError saying why otherwise."""
    if value < SUPPRESSION_FLOOR:
        raise ValueError(
            f"suppression_min is {value}, below the floor of {SUPPRESSION_FLOOR}: groups of "
            f"fewer than {SUPPRESSION_FLOOR} people are always hidden, so a score cannot "
            "point at one or two people"
        )
    return value
