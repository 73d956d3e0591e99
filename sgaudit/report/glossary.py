"""The appendix: the thresholds this audit used, and a glossary in plain words."""

from __future__ import annotations

from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report.cells import rag_key
from sgaudit.report.context import Appendix, GlossaryItem, Rules
from sgaudit.report.words import percent, whole

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "Golden thread",
        "The line of sight of safeguarding from the people who use services, "
        "through front-line staff and volunteers, managers and the safeguarding team, up to "
        "senior leaders and the board. Where it holds, the board knows what happens on the "
        "ground.",
    ),
    (
        "Tier",
        "One level of the golden thread: people who use services, front-line staff and "
        "volunteers, managers, the DSL and safeguarding team, senior leaders, or trustees.",
    ),
    (
        "Score",
        "How strong practice is on a theme, from 0 (weakest) to 100 (strongest): the "
        "average of the answers, each answer placed evenly on its scale.",
    ),
    (
        "RAG rating",
        "Red, amber or green: the band a score falls in. Every rating in this "
        "report is also written in words, so it can be read without colour.",
    ),
    (
        "Suppressed",
        "A figure not shown because it could identify someone: a group too small to show, "
        "or one hidden with it so that the small group's figure cannot be worked out from "
        "the others. It is left out of every table, chart and sentence.",
    ),
    (
        "Thread break",
        "A tier that sees a theme very differently from the front line, for "
        "example trustees who rate it far higher than the staff who do the work; or the "
        "people who use services seeing it very differently from the front-line staff who "
        "support them, or from the organisation's leadership as a whole (trustees, senior "
        "leaders and the DSL together). Where a finding says "
        "a tier is \u201cset against their own ratings of the other themes\u201d, the gap "
        "is measured beyond how the two tiers usually differ, so that a few generous or "
        "harsh raters do not make it.",
    ),
    (
        "Knowledge gap",
        "A tier that answers \u201cdon't know\u201d much more often than "
        "everyone else: at the top, they do not have the information to know; on the front "
        "line, staff do not know what happens.",
    ),
    (
        "Worth exploring",
        "A difference as large as a finding's that too few people were heard to be sure "
        "of, or a call close to the line (a theme near the weak score). It is not a finding; "
        "it is a question for the organisation to look into.",
    ),
    (
        "Smallest difference that could show",
        "How large a difference between two tiers on one theme had to be for this audit to "
        "show it as a finding, given how many people were heard. A real difference of "
        "about that size is found about half the time; a smaller one can be missed.",
    ),
    ("Systemic", "An issue that runs across most of the organisation's service areas."),
    (
        "Localised",
        "An issue that belongs to one or a few named service areas, which are "
        "markedly weaker than the rest.",
    ),
    (
        "Paper and practice",
        "Questions about what is written down (policies, procedures, "
        "records) compared with questions about what actually happens.",
    ),
    (
        "Evidence gap",
        "Where what people told us and what the organisation's own records show do not agree.",
    ),
    (
        "DSL",
        "Designated Safeguarding Lead: the person who leads safeguarding day to day, "
        "advises colleagues and makes or supports referrals.",
    ),
    (
        "Focus group",
        "A group conversation. Everyone present counts among the people heard, but the "
        "group's answers count as one voice in the analysis: people in a group hear and sway "
        "each other.",
    ),
    (
        "Systems approach",
        "Looking at why people acted as they did, what helped and what got "
        "in the way, rather than at who was to blame, and without hindsight.",
    ),
    (
        "Service area",
        "A part of the organisation that delivers services, such as a site, team or programme.",
    ),
)


def appendix(settings: AnalysisSettings) -> Appendix:
    return Appendix(
        rag_bands=rag_key(settings),
        rules=Rules(
            suppression_min=settings.suppression_min,
            thread_break_points=whole(settings.thread_break_points) or 0,
            knowledge_gap_points=whole(settings.knowledge_gap_points) or 0,
            weak_score=whole(settings.weak_score) or 0,
            systemic_share=percent(settings.systemic_share),
            borderline_points=whole(settings.borderline_points) or 0,
            systemic_own_level_points=whole(settings.systemic_own_level_points) or 0,
            localised_gap_points=whole(settings.localised_gap_points) or 0,
            paper_practice_gap_points=whole(settings.paper_practice_gap_points) or 0,
            change_points=whole(settings.change_points) or 0,
        ),
        glossary=[GlossaryItem(term=t, meaning=m) for t, m in GLOSSARY],
    )
