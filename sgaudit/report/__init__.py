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

from typing import TYPE_CHECKING

# Imported on first use (PEP 562), not with the package: rendering pulls in docxtpl and
# matplotlib, which a caller that only reads or assembles the report never needs.
_HOMES = {
    "ReportContext": "sgaudit.report.context",
    "build_report_context": "sgaudit.report.build",
    "generate_report": "sgaudit.report.build",
    "report_inputs": "sgaudit.report.build",
    "convert_to_pdf": "sgaudit.report.pdf",
    "find_soffice": "sgaudit.report.pdf",
    "context_reference_markdown": "sgaudit.report.reference",
    "copy_default_template": "sgaudit.report.render",
    "default_template_path": "sgaudit.report.render",
    "render_report": "sgaudit.report.render",
    "unknown_template_variables": "sgaudit.report.render",
}

if TYPE_CHECKING:
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


def __getattr__(name: str):
    import importlib

    if name not in _HOMES:
        raise AttributeError(f"module 'sgaudit.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


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
