"""Retake the README's screenshots of the auditor app from the demo data.

    .venv/bin/python docs/screenshots/take_screenshots.py

Builds the demo in a throwaway SQLite file, adds an interview in progress, starts
`streamlit run` on 127.0.0.1, and photographs the main pages with Debian's chromium
(Playwright). The PNGs are reduced to 256 colours to keep them small.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from sgaudit.demo import build_demo
from sgaudit.store import repo
from sgaudit.store.accounts import add_user
from sgaudit.store.db import session_scope

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Screenshots-" + os.urandom(8).hex()
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def prepare(url: str) -> tuple[int, int]:
    """The demo, plus a front-line focus group half-way through; (re-audit id, interview id)."""
    with session_scope(url) as s:
        demo = build_demo(s)
        audit = repo.get_audit(s, demo.reaudit_audit_id)
        qs = repo.audit_question_set(audit)
        iv = repo.start_interview(s, audit, tier="front_line", service_area=audit.organisation
                                  .area_names[0], mode="focus_group", people=5,
                                  auditor=audit.auditor_1, consent_confirmed=True)
        first_theme = qs.questions_for_tier("front_line")[0].theme
        asked = [q for q in qs.questions_for_tier("front_line") if q.theme == first_theme]
        for q, pick in zip(asked[:3], (-3, -2, 1), strict=False):
            allowed = qs.scales[q.scale].scored_values(False)
            repo.save_answer(s, iv, q.id, allowed[pick])
        repo.save_answer(s, iv, asked[0].id, qs.scales[asked[0].scale].scored_values()[-3],
                         note="Two newer staff said their references were chased after they "
                              "had started.", quotable=True)
        # the app needs a sign-in: a throwaway admin of the throwaway store
        add_user(s, "auditor", PASSWORD, is_admin=True)
        s.flush()
        return audit.id, iv.id


def sign_in(page) -> None:
    """Each new page is a new session: sign in when the form shows, then wait."""
    form = page.get_by_role("heading", name="Sign in to sgaudit")
    form.or_(page.get_by_text("Signed in as").first).first.wait_for(timeout=60_000)
    if form.is_visible():
        page.get_by_role("textbox", name="Account name", exact=True).fill("auditor")
        page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_text("Signed in as").first.wait_for(timeout=60_000)


def idle(page, limit_ms: int = 30_000) -> None:
    waited = 0
    while waited < limit_ms:
        state = page.evaluate("() => document.querySelector('[data-testid=stApp]')"
                              "?.getAttribute('data-test-script-state')")
        if state == "notRunning" and page.locator("[data-testid=stSkeleton]").count() == 0:
            page.wait_for_timeout(600)
            return
        page.wait_for_timeout(200)
        waited += 200
    raise RuntimeError("the app did not settle")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'docs.db'}"
        audit_id, interview_id = prepare(url)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "audit_app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(port)],
            cwd=REPO, env=dict(os.environ, SGAUDIT_DATABASE_URL=url),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        shots = [
            ("interview", f"interview?audit={audit_id}&interview={interview_id}", 1000),
            ("dashboard", f"dashboard?audit={audit_id}", 1500),
            ("findings", f"findings?audit={audit_id}", 1100),
            ("compare", f"compare?audit={audit_id}", 1150),
            ("registers", f"registers?audit={audit_id}", 1000),
            ("report", f"report?audit={audit_id}", 700),
            ("organisations", f"?audit={audit_id}", 900),
        ]
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                try:
                    for name, path, height in shots:
                        page = browser.new_page(viewport={"width": 1400, "height": height})
                        page.goto(f"{base}/{path}")
                        sign_in(page)
                        idle(page)
                        if name == "registers":
                            page.get_by_role("tab", name="Indicators").click()
                            idle(page)
                        out = HERE / f"{name}.png"
                        page.screenshot(path=str(out))
                        Image.open(out).convert("RGB").quantize(256).save(out, optimize=True)
                        print(f"{out.relative_to(REPO)}: {out.stat().st_size // 1024} KB")
                        page.close()
                finally:
                    browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
