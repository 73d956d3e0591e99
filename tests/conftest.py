"""Shared fixtures: a fresh SQLite store per test, a real PostgreSQL server per session.

Optional external parts (PostgreSQL, chromium, LibreOffice) are skipped with a visible
reason on a laptop that lacks them, but in CI (CI=true) a missing part is a failure.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sgaudit.store import db as store_db

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("SGAUDIT_TEST_ARTIFACTS", REPO / "test-artifacts"))


def require_or_skip(available: bool, what: str) -> None:
    """Skip (laptop) or fail (CI) when an optional external part is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run these tests (install it in .ci/run)")
    pytest.skip(f"{what} is not installed here; skipping (CI runs these tests)")


_PYTEST_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def _main_module_restored():
    """Streamlit's script runner (AppTest) leaves the app installed as `__main__`.

    A process started later with the "spawn" method re-runs whatever `__main__` names,
    so a child would start the whole app instead of the function it was given, and the
    test waiting on it would hang. Put pytest's own `__main__` back after every test.
    """
    yield
    sys.modules["__main__"] = _PYTEST_MAIN


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the user's real store: every test gets its own default data dir."""
    monkeypatch.setenv("SGAUDIT_DATA_DIR", str(tmp_path_factory.mktemp("sgdata")))
    monkeypatch.delenv("SGAUDIT_DATABASE_URL", raising=False)
    yield
    store_db.dispose_engines()


@pytest.fixture
def db_url(tmp_path) -> str:
    """A fresh, migrated SQLite store."""
    url = f"sqlite:///{tmp_path / 'sgaudit.db'}"
    store_db.get_engine(url)
    return url


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> str:
    """A fresh store the app (and any command run in process) opens by default."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    store_db.get_engine(url)
    return url


@pytest.fixture
def demo_db(app_db) -> str:
    """The app's store with the demo organisation's two audits in it."""
    from sgaudit.demo import build_demo

    with store_db.session_scope(app_db) as session:
        build_demo(session)
    return app_db


@pytest.fixture
def audits(demo_db) -> tuple[int, int]:
    """The demo's baseline audit and its re-audit (their ids)."""
    from sgaudit.store import repo

    with store_db.session_scope(demo_db) as s:
        baseline, reaudit = (a.id for a in repo.list_audits(s))
    return baseline, reaudit


@pytest.fixture(scope="session")
def core_set():
    from sgaudit.questionnaire import load_question_set

    return load_question_set()


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# ---- PostgreSQL: a real server started and stopped by the tests -----------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster on 127.0.0.1 and yield its base URL."""
    from pg_server import pg_bindir, throwaway_server

    bindir = pg_bindir()
    require_or_skip(bindir is not None, "PostgreSQL server (pg_ctl)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        require_or_skip(False, "psycopg (PostgreSQL driver)")
    with throwaway_server(bindir, fsync=False) as base:
        yield base


@pytest.fixture
def pg_url(postgres_server) -> Iterator[str]:
    """A fresh, migrated database on the session's PostgreSQL server."""
    import sqlalchemy as sa

    name = f"t{int(time.time() * 1000) % 10**9}{os.getpid()}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"{postgres_server}/{name}"
    store_db.get_engine(url)
    yield url
    store_db.dispose_engines()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_url(request) -> str:
    """The store tests run on both SQLite and a real PostgreSQL server."""
    if request.param == "sqlite":
        return request.getfixturevalue("db_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def run(capsys, monkeypatch):
    """run(*args) -> (exit code, stdout, stderr) through the real entry point sgaudit.cli.main."""
    import sys

    from sgaudit.cli import main

    def _run(*args):
        monkeypatch.setattr(sys, "argv", ["sgaudit", *map(str, args)])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


# ---- the app, signed in -----------------------------------------------------------------
APP_PASSWORD = "a long app test passphrase"


def sign_in_app(at, username: str = "admin", *, url: str | None = None):
    """Sign an AppTest in as `username` (made an admin account if it does not exist yet),
    exactly as the sign-in form leaves the session. Returns `at`."""
    from sgaudit.store.accounts import add_user, count_users
    from sgaudit.store.db import session_scope
    from sgaudit.store.models import User, utcnow

    with session_scope(url) as s:
        exists = s.query(User.id).filter(User.username == username).first() is not None
        if not exists:
            add_user(
                s, username, APP_PASSWORD, is_admin=(username == "admin" or not count_users(s))
            )
    at.session_state["sg_user"] = username
    at.session_state["sg_last_seen"] = utcnow()
    return at


@pytest.fixture
def signed_in():
    """signed_in(at, username="admin") -> the AppTest, signed in as that account."""
    return sign_in_app


def ensure_app_account(url: str, username: str = "admin") -> None:
    """The account the browser tests sign in with (an admin), made once per store."""
    from sgaudit.store.accounts import add_user
    from sgaudit.store.db import session_scope
    from sgaudit.store.models import User

    with session_scope(url) as s:
        if s.query(User.id).filter(User.username == username).first() is None:
            add_user(s, username, APP_PASSWORD, is_admin=True)


def sign_in_browser(page, username: str = "admin", password: str = APP_PASSWORD) -> None:
    """In a real browser: fill the sign-in form (when it is showing) and wait to be in."""
    heading = page.get_by_role("heading", name="Sign in to sgaudit")
    heading.wait_for(timeout=30_000)
    page.get_by_role("textbox", name="Account name", exact=True).fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Signed in as").first.wait_for(timeout=30_000)
