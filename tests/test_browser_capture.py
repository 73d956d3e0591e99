"""Capture in a real browser: what the auditor's pointer and keyboard meet in the field.

Each test starts the app on 127.0.0.1 (the `server` fixture of test_browser_e2e) and
drives Debian's chromium through Playwright.
"""

from __future__ import annotations

import os
import re

import pytest
import test_browser_e2e
from conftest import require_or_skip, sign_in_browser
from test_browser_e2e import CHROMIUM, CHROMIUM_ARGS, main_radios, option, settle

from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope

pytestmark = pytest.mark.browser
server = test_browser_e2e.server  # the app on a free port of 127.0.0.1, stopped by PID


def _audit_with_interview(url: str) -> tuple[int, int]:
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline", load_question_set(), auditor_1="Sam Lee")
        iv = repo.start_interview(
            s, audit, tier="front_line", service_area="Housing", consent_confirmed=True
        )
        s.flush()
        return audit.id, iv.id


@pytest.fixture
def page_on(server):
    """A function opening `path` of the app in a fresh chromium page; closed afterwards."""
    require_or_skip(os.path.exists(CHROMIUM), "chromium")
    from playwright.sync_api import sync_playwright

    base, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:

            def open_(path: str, **viewport):
                page = browser.new_page(viewport=viewport or {"width": 1400, "height": 1000})
                page.set_default_timeout(30_000)
                page.goto(base + path)
                sign_in_browser(page)
                settle(page)
                return page

            yield open_
        finally:
            browser.close()


def test_after_next_theme_the_question_clicked_is_the_one_shown_and_saved(server, page_on):
    _, url = server
    audit_id, interview_id = _audit_with_interview(url)
    page = page_on(f"/interview?audit={audit_id}&interview={interview_id}")
    qs = load_question_set()
    questions = qs.questions_for_tier("front_line")
    themes = list(dict.fromkeys(q.theme for q in questions))
    titles = {t.id: t.title for t in qs.themes}
    for step in (1, 2):  # twice: the second move is where the old theme came back
        page.get_by_role("button", name=re.compile("^Next theme")).click()
        settle(page)
        first = next(
            q for q in questions if q.theme == themes[step] and qs.scales[q.scale].kind != "text"
        )
        option(main_radios(page).nth(0), 3).click()
        settle(page)
        heading = page.locator(".st-key-theme_top h3").inner_text()
        assert heading == titles[themes[step]], "the page swapped theme under the pointer"
        with session_scope(url) as s:
            stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
        assert first.id in stored and stored[first.id].answer


def test_a_note_typed_but_not_yet_sent_is_marked_not_saved_until_the_box_is_left(server, page_on):
    _, url = server
    audit_id, interview_id = _audit_with_interview(url)
    page = page_on(f"/interview?audit={audit_id}&interview={interview_id}")
    note = page.get_by_role("textbox", name=re.compile("^Note on")).first
    note.click()
    page.keyboard.type("Rota gaps at night")
    marked = page.locator("[data-sg-unsaved]")
    marked.wait_for()
    shown = marked.evaluate("box => getComputedStyle(box, '::after').content")
    assert "Not saved yet" in shown
    page.keyboard.press("Tab")
    settle(page)
    assert page.locator("[data-sg-unsaved]").count() == 0
    with session_scope(url) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
    assert any(r.note == "Rota gaps at night" for r in stored.values())


def test_a_note_half_typed_is_saved_when_the_auditor_leaves_by_the_sidebar(server, page_on):
    """Two notes: the first sent with Tab, the second still in its box when a sidebar
    page is clicked. The box's last words and the page change arrive together; the
    second note must be saved, and the first (unchanged) must not gain a new version."""
    _, url = server
    audit_id, interview_id = _audit_with_interview(url)
    page = page_on(f"/interview?audit={audit_id}&interview={interview_id}")
    radios = main_radios(page)
    for i in range(2):
        option(radios.nth(i), 3).click()
        settle(page)
    notes = page.get_by_role("textbox", name=re.compile("^Note on"))
    notes.nth(0).fill("Sent with Tab")
    page.keyboard.press("Tab")
    settle(page)
    with session_scope(url) as s:
        before = {
            q: r.revision
            for q, r in repo.interview_answers(s, repo.get_interview(s, interview_id)).items()
        }
    notes.nth(1).fill("Still in the box when the auditor left")
    page.locator("[data-testid=stSidebarNav]").get_by_text("Dashboard", exact=True).click()
    settle(page)
    page.wait_for_url(re.compile("/dashboard"))
    # The save runs on the server as the page changes, and on a loaded machine may land a
    # moment after the Dashboard shows (this failed once in CI under load, not seen again
    # in 30 loaded runs). A late save is saved; a lost note still fails after 5 s.
    for _ in range(20):
        with session_scope(url) as s:
            stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
        by_note = {r.note: r for r in stored.values()}
        if "Still in the box when the auditor left" in by_note:
            break
        page.wait_for_timeout(250)
    assert "Still in the box when the auditor left" in by_note, "the half-typed note was lost"
    first = by_note["Sent with Tab"]
    assert first.revision == before[first.question_id], "an unchanged answer was saved again"


