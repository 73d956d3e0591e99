"""The template and the documented context agree; organisations can use their own copy;
a broken or foreign template is refused with a clear message."""

from __future__ import annotations

import shutil

import pytest
from docx import Document
from test_report_fixtures import all_text, demo_report, paragraphs_with_style

from sgaudit.errors import ReportError
from sgaudit.report import (
    copy_default_template,
    default_template_path,
    render_report,
    unknown_template_variables,
)
from sgaudit.report.context import REFERENCE_MODELS, ReportContext
from sgaudit.report.reference import DOCS_PATH, updated_docs
from sgaudit.report.render import template_variables
from sgaudit.store.db import session_scope


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    from sgaudit.report import build_report_context

    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as session:
        return build_report_context(session, built["reaudit"], built["baseline"])


def test_the_default_template_uses_only_variables_the_context_provides():
    used = template_variables()
    assert used, "the template should use the context"
    assert used <= set(ReportContext.model_fields), used - set(ReportContext.model_fields)
    assert unknown_template_variables() == set()


def test_the_default_template_uses_the_main_sections_of_the_context():
    used = template_variables()
    for name in ("organisation", "summary", "method", "thread", "themes", "change", "actions",
                 "appendix", "localised_systemic", "evidence", "status"):
        assert name in used


def test_every_context_field_is_described():
    missing = [f"{m.__name__}.{name}" for m in REFERENCE_MODELS
               for name, field in m.model_fields.items() if not field.description]
    assert not missing


def test_docs_report_md_lists_the_current_template_variables():
    text = DOCS_PATH.read_text(encoding="utf-8")
    assert updated_docs(text) == text, (
        "docs/report.md is out of date: run python -c 'from sgaudit.report.reference "
        "import write_reference; write_reference()'"
    )


def test_the_committed_default_template_is_what_the_build_script_makes(tmp_path):
    """report_templates/default.docx was regenerated after the script last changed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_default_template",
        default_template_path().parent / "build_default_template.py",
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = Document(str(module.build(tmp_path / "fresh.docx")))
    committed = Document(str(default_template_path()))
    assert [p.text for p in fresh.paragraphs] == [p.text for p in committed.paragraphs]
    assert [[c.text for c in r.cells] for t in fresh.tables for r in t.rows] == \
        [[c.text for c in r.cells] for t in committed.tables for r in t.rows]


def test_a_template_restyled_and_reworded_in_word_is_used(context, tmp_path):
    ours = copy_default_template(tmp_path / "ours.docx")
    document = Document(str(ours))
    for p in document.paragraphs:
        if p.text == "Executive summary":
            for run in p.runs:
                run.text = ""
            p.runs[0].text = "Summary for trustees"
    document.paragraphs[0].insert_paragraph_before("Prepared for {{ organisation }}")
    document.styles["Heading 1"].font.name = "Georgia"
    document.save(str(ours))

    path = render_report(context, tmp_path / "report.docx", template=ours, charts=False)
    report = Document(str(path))
    headings = paragraphs_with_style(report, "Heading 1")
    assert "Summary for trustees" in headings and "Executive summary" not in headings
    assert f"Prepared for {context.organisation}" in all_text(report)
    assert report.styles["Heading 1"].font.name == "Georgia"


def _template_with(tmp_path, text: str):
    path = tmp_path / "broken.docx"
    shutil.copyfile(default_template_path(), path)
    document = Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))
    return path


def test_a_template_naming_something_the_report_lacks_is_refused_by_name(context, tmp_path):
    path = _template_with(tmp_path, "{{ organisaton }} and {{ trustee_names }}")
    with pytest.raises(ReportError, match="organisaton, trustee_names"):
        render_report(context, tmp_path / "r.docx", template=path, charts=False)


def test_a_misspelt_attribute_is_refused_rather_than_printed_blank(context, tmp_path):
    path = _template_with(tmp_path, "{{ summary.overal }}")
    with pytest.raises(ReportError, match="overal"):
        render_report(context, tmp_path / "r.docx", template=path, charts=False)


def test_an_unclosed_tag_is_refused_with_where_it_is(context, tmp_path):
    path = _template_with(tmp_path, "{%p for x in themes %} never closed")
    with pytest.raises(ReportError, match="report template"):
        render_report(context, tmp_path / "r.docx", template=path, charts=False)


def test_the_sandbox_stops_a_template_reaching_into_python(context, tmp_path):
    path = _template_with(tmp_path, "{{ organisation.__class__.__mro__ }}")
    with pytest.raises(ReportError):
        render_report(context, tmp_path / "r.docx", template=path, charts=False)


def test_a_file_that_is_not_a_word_document_is_refused(context, tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(ReportError, match="not a Word document"):
        render_report(context, tmp_path / "r.docx", template=fake, charts=False)
    with pytest.raises(ReportError, match="not found"):
        render_report(context, tmp_path / "r.docx", template=tmp_path / "none.docx")
    with pytest.raises(ReportError, match=r"\.docx"):
        render_report(context, tmp_path / "r.txt", charts=False)


def test_copying_the_template_needs_a_docx_name(tmp_path):
    with pytest.raises(ReportError, match=".docx"):
        copy_default_template(tmp_path / "ours.dotx")
    assert copy_default_template(tmp_path / "sub" / "ours.docx").is_file()
