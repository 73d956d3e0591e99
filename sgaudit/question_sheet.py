"""A printable question sheet per tier (Word), for interviews done on paper.

The tier's own wording of each question, theme by theme, its answer options as boxes
to tick and a space for notes. The answers are typed in afterwards through the same
capture (the Interview page or an answer sheet), so the sheet carries the question
ids and room for the respondent code the app gives.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from sgaudit.errors import SgauditError
from sgaudit.questionnaire import QuestionSet
from sgaudit.vocab import ANSWER_DONT_KNOW, ANSWER_NA, TIER_LABELS

RESERVED_LABELS = {ANSWER_DONT_KNOW: "Don't know", ANSWER_NA: "N/A"}
BOX = "\u2610"  # an empty ballot box to tick on paper


def answer_options(question_set: QuestionSet, question) -> list[str]:
    """The labels a respondent can choose, in scale order; empty for a free-text question."""
    scale = question_set.scales[question.scale]
    if scale.kind == "text":
        return []
    labels = [p.label for p in scale.points]
    allowed = scale.allowed_answers()
    return labels + [RESERVED_LABELS[v] for v in (ANSWER_DONT_KNOW, ANSWER_NA) if v in allowed]


def _keep_whole(row) -> None:
    """The row is never split across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # before its height


def write_question_sheet(
    question_set: QuestionSet, tier: str, path: str | Path, *, heading: str = ""
) -> int:
    """Write the sheet of `tier` to `path` (.docx); returns how many questions it holds."""
    questions = question_set.questions_for_tier(tier)
    if not questions:
        raise SgauditError(
            f"the question set asks nothing of tier '{tier}'; tiers: {', '.join(TIER_LABELS)}"
        )
    titles = {t.id: t.title for t in question_set.themes}
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(f"Question sheet: {TIER_LABELS.get(tier, tier)}", level=1)
    if heading:
        doc.add_paragraph(heading)
    doc.add_paragraph(
        "Respondent code: ______________   Service area: ____________________   "
        "Date: ___________   Auditor: ____________________"
    )
    doc.add_paragraph(
        "Consent given (the respondent knows what the audit is for and agreed): "
        + BOX
        + "   Never write names: role, tier and service area only."
    )
    theme = None
    for q in questions:
        if q.theme != theme:
            theme = q.theme
            doc.add_heading(titles.get(theme, theme), level=2)
        # A question, its boxes and its notes stay on one page: a question printed at
        # the foot of a page with its notes space overleaf gets its notes written
        # against the next question's.
        asked = doc.add_paragraph()
        asked.add_run(f"{q.id}  {q.wording(tier) or ''}").bold = True
        asked.paragraph_format.keep_with_next = True
        options = answer_options(question_set, q)
        if options:
            boxes = doc.add_paragraph("   ".join(f"{BOX} {label}" for label in options))
            boxes.paragraph_format.keep_with_next = True
        notes = doc.add_table(rows=1, cols=1)
        notes.style = "Table Grid"
        row = notes.rows[0]
        row.cells[0].text = "Notes (what was said; no names):" if options else "Answer and notes:"
        _keep_whole(row)
        row.height = Cm(2.5 if options else 4)
        doc.add_paragraph()
    doc.save(str(path))
    return len(questions)
