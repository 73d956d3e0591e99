"""Build the default board-report template (report_templates/default.docx).

    python report_templates/build_default_template.py

The result is an ordinary Word document: Word's own Title, Heading 1-3, Caption, List
Bullet, Quote and Table Grid styles (so the navigation pane and the contents page
work), with docxtpl's Jinja tags in its paragraphs and tables. Every name a tag uses
is documented in docs/report.md ("Template variables").

Tag conventions, so an organisation editing its copy in Word knows what to keep:
- `{{ name }}` prints a value; `{%p ... %}` is a whole paragraph of its own that
  docxtpl removes (loops and conditions over paragraphs and tables);
- `{%tr ... %}` in the first cell of a table row repeats or hides the row;
- `{% cellbg cell.fill %}` in a table cell shades that cell (RAG colour).
Each tag sits in a single run so Word's spell checker or autoformat cannot split it.

The parts follow the report's own order, one module per part of the report: `front`
(cover, board summary, contents, executive summary), `method`, `thread` (the golden
thread, localised and systemic, what the analysis could not settle), `themes`,
`change` (and progress), `records` (registers, said and recorded, self-assessment) and
`closing` (action plan to appendix); `styles` and `blocks` are what they are made of.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.shared import Cm

from sgaudit.report.template_build.blocks import update_fields_on_open
from sgaudit.report.template_build.change import change, progress
from sgaudit.report.template_build.closing import (
    actions,
    appendix,
    header_footer,
    management_response,
    sign_off,
)
from sgaudit.report.template_build.front import (
    before_final,
    board_page,
    contents,
    cover,
    executive_summary,
)
from sgaudit.report.template_build.method import double_scoring, method, scope_and_records
from sgaudit.report.template_build.records import evidence, said_and_recorded, self_assessment
from sgaudit.report.template_build.styles import LANGUAGE, set_up_styles
from sgaudit.report.template_build.themes import themes
from sgaudit.report.template_build.thread import scope, thread, unsettled

# The report's parts, in the order they are printed.
PARTS = (
    cover,
    board_page,
    contents,
    before_final,
    executive_summary,
    method,
    double_scoring,
    scope_and_records,
    thread,
    scope,
    unsettled,
    themes,
    change,
    progress,
    evidence,
    said_and_recorded,
    self_assessment,
    actions,
    management_response,
    sign_off,
    appendix,
)


def build(out: Path) -> Path:
    """Write the default template to `out` and return it."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.start_type = WD_SECTION.NEW_PAGE
    set_up_styles(doc)
    # Word's document properties are set by render_report from the audit, never by a tag.
    doc.core_properties.title = "Safeguarding audit report"
    doc.core_properties.author = "sgaudit"
    doc.core_properties.comments = ""
    doc.core_properties.language = LANGUAGE
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)
    for part in PARTS:
        part(doc)
    header_footer(doc)
    update_fields_on_open(doc)
    doc.save(out)
    return out
