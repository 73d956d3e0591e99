"""What the AppTest tests of the auditor app share: the app signed in, a page opened
cleanly, elements found by label, and a small audit with one consented interview.

Each test gets its own SQLite store (SGAUDIT_DATABASE_URL, the `app_db` fixture); these
helpers write to it through `repo` and open the app on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import sign_in_app
from streamlit.testing.v1 import AppTest

from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "audit_app.py"
PAGES = [
    "organisations",
    "interview",
    "dashboard",
    "findings",
    "compare",
    "report",
    "review",
    "double_scoring",
    "registers",
    "questionnaires",
]


def app(*, user: str | None = "admin", **query) -> AppTest:
    """The app, signed in as `user` (an admin account by default; None: nobody)."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = str(value)
    return sign_in_app(at, user) if user else at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def by_label(elements, label: str):
    found = [e for e in elements if e.label == label]
    assert found, f"no element labelled {label!r}; have {[e.label for e in elements]}"
    return found[0]


def button(at: AppTest, label: str):
    return by_label(at.button, label)


def answer_radios(at: AppTest):
    return [r for r in at.radio if r.key and r.key.startswith("answer:")]


def heatmap_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert charts, "no plotly chart on the page"
    return json.loads(charts[0].proto.spec)


@contextmanager
def drawn_tables() -> Iterator[list[tuple[int, object]]]:
    """Every st.dataframe and st.data_editor the app draws while the block runs, as
    (rows, height): AppTest keeps neither the height asked for nor what it hides. The
    height is what the element was drawn with ("content", pixels, or None: Streamlit's
    default of ten rows, then an inner scroll)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
    from streamlit.delta_generator import DeltaGenerator

    drawn: list[tuple[int, object]] = []
    original = DeltaGenerator._enqueue

    def spy(self, delta_type, element_proto, layout_config=None, *args, **kwargs):
        if delta_type == "dataframe":
            rows = len(convert_arrow_bytes_to_pandas_df(element_proto.arrow_data.data))
            drawn.append((rows, getattr(layout_config, "height", None)))
        return original(self, delta_type, element_proto, layout_config, *args, **kwargs)

    DeltaGenerator._enqueue = spy
    try:
        yield drawn
    finally:
        DeltaGenerator._enqueue = original


def problems_table(at: AppTest):
    """The table of a refused file's problems, as the user reads it: a few are drawn whole
    (st.table, text escaped for Markdown, unescaped here), many in an st.dataframe."""
    import re

    def unescape(value):
        return re.sub(r"\\(.)", r"\1", value) if isinstance(value, str) else value

    for table in at.table:
        if "problem" in table.value.columns:
            return table.value.map(unescape)
    for frame in at.dataframe:
        if "problem" in frame.value.columns:
            return frame.value
    raise AssertionError("no table of problems on the page")


def make_audit(url: str, *, people: int = 1, mode: str = "interview", tier="front_line"):
    """An audit with one started, consented interview; returns (audit id, interview id)."""
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(
            s, org, "Baseline 2026", load_question_set(), auditor_1="Sam Lee", auditor_2="Ali Khan"
        )
        iv = repo.start_interview(
            s,
            audit,
            tier=tier,
            service_area="Housing",
            mode=mode,
            people=people,
            consent_confirmed=True,
        )
        s.flush()
        return audit.id, iv.id


def resume_table(audit_id: int):
    """The Interview page's Resume list of `audit_id` (an AppTest dataframe)."""
    at = open_page(app(audit=audit_id), "interview")
    (resume,) = [d for d in at.dataframe if "answered" in d.value.columns]
    return resume
