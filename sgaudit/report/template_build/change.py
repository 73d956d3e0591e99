"""Change since the last audit and progress on its recommendations."""

from __future__ import annotations

from sgaudit.report.template_build.blocks import bullets, heading, para, table, tag
from sgaudit.vocab import TIER_SHORT_LABELS, TIERS


def change(doc):
    tag(doc, "{%p if change %}")
    heading(doc, "Change since the last audit", 1)
    para(
        doc,
        "We compared this audit with {{ change.previous_title }} "
        "({{ change.previous_dates }}). Only questions asked the same way both times are "
        "compared, so a change shown here is a change in what people told us, not in the "
        "questions. A change of less than {{ change.change_points }} points is treated as "
        "no real change. A larger one is called better or worse only when it is clear of "
        "chance, given how many people were heard each time; otherwise it is marked "
        "Unsure (a group of four can move by ten points from who happened to be heard).",
    )
    bullets(doc, "change.summary")
    table(
        doc,
        ["Theme", "Last audit", "This audit", "Change"],
        [7.0, 3.0, 3.0, 3.0],
        [
            [
                "{{ row.theme }}",
                "{{ row.before }}",
                "{{ row.after }}",
                "{% cellbg row.overall.fill %}{{ row.overall.text }}",
            ]
        ],
        "Change in each theme's overall score",
        loop="row in change.rows",
    )
    cell = "{% cellbg row.tier.TIER.fill %}{{ row.tier.TIER.text }}"
    tiers = list(TIERS)
    table(
        doc,
        ["Theme", *(TIER_SHORT_LABELS[t] for t in TIERS)],
        [3.8, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2],
        [["{{ row.theme }}", *[cell.replace("TIER", t) for t in tiers]]],
        "Change in points at each tier (Unsure: at least {{ change.change_points }} points, "
        "but from too few people to be sure; Not comparable: suppressed or not asked in one "
        "of the two audits)",
        loop="row in change.rows",
    )
    bullets(doc, "change.unsure_why")
    heading(doc, "Findings no longer found", 2)
    tag(doc, "{%p if change.resolved_rows %}")
    table(
        doc,
        ["Finding last time", "Then", "Now", "Status"],
        [6.4, 2.6, 2.6, 5.4],
        [["{{ x.finding }}", "{{ x.then }}", "{{ x.now }}", "{{ x.status }}"]],
        "Findings of the last audit not found this time",
        loop="x in change.resolved_rows",
        centre_from=9,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not change.resolved_rows %}")
    para(doc, "None.")
    tag(doc, "{%p endif %}")
    heading(doc, "Findings found again", 2)
    bullets(doc, "change.persisting", "{{ x.summary }}", empty="None.")
    heading(doc, "New findings", 2)
    bullets(doc, "change.new", "{{ x.summary }}", empty="None.")
    tag(doc, "{%p if change.not_comparable %}")
    heading(doc, "What could not be compared", 2)
    para(doc, "These questions changed between the two audits and are left out of the comparison:")
    bullets(doc, "change.not_comparable")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def progress(doc):
    tag(doc, "{%p if progress %}")
    heading(doc, "Progress on the last audit's recommendations", 1)
    para(doc, "{{ progress.summary }}", "Lead")
    para(
        doc,
        "We reviewed each recommendation of the last audit against what we saw and the "
        "organisation's evidence. An action not yet achieved is carried into this audit's "
        "action plan with a new due date; an achieved one is not recommended again.",
    )
    table(
        doc,
        ["Recommendation last time", "Due then", "Status", "Evidence", "Now"],
        [5.6, 1.9, 2.2, 5.3, 2.0],
        [
            [
                "{{ p.text }}",
                "{{ p.due_then }}",
                "{{ p.status_label }}",
                "{{ p.evidence }}{% if p.reviewed_on %} (reviewed {{ p.reviewed_on }}){% endif %}",
                "{% if p.action %}Action {{ p.action }}, due {{ p.due_now }}{% else %}Closed"
                "{% endif %}",
            ]
        ],
        "Progress on each recommendation of the last audit",
        loop="p in progress.rows",
        centre_from=9,
    )
    tag(doc, "{%p endif %}")
