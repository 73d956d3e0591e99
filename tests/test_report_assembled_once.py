"""The report's sections read each audit's tables once, and say what they said before.

The theme sections and the side-by-side of what people said and what the records show
share one reading of the quotable notes and one set of question means; the fieldwork
table and the training compliance tables are each one grouping, not a filter per row.
Each is checked against the plain per-row computation it replaced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from register_cases import checks_frame
from test_report_fixtures import demo_report

from sgaudit.registers.rates import rates_by, rates_by_checks
from sgaudit.report import assemble, records_view, theme_sections
from sgaudit.report.assemble import assemble_context, method_section
from sgaudit.report.build import report_inputs
from sgaudit.store.db import session_scope
from sgaudit.vocab import TIERS


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as s:
        return report_inputs(s, built["reaudit"], built["baseline"])


def _counting(monkeypatch, name, *modules) -> list[int]:
    """Count the calls of `name` wherever one of `modules` calls it."""
    calls: list[int] = []
    original = getattr(modules[0], name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    for module in modules:
        if hasattr(module, name):
            monkeypatch.setattr(module, name, counted)
    return calls


def test_one_report_reads_the_quotable_notes_and_question_means_once(inputs, monkeypatch):
    notes = _counting(monkeypatch, "quotable_notes", assemble, theme_sections, records_view)
    means = _counting(monkeypatch, "question_means", theme_sections)
    context = assemble_context(inputs)
    assert len(notes) == 1  # shared by every theme section and the side-by-side
    assert len(means) == 1  # one grouping orders every theme's questions for the board
    assert all(section.questions_to_consider for section in context.themes)


def test_board_questions_are_those_of_the_weakest_questions_first_for_every_theme(inputs):
    tables = inputs.tables
    shared = theme_sections.question_means(tables)
    for theme in inputs.question_set.themes:
        for concerned in (True, False):
            alone = theme_sections.board_questions(inputs, tables, theme.id, concerned)
            with_shared = theme_sections.board_questions(
                inputs, tables, theme.id, concerned, means=shared
            )
            assert with_shared == alone


def _fieldwork_by_filter(interviews: pd.DataFrame, by: str, key: str) -> dict[str, int]:
    part = interviews[interviews[by] == key]
    counts = {f: int((part["mode"] == m).sum()) for m, f in assemble._MODE_FIELDS.items()}
    # people heard: a document review hears nobody (`sgaudit.fieldwork`)
    heard = part[part["mode"] != "document_review"]
    return {"people": int(heard["people"].sum()), **counts}


def test_the_fieldwork_table_counts_each_tier_and_area_as_a_filter_on_it_would(inputs):
    method = method_section(inputs)
    r = inputs.data.responses
    interviews = (
        r[["interview_id", "tier", "service_area", "mode", "people"]]
        .astype({"interview_id": str, "tier": str, "service_area": str, "mode": str})
        .drop_duplicates("interview_id")
    )
    fields = ["people", *assemble._MODE_FIELDS.values()]
    for tier, row in zip(TIERS, method.by_tier, strict=True):
        assert {f: getattr(row, f) for f in fields} == _fieldwork_by_filter(
            interviews, "tier", tier
        )
    for area, row in zip(inputs.audit.service_areas, method.by_area, strict=False):
        assert {f: getattr(row, f) for f in fields} == _fieldwork_by_filter(
            interviews, "service_area", area
        )
    reviews = interviews["mode"] == "document_review"
    assert method.total.people == int(interviews.loc[~reviews, "people"].sum())
    assert sum(getattr(method.total, f) for f in fields[1:]) == method.sessions


def test_the_side_by_side_is_the_same_from_shared_or_fresh_notes(inputs):
    from sgaudit.analysis.findings import quotable_notes

    titles = {t.id: t.title for t in inputs.question_set.themes}
    notes = quotable_notes(inputs.tables)
    rows = records_view.said_and_recorded(
        inputs.tables, notes, inputs.indicators, inputs.recommendations, titles
    )
    assert rows, "the demo sets at least one theme's records beside what people said"
    # a theme is only ever set beside quotes of its own and scores of its own weak groups
    for row in rows:
        theme_notes = set(notes.loc[notes["theme"] == row.theme_id, "note"])
        assert all(any(n in quote for n in theme_notes) for quote in row.said)


flags = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["x", "y"]),
        st.booleans(),
        st.sampled_from([True, False, None]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=flags, minimum=st.integers(1, 5))
def test_several_checks_at_once_give_each_check_as_rates_by_gives_it(rows, minimum):
    frame = checks_frame(rows)
    checks = {"first": ("good", "eligible"), "second": ("eligible", "all")}
    for by in (["group"], ["group", "area"]):
        together = rates_by_checks(frame, by, checks, minimum)
        sizes = frame.groupby(by, observed=True).size().to_numpy()
        assert together["people"].to_numpy().tolist() == sizes.tolist()
        for check, (good, eligible) in checks.items():
            alone = rates_by(frame, by, good, eligible, minimum)
            alone = alone[alone[by].notna().all(axis=1)].reset_index(drop=True)
            mine = together[[*by, *(f"{check}_{c}" for c in ("n", "count", "suppressed", "rate"))]]
            mine.columns = [*by, "n", "count", "suppressed", "rate"]
            pd.testing.assert_frame_equal(mine, alone, check_dtype=True)
            assert np.array_equal(mine["n"].to_numpy(), alone["n"].to_numpy())
