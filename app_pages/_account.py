"""Signing in and out of the app: the first admin's set-up link, the sign-in form, idle expiry.

The signed-in account's name lives in `st.session_state`; its roles are read from
the store again on every run, so a revoked grant or a disabled account takes effect
at once. Whether a page may show anything is decided by the store (every read is
checked there); this module only decides which pages are offered.
"""

from __future__ import annotations

import sys

import streamlit as st

from sgaudit.access import ANONYMOUS, ROLE_LABELS, Principal
from sgaudit.errors import NotFound, SgauditError
from sgaudit.store import db as store_db
from sgaudit.store.accounts import (
    count_users,
    create_first_admin,
    load_principal,
    new_setup_token,
    setup_link_pending,
)
from sgaudit.store.logins import (
    LoginFailed,
    authenticate,
    principal_by_email,
    record_logout,
    session_expired,
)
from sgaudit.store.models import utcnow

USER = "sg_user"  # the signed-in account's name
LAST_SEEN = "sg_last_seen"  # when this browser session was last used (UTC)
PRINCIPAL = "sg_principal"  # the signed-in principal, re-read from the store every run
SETUP = "setup"  # query parameter of the one-time set-up link


def _local_store():
    # The sign-in path itself runs as the trusted local process: it must read accounts
    # before anyone is signed in. Nothing it reads is shown.
    return store_db.session_scope(store_db.database_url())


def client_address() -> str:
    try:
        address = st.context.ip_address
    except Exception:  # not served over a browser connection (AppTest)
        return ""
    return address if isinstance(address, str) else ""


@st.cache_resource(show_spinner=False)
def _print_setup_link(url: str) -> str | None:
    """Once per server process on an empty store: a fresh one-time link, in the terminal."""
    with _local_store() as session:
        # `./run.sh app` prints the link before the server starts; keep that one working.
        token = None if setup_link_pending(session) else new_setup_token(session)
    if token:
        port = st.get_option("server.port") or 8501
        print(
            "\n  sgaudit has no accounts yet. Open this one-time link to create the admin:\n"
            f"  http://127.0.0.1:{port}/?{SETUP}={token}\n",
            file=sys.stderr,
            flush=True,
        )
    return token


def current_principal() -> Principal:
    return st.session_state.get(PRINCIPAL, ANONYMOUS)


def _sign_in(principal: Principal) -> None:
    st.session_state[USER] = principal.name
    st.session_state[LAST_SEEN] = utcnow()
    st.session_state[PRINCIPAL] = principal


def sign_out(message: str | None = None) -> None:
    principal = current_principal()
    if principal.user_id is not None:
        with _local_store() as session:
            record_logout(session, principal)
    for key in (USER, LAST_SEEN, PRINCIPAL):
        st.session_state.pop(key, None)
    if message:
        st.session_state["sg_signed_out"] = message
    if getattr(st, "user", None) is not None and getattr(st.user, "is_logged_in", False):
        st.logout()


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:
        return False


def _setup_form(token: str) -> None:
    st.title("Set up sgaudit")
    st.write("Create the first admin account. This link works once.")
    with st.form("setup"):
        name = st.text_input("Account name", key="setup_name")
        email = st.text_input("E-mail (optional, for single sign-on)", key="setup_email")
        password = st.text_input(
            "Password (at least 12 characters)", type="password", key="setup_password"
        )
        again = st.text_input("Password again", type="password", key="setup_again")
        if st.form_submit_button("Create the admin", type="primary"):
            if password != again:
                st.error("The two passwords differ.")
                return
            try:
                with _local_store() as session:
                    user = create_first_admin(session, token, name, password, email=email or None)
                    principal = load_principal(session, user.username)
            except SgauditError as exc:
                st.error(str(exc))
                return
            del st.query_params[SETUP]
            _sign_in(principal)
            st.rerun()


def _sign_in_form() -> None:
    st.title("Sign in to sgaudit")
    message = st.session_state.pop("sg_signed_out", None)
    if message:
        st.info(message)
    if _sso_configured():
        st.button(
            "Sign in with your organisation's account",
            type="primary",
            on_click=st.login,
            icon=":material/login:",
        )
        st.divider()
    with st.form("sign_in"):
        name = st.text_input("Account name", key="login_name")
        password = st.text_input("Password", type="password", key="login_password")
        if st.form_submit_button("Sign in", type="primary"):
            try:
                with _local_store() as session:
                    principal = authenticate(session, name, password, address=client_address())
            except LoginFailed as exc:
                st.error(str(exc))
                return
            _sign_in(principal)
            st.rerun()


def _single_sign_on() -> bool:
    """Signed in through st.login (OpenID Connect): match the e-mail to an account."""
    user = getattr(st, "user", None)
    if user is None or not getattr(user, "is_logged_in", False) or USER in st.session_state:
        return False
    try:
        with _local_store() as session:
            principal = principal_by_email(session, str(user.get("email") or ""))
    except LoginFailed as exc:
        st.title("Sign in to sgaudit")
        st.error(str(exc))
        st.button("Sign out", on_click=st.logout)
        st.stop()
    _sign_in(principal)
    return True


def gate(pages: list | None = None) -> Principal:
    """The signed-in principal; otherwise draw the set-up or sign-in form and stop the run.

    `pages` are registered hidden while the form shows, so the address asked for is
    kept for after signing in (nothing of them runs).
    """
    url = store_db.database_url()
    if USER in st.session_state:
        if session_expired(st.session_state.get(LAST_SEEN)):
            sign_out("You were signed out after a time without use. Sign in again.")
        else:
            try:
                with _local_store() as session:
                    principal = load_principal(session, st.session_state[USER])
            except NotFound:
                sign_out("Your account may no longer sign in.")
            else:
                st.session_state[PRINCIPAL] = principal
                st.session_state[LAST_SEEN] = utcnow()
                return principal
    if _sso_configured() and _single_sign_on():
        return current_principal()
    if pages:
        st.navigation(pages, position="hidden")
    with _local_store() as session:
        empty = count_users(session) == 0
    if empty:
        token = st.query_params.get(SETUP)
        if token:
            _setup_form(token)
        else:
            _print_setup_link(url)
            st.title("sgaudit is not set up yet")
            st.write(
                "Open the one-time set-up link printed in the terminal where sgaudit was "
                "started, to create the first admin."
            )
        st.stop()
    _sign_in_form()
    st.stop()


def account_box(principal: Principal) -> None:
    """Who is signed in, with which roles, and the sign-out button (sidebar)."""
    roles = ", ".join(ROLE_LABELS[r] for r in principal.roles) or "no role yet"
    st.caption(f"Signed in as **{principal.name}** ({roles})")
    st.button(
        "Sign out",
        key="sg_sign_out",
        icon=":material/logout:",
        on_click=sign_out,
        args=("You are signed out.",),
    )
