"""No number of a suppressed group appears anywhere in the report: not in a table, a
sentence, a chart, its alt text, a caption or the document properties."""

from __future__ import annotations

import dataclasses
import re

import pytest
from docx import Document
from test_report_fixtures import all_text, store_audit

from sgaudit.analysis import synthetic as syn
from sgaudit.analysis.result import analyse
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report import build_report_context, generate_report
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.vocab import TIERS

AREAS = ("North", "South")
# Two trustees in all (one per area): below the minimum of three. They rate everything
# far higher than anyone else, so their would-be scores are numbers nobody else has.
PER_TIER = {**dict.fromkeys(TIERS, 2), "board": 1}
PLANTS = (syn.Plant(score=45), syn.Plant(tiers=("board",), score=93))


@pytest.fixture(scope="module")
def small_board(tmp_path_factory):
    folder = tmp_path_factory.mktemp("privacy")
    url = f"sqlite:///{folder / 'store.db'}"
    from sgaudit.store.db import get_engine

    get_engine(url)
    with session_scope(url) as session:
        org = repo.create_organisation(session, "Small Board Charity", AREAS)
        audit = store_audit(session, org, "Audit with two trustees", plants=PLANTS,
                            per_tier_area=PER_TIER, group_share=0.0, note_share=0.3, seed=5)
        repo.save_recommendation(session, audit, theme="governance", priority="high",
                                 text="Recruit at least one more trustee.")
        path = generate_report(session, audit.id, folder / "report.docx")
        context = build_report_context(session, audit.id)
        data = load_audit_data(session, audit.id)
    document = Document(str(path))
    return {"data": data, "context": context, "document": document, "path": path}


def _would_be_board_scores(data) -> set[float]:
    """What the trustees' cells would show if the minimum were 1.

    The two trustees together, and each alone in their area. A lone trustee's score can
    land on 75 or 100, numbers the report's own explanations use ("0, 25, 50, 75 and
    100"), so only would-be scores from 80 to 99 are searched for: no other group comes
    near them (everyone else scores about 45).
    """
    unsuppressed = dataclasses.replace(
        data, settings=data.settings.model_copy(update={"suppression_min": 1})
    )
    found = set()
    for theme in analyse(unsuppressed).themes:
        for cell in [*theme.by_tier, *theme.by_tier_area]:
            if cell.tier == "board" and cell.score is not None and 79.5 <= cell.score < 99.5:
                found.add(cell.score)
    return found


def _pair_scores(data) -> list[float]:
    unsuppressed = dataclasses.replace(
        data, settings=data.settings.model_copy(update={"suppression_min": 1})
    )
    return [c.score for t in analyse(unsuppressed).themes for c in t.by_tier
            if c.tier == "board"]


def test_the_board_really_is_a_group_of_two(small_board):
    responses = small_board["data"].responses
    board = responses[responses["tier"] == "board"].drop_duplicates("interview_id")
    assert int(board["people"].sum()) == 2
    for row in small_board["context"].thread.rows:
        assert row.tier["board"].text == "Suppressed"
        assert row.tier["board"].score is None and row.tier["board"].n is None


def test_no_would_be_score_of_the_two_trustees_appears_anywhere(small_board):
    pair = _pair_scores(small_board["data"])
    assert pair and all(80 <= s < 99.5 for s in pair), f"premise: {pair}"
    would_be = _would_be_board_scores(small_board["data"])
    assert len(would_be) > len(pair)
    whole = {str(round(s)) for s in would_be}
    text = all_text(small_board["document"])
    numbers = set(re.findall(r"\d+(?:\.\d+)?", text))
    decimals = {f"{s:.1f}" for s in would_be} | {f"{s:.2f}" for s in would_be}
    assert not (whole | decimals) & numbers


def test_the_whole_package_xml_never_holds_the_trustees_scores_in_text_or_alt_text(small_board):
    """Every XML part of the .docx (body, footers, properties), attribute values included."""
    import zipfile

    would_be = _would_be_board_scores(small_board["data"])
    tokens = {str(round(s)) for s in would_be} | {f"{s:.1f}" for s in would_be}
    with zipfile.ZipFile(small_board["path"]) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            xml = z.read(name).decode("utf-8")
            texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
            texts += re.findall(r'\b(?:descr|title)="([^"]*)"', xml)
            texts += re.findall(r'<w:tblCaption w:val="([^"]*)"', xml)
            texts += re.findall(r"<dc:\w+>([^<]*)</dc:\w+>", xml)
            found = set(re.findall(r"\d+(?:\.\d+)?", " ".join(texts)))
            assert not tokens & found, (name, tokens & found)


def test_the_chart_leaves_the_trustees_out_and_says_so_without_a_number(small_board):
    chart = small_board["context"].thread.chart
    assert chart is not None
    board = TIERS.index("board")
    for panel in chart.panels:
        assert all(series.values[board] is None for series in panel.series)
        assert panel.gaps[board] == "suppressed"
    would_be = {str(round(s)) for s in _would_be_board_scores(small_board["data"])}
    assert not would_be & set(re.findall(r"\d+", chart.alt_text))


def test_no_finding_or_sentence_is_about_the_suppressed_trustees(small_board):
    context = small_board["context"]
    for section in context.themes:
        for finding in section.findings:
            assert "Board" not in finding.tiers
    about_trustees = [s for s in context.summary.thread if "trustees" in s.lower()]
    assert about_trustees == [
        "Trustees were too few to set against the front line without identifying them, so "
        "the golden thread could not be followed through them."
    ]


def test_quotes_come_only_from_groups_large_enough_to_show(small_board):
    responses = small_board["data"].responses
    board_notes = set(responses.loc[responses["tier"] == "board", "note"]) - {""}
    others = set(responses.loc[responses["tier"] != "board", "note"])
    only_board = board_notes - others
    for section in small_board["context"].themes:
        assert not only_board & set(section.quotes)


def test_a_suppressed_cell_has_no_number_even_if_asked_for(small_board):
    """The template gets no number to print: score, number and n are all empty."""
    for section in small_board["context"].themes:
        for row in section.by_tier:
            if row.cell.status == "suppressed":
                assert (row.cell.score, row.cell.number, row.cell.n, row.dont_know) == (
                    None, "", None, "")


def test_settings_with_a_higher_minimum_suppress_more(small_board):
    data = small_board["data"]
    strict = dataclasses.replace(data, settings=AnalysisSettings(suppression_min=50))
    result = analyse(strict)
    assert all(t.suppressed for t in result.themes)
