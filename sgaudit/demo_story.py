"""The demo organisation's story, as data: who was interviewed, what they tend to
answer and what they said (what the auditors recommended is
`sgaudit.demo_recommendations`).

Riverside Community Trust is fictional; its interviews carry pseudonymous codes only
and every note is invented. The story, baseline (year 1) to re-audit (year 2):

- Improved: policies (good on paper but not used in practice at baseline; practice
  guidance and briefings closed the gap), the DSL role (valued by the front line,
  but the DSL herself was overstretched; two deputies were appointed), training,
  leadership (the board's rosy view of leadership now matches the front line's),
  out-of-hours cover in Domiciliary Care (an on-call rota).
- Not improved: complaints (weak in every service, both years; a new procedure was
  written at re-audit but practice has not changed: paper vs practice), governance
  (weak both years), culture (trustees rate it far above the front line both years).
- Localised: Domiciliary Care is weak on casework both years, and on safer working
  (out-of-hours cover) at baseline.
- Knowledge gap: trustees answer "don't know" to many quality-assurance questions.
- Evidence gaps (with the demo registers, `sgaudit.registers.demo`): at baseline
  interviews rate recruitment, training and quality assurance well while the
  records do not; at re-audit the complaints log looks sound while people still do
  not experience complaints being dealt with.
- Said against recorded: at re-audit care workers in Domiciliary Care say the on-call
  number "often just rings out" at weekends, while the action plan calls out-of-hours
  cover "now reliable" (the report sets the two side by side).

Scores below are the typical 0-100 score of an answer before noise.
"""

from __future__ import annotations

from datetime import date

DEMO_ORGANISATION = "Riverside Community Trust"
CENTRAL = "Central Services"
FIELD_AREAS: tuple[str, ...] = (
    "Supported Housing",
    "Youth Services",
    "Day Opportunities",
    "Domiciliary Care",
    "Community Hub",
)
SERVICE_AREAS: tuple[str, ...] = (*FIELD_AREAS, CENTRAL)
AREA_CODES = {
    "Supported Housing": "SH",
    "Youth Services": "YS",
    "Day Opportunities": "DO",
    "Domiciliary Care": "DC",
    "Community Hub": "CH",
    CENTRAL: "CS",
}
STORIES: tuple[str, ...] = ("baseline", "reaudit")

AUDITS = {
    "baseline": {
        "title": "Organisational safeguarding audit 2025",
        "start": date(2025, 1, 13),
        "end": date(2025, 3, 14),
        "status": "final",
    },
    "reaudit": {
        "title": "Safeguarding re-audit 2026",
        "start": date(2026, 1, 12),
        "end": date(2026, 3, 13),
        "status": "draft",
    },
}
AUDITORS = ("Demo Auditor One", "Demo Auditor Two")

# Fieldwork per field service area: (tier, mode, people, how many, share of the tier's
# questions asked). Central Services holds the DSL team, senior leaders and trustees.
# At baseline people who use services were heard in one focus group per area (one voice
# each: the report says it is fewer than the fieldwork guide asks); at re-audit the
# auditors also spoke with four of them on their own in each area, as the guide asks.
_STAFF_PER_AREA: tuple[tuple[str, str, tuple[int, int], int, float], ...] = (
    ("front_line", "focus_group", (5, 8), 1, 0.7),
    ("front_line", "interview", (1, 1), 2, 0.8),
    ("front_line", "survey", (1, 1), 3, 1.0),
    ("manager", "interview", (1, 1), 2, 0.8),
)
FIELDWORK_PER_AREA: dict[str, tuple[tuple[str, str, tuple[int, int], int, float], ...]] = {
    "baseline": (("service_user", "focus_group", (4, 7), 1, 1.0), *_STAFF_PER_AREA),
    "reaudit": (
        ("service_user", "focus_group", (4, 7), 1, 1.0),
        ("service_user", "interview", (1, 1), 4, 1.0),
        *_STAFF_PER_AREA,
    ),
}
FIELDWORK_CENTRAL: tuple[tuple[str, str, tuple[int, int], int, float], ...] = (
    ("dsl", "interview", (1, 1), 3, 0.85),
    ("dsl", "document_review", (1, 1), 2, 1.0),  # paper questions only
    ("senior_leader", "interview", (1, 1), 4, 0.8),
    ("board", "interview", (1, 1), 6, 0.8),
)

