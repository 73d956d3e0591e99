"""Double scoring: the second auditor scores an interview blind; agreement; moderation.

The lead auditor captures the interview on the Interview page as usual. Here the
interview is marked double-scored, the second auditor gives their own answers
(never shown the lead's; each saved as it is chosen, see `_second_scores`), and once
both have finished the agreement per theme and
the moderation list appear; the lead auditor settles each item two or more points apart.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _second_scores, _shared, _tables
from sgaudit import printed
from sgaudit.analysis.agreement import READING_NOTE, alpha_reading
from sgaudit.errors import SgauditError
from sgaudit.store import double_scoring as ds
from sgaudit.store import repo
from sgaudit.store.capture import interview_for_capture
from sgaudit.store.moderation import audit_agreement, moderate


def _do(step, message: str) -> None:
    try:
        with _shared.db() as session:
            step(session)
    except SgauditError as exc:
        _shared.show_error(exc)
        return
    _shared.flash(message)
    st.rerun()


st.title("Double scoring")
audit_id = _audit_choice.require_audit()
_shared.show_flash()
actor = _audit_choice.actor()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    qs = repo.audit_question_set(audit)
    interviews = [
        (
            iv.id,
            iv.code,
            iv.tier,
            iv.double_scored,
            iv.second_scorer,
            iv.completed,
            iv.second_completed,
        )
        for iv in repo.list_interviews(session, audit)
    ]
    agreement = audit_agreement(session, audit)
    lead = audit.auditor_1

if not interviews:
    st.info("This audit has no interviews yet.")
    st.stop()

st.caption(
    f"Working as **{_shared.literal(actor or 'nobody (choose in the sidebar)')}**. Neither "
    "auditor sees the other's answers until both have finished the interview."
)
labels = {
    row[0]: f"{row[1]} ({_shared.tier_label(row[2])})" + (" - double-scored" if row[3] else "")
    for row in interviews
}
chosen = st.selectbox("Interview", list(labels), format_func=labels.__getitem__)
iv_id, code, tier, double, scorer, lead_done, second_done = next(
    r for r in interviews if r[0] == chosen
)

if not double:
    if st.button("Mark as double-scored"):
        _do(
            lambda s: ds.mark_double_scored(s, interview_for_capture(s, iv_id), actor=actor),
            f"{code} is double-scored.",
        )
elif actor == scorer and not second_done:
    st.subheader(f"Your scores for {code}")
    _second_scores.scoring_form(iv_id, tier, qs)
    if st.button("Save and finish", type="primary"):
        question_ids = _second_scores.question_ids(qs, tier)

        def _finish(s):
            _second_scores.save_unsaved(s, iv_id, question_ids)
            ds.set_second_completed(s, interview_for_capture(s, iv_id), actor=actor)

        _do(_finish, "Your scores are saved. Scoring finished.")
else:
    state = []
    state.append("the lead's capture is complete" if lead_done else "the lead is still capturing")
    state.append(f"{scorer} has finished" if second_done else f"{scorer} is still scoring")
    st.info(f"{code} is double-scored: " + "; ".join(state) + ".")

st.subheader("Agreement")
if agreement.interviews == 0:
    st.caption("No double-scored interview is finished by both auditors yet.")
else:
    titles = {t.id: t.title for t in qs.themes}
    table = agreement.table.assign(
        theme=agreement.table["theme"].map(lambda t: titles.get(t, "Overall")),
        reading=agreement.table["alpha"].map(alpha_reading),
    )
    # The reading beside alpha, what it qualifies; the count of items far apart last.
    table = table[
        [*table.columns.drop(["reading", "two_or_more_apart"]), "reading", "two_or_more_apart"]
    ]
    # Read-only, a row per theme and the overall: a table that wraps shows every row
    # (the last, Overall, was behind an inner scroll) and every column.
    _tables.static_table(
        table.rename(
            columns={
                "theme": "Theme",
                "items": "Items",
                "complete_pairs": "Complete pairs",
                "percent_agreement": "% the same",
                "kappa": "Weighted kappa",
                "alpha": "Krippendorff's alpha",
                "reading": "Reading",
                "two_or_more_apart": "2+ points apart",
            }
        ),
        {"% the same": "{:.1f}", "Weighted kappa": "{:.2f}", "Krippendorff's alpha": "{:.2f}"},
    )
    st.caption(
        f"{printed.count(agreement.interviews, 'interview')} double-scored; "
        f"{printed.count(agreement.moderated, 'item')} moderated. {READING_NOTE}"
    )

    st.subheader("Moderation")
    mod = agreement.moderation
    if mod.empty:
        st.caption("No item was scored two or more points apart.")
    else:
        # Read-only: a table that wraps shows each reason whole.
        _tables.static_table(
            pd.DataFrame(
                {
                    "Interview": mod["interview_id"],
                    "Question": mod["question_id"],
                    "Lead": mod["first"],
                    "Second": mod["second"],
                    "Agreed": mod["agreed"],
                    "Reason": mod["reason"],
                }
            )
        )
        open_items = mod[mod["agreed"] == ""]
        if len(open_items) and actor == lead:
            keys = [f"{r.interview_id} {r.question_id}" for r in open_items.itertuples()]
            item = st.selectbox("Item to moderate", keys)
            iv_code, qid = item.split(" ")
            with st.form("moderate"):
                agreed = st.selectbox("Agreed answer", qs.allowed_answers(qid))
                reason = st.text_input("Reason")
                if st.form_submit_button("Record the agreed score"):
                    by_code = {r[1]: r[0] for r in interviews}

                    def _moderate(s):
                        moderate(
                            s,
                            interview_for_capture(s, by_code[iv_code]),
                            qid,
                            agreed,
                            reason=reason,
                            actor=actor,
                        )

                    _do(_moderate, f"{item}: agreed {agreed}.")
        elif len(open_items):
            st.caption(
                f"{printed.count(len(open_items), 'item')} "
                f"{'waits' if len(open_items) == 1 else 'wait'} for the lead auditor ({lead})."
            )
