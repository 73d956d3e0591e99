"""A survey form on paper (Word): one tier's questions with boxes to tick.

The answers are typed in later through the answer sheet (`sgaudit template`), so each
question shows its id beside the wording, as the sheet does.
"""

from __future__ import annotations

from pathlib import Path

from sgaudit.surveys.forms import SurveyForm
from sgaudit.surveys.matching import FORM_FIELDS

BOX = "\u2610"  # a ballot box to tick


def write_paper_form(form: SurveyForm, out: str | Path) -> None:
    from docx import Document
    from docx.shared import Pt

    labels: dict[str, list[str]] = {}
    for list_name, _, label in form.choices:
        labels.setdefault(list_name, []).append(label)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(12 if form.tier == "service_user" else 11)
    doc.add_heading(form.title, level=1)
    doc.add_paragraph(
        f"Question set {form.set_label}. Your answers are anonymous: do not write your "
        "name anywhere on this form. Tick one box for each question you want to answer; "
        "leave out any you would rather not."
    )

    def ask(qid: str, text: str, options: list[str] | None) -> None:
        p = doc.add_paragraph()
        if qid:
            p.add_run(f"{qid}  ").bold = True
        p.add_run(text)
        p.paragraph_format.keep_with_next = True
        if options:
            doc.add_paragraph("    ".join(f"{BOX}\u00a0{o}" for o in options))
        else:
            for _ in range(3):
                doc.add_paragraph("_" * 70)

    ask("", FORM_FIELDS["consent"], labels["yes_no"])
    ask("", FORM_FIELDS["service_area"], labels["areas"])
    theme = None
    for q in form.questions:
        if q.theme != theme:
            doc.add_heading(q.theme_title, level=2)
            theme = q.theme
        ask(q.id, q.label, labels.get(q.list_name) if q.list_name else None)
    doc.save(out)
