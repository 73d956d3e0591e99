"""What the demo's auditors recommended, as data: the baseline's recommendations (with
the finding each answers, how the board will know it worked, and the re-audit's review
of it), the baseline findings answered without a recommendation, and the re-audit's new
recommendations. The fieldwork they rest on is `sgaudit.demo_story`."""

from __future__ import annotations

from datetime import date

# Recommendations made at baseline (carried into the re-audit), with the finding they
# answer, how the board will know each worked, and the re-audit's review of it:
# status (achieved / partly / not_achieved / no_longer_relevant), evidence, the day it
# was reviewed, and for an action carried over again, its new due date in months after
# the day the demo is built (so it always falls after the report date); and, where the
# auditors re-weighed it, the priority it carries at the re-audit.
RECOMMENDATIONS: tuple[dict, ...] = (
    {
        "theme": "complaints", "kind": "systemic", "priority": "high",
        "text": "Rewrite the complaints procedure with clear stages and time frames, tell "
        "people what happened to their complaint, and report complaint themes to the board "
        "each quarter.",
        "owner": "Head of Quality", "due": date(2025, 9, 30),
        "measure": "Every complainant is told the outcome in writing within 20 working days; "
        "complaint themes reach the board each quarter.",
        "review": ("partly", "Procedure rewritten in October 2025 with stages and time frames; "
                   "complainants are still not told what happened, and no theme report has "
                   "reached the board.", date(2026, 3, 13), 6),
    },
    {
        "theme": "casework", "kind": "localised", "priority": "high",
        "text": "Put a named senior on-call rota in place for Domiciliary Care evenings and "
        "weekends, and review its use monthly.",
        "owner": "Director of Operations", "due": date(2025, 6, 30),
        "measure": "Every out-of-hours call is answered by a named senior; the monthly review "
        "shows no unanswered calls.",
        # The organisation's own update in its action plan, before the re-audit.
        "follow_up": "Done: named senior on-call rota in place since June 2025; out-of-hours "
        "cover is now reliable",
        "review": ("partly", "Rota in place since June 2025 and the action plan calls cover "
                   "reliable, but care workers still describe weekend calls ringing out; the "
                   "monthly review of calls has not started.", date(2026, 3, 13), 3),
    },
    {
        "theme": "policies", "kind": "paper_practice_gap", "priority": "medium",
        "text": "Add short practice guidance to the safeguarding and information-sharing "
        "policies and brief every team on it.",
        "owner": "Designated Safeguarding Lead", "due": date(2025, 12, 31),
        "measure": "Staff in every service can say how the guidance applies to their work.",
        "review": ("achieved", "Briefings held in every service by November 2025; staff "
                   "described the guidance with real examples.", date(2026, 3, 13), None),
    },
    {
        "theme": "dsl", "kind": "thread_break", "priority": "high",
        "text": "Appoint two deputy DSLs and give the DSL protected time for the strategic "
        "role.",
        "owner": "Chief Executive", "due": date(2025, 9, 30),
        "measure": "Two trained deputies in post; the DSL's caseload handed over.",
        "follow_up": "Done: two deputies appointed",
        "review": ("achieved", "Two deputies appointed in May 2025; the DSL told us she now "
                   "has time for the strategic side.", date(2026, 3, 13), None),
    },
    {
        "theme": "culture", "kind": "thread_break", "priority": "high",
        "text": "Give trustees a direct line of sight: link-trustee visits to every service "
        "and a yearly staff safeguarding survey reported to the board.",
        "owner": "Chair of Trustees", "due": date(2025, 12, 31),
        "measure": "Every service visited by its link trustee twice a year; the staff survey "
        "reported to the board.",
        "review": ("partly", "Visits started in three of six services; the staff survey is "
                   "planned but not run.", date(2026, 3, 13), 6),
    },
    {
        "theme": "quality_assurance", "kind": "knowledge_gap", "priority": "medium",
        "text": "Give the board a quarterly safeguarding dashboard: concerns, referrals, "
        "themes, training compliance.",
        "owner": "Head of Quality", "due": date(2025, 9, 30),
        "measure": "The dashboard is on the agenda of every board meeting.",
        "review": ("not_achieved", "No dashboard has reached the board; the first is now "
                   "promised for April 2026.", date(2026, 3, 13), 4),
    },
    {
        "theme": "training", "kind": "evidence_gap", "priority": "high",
        "text": "Bring Group E training up to the framework (24 hours' refresher in three "
        "years, a CPD log) and check the register against it every quarter.",
        "owner": "Head of HR", "due": date(2025, 12, 31),
        "measure": "At least 90% of every role group meets the framework in the register.",
        "review": ("partly", "Group E refresher courses booked; the register shows "
                   "compliance still below the framework.", date(2026, 3, 13), 6),
        # The re-audit's register shows three of four meeting the framework in each
        # short group (a Low finding), so the auditors carry the action at Medium.
        "reaudit_priority": "medium",
    },
    {
        "theme": "recruitment", "kind": "evidence_gap", "priority": "medium",
        "text": "Check volunteers to the same depth as paid staff, and risk-assess every DBS "
        "certificate that shows information.",
        "owner": "Head of HR", "due": date(2025, 9, 30),
        "measure": "Every volunteer fully checked; every DBS certificate with information "
        "has a signed risk assessment.",
        "review": ("not_achieved", "Volunteer checks are still lighter than staff checks in "
                   "the recruitment register.", date(2026, 3, 13), 3),
    },
    {
        "theme": "leadership", "kind": "thread_break", "priority": "high",
        "text": "Senior leaders visit every service each quarter, and name a safeguarding "
        "lead in each service.",
        "owner": "Chief Executive", "due": date(2025, 9, 30),
        "measure": "A named lead in every service; front-line staff say they see senior "
        "leaders.",
        "review": ("achieved", "Quarterly visits under way since spring 2025; front-line staff "
                   "and trustees now rate leadership within a few points of each other.",
                   date(2026, 3, 13), None),
    },
    {
        "theme": "governance", "kind": "systemic", "priority": "medium",
        "text": "Give safeguarding the same place in board papers and the risk register as "
        "finance and health and safety.",
        "owner": "Chair of Trustees", "due": date(2025, 12, 31),
        "measure": "A safeguarding report at every board meeting; safeguarding risks scored "
        "and reviewed like the others.",
        "review": ("not_achieved", "Board papers still give safeguarding a single line; the "
                   "risk register entry has not been reviewed.", date(2026, 3, 13), 6),
    },
)

# Baseline findings the auditors answer without a recommendation of their own, and why.
NO_RECOMMENDATION: dict[str, dict[tuple[str, str], str]] = {
    "baseline": {
        ("localised", "safer_working"): "Answered by the Domiciliary Care on-call rota "
        "(the casework recommendation), which gives evening and weekend cover for safer "
        "working too.",
    },
}

# New recommendations at the re-audit, for findings the last audit did not make.
REAUDIT_RECOMMENDATIONS: tuple[dict, ...] = (
    {
        "theme": "safer_working", "priority": "medium",
        "text": "Agree a lone-working procedure for Community Hub evening sessions, with a "
        "named person to check in with and a clear step when a check-in is missed.",
        "owner": "Community Hub Manager", "months": 3,
        "finding_key": "auditor:safer_working:lone-working",
        "measure": "Every evening session logs its check-ins; a missed check-in is followed "
        "up within 15 minutes.",
    },
)
