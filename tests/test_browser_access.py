"""Every page in a real browser on the demo data: no request leaves the machine, axe-core
finds no serious or critical violation the project can fix, the keyboard and a tablet
window work.

axe-core (tools/node/node_modules/axe-core, installed by ./run.sh) is injected into each
page by Playwright. Violations that come from Streamlit's own markup and cannot be fixed
from the app are listed in STREAMLIT_OWN with the reason; they are allowed only inside
the element named there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import test_browser_e2e
from conftest import require_or_skip, sign_in_browser
from test_browser_e2e import CHROMIUM, CHROMIUM_ARGS, main_radios, option, settle

from sgaudit.store import repo
from sgaudit.store.db import session_scope

pytestmark = pytest.mark.browser
server = test_browser_e2e.server  # the app on a free port of 127.0.0.1, stopped by PID

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "",
    "interview",
    "registers",
    "dashboard",
    "findings",
    "compare",
    "report",
    "questionnaires",
]
# rule -> (where it is allowed, why it cannot be fixed from the app)
STREAMLIT_OWN = {
    "list": (
        '[data-testid="stSidebarNav"]',
        "Streamlit's page navigation puts each section's header inside the <ul> beside "
        "its <li> items; the app cannot change that markup.",
    ),
    "listitem": (
        '[data-testid="stSidebarNav"]',
        "the same navigation list: its <li> items sit in a <div> per section.",
    ),
}
SERIOUS = ("serious", "critical")
RUN_AXE = """async (allowed) => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '),
      streamlit: !!(allowed[v.id] && document.querySelector(n.target[0])
                    && document.querySelector(n.target[0]).closest(allowed[v.id])),
    })),
  }));
}"""


@pytest.fixture
def demo(server):
    require_or_skip(os.path.exists(CHROMIUM), "chromium")
    require_or_skip(AXE.exists(), "axe-core (./run.sh installs tools/node)")
    from playwright.sync_api import sync_playwright

    from sgaudit.demo import build_demo

    base, url = server
    with session_scope(url) as s:
        demo = build_demo(s)
    with session_scope(url) as s:
        audit = repo.get_audit(s, demo.reaudit_audit_id)
        interview = next(iv for iv in repo.list_interviews(s, audit) if iv.tier == "front_line")
        ids = audit.id, interview.id
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser, base, ids
        finally:
            browser.close()


def _visit(page, url: str) -> None:
    """Open a page as a signed-in admin: every address typed in is a new browser
    session, which asks to sign in and then shows the page that was asked for."""
    page.goto(url)
    sign_in_browser(page)
    settle(page)


def _urls(base: str, audit_id: int, interview_id: int) -> list[str]:
    pages = [f"{base}/{p}?audit={audit_id}" for p in PAGES]
    return [*pages, f"{base}/interview?audit={audit_id}&interview={interview_id}"]


def test_no_page_makes_a_request_off_the_machine(demo):
    browser, base, (audit_id, interview_id) = demo
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    for url in _urls(base, audit_id, interview_id):
        _visit(page, url)
        page.wait_for_timeout(500)
    for tab in ("Localised vs systemic", "Findings", "Don't know"):
        _visit(page, f"{base}/dashboard?audit={audit_id}")
        page.get_by_role("tab", name=tab).click()
        settle(page)
    off = sorted({u for u in seen if not u.startswith(base) and not u.startswith("data:")})
    assert seen, "no request was recorded at all"
    assert not off, f"requests that left the machine: {off}"


def test_axe_finds_no_serious_violation_the_app_can_fix_on_any_page(demo):
    browser, base, (audit_id, interview_id) = demo
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    allowed = {rule: where for rule, (where, _why) in STREAMLIT_OWN.items()}
    problems = []
    for url in _urls(base, audit_id, interview_id):
        _visit(page, url)
        page.add_script_tag(path=str(AXE))
        for v in page.evaluate(RUN_AXE, allowed):
            if v["impact"] not in SERIOUS:
                continue
            ours = [n["target"] for n in v["nodes"] if not n["streamlit"]]
            if ours:
                problems.append(f"{url}: {v['id']} ({v['impact']}) {v['help']}: {ours[:3]}")
    assert not problems, "\n".join(problems)


def test_the_heat_map_has_a_table_as_its_text_alternative(demo):
    browser, base, (audit_id, _) = demo
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _visit(page, f"{base}/dashboard?audit={audit_id}")
    page.get_by_text("The golden thread as a table").click()
    # the expander's own table (the dashboard's other tabs hold tables too)
    expander = page.get_by_test_id("stExpander").filter(has_text="The golden thread as a table")
    table = expander.locator("[data-testid=stTable] table")
    table.wait_for()
    text = table.inner_text()
    assert "Culture" in text and "Front line" in text
    assert re.search(r"\b\d{1,3} (red|amber|green)\b", text), "no score in words"


def test_after_next_theme_the_keyboard_is_on_the_selected_theme_with_a_visible_ring(demo):
    browser, base, (audit_id, interview_id) = demo
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _visit(page, f"{base}/interview?audit={audit_id}&interview={interview_id}")
    button = page.get_by_role("button", name=re.compile("^Next theme: "))
    next_title = button.inner_text().split("Next theme: ", 1)[1].rstrip(" →")
    button.focus()
    page.keyboard.press("Enter")
    settle(page)
    page.wait_for_timeout(600)
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {text: e.innerText, checked: e.getAttribute('aria-checked'),"
        " ring: parseFloat(s.outlineWidth), style: s.outlineStyle} }"
    )
    assert focused["checked"] == "true" and next_title in focused["text"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert float(ring.rstrip("px")) >= 2, f"focus ring {ring}"


def test_on_a_tablet_several_questions_show_and_the_sidebar_collapses(demo, artifacts_dir):
    browser, base, (audit_id, interview_id) = demo
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    _visit(page, f"{base}/interview?audit={audit_id}&interview={interview_id}")
    page.locator("[data-testid=stSidebar]").hover()  # the button shows on hover
    page.get_by_role("button", name="Collapse sidebar").click()
    page.wait_for_timeout(500)
    sidebar = page.locator("[data-testid=stSidebar]").bounding_box()
    assert sidebar is None or sidebar["x"] + sidebar["width"] <= 1, "the sidebar did not go"
    page.locator(".st-key-theme_top").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    radios = main_radios(page)
    in_view = [
        box
        for i in range(radios.count())
        if (box := radios.nth(i).bounding_box()) and 0 <= box["y"] and box["y"] + 20 <= 768
    ]
    page.screenshot(path=str(shots / "tablet-interview.png"))
    assert len(in_view) >= 2, "fewer than two questions fit a tablet screen"
    option(radios.nth(0), 1).click()  # still answerable at this size
    settle(page)
    _visit(page, f"{base}/dashboard?audit={audit_id}")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(shots / "tablet-dashboard.png"), full_page=True)


CUT_LABELS = """() => [...document.querySelectorAll(
    '[data-testid=stMetricLabel], [data-testid=stMetricLabel] *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"""


def test_on_a_tablet_with_the_sidebar_open_no_dashboard_label_is_cut_off(demo):
    browser, base, (audit_id, _) = demo
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    _visit(page, f"{base}/dashboard?audit={audit_id}")
    page.get_by_text("People heard").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    assert page.locator("[data-testid=stSidebar]").bounding_box()["width"] > 100  # open
    assert page.locator("[data-testid=stMetricLabel]").count() == 5
    assert page.evaluate(CUT_LABELS) == []
    page.close()

