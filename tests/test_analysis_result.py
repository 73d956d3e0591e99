"""The analysis result: the documented JSON, privacy of small groups, and properties
that hold for any answers (Hypothesis)."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgaudit.analysis import AuditData, analyse
from sgaudit.analysis.synthetic import (
    synthetic_audit,
    synthetic_question_set,
    systemic,
    thread_break,
)
from sgaudit.vocab import TIERS

ANALYSIS = Path(__file__).resolve().parents[1] / "sgaudit" / "analysis"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "analysis.md"


def test_the_analysis_json_has_the_documented_shape():
    result = analyse(
        synthetic_audit(plants=thread_break("culture", "board", 90, 40), group_share=0.3)
    )
    doc = json.loads(json.dumps(result.to_json_dict()))
    assert list(doc) == [
        "question_set",
        "settings",
        "interviews",
        "dont_know_rate",
        "themes",
        "findings",
        "worth_exploring",
        "not_assessable",
        "pooled",
        "thread_reach",
        "area_reach",
        "organisation_reach",
        "self_assessment",
    ]
    assert doc["self_assessment"] is None  # no self-assessment in this audit
    reach = doc["organisation_reach"]
    assert list(reach) == [
        "tiers",
        "themes",
        "people",
        "voices",
        "weak_score",
        "smallest",
        "lowest",
        "highest",
        "summary",
    ]
    assert reach["tiers"] == ["service_user", "front_line", "manager"]
    assert reach["voices"] < reach["people"]  # focus groups: one voice each
    assert doc["question_set"] == {"id": "synthetic", "version": 1}
    assert doc["settings"]["suppression_min"] == 3
    assert list(doc["interviews"]) == ["total_interviews", "total_people", "by_tier_and_mode"]
    assert doc["interviews"]["total_interviews"] == 72
    theme = doc["themes"][0]
    assert list(theme) == [
        "theme",
        "title",
        "score",
        "rag",
        "n",
        "suppressed",
        "dont_know_rate",
        "paper_score",
        "practice_score",
        "by_tier",
        "by_service_area",
        "by_tier_and_service_area",
    ]
    assert list(theme["by_tier"][0]) == [
        "tier",
        "score",
        "rag",
        "n",
        "suppressed",
        "dont_know_rate",
    ]
    assert list(theme["by_service_area"][0])[0] == "service_area"
    assert list(theme["by_tier_and_service_area"][0])[:2] == ["tier", "service_area"]
    assert [c["tier"] for c in theme["by_tier"]] == list(TIERS)
    finding = doc["findings"][0]
    assert list(finding) == [
        "key",
        "kind",
        "theme",
        "service_areas",
        "tiers",
        "severity",
        "summary",
        "evidence",
        "quotes",
        "questions_to_consider",
        "certainty",
        "certainty_note",
        "difference",
        "interval",
        "interval_level",
        "n_group",
        "n_compared",
        "compared_with",
        "pooled_tiers",
    ]
    assert finding["certainty"] == "finding"
    low, high = finding["interval"]
    assert low <= finding["difference"] <= high and (low > 0 or high < 0)
    assert finding["n_group"] >= 3 and finding["n_compared"] >= 3


def test_scores_in_the_json_are_rounded_to_one_decimal():
    doc = analyse(synthetic_audit()).to_json_dict()
    scores = [t["score"] for t in doc["themes"]] + [
        c["score"] for t in doc["themes"] for c in t["by_tier"]
    ]
    assert all(s == round(s, 1) for s in scores)


def test_a_suppressed_cell_shows_no_score_rate_or_head_count():
    data = synthetic_audit(per_tier_area={t: (1 if t == "dsl" else 3) for t in TIERS})
    doc = analyse(data).to_json_dict()
    for theme in doc["themes"]:
        dsl_cells = [c for c in theme["by_tier_and_service_area"] if c["tier"] == "dsl"]
        assert dsl_cells and all(
            c
            == {
                "tier": "dsl",
                "service_area": c["service_area"],
                "score": None,
                "rag": None,
                "n": None,
                "suppressed": True,
                "dont_know_rate": None,
            }
            for c in dsl_cells
        )
        dsl = next(c for c in theme["by_tier"] if c["tier"] == "dsl")
        assert dsl["suppressed"] is False and dsl["n"] == 4  # one per area, four areas


def test_fieldwork_counts_show_interviews_and_people_by_tier_and_mode():
    result = analyse(synthetic_audit(group_share=1.0))
    groups = [c for c in result.interviews if c.mode == "focus_group"]
    assert {c.tier for c in groups} == {"service_user", "front_line"}
    assert all(c.people >= 3 * c.interviews for c in groups)


def test_the_analysis_modules_do_no_io_and_never_import_ui_or_storage():
    banned = {
        "streamlit",
        "sqlalchemy",
        "sgaudit.store",
        "sgaudit.cli",
        "os",
        "pathlib",
        "requests",
    }
    for path in ANALYSIS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "open":
                names = ["open()"]
            else:
                continue
            assert not [
                n for n in names if n.split(".")[0] in banned or n in banned or n == "open()"
            ], (
                path.name,
                names,
            )


def test_every_setting_and_json_field_is_explained_in_docs_analysis():
    text = DOCS.read_text(encoding="utf-8")
    from sgaudit.questionnaire.settings import AnalysisSettings

    fields = list(AnalysisSettings.model_fields)
    doc = analyse(synthetic_audit(plants=systemic("culture", 30))).to_json_dict()
    fields += (
        list(doc) + list(doc["themes"][0]) + list(doc["findings"][0]) + list(doc["interviews"])
    )
    missing = [f for f in dict.fromkeys(fields) if f"`{f}`" not in text]
    assert not missing, f"not documented in docs/analysis.md: {missing}"


# ---- properties over any answers ---------------------------------------------------------

QS = synthetic_question_set(questions_per_theme=3)
ANSWERS = {q.id: QS.allowed_answers(q.id) or ["some text"] for q in QS.questions}
QUESTION_IDS = sorted(ANSWERS)

interview = st.tuples(
    st.sampled_from(TIERS),
    st.sampled_from(["North", "South"]),
    st.integers(1, 4),
    st.lists(st.tuples(st.sampled_from(QUESTION_IDS), st.integers(0, 10)), min_size=1, max_size=8),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(interview, min_size=1, max_size=12))
def test_any_answers_give_scores_between_0_and_100_and_suppress_exactly_below_the_minimum(
    interviews,
):
    rows = []
    for k, (tier, area, people, answers) in enumerate(interviews):
        for qid, pick in answers:
            options = ANSWERS[qid]
            rows.append(
                {
                    "interview_id": f"i{k}",
                    "tier": tier,
                    "service_area": area,
                    "mode": "focus_group" if people > 1 else "interview",
                    "people": people,
                    "question_id": qid,
                    "answer": options[pick % len(options)],
                    "note": "n",
                    "quotable": True,
                }
            )
    result = analyse(AuditData.from_question_set(QS, pd.DataFrame(rows)))
    min_n = QS.settings.suppression_min
    for theme in result.themes:
        for cell in [theme, *theme.by_tier, *theme.by_area, *theme.by_tier_area]:
            if cell.suppressed:
                assert cell.score is None and cell.n is None and cell.rag is None
            else:
                assert cell.n >= min_n
                assert cell.score is None or 0 <= cell.score <= 100
                assert cell.rag == QS.settings.rag(cell.score)
                assert cell.dont_know_rate is None or 0 <= cell.dont_know_rate <= 1
    doc = json.loads(json.dumps(result.to_json_dict()))
    assert all(not isinstance(v, float) or not math.isnan(v) for v in _leaves(doc))


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def test_a_tier_the_set_asks_but_nobody_of_which_was_heard_gets_a_not_heard_note():
    from sgaudit.analysis import analyse
    from sgaudit.analysis.synthetic import synthetic_audit

    data = synthetic_audit(per_tier_area=2, areas=("A", "B", "C"))
    assert "board" in data.asked_tiers  # from the question set
    without_board = data.__class__(
        **{**data.__dict__, "responses": data.responses[data.responses["tier"] != "board"]}
    )
    notes = analyse(without_board).not_assessable
    heard = [n for n in notes if n.reason == "not_heard"]
    assert [(n.tiers, n.summary) for n in heard] == [
        (
            ["board"],
            "Not heard: nobody from this tier took part. Trustees cannot be set against the "
            "rest of the golden thread.",
        )
    ]
    # Every tier heard: no such note. Frames built without the set's tiers: none either.
    assert not [n for n in analyse(data).not_assessable if n.reason == "not_heard"]
    unknown = without_board.__class__(**{**without_board.__dict__, "asked_tiers": ()})
    assert not [n for n in analyse(unknown).not_assessable if n.reason == "not_heard"]