@pytest.mark.parametrize("button", ["All interviews", "Mark complete"])
def test_one_click_leaves_the_interview_even_with_a_note_still_in_its_box(server, page_on, button):
    """The click that sends the note also leaves: the note is saved and the list is
    shown at once (it took a second click, the first only saving the note)."""
    _, url = server
    audit_id, interview_id = _audit_with_interview(url)
    page = page_on(f"/interview?audit={audit_id}&interview={interview_id}")
    option(main_radios(page).nth(0), 3).click()
    settle(page)
    page.get_by_role("textbox", name=re.compile("^Note on")).first.fill("Written, not sent")
    page.get_by_role("button", name=button).click()
    settle(page)
    page.wait_for_url(re.compile(r"/interview\?audit=\d+$"))
    assert page.get_by_role("heading", name=re.compile("^Interview ")).count() == 0
    with session_scope(url) as s:
        interview = repo.get_interview(s, interview_id)
        stored = repo.interview_answers(s, interview)
        assert [r.note for r in stored.values()] == ["Written, not sent"]
        assert interview.completed == (button == "Mark complete")


_FOCUS = """() => { const e = document.activeElement;
  return {text: e.innerText || '', checked: e.getAttribute('aria-checked'),
          chooser: !!e.closest('.st-key-theme_chooser')} }"""
# Focus the tabbable element just before (-1) or just after (+1) the theme chooser.
_BESIDE_CHOOSER = """(step) => {
  const all = [...document.querySelectorAll(
    'button, [href], input, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.offsetParent !== null && e.tabIndex >= 0);
  const inRow = all.map(e => !!e.closest('.st-key-theme_chooser'));
  const i = step < 0 ? inRow.indexOf(true) - 1 : inRow.lastIndexOf(true) + 1;
  all[i].focus();
  return all[i].innerText || all[i].getAttribute('aria-label') || all[i].tagName;
}"""


def test_tabbing_into_the_theme_chooser_lands_on_the_selected_theme(server, page_on):
    _, url = server
    audit_id, interview_id = _audit_with_interview(url)
    page = page_on(f"/interview?audit={audit_id}&interview={interview_id}")
    qs = load_question_set()
    themes = list(dict.fromkeys(q.theme for q in qs.questions_for_tier("front_line")))
    titles = {t.id: t.title for t in qs.themes}
    # The theme chosen with the pointer: the row is drawn anew with it selected.
    page.locator(".st-key-theme_chooser button").nth(2).click()
    settle(page)
    shown = titles[themes[2]]
    page.evaluate(_BESIDE_CHOOSER, -1)
    page.keyboard.press("Tab")
    focused = page.evaluate(_FOCUS)
    assert focused["chooser"] and focused["checked"] == "true", focused
    assert shown in focused["text"], f"Tab landed on {focused['text']!r}, not {shown!r}"
    page.evaluate(_BESIDE_CHOOSER, +1)  # from below, backwards
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate(_FOCUS)
    assert focused["checked"] == "true" and shown in focused["text"], focused
    # Along the row with the arrow keys; Enter opens the theme under focus.
    page.keyboard.press("ArrowRight")
    focused = page.evaluate(_FOCUS)
    assert focused["chooser"] and titles[themes[3]] in focused["text"], focused
    page.keyboard.press("Enter")
    settle(page)
    assert page.locator(".st-key-theme_top h3").inner_text() == titles[themes[3]]
    # Tab leaves the row from the selected theme rather than walking every theme.
    page.evaluate(_BESIDE_CHOOSER, -1)
    page.keyboard.press("Tab")
    assert titles[themes[3]] in page.evaluate(_FOCUS)["text"]
    page.keyboard.press("Tab")
    assert not page.evaluate(_FOCUS)["chooser"]