# Front-line practice score per theme (the "truth" on the ground).
BASE: dict[str, dict[str, float]] = {
    "baseline": {
        "recruitment": 74, "training": 66, "safer_working": 70, "policies": 50,
        "casework": 72, "complaints": 42, "leadership": 50, "dsl": 70,
        "quality_assurance": 67, "governance": 52, "culture": 50,
    },
    "reaudit": {
        "recruitment": 76, "training": 72, "safer_working": 73, "policies": 73,
        "casework": 74, "complaints": 37, "leadership": 66, "dsl": 78,
        "quality_assurance": 68, "governance": 53, "culture": 52,
    },
}  # fmt: skip
# Paper questions score this much above practice ones (default 5).
PAPER_OFFSET: dict[str, dict[str, float]] = {
    "baseline": {"policies": 34},
    "reaudit": {"policies": 8, "complaints": 30},
}
# How each tier sees a theme relative to the front line (default below). Trustees and
# senior leaders are optimistic about culture (both years) and leadership (baseline);
# the DSL rates her own role's resourcing far below how the front line values it.
TIER_DEFAULT: dict[str, float] = {
    "service_user": 2, "front_line": 0, "manager": 3, "dsl": 4, "senior_leader": 5, "board": 7,
}  # fmt: skip
TIER_OFFSET: dict[str, dict[tuple[str, str], float]] = {
    "baseline": {
        ("culture", "board"): 36, ("culture", "senior_leader"): 26,
        ("leadership", "board"): 32, ("leadership", "senior_leader"): 14,
        ("dsl", "dsl"): -28, ("dsl", "senior_leader"): -4, ("dsl", "board"): 0,
    },
    "reaudit": {
        ("culture", "board"): 34, ("culture", "senior_leader"): 24,
        ("leadership", "board"): 12, ("leadership", "senior_leader"): 8,
        ("dsl", "dsl"): -3,
    },
}  # fmt: skip
# Service areas weaker (or stronger) than the rest, for the people who work there.
AREA_OFFSET: dict[str, dict[tuple[str, str], float]] = {
    "baseline": {
        ("casework", "Domiciliary Care"): -30,
        ("safer_working", "Domiciliary Care"): -30,
    },
    "reaudit": {
        ("casework", "Domiciliary Care"): -30,
        ("safer_working", "Domiciliary Care"): -5,
    },
}
# Share of "don't know" answers (default below): trustees cannot answer on quality
# assurance (no data reaches them).
DONT_KNOW_DEFAULT = 0.03
DONT_KNOW: dict[str, dict[tuple[str, str], float]] = {
    "baseline": {("quality_assurance", "board"): 0.5, ("governance", "front_line"): 0.15},
    "reaudit": {("quality_assurance", "board"): 0.4, ("governance", "front_line"): 0.12},
}
NOISE_SD = 14.0
TEXT_ANSWERS = (
    "Mostly through supervision and team meetings.",
    "Through the quarterly report to the board.",
    "Informally, when something goes wrong.",
)

# Notes: (story or None for both, theme, tier, area or None for any field area,
# quotable, text). Each is attached to one answer of a matching interview.
NOTES: tuple[tuple[str | None, str, str, str | None, bool, str], ...] = (
    (
        None,
        "culture",
        "front_line",
        None,
        True,
        "We're told safeguarding is everyone's business, but when we raise something the "
        "answer is 'leave it with me' and we never hear back.",
    ),
    (
        None,
        "culture",
        "front_line",
        "Supported Housing",
        True,
        "People here care, but it feels like safeguarding is our job and nobody else's.",
    ),
    (
        None,
        "culture",
        "board",
        CENTRAL,
        True,
        "I'm confident our culture is strong. Staff know that safeguarding comes first.",
    ),
    (
        None,
        "complaints",
        "service_user",
        None,
        True,
        "I complained about my visit times twice. Nobody told me what happened.",
    ),
    (
        None,
        "complaints",
        "front_line",
        None,
        True,
        "If a family complains it goes to the office, and that's the last we see of it.",
    ),
    (
        "reaudit",
        "complaints",
        "front_line",
        "Youth Services",
        True,
        "There's a new complaints leaflet now, but I still don't know what happens after "
        "someone hands it in.",
    ),
    (
        None,
        "casework",
        "front_line",
        "Domiciliary Care",
        True,
        "At weekends, if something worries us we ring the on-call number and it often "
        "just rings out. So we write it in the visit notes and hope.",
    ),
    (
        "baseline",
        "safer_working",
        "front_line",
        "Domiciliary Care",
        True,
        "Evenings and weekends there's nobody to ask. We make the call ourselves and "
        "write it up on Monday.",
    ),
    (
        "reaudit",
        "safer_working",
        "front_line",
        "Domiciliary Care",
        True,
        "The new on-call rota means someone senior always answers now.",
    ),
    (
        None,
        "dsl",
        "front_line",
        None,
        True,
        "Our DSL is brilliant and always picks up, but you can tell she's stretched thin.",
    ),
    (
        "baseline",
        "dsl",
        "dsl",
        CENTRAL,
        True,
        "I'm the lead for the whole organisation and I still carry a caseload. There is no "
        "deputy cover when I'm on leave.",
    ),
    (
        "reaudit",
        "dsl",
        "dsl",
        CENTRAL,
        True,
        "Having two deputies makes a real difference: there is always someone to talk to, "
        "and I finally have time for the strategic side.",
    ),
    (
        "baseline",
        "policies",
        "front_line",
        None,
        True,
        "The policy's on the shared drive somewhere. I couldn't tell you what it says "
        "about sharing information.",
    ),
    (
        "reaudit",
        "policies",
        "front_line",
        None,
        True,
        "We went through the new information-sharing guidance in team meetings, with "
        "real examples. That helped.",
    ),
    (
        None,
        "quality_assurance",
        "board",
        CENTRAL,
        True,
        "I assume the data goes to the quality committee. I haven't seen a safeguarding "
        "report myself.",
    ),
    (
        "baseline",
        "leadership",
        "front_line",
        None,
        True,
        "Senior managers are rarely seen in the services. We hear about decisions second-hand.",
    ),
    (
        None,
        "governance",
        "senior_leader",
        CENTRAL,
        True,
        "Safeguarding is on the risk register, but it doesn't get the airtime at board "
        "that the finances do.",
    ),
    (
        None,
        "casework",
        "manager",
        "Domiciliary Care",
        False,
        "Auditor: probed the four Rs; recognising and recording described well, unsure "
        "of referral thresholds out of hours.",
    ),
    (
        None,
        "recruitment",
        "manager",
        None,
        False,
        "Auditor: says volunteers 'just need a basic check'; compare with the recruitment "
        "register.",
    ),
    (
        None,
        "training",
        "front_line",
        None,
        False,
        "Auditor: e-learning only; could not recall anything specific to this service.",
    ),
)
