"""The auditor app in a real browser: `streamlit run` on 127.0.0.1, Debian's chromium.

Creates an organisation and an audit by clicking and typing, captures an interview,
reloads half-way and checks nothing was lost (on screen and in the store), finishes,
downloads the report and opens it with python-docx. A screenshot of every page goes to
test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ensure_app_account, require_or_skip, sign_in_browser

from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.db import session_scope

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ORG = "Riverside Family Trust"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_health(base: str, proc: subprocess.Popen, log: Path, limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer /_stcore/health in {limit_s:.0f} s:\n"
                f"{log.read_text()[-3000:]}")


@contextmanager
def streamlit_app(url: str, log: Path) -> Iterator[str]:
    """`streamlit run` of the app on a free port of 127.0.0.1 against `url`; yields its
    address once /_stcore/health answers, and stops it by PID on the way out."""
    port = _free_port()
    env = dict(os.environ, SGAUDIT_DATABASE_URL=url)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "audit_app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture
def server(tmp_path, artifacts_dir):
    """The app against a fresh SQLite file with the admin the tests sign in as."""
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    store_db.get_engine(url)  # migrate before the server opens it
    ensure_app_account(url)
    with streamlit_app(url, artifacts_dir / "e2e-streamlit.log") as base:
        yield base, url


def settle(page, limit_ms: int = 30_000) -> None:
    """Wait (bounded) until the script has finished and no placeholder is showing."""
    page.wait_for_timeout(300)
    waited = 300
    while waited < limit_ms:
        state = page.evaluate(
            "() => { const a = document.querySelector('[data-testid=stApp]');"
            " return a ? a.getAttribute('data-test-script-state') : null }"
        )
        skeletons = page.locator("[data-testid=stSkeleton]").count()
        if state == "notRunning" and skeletons == 0:
            page.wait_for_timeout(200)
            return
        page.wait_for_timeout(200)
        waited += 200
    raise AssertionError(f"the app was still running after {limit_ms} ms")


def go(page, title: str) -> None:
    page.locator("[data-testid=stSidebarNav]").get_by_text(title, exact=True).click()
    settle(page)


def shoot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@contextmanager
def chromium_page(shots: Path, failed_as: str, timeout_ms: int = 30_000):
    """A page of Debian's chromium (headless, 1400 x 1000); a screenshot `failed_as` when
    the test fails inside, and the browser closed on the way out."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(timeout_ms)
            try:
                yield page
            except BaseException:
                shoot(page, shots, failed_as)
                raise
        finally:
            browser.close()


def main_radios(page):
    return page.locator("[data-testid=stMain] [data-testid=stRadio]")


def option(group, index: int):
    return group.locator("[data-testid=stRadioOption]").nth(index)


def checked_index(group) -> int | None:
    inputs = group.locator("input[type=radio]")
    for i in range(inputs.count()):
        if inputs.nth(i).is_checked():
            return i
    return None


def test_auditor_creates_an_audit_captures_an_interview_reloads_and_downloads_the_report(
    server, artifacts_dir, tmp_path
):
    require_or_skip(os.path.exists(CHROMIUM), "chromium")
    from docx import Document
    from playwright.sync_api import sync_playwright

    base, url = server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000},
                                    accept_downloads=True)
            page.set_default_timeout(30_000)
            try:
                saved = capture_flow(page, base, url, shots, tmp_path)
            except BaseException:
                shoot(page, shots, "zz-at-failure")
                raise
        finally:
            browser.close()

    assert saved.suffix == ".docx"
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert ORG in text
    assert "Night staff are unsure who covers the DSL out of hours." in text


