"""The demo auditors' own analysis of each theme, as data: what we saw, why it happens,
the impact on people who use services, and what helps (each finding's is in
`demo_findings`, with the same conventions).
"""

from __future__ import annotations

from sgaudit.demo_findings import Analysis

# Themes: (story or None for both, theme) -> analysis.
THEMES: dict[tuple[str | None, str], Analysis] = {
    (None, "recruitment"): (
        "Paid staff are recruited carefully; volunteers are recruited in services with "
        "lighter checks.",
        "Volunteer recruitment grew service by service, outside HR's process.",
        "People supported by volunteers have less assurance than those supported by staff.",
        "HR's process for paid staff is a sound model to extend.",
    ),
    (None, "training"): (
        "Most staff have had induction and e-learning; supervision rarely makes time to "
        "reflect on safeguarding.",
        "Supervision agendas are full of rotas and performance; safeguarding reflection "
        "is squeezed out.",
        "Staff learn less from near misses than they could.",
        "Managers want protected time for reflection and the DSL offers group sessions.",
    ),
    (None, "safer_working"): (
        "Staff are willing and careful; risk points known to the front line do not "
        "always reach managers.",
        "Risks are managed person to person rather than recorded and reviewed.",
        "Risks known only to one worker can be missed when they are away.",
        "Out-of-hours cover in Domiciliary Care shows what a clear system achieves.",
    ),
    (None, "policies"): (
        "Policies are current and owned; at re-audit staff could describe how the "
        "information-sharing guidance applies to them.",
        "Short practice guidance and team briefings turned documents into practice.",
        "Staff now share information more confidently.",
        "The briefing model can be reused for the complaints procedure.",
    ),
    (None, "casework"): (
        "Casework is sound in most services; Domiciliary Care remains weaker, above all "
        "out of hours.",
        "Lone working on tight schedules and unclear out-of-hours thresholds.",
        "Adults at home may wait longer for a concern to be acted on.",
        "Managers' knowledge of the four Rs is good and can be passed on.",
    ),
    (None, "complaints"): (
        "Complaints are logged and closed, but people do not hear what happened.",
        "Nobody owns the conversation with the person who complained; the log measures "
        "closure, not feedback.",
        "People stop raising concerns.",
        "A good written procedure now exists; it needs an owner in practice.",
    ),
    (None, "leadership"): (
        "At re-audit staff see senior leaders in services more often, and trustees' view "
        "of leadership is closer to the front line's.",
        "Regular service visits by senior leaders changed what staff see.",
        "Staff feel less alone with difficult decisions.",
        "Keep the visits, and add named safeguarding leads in each service.",
    ),
    (None, "dsl"): (
        "The DSL is trusted and, with two deputies, now has time for the strategic role.",
        "The deputies removed the single point of failure.",
        "Urgent concerns are answered even when the DSL is away.",
        "The deputy model is working and should be kept funded.",
    ),
    (None, "quality_assurance"): (
        "Services check their own work, but safeguarding data is not collated for the board.",
        "Nobody is asked to bring the data together.",
        "The board cannot see trends.",
        "The first dashboard is planned for April 2026.",
    ),
    (None, "governance"): (
        "Safeguarding is on the risk register but gets little board time.",
        "Board reporting follows the finance cycle; safeguarding has no regular report.",
        "Decisions are taken without safeguarding information.",
        "Senior leaders see the imbalance and want to correct it.",
    ),
    (None, "culture"): (
        "Staff care; trustees believe the culture is strong; the front line and people "
        "who use services see a gap between words and practice.",
        "Concerns travel up but feedback does not travel down.",
        "People who use services feel it first.",
        "Feedback loops and direct trustee contact with the front line.",
    ),
}


def theme_analysis(which: str, theme: str) -> Analysis | None:
    """The demo analysis of `theme` at audit `which` (baseline / reaudit), if any."""
    return THEMES.get((which, theme)) or THEMES.get((None, theme))
