"""The board report: a Word document (docxtpl) from the front line to the board.

    from sgaudit.report import generate_report
    generate_report(session, audit_id, "report.docx", compare_to=previous_id, pdf=True)

Library API (the CLI `sgaudit report` and the app call these):
- `build_report_context(session, audit_id, compare_to=None) -> ReportContext`
- `render_report(context, out_path, template=None, charts=True) -> Path`
- `generate_report(session, audit_id, out_path, compare_to=None, template=None, pdf=False)`
- `copy_default_template(out_path)`, `default_template_path()`
- `convert_to_pdf(docx_path)` (LibreOffice), `context_reference_markdown()`

Modules: context (the documented template variables), assemble (pure: inputs ->
context), build (store -> inputs), render (docxtpl), charts, pdf. See docs/report.md.
"""

from sgaudit.report.build import build_report_context, generate_report, report_inputs
from sgaudit.report.context import ReportContext
from sgaudit.report.pdf import convert_to_pdf, find_soffice
from sgaudit.report.reference import context_reference_markdown
from sgaudit.report.render import (
    copy_default_template,
    default_template_path,
    render_report,
    unknown_template_variables,
)

__all__ = [
    "ReportContext",
    "build_report_context",
    "context_reference_markdown",
    "convert_to_pdf",
    "copy_default_template",
    "default_template_path",
    "find_soffice",
    "generate_report",
    "render_report",
    "report_inputs",
    "unknown_template_variables",
]
