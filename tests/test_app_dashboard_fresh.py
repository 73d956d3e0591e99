"""The dashboard's speed-ups never show an old analysis, and the server's warm-up only
imports modules (issue 11, Speed).

The analysis is cached per audit until its answers, interviews or registers change,
the register indicators per exact register content, and the server imports the heavy
modules in the background at its first run; none of it may keep a number that an
answer has since changed.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from conftest import sign_in_app
from streamlit.testing.v1 import AppTest

from sgaudit.analysis import analyse
from sgaudit.questionnaire import load_question_set
from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data

REPO = Path(__file__).resolve().parents[1]


def _front_line_cell(url: str, audit_id: int):
    with session_scope(url) as s:
        theme = analyse(load_audit_data(s, audit_id)).themes[0]
    (cell,) = [c for c in theme.by_tier if c.tier == "front_line"]
    return cell


def _heatmap_text(at: AppTest) -> str:
    (chart, *_) = at.get("plotly_chart")
    return json.dumps(json.loads(chart.proto.spec)["data"][0]["text"])


def test_an_answer_changed_after_the_dashboard_was_seen_shows_at_the_next_opening(
    tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    qs = load_question_set()
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline 2026", qs, auditor_1="Sam Lee")
        group = repo.start_interview(s, audit, tier="front_line", service_area="Housing",
                                     mode="focus_group", people=4, consent_confirmed=True)  # fmt: skip
        first_theme = qs.questions_for_tier("front_line")[0].theme
        scored = [q for q in qs.questions_for_tier("front_line")
                  if q.theme == first_theme and q.scale == "agree5"]  # fmt: skip
        assert scored
        for q in scored:
            repo.save_answer(s, group, q.id, "strongly_disagree")
        audit_id, group_id = audit.id, group.id

    at = sign_in_app(AppTest.from_file(str(REPO / "audit_app.py"), default_timeout=120))
    at.query_params["audit"] = str(audit_id)
    at.switch_page("app_pages/dashboard.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    before = _front_line_cell(url, audit_id)
    assert f"{math.floor(before.score)} {before.rag}" in _heatmap_text(at)

    with session_scope(url) as s:  # another auditor's device changes every answer
        group = repo.get_interview(s, group_id)
        for q in scored:
            repo.save_answer(s, group, q.id, "agree")
    after = _front_line_cell(url, audit_id)
    assert after.score != before.score

    at.switch_page("app_pages/dashboard.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = _heatmap_text(at)
    assert f"{math.floor(after.score)} {after.rag}" in text
    assert f"{math.floor(before.score)} {before.rag}" not in text


def test_the_warm_up_imports_the_heavy_modules_once_per_server_process():
    script = """
import sys
from app_pages import _warmup
assert "scipy.optimize" not in sys.modules and "plotly.graph_objects" not in sys.modules
thread = _warmup.start()
assert _warmup.start() is thread  # once per server process
thread.join(120)
missing = [m for m in _warmup.MODULES if m not in sys.modules]
assert not missing, missing
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert done.stdout.strip() == "ok", done.stderr
