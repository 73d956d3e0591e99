"""The front of the report: the cover, the one-page summary for the board, the contents,
what is missing before the report can be final, and the executive summary."""

from __future__ import annotations

from docx.shared import Cm

from sgaudit.report.template_build.blocks import (
    bullets,
    cell_margins,
    field,
    heading,
    para,
    part,
    set_cell,
    table_caption,
    tag,
)


def cover(doc):
    for _ in range(3):
        doc.add_paragraph()
    para(doc, "{{ report_title }}", "Title")
    para(doc, "{{ organisation }}", "Subtitle")
    para(doc, "{{ audit_title }}", "Lead")
    rows = [
        ("Fieldwork", "{{ dates }}"),
        ("Auditors", "{{ auditors }}"),
        ("Who the audit covers", "{{ scope }}"),
        ("Questions used", "{{ question_set }}"),
    ]
    t = doc.add_table(rows=len(rows) + 4, cols=2)
    t.autofit = False
    table_caption(t, "About this audit")
    for i, w in enumerate((4.5, 11.5)):
        t.columns[i].width = Cm(w)
        for cell in t.columns[i].cells:
            cell.width = Cm(w)
    for r, (label, value) in enumerate(rows):
        set_cell(t.rows[r].cells[0], label, "Table Heading")
        set_cell(t.rows[r].cells[1], value, "Table Text")
    r = len(rows)
    set_cell(t.rows[r].cells[0], "{%tr if previous_audit %}")
    set_cell(t.rows[r + 1].cells[0], "Compared with", "Table Heading")
    set_cell(t.rows[r + 1].cells[1], "{{ previous_audit }}", "Table Text")
    set_cell(t.rows[r + 2].cells[0], "{%tr endif %}")
    set_cell(t.rows[r + 3].cells[0], "Report date", "Table Heading")
    set_cell(t.rows[r + 3].cells[1], "{{ report_date }}", "Table Text")
    cell_margins(t, 60, 60, 0, 80)
    para(doc, "{{ status }}", "Cover Status")
    para(doc, "Version {{ version }}", "Small Print")
    tag(doc, "{%p if not is_final %}")
    para(
        doc,
        "This is a draft for discussion. Findings and recommendations may change "
        "before the final report.",
        "Small Print",
    )
    tag(doc, "{%p endif %}")
    for _ in range(2):
        doc.add_paragraph()
    para(
        doc,
        "This report contains sensitive information about how people are kept safe. "
        "Share it only with the board and those who need it. People are not named: they "
        "are described by their role, and no score is shown for a group small enough to "
        "identify anyone.",
        "Small Print",
    )
    para(doc, "Produced with {{ generator }}.", "Small Print")


def board_page(doc):
    """One page for the board, before the contents: how safe, why, what to decide."""
    tag(doc, "{%p if board %}")
    p = heading(doc, "Summary for the board", 1)
    p.paragraph_format.page_break_before = True
    p = para(doc, "", "Lead")
    p.add_run("Our opinion: {{ board.opinion.label }}. ").bold = True
    p.add_run("{{ board.opinion.definition }}")
    para(doc, "{{ board.opinion.why }} {{ board.opinion.statement }}", "Small Print")
    tag(doc, "{%p if board.limits %}")
    para(doc, "{{ board.limits }}", "Small Print")
    tag(doc, "{%p endif %}")
    heading(doc, "The three most serious issues", 2)
    tag(doc, "{%p if board.no_issues %}")
    para(doc, "{{ board.no_issues }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for i in board.issues %}")
    p = para(doc, "", "List Number")
    p.add_run("{{ i.text }}")
    p.add_run(" ({{ i.where }})").italic = True
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if board.areas %}")
    para(doc, "Localised issues are in {{ board.areas }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "What the board must decide or ask", 2)
    bullets(doc, "board.questions")
    tag(doc, "{%p if board.changes or board.progress %}")
    para(
        doc,
        "{{ board.changes }}{% if board.changes and board.progress %} {% endif %}"
        "{{ board.progress }}",
        bold_prefix="Since the last audit: ",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def contents(doc):
    p = para(doc, "Contents", "TOC Heading")
    p.paragraph_format.page_break_before = True
    toc = doc.add_paragraph()
    field(
        toc,
        'TOC \\o "1-2" \\h \\z \\u',
        "Contents: in Word, right-click here and choose Update Field.",
    )


def before_final(doc):
    """A draft with something missing says what, before anything else."""
    tag(doc, "{%p if missing %}")
    part(doc, "Before this report is final")
    para(
        doc, "This report is a draft. The audit cannot be made final until the following are done:"
    )
    bullets(doc, "missing")
    tag(doc, "{%p endif %}")


def executive_summary(doc):
    # The summary starts a page unless the list of what is missing already did.
    tag(doc, "{%p if missing %}")
    heading(doc, "Executive summary", 1)
    tag(doc, "{%p else %}")
    part(doc, "Executive summary")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for x in summary.overall %}")
    para(doc, "{{ x }}", "Lead")
    tag(doc, "{%p endfor %}")
    heading(doc, "What is working well", 2)
    bullets(doc, "summary.strengths")
    heading(doc, "Organisation-wide issues", 2)
    bullets(doc, "summary.systemic")
    heading(doc, "Where the golden thread breaks", 2)
    bullets(doc, "summary.thread")
    tag(doc, "{%p if change %}")
    heading(doc, "Since the last audit", 2)
    bullets(doc, "summary.change")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if summary.priorities %}")
    heading(doc, "What we recommend first", 2)
    bullets(doc, "summary.priorities")
    para(
        doc,
        "All our recommendations, with space for owners and dates, are in the action "
        "plan at the end of this report.",
    )
    tag(doc, "{%p endif %}")
