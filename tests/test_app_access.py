"""The app per role: the pages each person is offered, each page asking the store, and
signing in (set-up link, wrong password, throttling, disabled account, idle expiry)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from access_world import PASSWORD, build_world
from conftest import sign_in_app
from streamlit.testing.v1 import AppTest

from sgaudit.store import db as store_db
from sgaudit.store.db import session_scope

REPO_APP = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "audit_app.py")
PAGES_DIR = __import__("pathlib").Path(REPO_APP).parent / "app_pages"

ALL_PAGES = {
    "double_scoring",
    "organisations",
    "questionnaires",
    "accounts",
    "interview",
    "registers",
    "dashboard",
    "findings",
    "compare",
    "report",
    "review",
    "history",
    "partnership",
}
AUDITOR_PAGES = ALL_PAGES - {"accounts", "history", "partnership"}
#: account -> the pages the app offers it (written out by hand)
OFFERED = {
    "admin": ALL_PAGES,
    "lead": ALL_PAGES - {"accounts"},
    "auditor": AUDITOR_PAGES,
    "viewer": {"dashboard", "report"},
    "analyst": {"partnership"},
}


@pytest.fixture
def world(tmp_path, monkeypatch, core_set):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    return build_world(url, core_set)


def _app(user: str | None, **query) -> AppTest:
    at = AppTest.from_file(REPO_APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = str(value)
    return sign_in_app(at, user) if user else at


def _known_pages(at: AppTest) -> set[str]:
    try:
        at.switch_page(str(PAGES_DIR / "_shared.py"))  # a module, never a page
    except ValueError as exc:
        import re

        listed = str(exc).split("Known pages:", 1)[1]
        return set(re.findall(r"app_pages/(\w+)\.py", listed))
    raise AssertionError("switch_page accepted a page that does not exist")


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not [e.value for e in at.error if "may not" in e.value]


@pytest.mark.parametrize("account", list(OFFERED))
def test_each_role_is_offered_its_pages_and_each_renders_for_it(world, account):
    audit = (
        world.audit_ids["A-final"]
        if account in ("viewer", "analyst")
        else world.audit_ids["A-open"]
    )
    at = _app(account, audit=audit)
    at.run()
    _clean(at)
    assert _known_pages(at) == OFFERED[account]
    for page in sorted(OFFERED[account]):
        at.switch_page(str(PAGES_DIR / f"{page}.py"))
        at.run()
        _clean(at)


@pytest.mark.parametrize("page", ["interview", "registers", "history", "accounts"])
def test_a_page_run_directly_by_a_viewer_is_refused_by_the_store_not_just_hidden(world, page):
    at = AppTest.from_file(str(PAGES_DIR / f"{page}.py"), default_timeout=120)
    at.query_params["audit"] = str(world.audit_ids["A-final"])
    sign_in_app(at, "viewer")
    at.session_state["sg_principal"] = world.principal("viewer")
    at.run()
    messages = [e.message for e in at.exception] + [e.value for e in at.error]
    assert any("may not" in m for m in messages), messages


def test_the_viewer_sees_the_final_dashboard_and_the_lead_sees_that_in_the_history(world):
    viewer = _app("viewer", audit=world.audit_ids["A-final"])
    viewer.run()
    _clean(viewer)
    assert [t.value for t in viewer.title] == ["Dashboard"]
    lead = _app("lead", audit=world.audit_ids["A-final"])
    lead.run()
    lead.switch_page(str(PAGES_DIR / "history.py"))
    lead.run()
    _clean(lead)
    table = lead.dataframe[0].value
    seen = table[(table["who"] == "viewer") & (table["what happened"] == "Opened the dashboard")]
    assert len(seen) == 1


def test_nobody_sees_anything_before_signing_in(world):
    at = _app(None, audit=world.audit_ids["A-open"])
    at.run()
    assert [t.value for t in at.title] == ["Sign in to sgaudit"]
    assert not at.dataframe and not at.sidebar.selectbox


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_name").set_value(name)
    at.text_input(key="login_password").set_value(password)
    at.button[0].click() if not at.get("form_submit_button") else None
    at.get("form_submit_button")[0].click()
    return at.run()


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(world):
    at = _app(None)
    at.run()
    _sign_in(at, "lead", "not the right password")
    assert "not right" in at.error[0].value
    _sign_in(at, "lead", PASSWORD)
    assert not at.exception and "Sign in to sgaudit" not in [t.value for t in at.title]
    assert "lead" in at.sidebar.caption[0].value


def test_a_disabled_account_reads_like_a_wrong_password(world):
    from sgaudit.store.accounts import set_disabled

    with session_scope(world.url) as s:
        set_disabled(s, "auditor")
    at = _app(None)
    at.run()
    _sign_in(at, "auditor", PASSWORD)
    assert "not right" in at.error[0].value


def test_sign_in_is_throttled_after_repeated_failures(world):
    at = _app(None)
    at.run()
    for i in range(5):
        _sign_in(at, "lead", f"wrong guess {i} of many")
    _sign_in(at, "lead", PASSWORD)
    assert "Too many failed sign-ins" in at.error[0].value


def test_an_idle_session_is_signed_out(world):
    from sgaudit.store.models import utcnow

    at = _app("lead")
    at.session_state["sg_last_seen"] = utcnow() - timedelta(minutes=31)
    at.run()
    assert [t.value for t in at.title] == ["Sign in to sgaudit"]
    assert "without use" in at.info[0].value


def test_a_signed_in_account_that_is_disabled_is_signed_out_on_its_next_click(world):
    from sgaudit.store.accounts import set_disabled

    at = _app("lead")
    at.run()
    with session_scope(world.url) as s:
        set_disabled(s, "lead")
    at.run()
    assert [t.value for t in at.title] == ["Sign in to sgaudit"]


def test_the_first_start_prints_a_one_time_link_that_creates_the_admin(
    tmp_path, monkeypatch, capfd
):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    at = _app(None)
    at.run()
    assert [t.value for t in at.title] == ["sgaudit is not set up yet"]
    printed = capfd.readouterr().err
    token = printed.split("?setup=", 1)[1].split()[0]
    setup = _app(None, setup=token)
    setup.run()
    setup.text_input(key="setup_name").set_value("chair")
    setup.text_input(key="setup_password").set_value("river lantern orchard kettle")
    setup.text_input(key="setup_again").set_value("river lantern orchard kettle")
    setup.get("form_submit_button")[0].click()
    setup.run()
    assert not setup.exception
    assert "chair" in setup.sidebar.caption[0].value and "Admin" in setup.sidebar.caption[0].value
    # The link works once.
    again = _app(None, setup=token)
    again.run()
    assert [t.value for t in again.title] == ["Sign in to sgaudit"]


@pytest.mark.parametrize(("account", "offered"), [("auditor", False), ("lead", True), ("admin", True)])
def test_only_admins_and_lead_auditors_are_offered_the_set_up_forms(world, account, offered):
    at = _app(account, audit=world.audit_ids["A-open"])
    at.run()
    at.switch_page(str(PAGES_DIR / "organisations.py"))
    at.run()
    _clean(at)
    buttons = {b.label for b in at.button}
    assert ("Create audit" in buttons) is offered, buttons
    assert any("for admins and lead auditors" in c.value for c in at.caption) is not offered
