"""The example files in examples/ fit the demo organisation: the good ones import, the
bad one is refused with every planted problem, exactly as docs/cli.md shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sheets_support import counts

from sgaudit.demo import build_demo
from sgaudit.errors import ImportError_
from sgaudit.sheets import import_answers
from sgaudit.store.db import get_engine, session_scope
from sgaudit.surveys import SurveyOptions, import_file

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CLI_DOC = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('examples') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as s:
        result = build_demo(s, registers=False)
    return url, result.reaudit_audit_id


def test_the_long_example_imports_into_the_demo(demo):
    url, audit_id = demo
    with session_scope(url) as s:
        summary = import_answers(s, audit_id, EXAMPLES / "answers_long.csv", dry_run=True)
    assert (summary.interviews_created, summary.answers_written) == (4, 24)
    assert summary.message() in CLI_DOC


def test_the_wide_example_imports_with_its_role_and_area_columns(demo):
    url, audit_id = demo
    with session_scope(url) as s:
        summary = import_file(
            s, audit_id, EXAMPLES / "survey_wide.csv",
            SurveyOptions(tier_column="Your role", area_column="Where do you work?"),
            dry_run=True,
        ).summary  # fmt: skip
    assert (summary.interviews_created, summary.answers_written) == (5, 29)


def test_the_bad_example_is_refused_with_every_planted_problem_and_writes_nothing(demo):
    url, audit_id = demo
    before = counts(url)
    with session_scope(url) as s, pytest.raises(ImportError_) as exc:
        import_answers(s, audit_id, EXAMPLES / "answers_bad.csv")
    assert counts(url) == before
    where = [(p.row, p.column) for p in exc.value.problems]
    assert where == [
        (3, "answer"),
        (4, "tier"),
        (5, "service_area"),
        (6, "question_id"),
        (7, "question_id"),
        (8, "tier"),
        (9, "question_id"),
        (10, "date"),
        (10, "quotable"),
    ]
    for problem in exc.value.problems:
        assert f"  - {problem}" in CLI_DOC
