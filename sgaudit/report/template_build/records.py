"""What the organisation's records show, what people said beside what the records say, and
the self-assessment against the evidence."""

from __future__ import annotations

from sgaudit.report.template_build.blocks import bullets, cell_lines, heading, para, table, tag


def evidence(doc):
    tag(doc, "{%p if evidence %}")
    heading(doc, "What the records show", 1)
    para(
        doc,
        "Besides what people told us, we read the organisation's own registers: "
        "{{ evidence.registers|join(', ') }}.",
    )
    tag(doc, "{%p if evidence.framework %}")
    para(doc, "Training was checked against {{ evidence.framework }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if evidence.training %}")
    table(
        doc,
        ["Role group", "People", "Meeting the requirement", "Requirement"],
        [4.5, 2.0, 3.0, 7.5],
        [["{{ r.group }}", "{{ r.people }}", "{{ r.compliant }}", "{{ r.note }}"]],
        "Training compliance by role group",
        loop="r in evidence.training",
    )
    # The note follows the table and its caption, as a table note does.
    tag(doc, "{%p if evidence.training|selectattr('compliant', 'equalto', 'Suppressed')|list %}")
    para(
        doc,
        "\u201cSuppressed\u201d marks a figure not shown: a group too small to show "
        "without identifying someone, or one hidden so that another small group's figure "
        "cannot be worked out from the others.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    bullets(doc, "evidence.lines", "{{ x.text }}")
    tag(doc, "{%p if evidence.gaps %}")
    heading(doc, "Where interviews and records disagree", 2)
    bullets(doc, "evidence.gaps", "{{ x.summary }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def said_and_recorded(doc):
    """Where what people said and what the records or the action plan say differ."""
    tag(doc, "{%p if said_and_recorded %}")
    heading(doc, "What people said and what the records say", 1)
    para(
        doc,
        "On these themes people describe a weakness that the organisation's records, or "
        "its action plan from the last audit, do not show. We set the two side by side "
        "without deciding between them: the board should ask which is right.",
    )
    t = table(
        doc,
        ["Theme", "What people said", "What the records and the action plan say"],
        [3.4, 6.8, 6.8],
        [["{{ c.theme }}", "", ""]],
        "What people said beside what the records and the action plan say",
        loop="c in said_and_recorded",
    )
    body = t.rows[2]
    cell_lines(
        body.cells[1],
        ["{%p for q in c.said %}", "{{ q }}", "{%p endfor %}", "{{ c.scores }}"],
    )
    cell_lines(body.cells[2], ["{%p for x in c.recorded %}", "{{ x }}", "{%p endfor %}"])
    tag(doc, "{%p endif %}")


def self_assessment(doc):
    """The organisation's self-assessment against the evidence (when it has one)."""
    tag(doc, "{%p if self_assessment %}")
    heading(doc, "Self-assessment against the evidence", 1)
    para(doc, "{{ self_assessment.intro }}")
    table(
        doc,
        ["Theme", "Self", "Evidence", "Gap", "Interval", "Registers", "Reading"],
        [4.3, 1.5, 2.1, 1.5, 2.4, 2.2, 3.0],
        [
            [
                "{{ r.theme }}",
                "{{ r.self_score }}",
                "{{ r.evidence_score }}",
                "{{ r.difference }}",
                "{{ r.interval }}",
                "{{ r.registers }}",
                "{{ r.reading }}",
            ]
        ],
        "The organisation's self-assessment against the audit's evidence, by theme",
        loop="r in self_assessment.rows",
    )
    para(doc, "{{ self_assessment.conclusion }}")
    tag(doc, "{%p endif %}")