def capture_flow(page, base: str, url: str, shots: Path, tmp_path: Path) -> Path:
    """Click and type through the app; returns the downloaded report's path."""
    page.goto(base)
    sign_in_browser(page)
    settle(page)
    shoot(page, shots, "01-organisations-empty")

    # An organisation, then its audit, by typing.
    page.get_by_role("textbox", name="Organisation name", exact=True).fill(ORG)
    page.get_by_role("textbox", name="Service areas (one per line)", exact=True).fill(
        "Children's homes\nFostering\nAdult day services")
    page.get_by_role("button", name="Create organisation").click()
    settle(page)
    page.get_by_text(f"Organisation '{ORG}' created").wait_for()
    page.get_by_role("textbox", name="Audit title", exact=True).fill("Baseline audit 2026")
    page.get_by_role("textbox", name="Lead auditor", exact=True).fill("Sam Lee")
    page.get_by_role("textbox", name="Second auditor", exact=True).fill("Ali Khan")
    page.get_by_role("button", name="Create audit").click()
    settle(page)
    page.get_by_text("created and chosen").wait_for()
    shoot(page, shots, "02-organisations-audit-created")

    # Start a focus group of four (so its scores are not suppressed).
    go(page, "Interview")
    shoot(page, shots, "03-interview-start")
    page.get_by_text("Focus group", exact=True).click()
    settle(page)
    page.get_by_text("agreed to take part").click()
    settle(page)
    page.get_by_role("button", name="Start interview").click()
    settle(page)
    page.get_by_role("heading", name=re.compile(r"^Interview FL-")).wait_for()
    assert "interview=" in page.url

    radios = main_radios(page)
    assert radios.count() >= 4
    picks = {}
    for i, choice in enumerate([0, 1, 2]):
        option(radios.nth(i), choice).click()
        settle(page)
        picks[i] = choice
    note = page.locator("[data-testid=stMain] textarea").first
    note.fill("They said the DSL is easy to reach <even> at weekends & nights")
    page.keyboard.press("Tab")  # leaving the box commits the note
    settle(page)
    page.locator("[data-testid=stMain]").get_by_text("Quotable").first.click()
    settle(page)
    assert page.get_by_text("saved").first.is_visible()
    shoot(page, shots, "04-interview-capturing")

    # Reload half-way: the same interview comes back with its answers selected.
    page.reload()
    sign_in_browser(page)  # a reload is a new browser session: sign in again
    settle(page)
    page.get_by_role("heading", name=re.compile(r"^Interview FL-")).wait_for()
    radios = main_radios(page)
    for i, choice in picks.items():
        assert checked_index(radios.nth(i)) == choice, f"question {i} lost its answer"
    assert "easy to reach <even>" in page.locator(
        "[data-testid=stMain] textarea").first.input_value()
    with session_scope(url) as s:
        (audit,) = repo.list_audits(s)
        (interview,) = repo.list_interviews(s, audit)
        stored = repo.interview_answers(s, interview)
        assert len([r for r in stored.values() if r.answer]) == len(picks)
        assert any(r.quotable and "<even>" in r.note for r in stored.values())
        audit_id, code = audit.id, interview.code

    # More answers, on to the next theme, then finish.
    option(radios.nth(3), 0).click()
    settle(page)
    page.mouse.wheel(0, 4000)  # at the bottom of the theme, as after its last question
    page.get_by_role("button", name="Next theme").click()
    settle(page)
    page.wait_for_timeout(500)
    heading = page.locator(".st-key-theme_top").bounding_box()
    assert heading is not None and 0 <= heading["y"] < 400, (
        f"the next theme's first question is not in view: {heading}")
    shoot(page, shots, "05-interview-next-theme")
    option(main_radios(page).nth(0), 1).click()
    settle(page)
    page.get_by_role("button", name="Mark complete").click()
    settle(page)
    page.get_by_text(f"Interview {code} marked complete").wait_for()
    shoot(page, shots, "06-interview-list")
    with session_scope(url) as s:
        interview = repo.list_interviews(s, repo.get_audit(s, audit_id))[0]
        assert interview.completed
        assert len([r for r in repo.interview_answers(s, interview).values()
                    if r.answer]) == 5

    go(page, "Dashboard")
    page.get_by_text("Golden thread").first.wait_for()
    shoot(page, shots, "07-dashboard")
    go(page, "Findings & recommendations")
    page.get_by_role("tab", name="Add your own finding").click()
    page.get_by_role("textbox", name="Finding, as it should read in the report", exact=True).fill(
        "Night staff are unsure who covers the DSL out of hours.")
    page.get_by_role("button", name="Add finding").click()
    settle(page)
    shoot(page, shots, "08-findings")
    go(page, "Compare")
    shoot(page, shots, "09-compare")
    go(page, "Registers")
    shoot(page, shots, "10-registers")
    go(page, "Questionnaires")
    shoot(page, shots, "11-questionnaires")

    go(page, "Report")
    page.get_by_role("button", name="Generate report").click()
    settle(page, limit_ms=60_000)
    shoot(page, shots, "12-report")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the report").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    return saved
