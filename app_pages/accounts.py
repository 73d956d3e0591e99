"""Accounts & roles (admins): add accounts, give and take away roles, disable accounts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit.access import GRANTABLE_ROLES, ROLE_LABELS
from sgaudit.errors import SgauditError
from sgaudit.store import repo
from sgaudit.store.accounts import add_user, grant_role, list_users, revoke_role, set_disabled

st.title("Accounts & roles")
_shared.show_flash()

with _shared.db() as session:
    users = list_users(session)
    orgs = {o.id: o.name for o in repo.list_organisations(session)}
    audits = {a.id: _audit_choice.audit_label(a) for a in repo.list_audits(session)}
    table = [
        {
            "account": u.username,
            "e-mail": u.email or "",
            "state": "disabled" if u.disabled else "enabled",
            "roles": "; ".join(
                (["Admin"] if u.is_admin else [])
                + [
                    f"{ROLE_LABELS[g.role]} on "
                    + (
                        audits.get(g.audit_id, f"audit #{g.audit_id}")
                        if g.audit_id
                        else orgs.get(g.organisation_id, f"#{g.organisation_id}")
                    )
                    for g in u.grants
                ]
            ),
        }
        for u in users
    ]
st.dataframe(
    pd.DataFrame(table), hide_index=True, width="stretch", height=_tables.table_height(len(table))
)

with st.expander("Add an account", icon=":material/person_add:"):
    with st.form("add_account", clear_on_submit=True):
        name = st.text_input("Account name", key="acc_name")
        email = st.text_input("E-mail (matched by single sign-on)", key="acc_email")
        password = st.text_input(
            "Password (at least 12 characters; leave empty for single sign-on only)",
            type="password",
            key="acc_password",
        )
        admin = st.checkbox("Admin", key="acc_admin")
        if st.form_submit_button("Add account", type="primary"):
            try:
                with _shared.db() as session:
                    add_user(session, name, password or None, email=email or None, is_admin=admin)
                _shared.flash(f"Added account '{name.strip().lower()}'.")
                st.rerun()
            except SgauditError as exc:
                st.error(str(exc))

names = [u.username for u in users]
# In forms, so that choosing an account or a role does not rerun the page (and close
# the section) before the button is pressed.
with st.expander("Give or take away a role", icon=":material/badge:"):
    with st.form("grant_role_form", border=False):
        c1, c2 = st.columns(2)
        who = c1.selectbox("Account", names, index=None, key="grant_user")
        role = c2.selectbox("Role", GRANTABLE_ROLES, format_func=ROLE_LABELS.get, key="grant_role")
        org_id = c1.selectbox(
            "Organisation", list(orgs), format_func=orgs.get, index=None, key="grant_org"
        )
        audit_id = c2.selectbox(
            "Only this audit (optional)",
            [None, *audits],
            format_func=lambda a: "All its audits" if a is None else audits[a],
            key="grant_audit",
        )
        b1, b2 = st.columns(2)
        give = b1.form_submit_button("Give role", type="primary")
        take = b2.form_submit_button("Take role away")
    if (give or take) and not who:
        st.error("Choose the account first.")
    elif give or take:
        try:
            with _shared.db() as session:
                org = repo.get_organisation(session, org_id) if org_id else None
                audit = repo.get_audit(session, audit_id) if audit_id else None
                if give:
                    grant_role(session, who, role, organisation=org, audit=audit)
                    _shared.flash(f"{who} is now {ROLE_LABELS[role]}.")
                else:
                    revoke_role(session, who, role, organisation=org, audit=audit)
                    _shared.flash(f"{who} is no longer {ROLE_LABELS[role]} there.")
            st.rerun()
        except SgauditError as exc:
            st.error(str(exc))

with st.expander("Disable or enable an account", icon=":material/block:"):
    with st.form("disable_form", border=False):
        target = st.selectbox("Account", names, index=None, key="disable_user")
        d1, d2 = st.columns(2)
        disable = d1.form_submit_button("Disable")
        enable = d2.form_submit_button("Enable")
    if (disable or enable) and not target:
        st.error("Choose the account first.")
    elif disable or enable:
        with _shared.db() as session:
            set_disabled(session, target, disable)
        _shared.flash(
            f"'{target}' can no longer sign in." if disable else f"'{target}' can sign in again."
        )
        st.rerun()
