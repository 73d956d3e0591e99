"""Review & sign-off: the audit's path draft -> in review -> final, and its versions.

The second auditor signs off or sends back each finding, the analysis and the
recommendations; the lead auditor confirms final; a final audit is reopened as a new
version. Who acts is the sidebar's "Working as" name; the library checks it against
the audit's auditors and records it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit import issuing, printed
from sgaudit.errors import SgauditError
from sgaudit.store import repo
from sgaudit.vocab import AUDIT_STATUS_LABELS

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _act(step, message: str) -> None:
    try:
        with _shared.db() as session:
            step(session, repo.get_audit(session, audit_id))
    except SgauditError as exc:
        _shared.show_error(exc)
        return
    _shared.flash(message)
    st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _issued_report(url: str, audit_id: int, version: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp, _shared.db() as session:
        path = issuing.reissue_report(session, audit_id, version, Path(tmp) / "report.docx")
        return path.read_bytes()


st.title("Review & sign-off")
audit_id = _audit_choice.require_audit()
_shared.show_flash()
actor = _audit_choice.actor()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    status, version = audit.status, audit.version
    lead, second = audit.auditor_1, audit.auditor_2
    items = issuing.review_items(session, audit)
    state = {
        k: (r.decision, r.comment, r.actor) for k, r in repo.review_state(session, audit).items()
    }
    returned = repo.sent_back_items(session, audit)  # as the Findings page shows them
    blockers = issuing.final_blockers_for(session, audit, items) if status == "in_review" else []
    history = repo.issued_versions(session, audit)

st.markdown(
    f"**{AUDIT_STATUS_LABELS.get(status, status)}**, version {version}. "
    f"Lead auditor: {_shared.literal(lead or 'not named')}; second auditor: "
    f"{_shared.literal(second or 'not named')}. You are working as "
    f"**{_shared.literal(actor or 'nobody (choose in the sidebar)')}**."
)

sent_back = [
    (item.label, returned[item.key].comment, returned[item.key].actor)
    for item in items
    if item.key in returned
]
if status == "draft" and sent_back:
    # what the second auditor sent back, in full, where the lead looks first
    st.warning(
        "Sent back by the second auditor, to change before submitting again:\n\n"
        + "\n".join(
            f"- **{_shared.literal(label)}** ({_shared.literal(who)}): {_shared.literal(comment)}"
            for label, comment, who in sent_back
        ),
        icon=":material/undo:",
    )
elif status == "draft":
    st.info("A draft is still being written. Submit it when the second auditor should review it.")
if status == "draft" and (not lead or actor == lead):  # only the lead submits
    if st.button("Submit for review", type="primary"):
        _act(
            lambda s, a: repo.submit_for_review(s, a, actor=actor),
            f"Version {version} is in review.",
        )

if status in ("in_review", "draft"):
    st.subheader("What the second auditor reviews")
    rows = []
    for item in items:
        decision, comment, who = state.get(item.key, ("", "", ""))
        rows.append(
            {
                "Item": item.label,
                "State": {"signed_off": "Signed off", "sent_back": "Sent back"}.get(
                    decision, "To review"
                ),
                "By": who,
                "Comment": comment,
            }
        )
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", height=_tables.table_height(len(rows))
    )

if status == "in_review":
    keys = [i.key for i in items]
    labels = {i.key: i.label for i in items}
    with st.form("review_item", clear_on_submit=True):
        chosen = st.selectbox("Item", keys, format_func=labels.__getitem__)
        decision = st.radio(
            "Decision",
            ["signed_off", "sent_back"],
            horizontal=True,
            format_func={
                "signed_off": "Sign off",
                "sent_back": "Send back to the lead",
            }.__getitem__,
        )
        comment = st.text_area("Comment (needed to send back)")
        if st.form_submit_button("Record the decision"):
            _act(
                lambda s, a: repo.review_item(
                    s, a, chosen, decision, comment=comment, actor=actor, known_items=keys
                ),
                "Decision recorded.",
            )
    unsigned = [k for k in keys if state.get(k, ("",))[0] != "signed_off"]
    if unsigned and st.button(f"Sign off the {printed.count(len(unsigned), 'remaining item')}"):

        def _sign_all(s, a):
            for key in unsigned:
                repo.review_item(s, a, key, "signed_off", actor=actor, known_items=keys)

        _act(_sign_all, "All items signed off.")

    st.subheader("Final")
    if blockers:
        st.warning("Not ready to be made final:\n" + "\n".join(f"- {b}" for b in blockers))
    else:
        st.success(
            "Everything is signed off. The lead auditor can confirm it as final; "
            "it is then locked, and this version's report is kept as issued."
        )
    if st.button("Confirm as final (lead auditor)", type="primary", disabled=bool(blockers)):
        _act(lambda s, a: issuing.finalise(s, a.id, actor=actor), f"Version {version} is final.")

if status == "final":
    st.success(
        f"Version {version} is final and locked: answers, findings, recommendations "
        "and registers cannot change. Reopen it to make a new version."
    )
    with st.form("reopen"):
        reason = st.text_input("Why must it change?")
        if st.form_submit_button("Reopen as a new version"):
            _act(
                lambda s, a: repo.reopen(s, a, actor=actor, reason=reason),
                "Reopened as a new version (a draft).",
            )

st.subheader("Issued versions")
if not history:
    st.caption("No version issued yet.")
for v in history:
    cols = st.columns([3, 1])
    cols[0].markdown(
        f"**{v.version}**, {v.issued_at:%d %B %Y %H:%M}: issued by "
        f"{_shared.literal(v.issued_by)}, reviewed by {_shared.literal(v.reviewed_by or '-')}. "
        f"{_shared.literal(v.reason)}"
    )
    try:
        data = _issued_report(_shared.database_url(), audit_id, v.version)
    except SgauditError as exc:
        cols[1].caption(str(exc))
    else:
        cols[1].download_button(
            f"Report {v.version}",
            data,
            file_name=f"report-{v.version}.docx",
            mime=DOCX_MIME,
            key=f"issued:{v.version}",
        )
