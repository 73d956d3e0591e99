"""Single sign-on in a real browser against a real OpenID Connect provider on 127.0.0.1.

The provider is the npm package oidc-provider (tools/node), run by Node with the small
configuration in tests/oidc_provider.js. The app reads `[auth]` from
.streamlit/secrets.toml and signs the person in with `st.login`; sgaudit matches the
e-mail to an account: no account, no access.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import REPO, require_or_skip
from test_browser_e2e import CHROMIUM, CHROMIUM_ARGS, _free_port, _wait_for_health, settle

from sgaudit.store import db as store_db
from sgaudit.store.accounts import add_user, grant_role
from sgaudit.store.db import session_scope

pytestmark = pytest.mark.browser
NODE = "/usr/bin/node"
PROVIDER = REPO / "tools" / "node" / "node_modules" / "oidc-provider"


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture
def sso_app(tmp_path, artifacts_dir):
    require_or_skip(os.path.exists(NODE) and PROVIDER.is_dir(), "Node.js and oidc-provider")
    require_or_skip(os.path.exists(CHROMIUM), "chromium")
    url = f"sqlite:///{tmp_path / 'sso.db'}"
    store_db.get_engine(url)
    with session_scope(url) as s:
        add_user(s, "admin", "harbour lantern orchard kettle", is_admin=True)
        add_user(s, "chair", None, email="chair@example.org")
        from sgaudit.store import repo

        org = repo.create_organisation(s, "Harbour Trust", ["Housing"])
        grant_role(s, "chair", "organisation_viewer", organisation=org)
    app_port, idp_port = _free_port(), _free_port()
    redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
    idp_log = (artifacts_dir / "sso-provider.log").open("w")
    idp = subprocess.Popen(
        [NODE, str(REPO / "tests" / "oidc_provider.js"), str(idp_port), redirect],
        stdout=idp_log,
        stderr=subprocess.STDOUT,
    )
    site = tmp_path / "site"
    (site / ".streamlit").mkdir(parents=True)
    (site / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect}"\n'
        'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
        'client_id = "sgaudit-test"\n'
        'client_secret = "sgaudit-test-secret-that-is-long-enough"\n'
        f'server_metadata_url = "http://127.0.0.1:{idp_port}/.well-known/openid-configuration"\n'
        'client_kwargs = { scope = "openid email profile", prompt = "login" }\n'
    )
    log = artifacts_dir / "sso-streamlit.log"
    env = dict(os.environ, SGAUDIT_DATABASE_URL=url, PYTHONPATH=str(REPO))
    with log.open("w") as out:
        app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(REPO / "audit_app.py"),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(app_port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=site,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{app_port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration", timeout=2
                )
                break
            except OSError:
                time.sleep(0.3)
        _wait_for_health(base, app, log)
        yield base
    finally:
        _stop(app)
        _stop(idp)
        idp_log.close()


def _sign_on(page, base: str, email: str) -> None:
    page.goto(base)
    settle(page)
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("any password: the test provider accepts it")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]", has_text="Continue")
    consent.wait_for(timeout=20_000)
    consent.click()
    page.wait_for_url(f"{base}/**", timeout=30_000)
    settle(page)


@pytest.mark.parametrize(
    "email, expected",
    [
        ("chair@example.org", "Signed in as"),
        ("stranger@example.org", "no sgaudit account for that e-mail address"),
    ],
)
def test_single_sign_on_matches_an_account_by_e_mail_and_refuses_anyone_else(
    sso_app, artifacts_dir, email, expected
):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.set_default_timeout(30_000)
            try:
                _sign_on(page, sso_app, email)
                page.get_by_text(expected).first.wait_for(timeout=30_000)
            finally:
                page.screenshot(path=str(artifacts_dir / f"sso-{email.split('@')[0]}.png"))
            body = page.inner_text("body")
            assert "Traceback" not in body and "Error" not in body.replace("error", "")
            if email.startswith("chair"):
                assert "chair" in body and "Organisation viewer" in body
                assert "Accounts & roles" not in body and "Interview" not in body
            else:
                assert "Signed in as" not in body
        finally:
            browser.close()
