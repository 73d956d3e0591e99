"""The close of the report: the action plan, the management response, sign-off and version
control, the appendix, and the page header and footer."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from sgaudit.report.template_build.blocks import field, heading, para, table, tag
from sgaudit.report.template_build.styles import TEXT_WIDTH_CM


def actions(doc):
    heading(doc, "Action plan", 1)
    tag(doc, "{%p if actions %}")
    para(
        doc,
        "Our recommendations, most urgent first. The board should agree an owner and a "
        "date for each; blank cells are for the board to complete.",
    )
    table(
        doc,
        ["No.", "Recommendation", "Theme", "Priority", "Owner", "Due by", "Measure of success"],
        # Theme and Owner fit "whistleblowing" and "Community" unbroken.
        [1.0, 4.45, 2.75, 1.7, 2.3, 1.8, 3.0],
        [
            [
                "{{ a.number }}",
                "{{ a.text }}{% if a.carried_over %} (carried over from the last audit"
                "{% if a.follow_up %}: {{ a.follow_up }}{% endif %}){% endif %}",
                "{{ a.theme }}",
                "{{ a.priority_label }}",
                "{{ a.owner }}",
                "{{ a.due }}",
                "{{ a.measure }}",
            ]
        ],
        "Action plan",
        loop="a in actions",
        centre_from=3,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not actions %}")
    para(
        doc,
        "{% if is_final %}We make no recommendation.{% else %}No recommendations have been "
        "recorded for this audit yet.{% endif %}",
    )
    tag(doc, "{%p endif %}")


def management_response(doc):
    """A place for the organisation to answer each recommendation (filled in by hand)."""
    heading(doc, "Management response", 1)
    para(
        doc,
        "For the organisation to complete. "
        "{% if actions %}For each recommendation, say whether you accept it, what you will "
        "do, who will lead it and by when. The auditors will review progress against these "
        "responses at the next audit.{% elif board and board.issues %}Say what the "
        "organisation will do about each finding in this report, who will lead it and by "
        "when. The auditors will review progress at the next audit.{% else %}Say how the "
        "organisation will keep safeguarding as it is, and what it will do about the "
        "questions this report leaves open.{% endif %}",
    )
    tag(doc, "{%p if actions %}")
    table(
        doc,
        ["No.", "Recommendation", "Accepted?", "Response and action", "Lead", "By when"],
        [1.0, 4.8, 2.5, 4.5, 2.2, 2.0],
        [["{{ a.number }}", "{{ a.text }}", "", "", "", ""]],
        "Management response to each recommendation",
        loop="a in actions",
        centre_from=2,
    )
    tag(doc, "{%p endif %}")
    para(doc, "", bold_prefix="Overall response from the organisation's leadership:")
    for _ in range(3):
        para(doc, "\u00a0")
    para(doc, "Name and role: ______________________   Date: ______________")


def sign_off(doc):
    """Who signs the report, and which version this is."""
    heading(doc, "Sign-off and version control", 1)
    para(
        doc,
        "This is version {{ version }} of the report ({{ status }}), produced on "
        "{{ report_date }}.{% if not is_final %} It is a draft: it may change before it is "
        "issued as final, and is not to be relied on until then.{% endif %}",
    )
    table(
        doc,
        ["Signed by", "Name", "Signature", "Date"],
        [6.5, 4.0, 4.0, 2.5],
        [["{{ s.role }}", "{{ s.name }}", "", ""]],
        "Sign-off",
        loop="s in sign_off",
        centre_from=4,
    )
    tag(doc, "{%p if history %}")
    table(
        doc,
        ["Version", "Issued", "Issued by", "Reviewed by", "Why"],
        [1.8, 3.2, 3.4, 3.4, 5.2],
        [
            [
                "{{ v.version }}",
                "{{ v.date }}",
                "{{ v.issued_by }}",
                "{{ v.reviewed_by }}",
                "{{ v.reason }}",
            ]
        ],
        "Versions of this report",
        loop="v in history",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not history %}")
    para(doc, "No version of this report has been issued as final yet.")
    tag(doc, "{%p endif %}")


def appendix(doc):
    heading(doc, "Appendix: how the numbers are worked out", 1)
    heading(doc, "Scores", 2)
    para(
        doc,
        "Every answer is placed on a scale from 0 (weakest practice) to 100 (strongest): "
        "on a five-point scale the answers score 0, 25, 50, 75 and 100. \u201cDon't know\u201d "
        "and \u201cnot applicable\u201d carry no score; we report how often people did not "
        "know, because not knowing is itself a finding. A theme's score is the average of its "
        "answers, some questions counting for more where the question set gives them more "
        "weight.",
    )
    heading(doc, "RAG ratings", 2)
    table(
        doc,
        ["Rating", "Scores"],
        [5.0, 5.0],
        [["{% cellbg k.fill %}{{ k.label }}", "{{ k.range }}"]],
        "The RAG bands used",
        loop="k in appendix.rag_bands",
    )
    heading(doc, "Thread breaks and knowledge gaps", 2)
    para(
        doc,
        "A thread break is a tier (managers, the safeguarding team, senior leaders or "
        "trustees) whose score for a theme is {{ appendix.rules.thread_break_points }} points "
        "or more away from the front line's, clear of chance: the range of likely values "
        "of the gap does not include zero, and the number of themes and tiers compared is "
        "allowed for. The people who use services are also set against the front-line "
        "staff who support them, and against the organisation's leadership (trustees, "
        "senior leaders and the safeguarding team together). "
        "Tiers are compared like with like: only on the kinds of question both "
        "were asked, and only where each answered at least two of the theme's questions. "
        "Each gap is also read with every person set against their own ratings of the "
        "other themes, so that a few generous or harsh raters do not make or hide it; a "
        "gap found that way is the same distance beyond how the two tiers usually differ, "
        "and its finding says so. "
        "The safeguarding team and senior leaders are taken together when too few to show "
        "apart; a tier too small to show at all is named as not assessable, never "
        "compared. When one service area's front line alone makes the gap, the finding "
        "says the leaders are not sighted on that area. A knowledge gap is a tier "
        "answering \u201cdon't know\u201d {{ appendix.rules.knowledge_gap_points }} percentage "
        "points more often than everyone else, clear of chance: for senior leaders or "
        "trustees it means they have no information to know; for front-line staff, that "
        "staff do not know what happens.",
    )
    heading(doc, "Localised and systemic", 2)
    para(
        doc,
        "A score below {{ appendix.rules.weak_score }} is weak. A theme is systemic when "
        "at least {{ appendix.rules.systemic_share }} of service areas are weak in it and "
        "together they score below {{ appendix.rules.weak_score }}, clear of chance"
        "{% if appendix.rules.systemic_own_level_points %}, or at least "
        "{{ appendix.rules.borderline_points }} points below {{ appendix.rules.weak_score }} "
        "while the same people rate "
        "it at least {{ appendix.rules.systemic_own_level_points }} points below their other "
        "themes, clear of chance (how generous the particular people heard are drops out of "
        "that comparison){% endif %}; a call "
        "close to either line is listed as worth exploring instead. It is localised when one "
        "or a few areas score at least {{ appendix.rules.localised_gap_points }} points below "
        "the others, allowing for how each area rates the other themes, and clear of chance.",
    )
    heading(doc, "Paper and practice", 2)
    para(
        doc,
        "Some questions ask what is written down (policies, procedures, records), others "
        "what happens in practice. When the written score is "
        "{{ appendix.rules.paper_practice_gap_points }} points or more above practice, we "
        "report a gap between paper and practice.",
    )
    heading(doc, "Small groups", 2)
    para(
        doc,
        "No score is shown for a group of fewer than {{ appendix.rules.suppression_min }} "
        "people. A change is called a change when it is at least "
        "{{ appendix.rules.change_points }} points and clear of chance given the people "
        "heard each time; a change as large that is not is marked Unsure.",
    )
    heading(doc, "Glossary", 2)
    table(
        doc,
        ["Term", "Meaning"],
        [4.0, 13.0],
        [["{{ g.term }}", "{{ g.meaning }}"]],
        "Glossary",
        loop="g in appendix.glossary",
        centre_from=9,
    )


def header_footer(doc):
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # no footer on the cover
    footer = doc.styles["Footer"]
    tabs = footer.element.find(qn("w:pPr")).find(qn("w:tabs"))
    for tab in list(tabs):
        tabs.remove(tab)
    right = OxmlElement("w:tab")
    right.set(qn("w:val"), "right")
    right.set(qn("w:pos"), str(int(TEXT_WIDTH_CM / 2.54 * 1440)))
    tabs.append(right)
    p = section.footer.paragraphs[0]
    p.style = footer
    p.add_run("{{ organisation }} \u00b7 {{ report_title }} \u00b7 {{ status }}")
    p.add_run("\tPage ")
    field(p, "PAGE", "1")
