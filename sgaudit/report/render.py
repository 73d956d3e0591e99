"""Render a `ReportContext` into a Word document through a docxtpl template.

Safety of user text. Values are data, never template source: the template is
rendered once in a sandboxed Jinja environment with autoescape on, and every value
goes through `_finalize`, which drops characters XML cannot hold, escapes `<`, `&`
and quotes, and writes `{` and `}` as character references. The last step matters
because docxtpl rewrites `{_{` to `{{` in its output; with braces written as
`&#123;` no user text can be rewritten, and Word reads them back as plain braces.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SecurityError
from markupsafe import Markup, escape

from sgaudit.errors import ReportError
from sgaudit.limits import MAX_TEMPLATE_BYTES, LimitExceeded, check_zip, read_limited_bytes
from sgaudit.questionnaire.settings import AnalysisSettings, RagBand
from sgaudit.report import charts as chart_drawing
from sgaudit.report.context import ReportContext
from sgaudit.report.ooxml import order_cell_properties
from sgaudit.report.pagination import fit_area_table, keep_tables_together
from sgaudit.report.sandbox import BudgetedSandbox
from sgaudit.report.toc import fill_contents
from sgaudit.report.words import clean_text

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "report_templates" / "default.docx"
OVERVIEW_WIDTH = Cm(16.5)


def default_template_path() -> Path:
    """The default template shipped in report_templates/."""
    if not DEFAULT_TEMPLATE.is_file():
        raise ReportError(f"the default report template is missing: {DEFAULT_TEMPLATE}")
    return DEFAULT_TEMPLATE


def copy_default_template(out_path: str | Path) -> Path:
    """Copy the default template to `out_path` for an organisation to restyle in Word."""
    out = Path(out_path)
    if out.suffix.lower() != ".docx":
        raise ReportError(f"the template copy must be a .docx file, not '{out.name}'")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default_template_path(), out)
    except OSError as exc:
        raise ReportError(f"could not write {out}: {exc.strerror or exc}") from None
    return out


# A hyphen-minus that starts a number ("difference -25 points", "interval -38 to -12"):
# printed as the true minus sign, which a line never breaks after ("difference -" at
# the end of one line and "25 points" on the next misreads the number).
_NEGATIVE = re.compile(r"(?<![^\s(])-(?=\d)")


def as_printed(value: Any) -> str:
    """`value` as the report prints it, before escaping: text legal in Word, negative
    numbers with the true minus sign."""
    return _NEGATIVE.sub("\u2212", clean_text(value))


def _escape_value(value: Any) -> Markup:
    text = str(escape(as_printed(value)))
    return Markup(text.replace("{", "&#123;").replace("}", "&#125;"))


def _finalize(value: Any) -> Any:
    """Every printed value: pictures pass as they are, everything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, InlineImage):
        return value
    return _escape_value(value)


def report_environment() -> BudgetedSandbox:
    """The Jinja environment reports render in: sandboxed, autoescaping, strict.

    A template that names something the context does not have fails with a clear
    message instead of printing a blank. The sandbox also has a time and size budget
    (`sgaudit.report.sandbox`), so no template can hang or exhaust memory.
    """
    return BudgetedSandbox(autoescape=True, finalize=_finalize, undefined=StrictUndefined)


class AltTextImage(InlineImage):
    """docxtpl's InlineImage with alt text (Word's "Alt Text", read by screen readers).

    The text goes into the `descr` attribute of the picture's `wp:docPr` (and its
    `pic:cNvPr`), where Word, LibreOffice and screen readers look for it.
    """

    def __init__(
        self, tpl, image_descriptor, width=None, height=None, *, alt_text: str, title: str = ""
    ):
        super().__init__(tpl, image_descriptor, width=width, height=height)
        self.alt_text = " ".join(clean_text(alt_text).split())
        self.title = " ".join(clean_text(title).split())

    def _insert_image(self):
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height
        )
        for el in (inline.find(qn("wp:docPr")), *inline.iter(qn("pic:cNvPr"))):
            if el is not None:
                el.set("descr", self.alt_text)
                if self.title:
                    el.set("title", self.title)
        xml = inline.xml.replace("{", "&#123;").replace("}", "&#125;")
        return f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


def _open_template(template: str | Path | None) -> DocxTemplate:
    path = Path(template) if template else default_template_path()
    if not path.is_file():
        raise ReportError(f"report template not found: {path}")
    if not zipfile.is_zipfile(path):
        raise ReportError(f"{path} is not a Word document (.docx)")
    try:
        read_limited_bytes(path, MAX_TEMPLATE_BYTES, "report template")
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, nested_allowed=True)
            if "word/document.xml" not in zf.namelist():
                raise ReportError(f"{path} is not a Word document: it has no document part")
    except (LimitExceeded, zipfile.BadZipFile) as exc:
        raise ReportError(f"{path} cannot be used as a report template: it {exc}") from None
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        return tpl
    except Exception as exc:  # python-docx raises several types for a broken package
        raise ReportError(f"{path} could not be opened as a Word document: {exc}") from None


