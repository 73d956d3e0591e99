"""The partnership roll-up page shares its work among worker processes under `streamlit
run`, as the CLI's `--workers` does.

A spawned worker imports the app's main script as `__mp_main__`. Until the app ran
only under `if __name__ == "__main__"`, that import ran the whole app in the worker,
with nobody signed in, and the page failed; so the page analysed every member in its
own process (about a minute of CPU at 200 members). Here two members are rolled up on
two workers (`SGAUDIT_ROLL_UP_WORKERS=2`) in a real browser.
"""

from __future__ import annotations

import pytest
from conftest import ensure_app_account, sign_in_browser
from test_browser_e2e import chromium_page, go, settle, streamlit_app
from test_store_frames import store_audit

from sgaudit.analysis.synthetic import audit_of_size
from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.db import session_scope

pytestmark = pytest.mark.browser


def test_the_roll_up_page_runs_its_members_on_worker_processes(
    tmp_path, artifacts_dir, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'partnership.db'}"
    store_db.get_engine(url)
    with session_scope(url) as s:
        for seed, name in ((1, "Member One"), (2, "Member Two")):
            audit_id = store_audit(s, audit_of_size(1_200, seed=seed), name)
            repo.get_audit(s, audit_id).status = "final"
    ensure_app_account(url)
    monkeypatch.setenv("SGAUDIT_ROLL_UP_WORKERS", "2")
    log = artifacts_dir / "roll-up-workers-streamlit.log"
    with streamlit_app(url, log) as base, chromium_page(
        artifacts_dir, "roll-up-workers-at-failure"
    ) as page:
        page.goto(base)
        sign_in_browser(page)
        settle(page)
        go(page, "Partnership roll-up")
        page.get_by_text("Organisation by organisation").first.wait_for(timeout=90_000)
        settle(page, 90_000)
        main = page.locator("[data-testid=stMain]")
        assert page.locator("[data-testid=stException]").count() == 0, main.inner_text()
        text = main.inner_text()
        page.screenshot(path=str(artifacts_dir / "roll-up-workers.png"), full_page=True)
    assert "Across the partnership" in text
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
