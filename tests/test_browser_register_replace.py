"""Replacing a stored register, in a real browser: the auditor's tick that confirms it
holds for one import of one file, so a second upload never replaces the register again
on the first one's say-so.
"""

from __future__ import annotations

import os

import pytest
import test_browser_e2e
from app_support import REPO, make_audit
from conftest import require_or_skip, sign_in_browser
from test_browser_e2e import CHROMIUM, chromium_page, settle, shoot

from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import import_register

pytestmark = pytest.mark.browser
server = test_browser_e2e.server  # the app on a free port of 127.0.0.1, stopped by PID

POLICIES = REPO / "examples" / "registers" / "policies.csv"
TICK = "Replace the"


def _stored_policies(url: str, audit_id: int) -> int:
    with session_scope(url) as s:
        return len(repo.register_records(s, repo.get_audit(s, audit_id)).get("policies", []))


def test_the_replace_tick_clears_after_an_import_and_when_another_file_is_chosen(
    server, artifacts_dir, tmp_path
):
    require_or_skip(os.path.exists(CHROMIUM), "chromium")
    base, url = server
    audit_id, _ = make_audit(url)
    with session_scope(url) as s:
        import_register(s, repo.get_audit(s, audit_id), "policies", POLICIES, actor="Sam Lee")
    shorter = tmp_path / "policies-short.csv"
    shorter.write_bytes(b"\n".join(POLICIES.read_bytes().splitlines()[:3]) + b"\n")
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    with chromium_page(shots, "register-replace-at-failure", 30_000) as page:
        page.goto(f"{base}/registers?audit={audit_id}")
        sign_in_browser(page)
        settle(page)
        main = page.get_by_test_id("stMain")
        main.get_by_test_id("stButtonGroup").get_by_text("Policy register", exact=True).click()
        settle(page)
        # Streamlit's label takes the click; the input holds the state
        tick = main.get_by_test_id("stCheckbox").filter(has_text=TICK)
        ticked = tick.locator("input[type=checkbox]")
        replace = main.get_by_role("button", name="Import (replaces this register)")

        main.locator("input[type=file]").set_input_files(str(shorter))
        settle(page)
        assert not ticked.is_checked() and replace.is_disabled()
        tick.click()
        settle(page)
        assert ticked.is_checked() and replace.is_enabled()
        replace.click()
        settle(page)
        shoot(page, shots, "register-replaced")
        assert main.get_by_text("Imported 2 rows into the policy register.").is_visible()
        assert _stored_policies(url, audit_id) == 2
        # the tick was for that import: the next one needs it again
        assert not ticked.is_checked(), "the replace tick stayed on after the import"
        assert replace.is_disabled()

        # ticked, then another file chosen: the tick lapses with the file it was for
        tick.click()
        settle(page)
        assert ticked.is_checked()
        main.locator("input[type=file]").set_input_files(str(POLICIES))
        settle(page)
        assert not ticked.is_checked(), "the replace tick stayed on for a new file"
        assert replace.is_disabled()
        assert _stored_policies(url, audit_id) == 2