def template_variables(template: str | Path | None = None) -> set[str]:
    """The top-level names a template uses (docxtpl's get_undeclared_template_variables)."""
    tpl = _open_template(template)
    try:
        return set(tpl.get_undeclared_template_variables(jinja_env=report_environment()))
    except TemplateError as exc:
        raise ReportError(_template_problem(template, exc)) from None


def unknown_template_variables(template: str | Path | None = None) -> set[str]:
    """Names a template uses that `ReportContext` does not provide (should be empty)."""
    return template_variables(template) - set(ReportContext.model_fields)


def _template_problem(template: str | Path | None, exc: Exception) -> str:
    where = Path(template).name if template else "the default template"
    text = f"the report template ({where}) has a problem: {exc}"
    lines = [ln.strip() for ln in getattr(exc, "docx_context", []) or [] if ln.strip()]
    if lines:
        text += "\nnear: " + " | ".join(lines)[:400]
    return text


def _with_images(tpl: DocxTemplate, context: ReportContext, charts: bool) -> dict[str, Any]:
    """The context as plain dicts, each chart's `image` filled with its picture.

    With `charts=False` every chart is None, so the template leaves its place out.
    """
    data = context.model_dump(mode="python")
    if not charts:
        data["thread"]["chart"] = None
        return data
    settings = context_settings(context)
    overview = context.thread.chart
    if overview is not None:
        data["thread"]["chart"]["image"] = AltTextImage(
            tpl,
            chart_drawing.small_multiples(overview, settings, OVERVIEW_WIDTH.cm),
            width=OVERVIEW_WIDTH,
            alt_text=overview.alt_text,
            title=overview.title,
        )
    return data


def context_settings(context: ReportContext) -> AnalysisSettings:
    """The RAG bands the charts shade, rebuilt from the context's key."""
    bands = tuple(RagBand(label=k.label.lower(), min=k.min) for k in context.appendix.rag_bands)
    return AnalysisSettings(rag_bands=bands) if bands else AnalysisSettings()


def _set_properties(tpl: DocxTemplate, context: ReportContext) -> None:
    props = tpl.docx.core_properties
    props.title = clean_text(f"{context.report_title}: {context.organisation}")[:255]
    props.subject = clean_text(context.audit_title)[:255]
    props.author = clean_text(context.auditors or "sgaudit")[:255]
    props.comments = f"{context.status}. Produced with {context.generator}."
    props.language = props.language or "en-GB"


def _steady_zip(path: Path) -> None:
    """Give every part of the written document one fixed time, so the same content and
    template make the same bytes (an issued version's report, produced again, is the
    very document issued; the zip otherwise stamps each part with the clock)."""
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in parts:
            steady = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            steady.compress_type = info.compress_type
            steady.external_attr = info.external_attr
            zf.writestr(steady, data)


def render_report(
    context: ReportContext,
    out_path: str | Path,
    template: str | Path | None = None,
    charts: bool = True,
) -> Path:
    """Write the report for `context` to `out_path` (.docx) and return the path.

    `template` is an organisation's copy of the default template (None: the default).
    `charts=False` leaves the pictures out (faster; for text-only checks).
    Raises ReportError for a missing, broken or incompatible template.
    """
    out = Path(out_path)
    if out.suffix.lower() != ".docx":
        raise ReportError(f"the report must be written to a .docx file, not '{out.name}'")
    tpl = _open_template(template)
    # An organisation's own template is checked for names the report does not provide
    # before anything is drawn. The default template ships with sgaudit and is checked by
    # its tests (tests/test_report_template.py), so its parse (0.1 s) is not repeated here.
    unknown = unknown_template_variables(template) if template else set()
    if unknown:
        raise ReportError(
            "the report template uses names the report does not provide: "
            + ", ".join(sorted(unknown))
            + " (see docs/report.md, 'Template variables')"
        )
    data = _with_images(tpl, context, charts)
    try:
        tpl.render(data, jinja_env=report_environment(), autoescape=True)
    except (UndefinedError, SecurityError) as exc:
        raise ReportError(_template_problem(template, exc)) from None
    except TemplateError as exc:
        raise ReportError(_template_problem(template, exc)) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        # a template's own mistake at run time ({{ 1/0 }}, '{}'.format() with nothing)
        raise ReportError(_template_problem(template, exc)) from None
    fill_contents(tpl.docx)
    order_cell_properties(tpl.docx)
    fit_area_table(tpl.docx)
    keep_tables_together(tpl.docx)
    _set_properties(tpl, context)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tpl.save(str(out))
        _steady_zip(out)
    except OSError as exc:
        raise ReportError(f"could not write {out}: {exc.strerror or exc}") from None
    return out
