"""One number, one word: every score printed for a theme anywhere in the report is the
same number, every change carries the word its size earns, and a change is the
difference of the two scores printed beside it.

Read from the demo re-audit report's text (paragraphs and table rows, in order).
"""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.oxml.ns import qn
from test_report_fixtures import demo_report

from sgaudit import printed
from sgaudit.questionnaire.settings import AnalysisSettings

SCORE = r"(\d+(?:\.\d+)?)"
CHANGE = re.compile(r"(?<![\w.])([+\u2212]?\d+) (Better|Worse|Steady|Unsure)\b")


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def report_lines(docx) -> list[tuple[str, list[str]]]:
    """('p', [text]) per paragraph and ('tr', [cell texts]) per table row, in order."""
    out = []
    for el in Document(docx).element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(("p", [_text(el)]))
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                out.append(("tr", [_text(tc) for tc in tr.findall(qn("w:tc"))]))
    return out


def number_of(cell: str) -> str | None:
    m = re.match(rf"{SCORE} (Red|Amber|Green)$", cell.strip())
    return m.group(1) if m else None


def scores_printed_per_theme(lines, titles) -> dict[str, list[tuple[str, str]]]:
    """Theme title -> [(where, number)] for every overall score the report prints."""
    found: dict[str, list[tuple[str, str]]] = {t: [] for t in titles}
    section = None
    for kind, cells in lines:
        if kind == "p":
            text = cells[0]
            heading = re.match(r"\d+\. (.+)$", text)
            if heading and heading.group(1) in titles:
                section = heading.group(1)
            for t in titles:
                for m in re.finditer(rf"{re.escape(t)} scores {SCORE} overall", text):
                    found[t].append(("headline", m.group(1)))
                for m in re.finditer(rf"(?:strongest|weakest) is {re.escape(t)} \({SCORE}\)", text):
                    found[t].append(("summary", m.group(1)))
            now = re.search(rf"\({SCORE} then, {SCORE} now\)", text)
            if now and section and text.startswith("Since the last audit"):
                found[section].append(("since the last audit", now.group(2)))
        else:
            name = cells[0]
            if name in titles and len(cells) == 8 and number_of(cells[1]):
                found[name].append(("golden thread table", number_of(cells[1])))
            if name in titles and len(cells) == 4 and number_of(cells[2]):
                found[name].append(("change table", number_of(cells[2])))
            owner = next((t for t in titles if name.endswith(f": {t}")), None)
            if owner and len(cells) == 4 and number_of(cells[2]):
                found[owner].append(("findings no longer found", number_of(cells[2])))
    return found


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    lines = report_lines(built["docx"])
    titles = [
        cells[0]
        for kind, cells in lines
        if kind == "tr" and len(cells) == 8 and number_of(cells[1]) is not None
    ]
    return lines, titles


def test_every_score_printed_for_a_theme_is_the_same_number(report):
    lines, titles = report
    assert len(titles) == 11
    found = scores_printed_per_theme(lines, titles)
    for title, seen in found.items():
        places = {where for where, _ in seen}
        assert {"headline", "golden thread table", "change table"} <= places, (title, seen)
        assert len({n for _, n in seen}) == 1, (title, seen)
    assert sum(len(v) for v in found.values()) >= 11 * 4


def test_no_score_is_printed_with_decimals(report):
    lines, _ = report
    text = "\n".join(" | ".join(cells) for _, cells in lines)
    assert not re.findall(r"\b\d+\.\d+ (?:Red|Amber|Green)\b", text)
    assert not re.findall(r"scores \d+\.\d+ overall", text)


def test_every_change_carries_the_word_its_size_earns(report):
    lines, _ = report
    points = AnalysisSettings().change_points
    labels = [m for _, cells in lines for c in cells for m in CHANGE.findall(c)]
    assert len(labels) > 60
    for number, word in labels:
        delta = int(number.replace("\u2212", "-"))
        earned = printed.change_direction(delta, points)
        if word == "Unsure":  # large enough to be a change, too few people to be sure
            assert earned in ("better", "worse"), (number, word)
            continue
        assert printed.change_text(delta, earned).endswith(word), (number, word)
    assert {"Unsure", "Better", "Steady"} <= {word for _, word in labels}


def test_a_change_is_the_difference_of_the_two_scores_printed_beside_it(report):
    lines, titles = report
    rows = [c for k, c in lines if k == "tr" and len(c) == 4 and c[0] in titles]
    assert len(rows) == 11
    for name, before, after, change in rows:
        if not (number_of(before) and number_of(after)):
            continue
        delta = int(CHANGE.search(change).group(1).replace("\u2212", "-"))
        assert int(number_of(after)) - int(number_of(before)) == delta, (name, before, after)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (69.8, 71.0, (2, "same")),  # printed 69 then 71: +2, steady
        (40.4, 45.6, (5, "better")),  # 40 then 45: +5 is a change, never "+5 Steady"
        (45.6, 40.4, (-5, "worse")),
        (44.9, 49.0, (5, "better")),
        (45.0, 49.9, (4, "same")),  # +4.9 unrounded, +4 as printed: steady
        (None, 50.0, (None, "not_comparable")),
    ],
)
def test_one_change_rule(old, new, expected):
    assert printed.change(old, new, 5) == expected


def test_a_gap_is_the_difference_of_the_printed_scores():
    # 81.4 vs 47.6: printed 81 and 47, so the gap reads 34 wherever it is printed
    assert printed.gap(81.4, 47.6) == 34
    assert printed.gap(81.0, 47.9) == 34  # unrounded 33.1, printed 81 vs 47


# ---- one rule for intervals (sgaudit.printed.interval) ---------------------------------
MINUS_SIGNS = str.maketrans({"\u2212": "-", "+": ""})
HOW_SURE = re.compile(
    r"difference ([+\u2212-]?\d+) (?:percentage )?points, interval ([\u2212-]?\d+) to "
    r"([\u2212-]?\d+)"
)
OPTIMISM = re.compile(
    r"self-assessment rates (.+?) \d+ points higher than the audit's evidence \(.*?"
    r"interval ([\u2212-]?\d+) to ([\u2212-]?\d+);"
)


def _whole(text: str) -> int:
    return int(text.translate(MINUS_SIGNS))


def test_every_difference_printed_lies_inside_the_interval_printed_beside_it(report):
    lines, _ = report
    found = [m for _, cells in lines for c in cells for m in HOW_SURE.findall(c)]
    assert len(found) >= 10
    for difference, low, high in found:
        assert _whole(low) <= _whole(difference) <= _whole(high), (difference, low, high)


def test_the_self_assessment_table_and_its_findings_print_the_same_interval(report):
    lines, _ = report
    rows = [c for k, c in lines if k == "tr" and len(c) == 7]
    head = rows.index(["Theme", "Self", "Evidence", "Gap", "Interval", "Registers", "Reading"])
    in_table = {
        c[0]: tuple(_whole(v) for v in c[4].split(" to "))
        for c in rows[head + 1 :]
        if " to " in c[4]
    }
    in_findings = {
        theme: (_whole(low), _whole(high))
        for _, cells in lines
        for c in cells
        for theme, low, high in OPTIMISM.findall(c)
    }
    assert {"Governance", "Complaints and whistleblowing"} <= set(in_findings)
    for theme, interval in in_findings.items():
        assert in_table[theme] == interval, theme
