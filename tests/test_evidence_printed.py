"""The numbers behind a finding (the Findings page's table) are printed as the report
prints them: a score as the whole points reached, a gap as the difference of the printed
scores, a share or rate as a percentage, a threshold as its whole number; and they
agree with the finding's own sentence (docs/report.md, "One number, one word")."""

from __future__ import annotations

import re

import pytest
from app_support import app, open_page

from sgaudit.analysis.findings import _one
from sgaudit.report.findings_view import evidence_rows
from sgaudit.store import repo
from sgaudit.store.db import session_scope

RAW_DECIMAL = re.compile(r"\d\.\d")
CHECKED = (
    "Score",
    "Gap (",
    "Don't-know",
    "Paper score",
    "Practice score",
    "Self-assessment score",
    "The audit's evidence score",
)


def _rows(evidence: dict) -> dict[str, str]:
    return {r["measure"]: r["value"] for r in evidence_rows(evidence)}


def test_a_systemic_findings_numbers_read_as_the_report_prints_them():
    rows = _rows(
        {
            "score": 44.2,
            "areas_assessed": 5,
            "weak_areas": 5,
            "weak_share": 1.0,
            "weak_area_names": "North, South",
            "weak_score": 60.0,
        }
    )
    assert rows == {
        "Score": "44",
        "Service areas assessed": "5",
        "Weak service areas": "5",
        "Share of areas weak": "100%",
        "Weak areas": "North, South",
        "Weak below": "60",
    }


def test_a_systemic_finding_against_the_peoples_own_level_prints_that_distance_whole():
    # "The same people rate it 31 points below their other themes": the table says 31 too
    rows = _rows({"score": 52.4, "weak_score": 60.0, "below_own_level": 30.7})
    assert rows == {
        "Score": "52",
        "Weak below": "60",
        "Below the same people's other themes (points)": "31",
    }


def test_a_knowledge_gaps_rates_are_percentages_and_its_gap_their_difference():
    rows = _rows(
        {
            "tier_dont_know_rate": 0.537,
            "others_dont_know_rate": 0.009,
            "gap_points": 52.8,
            "tier_n": 6,
            "others_n": 106,
        }
    )
    assert rows["Don't-know rate of the tier"] == "53%"
    assert rows["Don't-know rate of everyone else"] == "0%"
    assert rows["Gap (percentage points)"] == "53"  # 53% against 0%, as the sentence says


def test_a_gap_is_the_difference_of_the_printed_scores_with_its_sign():
    rows = _rows({"tier_score": 81.9, "front_line_score": 52.5, "gap": 29.4})
    assert (rows["Score of the tier (or pool)"], rows["Gap (points)"]) == ("81", "29")
    rows = _rows({"tier_score": 40.2, "front_line_score": 70.9, "gap": -30.7})
    assert rows["Gap (points)"] == "\u221230"  # 40 - 70, with a true minus sign
    rows = _rows({"beyond_usual_gap": -25.1, "usual_gap": 4.9, "tier_score": 60.0,
                  "front_line_score": 80.5, "gap": -20.5})  # fmt: skip
    # -20 printed, -25 beyond the usual gap, so the usual gap is what is left: +5
    assert rows["Gap beyond the two tiers' usual gap (points)"] == "\u221225"
    assert rows["Their usual gap on the other themes (points)"] == "5"


def test_records_and_evidence_gap_numbers_read_in_words():
    rows = _rows(
        {
            "direction": "records_higher",
            "interview_score": 47.6,
            "records_score": 86.1,
            "gap_points": 38.5,
            "weak_score": 60.0,
            "evidence_gap_points": 20.0,
            "weak_codes": "",
            "indicator:complaints_feedback_given": 83.3,
        }
    )
    assert rows["Direction"] == "the records show it stronger than people describe it"
    assert rows["Gap (points)"] == "39"  # 86 - 47, as the finding's sentence says
    assert rows["Gap that makes an evidence gap (points)"] == "20"
    assert rows["Weaknesses the records point to"] == "none"
    assert any(k.startswith("Records score out of 100: people who raised") for k in rows)
    rows = _rows(
        {
            "indicator": "training_role_group_compliance",
            "group_E_count": 3,
            "group_E_n": 4,
            "group_E_rate": 75.0,
            "volunteer_rate": 33.3333,
        }
    )
    assert rows["Role group E: share meeting the check"] == "75%"
    assert rows["Volunteers: share meeting the check"] == "33%"
    assert "_" not in "".join(rows)


@pytest.mark.parametrize(
    "value,kept", [(43.97, 43.9), (43.94, 43.9), (44.0, 44.0), (44.04, 44.0), (-15.04, -15.1)]
)
def test_a_kept_number_prints_as_the_unrounded_one(value, kept):
    assert _one(value) == kept


def _demo_findings(url: str) -> list:
    from sgaudit.analysis import analyse
    from sgaudit.store.evidence import audit_evidence
    from sgaudit.store.frames import load_audit_data

    with session_scope(url) as s:
        audit = repo.get_audit(s, max(a.id for a in repo.list_audits(s)))
        data = load_audit_data(s, audit.id)
        extra = audit_evidence(s, audit, data)
    return list(analyse(data, tuple(extra.findings) if extra else ()).findings)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\d.])\d+(?![\d.])", text)]


def test_every_demo_findings_numbers_are_printed_and_agree_with_its_sentence(demo_db):
    findings = _demo_findings(demo_db)
    assert {f.kind for f in findings} >= {
        "systemic", "localised", "thread_break", "knowledge_gap", "paper_practice_gap",
        "evidence_gap", "records", "self_assessment_optimism",
    }  # fmt: skip
    for f in findings:
        rows = _rows(f.evidence)
        for measure, value in rows.items():
            assert not RAW_DECIMAL.search(value), (f.key, measure, value)
            assert "_" not in measure, (f.key, measure)
        said = set(_numbers(f.summary))
        if f.kind == "records":  # counts and shares, checked above
            continue
        # every score and gap in the table is a number its sentence says
        for measure, value in rows.items():
            if measure.startswith(CHECKED):
                number = abs(int(value.rstrip("%").replace("\u2212", "-")))
                assert number in said, (f.summary, measure, value)


def test_the_findings_page_shows_the_numbers_as_printed(demo_db):
    with session_scope(demo_db) as s:
        audit_id = max(a.id for a in repo.list_audits(s))
    at = open_page(app(audit=audit_id), "findings")
    tables = [d.value for d in at.dataframe if list(d.value.columns) == ["measure", "value"]]
    assert tables, "no 'numbers behind it' table on the Findings page"
    shown = {
        (m, v) for table in tables for m, v in zip(table["measure"], table["value"], strict=True)
    }
    assert ("Share of areas weak", "100%") in shown and ("Weak below", "60") in shown
    assert ("Don't-know rate of the tier", "48%") in shown
    assert not [mv for mv in shown if RAW_DECIMAL.search(mv[1])], shown
