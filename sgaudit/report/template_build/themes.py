"""Findings by theme: each theme's scores by tier and by area, the auditors' analysis, the
findings, what people said, the records, the board's questions and the recommendations."""

from __future__ import annotations

from sgaudit.report.template_build.blocks import bullets, heading, para, part, table, tag

ANALYSIS_LABELS = (
    ("seen", "What we saw"),
    ("why", "Why it happens"),
    ("impact", "Impact on people who use services"),
    ("helps", "What helps"),
)


def analysis_block(doc, var):
    """The auditors' four-part analysis of `var` (a finding or a theme), or a plain note
    that it is still to be written."""
    for key, label in ANALYSIS_LABELS:
        tag(doc, f"{{%p if {var}.analysis.{key} %}}")
        para(doc, f"{{{{ {var}.analysis.{key} }}}}", "Analysis", bold_prefix=f"{label}: ")
        tag(doc, "{%p endif %}")
    tag(doc, f"{{%p if not {var}.analysis.written %}}")
    para(doc, f"{{{{ {var}.analysis.missing }}}}", "Analysis Missing")
    tag(doc, "{%p endif %}")


def themes(doc):
    part(doc, "Findings by theme")
    para(
        doc,
        "Each theme has the same parts: its scores by tier and by service area, what "
        "we found and the numbers behind it, what people told us, the questions we suggest "
        "the board asks, and our recommendations.",
    )
    tag(doc, "{%p for t in themes %}")
    heading(doc, "{{ t.number }}. {{ t.title }}", 2)
    para(doc, "{{ t.headline }}", "Lead")
    tag(doc, "{%p if t.description %}")
    para(doc, "{{ t.description }}", "Theme Intro")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.paper_practice %}")
    para(doc, "{{ t.paper_practice }}", "Theme Intro")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.change %}")
    para(
        doc,
        "{% for c in t.change %}{{ c }} {% endfor %}",
        "Theme Intro",
        bold_prefix="Since the last audit: ",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if t.by_tier %}")
    table(
        doc,
        ["Tier", "Score", "People (n)", "Answered \u201cdon't know\u201d"],
        [7.0, 2.8, 2.2, 3.5],
        [
            [
                "{{ s.label }}",
                "{% cellbg s.cell.fill %}{{ s.cell.text }}",
                "{{ s.cell.n }}",
                "{{ s.dont_know }}",
            ]
        ],
        "{{ t.title }}: scores by tier",
        loop="s in t.by_tier",
    )
    table(
        doc,
        ["Service area", "Score", "People (n)", "Answered \u201cdon't know\u201d"],
        [7.0, 2.8, 2.2, 3.5],
        [
            [
                "{{ s.label }}",
                "{% cellbg s.cell.fill %}{{ s.cell.text }}",
                "{{ s.cell.n }}",
                "{{ s.dont_know }}",
            ]
        ],
        "{{ t.title }}: scores by service area",
        loop="s in t.by_area",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "Our analysis", 3)
    analysis_block(doc, "t")

    heading(doc, "What we found", 3)
    tag(doc, "{%p for f in t.findings %}")
    p = doc.add_paragraph(style="Finding")
    p.add_run("{{ f.severity_label }} \u00b7 {{ f.kind_label }}: ").bold = True
    p.add_run("{{ f.summary }}")
    tag(doc, "{%p for e in f.evidence %}")
    para(doc, "{{ e }}", "Finding Evidence")
    tag(doc, "{%p endfor %}")
    analysis_block(doc, "f")
    tag(doc, "{%p if f.no_recommendation %}")
    para(doc, "{{ f.no_recommendation }}", "Analysis", bold_prefix="No recommendation: ")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not t.findings %}")
    para(doc, "{{ t.no_findings }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for w in t.worth_exploring %}")
    p = doc.add_paragraph(style="Finding")
    p.add_run("Worth exploring: ").bold = True
    p.add_run("{{ w.summary }}{% if w.doubt %} Why it is not a finding: {{ w.doubt }}.{% endif %}")
    tag(doc, "{%p endfor %}")

    tag(doc, "{%p if t.quotes %}")
    heading(doc, "What people told us", 3)
    tag(doc, "{%p for q in t.attributed_quotes %}")
    para(doc, "\u201c{{ q.text }}\u201d{% if q.who %} ({{ q.who }}){% endif %}", "Quote")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if t.evidence %}")
    heading(doc, "What the records show", 3)
    bullets(doc, "t.evidence", "{{ x.text }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if t.questions_to_consider %}")
    heading(doc, "Questions for the board", 3)
    bullets(doc, "t.questions_to_consider")
    tag(doc, "{%p endif %}")

    heading(doc, "Recommendations", 3)
    tag(doc, "{%p for r in t.recommendations %}")
    p = para(doc, "", "List Bullet")
    p.add_run("{{ r.text }}")
    p.add_run(
        " (action {{ r.number }}, {{ r.priority_label|lower }} priority"
        "{% if r.measure %}; we will know it worked when: {{ r.measure }}{% endif %})"
    ).italic = True
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not t.recommendations %}")
    para(doc, "No recommendation on this theme.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
