"""How the audit was done: fieldwork by tier and by service area, the questions, the
systems approach, protecting the people heard, scoring by two auditors, scope and
limitations and the records read."""

from __future__ import annotations

from sgaudit.report.template_build.blocks import bullets, heading, para, table, tag


def method(doc):
    heading(doc, "How the audit was done", 1)
    para(
        doc,
        "We followed the golden thread of safeguarding through the organisation. We "
        "heard from {{ method.people }} people in {{ method.sessions }} interviews, focus "
        "groups, surveys and document reviews, at every level from the people who use "
        "services up to trustees, and in each service area. The tables below show who we "
        "heard from.",
    )
    cols = ["Interviews", "Focus groups", "Surveys", "Document reviews", "People"]
    cells = [
        "{{ r.interviews }}",
        "{{ r.focus_groups }}",
        "{{ r.surveys }}",
        "{{ r.document_reviews }}",
        "{{ r.people }}",
    ]
    total = [
        "Total",
        "{{ method.total.interviews }}",
        "{{ method.total.focus_groups }}",
        "{{ method.total.surveys }}",
        "{{ method.total.document_reviews }}",
        "{{ method.total.people }}",
    ]
    table(
        doc,
        ["Who we heard from", *cols],
        [5.5, 2.2, 2.2, 2.0, 2.6, 2.0],
        [["{{ r.label }}", *cells]],
        "Fieldwork by tier of the golden thread",
        loop="r in method.by_tier",
        total_row=total,
    )
    table(
        doc,
        ["Service area", *cols],
        [5.5, 2.2, 2.2, 2.0, 2.6, 2.0],
        [["{{ r.label }}", *cells]],
        "Fieldwork by service area",
        loop="r in method.by_area",
        total_row=total,
    )
    heading(doc, "The questions", 2)
    para(
        doc,
        "We used the {{ method.question_set }}: {{ method.question_count }} questions "
        "across {{ method.theme_count }} themes. Each question is worded for the people "
        "being asked, so a board member is asked how they know and a front-line worker "
        "what happens in practice; asking the same thing at every level is what lets us "
        "see where the thread holds and where it breaks.",
    )
    heading(doc, "A systems approach", 2)
    para(
        doc,
        "We looked at the organisation as a whole system: not only whether policies "
        "exist, but whether practice follows them, and why people act as they do. We have "
        "tried to understand what helps and what gets in the way, without hindsight and "
        "without looking for someone to blame. Culture matters as much as paperwork.",
    )
    heading(doc, "Protecting the people we spoke to", 2)
    para(
        doc,
        "People are described by their role, never by name. A quote says only which "
        "level of the organisation it came from (never a name or a service area), and only "
        "when at least {{ method.suppression_min }} people there answered on that theme. To stop anyone being identified, no score is shown for "
        "a group of fewer than {{ method.suppression_min }} people; such groups are marked "
        "\u201cSuppressed\u201d and left out of every table, chart and sentence. The counts "
        "above are of conversations, not scores, so they are shown in full.",
    )


def double_scoring(doc):
    """The method chapter's paragraph on the two auditors' agreement (when double-scored)."""
    tag(doc, "{%p if method.agreement %}")
    heading(doc, "Scoring by two auditors", 2)
    para(doc, "{{ method.agreement }}")
    tag(doc, "{%p endif %}")


def scope_and_records(doc):
    """What the audit covered, its limits, and the documents and records it read."""
    heading(doc, "Scope and limitations", 2)
    bullets(doc, "scope_limits.scope")
    para(doc, "What limits what this report can say:")
    bullets(doc, "scope_limits.limitations")
    tag(doc, "{%p if records_reviewed %}")
    heading(doc, "Documents and records reviewed", 2)
    table(
        doc,
        ["What we read", "How much", "Where it came from"],
        [6.5, 2.8, 7.7],
        [["{{ r.source }}", "{{ r.extent }}", "{{ r.note }}"]],
        "Documents and records reviewed",
        loop="r in records_reviewed",
        centre_from=1,
    )
    tag(doc, "{%p endif %}")
