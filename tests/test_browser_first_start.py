"""The first start as a team would live it, in a real browser (issue 12, "Done means").

A fresh store and `streamlit run`: the one-time set-up link that `./run.sh app` prints
creates the admin; the admin loads the demo, adds a lead auditor, an auditor and a
trustee for the demo organisation and gives each a role; each then signs in and is
offered exactly their pages and audits; the lead auditor sees in the audit's history
that the trustee looked at the dashboard. Screenshots go to test-artifacts/first-start/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import require_or_skip, sign_in_browser
from test_browser_e2e import CHROMIUM, CHROMIUM_ARGS, go, settle, shoot, streamlit_app

from sgaudit.store import db as store_db

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "kettle-harbour-lantern-9"
PASSWORDS = {
    "lead": "orchard-pebble-violin-4",
    "auditor": "meadow-copper-ribbon-7",
    "trustee": "saffron-tunnel-compass-2",
}
ROLES = {"lead": "Lead auditor", "auditor": "Auditor", "trustee": "Organisation viewer"}
ALL_PAGES = {
    "Interview",
    "Organisations & audits",
    "Questionnaires",
    "Accounts & roles",
    "Registers",
    "Double scoring",
    "Dashboard",
    "Findings & recommendations",
    "Compare",
    "Report",
    "Review & sign-off",
    "Audit history",
    "Partnership roll-up",
}
OFFERED = {
    "lead": ALL_PAGES - {"Accounts & roles"},
    "auditor": ALL_PAGES - {"Accounts & roles", "Audit history", "Partnership roll-up"},
    "trustee": {"Dashboard", "Report"},
}


@pytest.fixture
def fresh_app(tmp_path, artifacts_dir):
    """The app against a store with no account, and the set-up link `./run.sh app`
    prints for it (`sgaudit setup-link`)."""
    url = f"sqlite:///{tmp_path / 'first.db'}"
    store_db.get_engine(url)
    with streamlit_app(url, artifacts_dir / "first-start-streamlit.log") as base:
        port = base.rsplit(":", 1)[1]
        printed = subprocess.run(
            [sys.executable, "-m", "sgaudit.cli", "setup-link", "--port", port],
            env=dict(os.environ, SGAUDIT_DATABASE_URL=url),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        link = re.search(r"http://127\.0\.0\.1:\d+/\?setup=\S+", printed)
        assert link, printed
        yield base, link.group(0)


def _select(page, label: str):
    """The select box labelled `label` (its accessible name changes once chosen)."""
    boxes = page.locator("[data-testid=stSelectbox]:visible")
    return boxes.filter(has=page.get_by_text(label, exact=True)).first


def _choose(page, label: str, option: str) -> None:
    _select(page, label).get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def _open(page, expander: str, inside) -> None:
    """Open an expander unless what is inside it is already showing (bounded)."""
    for _ in range(3):
        if inside.is_visible():
            return
        page.get_by_text(expander).click()
        page.wait_for_timeout(500)
    inside.wait_for(state="visible")


def _nav(page) -> set[str]:
    links = page.locator("[data-testid=stSidebarNav] [data-testid=stSidebarNavLink]")
    return {t.strip().splitlines()[-1].strip() for t in links.all_inner_texts()}  # not the icon


def _sign_in(page, base: str, name: str, password: str) -> None:
    page.goto(base)
    sign_in_browser(page, name, password)
    settle(page)


def _audit_choices(page) -> list[str]:
    """The audits offered in the sidebar, newest first; the newest (the one a session
    opens on) is chosen again to close the list (Escape would clear the choice)."""
    _select(page, "Audit").get_by_role("combobox").click()
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    page.get_by_role("option", name=options[0], exact=True).click()
    settle(page)
    return options


def test_the_first_user_sets_up_the_team_and_each_sees_only_their_part(fresh_app, artifacts_dir):
    require_or_skip(os.path.exists(CHROMIUM), "chromium (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    base, link = fresh_app
    shots = artifacts_dir / "first-start"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            admin.set_default_timeout(60_000)
            # the one-time link creates the admin and signs them in
            admin.goto(link)
            admin.get_by_role("heading", name="Set up sgaudit").wait_for()
            admin.get_by_role("textbox", name="Account name", exact=True).fill("Priya")
            admin.get_by_label("Password (at least 12 characters)").fill(ADMIN_PASSWORD)
            admin.get_by_label("Password again").fill(ADMIN_PASSWORD)
            admin.get_by_role("button", name="Create the admin").click()
            admin.get_by_text("Signed in as").first.wait_for()
            settle(admin)
            assert _nav(admin) == ALL_PAGES
            shoot(admin, shots, "01-admin-created")

            # the demo, one click away
            go(admin, "Organisations & audits")
            admin.get_by_role("button", name="Load demo data").click()
            admin.get_by_text("Demo data loaded").wait_for(timeout=180_000)
            settle(admin, 120_000)

            # three accounts and their roles on the demo organisation
            go(admin, "Accounts & roles")
            for name, password in PASSWORDS.items():
                field = admin.get_by_role("textbox", name="Account name", exact=True)
                _open(admin, "Add an account", field)
                field.fill(name)
                admin.get_by_label(re.compile(r"^Password \(at least 12")).fill(password)
                admin.get_by_role("button", name="Add account").click()
                admin.get_by_text(f"Added account '{name}'").wait_for()
                settle(admin)
            for name, role in ROLES.items():
                _open(
                    admin, "Give or take away a role", admin.get_by_role("button", name="Give role")
                )
                _choose(admin, "Account", name)
                _choose(admin, "Role", role)
                _choose(admin, "Organisation", "Riverside Community Trust")
                admin.get_by_role("button", name="Give role").click()
                admin.get_by_text(f"{name} is now {role}").wait_for()
                settle(admin)
            roles = admin.locator("[data-testid=stDataFrame]").first.inner_text()
            shoot(admin, shots, "02-accounts")
            for role in ROLES.values():
                assert role in roles or role in admin.content()

            seen = {}
            for name, password in PASSWORDS.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(60_000)
                _sign_in(page, base, name, password)
                seen[name] = (_nav(page), _audit_choices(page))
                shoot(page, shots, f"03-{name}")
                if name == "trustee":
                    go(page, "Dashboard")
                    body = page.locator("[data-testid=stMain]").inner_text()
                    assert "People heard" in body and "Choose an audit" not in body, body[:300]
                    assert page.url.endswith("audit=1")  # the final baseline, its only one
                    shoot(page, shots, "04-trustee-dashboard")
                context.close()

            for name, pages in OFFERED.items():
                assert seen[name][0] == pages, (name, seen[name][0])
            # the trustee sees only the final baseline; the team sees both audits
            assert len(seen["trustee"][1]) == 1 and "2025" in seen["trustee"][1][0]
            assert len(seen["lead"][1]) == 2 and len(seen["auditor"][1]) == 2

            # the lead auditor sees who looked at what
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            lead = context.new_page()
            lead.set_default_timeout(60_000)
            _sign_in(lead, base, "lead", PASSWORDS["lead"])
            _choose(lead, "Audit", seen["trustee"][1][0])
            go(lead, "Audit history")
            shoot(lead, shots, "05-lead-history")
            # the table is drawn on a canvas; its grid cells are there for screen readers
            rows = lead.locator("[data-testid=stDataFrame] [role=row]").all_inner_texts()
            assert any("trustee" in r and "Opened the dashboard" in r for r in rows), rows[:5]
            # a line the table cuts at its column's width is read whole once chosen: the
            # newest line's words in full, above the table (its row marker is at the left)
            box = lead.locator("[data-testid=stMain] [data-testid=stDataFrame]").bounding_box()
            lead.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
            settle(lead)
            whole = lead.locator(".st-key-history_line [data-testid=stMarkdownContainer]").last
            said = whole.inner_text(timeout=30_000).strip()
            assert said and said[:40] in rows[1], (said, rows[1])
            context.close()
        finally:
            browser.close()
