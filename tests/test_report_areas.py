"""Localised issues visible: a theme x service-area table with RAG and n, hidden cells
shown as hidden, every localised finding listed and the named areas in the summary."""

from __future__ import annotations

import math

import pytest
from docx import Document
from test_report_fixtures import all_text, demo_report

from sgaudit.report import build_report_context
from sgaudit.report.build import report_inputs
from sgaudit.report.cells import area_overview
from sgaudit.report.pagination import AREA_TABLE_CAPTION
from sgaudit.store.db import session_scope


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as session:
        inputs = report_inputs(session, built["reaudit"], built["baseline"])
        context = build_report_context(session, built["reaudit"], compare_to=built["baseline"])
    doc = Document(built["docx"])
    return {"inputs": inputs, "context": context, "doc": doc, "text": all_text(doc)}


def area_table(doc):
    from docx.oxml.ns import qn

    for t in doc.tables:
        caption = t._tbl.tblPr.find(qn("w:tblCaption"))
        if caption is not None and caption.get(qn("w:val")) == AREA_TABLE_CAPTION:
            return t
    raise AssertionError("no theme x service-area table")


def test_the_area_table_has_every_theme_in_every_area_with_its_rating_and_n(demo):
    analysis = demo["inputs"].analysis
    table = area_table(demo["doc"])
    areas = [c.text for c in table.rows[0].cells[1:]]
    assert areas == list(demo["inputs"].audit.service_areas)
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert len(rows) == len(analysis.themes)
    for theme in analysis.themes:
        found = {c.service_area: c for c in theme.by_area}
        for area, text in zip(areas, rows[theme.title], strict=True):
            cell = found[area]
            if cell.suppressed:
                assert text == "Suppressed"
            else:
                expected = f"{math.floor(cell.score)} {cell.rag.capitalize()} (n={cell.n})"
                assert text == expected, (theme.theme, area)


def test_a_hidden_area_cell_shows_neither_score_nor_n(demo):
    analysis = demo["inputs"].analysis
    theme = analysis.themes[0]
    hidden = theme.by_area[0].model_copy(
        update={"suppressed": True, "score": None, "rag": None, "n": None}
    )
    changed = theme.model_copy(update={"by_area": [hidden, *theme.by_area[1:]]})
    analysis = analysis.model_copy(update={"themes": [changed, *analysis.themes[1:]]})
    overview = area_overview(analysis, [(theme.theme, theme.title)], [hidden.service_area])
    cell = overview.rows[0].cells[0]
    assert (cell.text, cell.number, cell.n, cell.status) == ("Suppressed", "", None, "suppressed")


def test_every_localised_finding_is_listed_and_its_areas_are_in_the_summary(demo):
    context, text = demo["context"], demo["text"]
    localised = [f for t in context.themes for f in t.findings if f.kind == "localised"]
    assert localised
    listed = [f.summary for g in context.localised_systemic.localised for f in g.findings]
    for finding in localised:
        assert finding.summary in listed and finding.summary in text
        for area in finding.areas.split(" and "):
            assert area in context.board.areas
    assert f"Localised issues are in {context.board.areas}." in text


def _turned(table) -> list[bool]:
    from docx.oxml.ns import qn

    header = table.rows[0]._tr.findall(qn("w:tc"))[1:]
    return [tc.find(f"{qn('w:tcPr')}/{qn('w:textDirection')}") is not None for tc in header]


def test_area_headings_stay_level_while_their_words_fit_and_turn_upwards_when_not(demo):
    # Six areas leave each column room for "Opportunities"; nine leave about 1.6 cm, and
    # LibreOffice broke "Outreach" into "Outreac / h". Turned, every name reads whole.
    import copy

    from docx.oxml.ns import qn

    from sgaudit.report.pagination import turn_area_headings, widest_word_pt

    table = area_table(demo["doc"])
    assert not any(_turned(table))  # the demo's six areas, as rendered
    tbl = copy.deepcopy(table._tbl)
    assert widest_word_pt("Day Opportunities", 8) > (900 - 80) / 20
    assert turn_area_headings(tbl, 900)
    header = tbl.find(qn("w:tr"))
    cells = header.findall(qn("w:tc"))
    assert [c.find(f"{qn('w:tcPr')}/{qn('w:textDirection')}") is not None for c in cells] == [
        False,
        *[True] * (len(cells) - 1),
    ]
    height = header.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
    assert height.get(qn("w:hRule")) == "atLeast" and int(height.get(qn("w:val"))) > 900
    # the schema's order: the height before the header mark
    assert [c.tag for c in header.find(qn("w:trPr"))][:2] == [qn("w:trHeight"), qn("w:tblHeader")]
    assert not turn_area_headings(copy.deepcopy(table._tbl), 1350)
