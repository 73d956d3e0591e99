"""The Findings page's two forms of the auditors' own words: their four-part analysis of a
finding or theme, and the reason a Medium or High finding has no recommendation. Each
is saved as written, by whoever is working as an auditor, unless the audit is locked."""

from __future__ import annotations

import streamlit as st

from app_pages import _audit_choice, _shared
from sgaudit.errors import SgauditError
from sgaudit.store import repo

ANALYSIS_FIELDS = (
    ("seen", "What we saw", "What we saw and heard, and where."),
    ("why", "Why it happens", "The conditions, pressures, culture and systems behind it: "
     "why people act as they do, without hindsight or blame."),
    ("impact", "Impact on people who use services", "What it means for them."),
    ("helps", "What helps", "Strengths to build on."),
)


def analysis_form(
    audit_id: int, subject: str, label: str, current: repo.AnalysisText | None, locked: bool
) -> None:
    """The auditors' four-part analysis of a finding or theme (`subject`); saved as written.
    `current`: what is stored (None: nothing yet); `locked`: shown, but not saved."""
    current = current or repo.AnalysisText()
    state = "written" if current.written else "still to be written"
    with st.expander(f"{label} ({state})", icon=":material/psychology:"):
        with st.form(f"analysis:{subject}", border=False):
            values = {
                part: st.text_area(title, value=getattr(current, part), help=help_text,
                                   height=90, key=f"an:{part}:{subject}")
                for part, title, help_text in ANALYSIS_FIELDS
            }
            if st.form_submit_button("Save analysis", type="primary", disabled=locked):
                try:
                    with _shared.db() as session:
                        repo.save_auditor_analysis(
                            session, repo.get_audit(session, audit_id), subject,
                            repo.AnalysisText(**{k: v.strip() for k, v in values.items()}),
                            actor=_audit_choice.actor(),
                        )
                except SgauditError as exc:
                    st.error(str(exc))
                else:
                    _shared.flash("Analysis saved.")
                    st.rerun()


def reason_form(audit_id: int, key: str, current: str, locked: bool) -> None:
    """Why a Medium or High finding (`key`) has no recommendation (else the audit cannot be
    final). `current`: the reason stored ("" for none)."""
    with st.popover("No recommendation?" if not current else "No recommendation: reason given",
                    icon=":material/block:"):
        with st.form(f"reason:{key}", border=False):
            text = st.text_area("Why this finding has no recommendation", value=current,
                                key=f"reason_text:{key}", height=90,
                                help="Every Medium or High finding needs a recommendation on "
                                "its theme or a reason here before the audit can be final.")
            if st.form_submit_button("Save reason", type="primary", disabled=locked):
                with _shared.db() as session:
                    repo.set_no_recommendation_reason(
                        session, repo.get_audit(session, audit_id), key, text,
                        actor=_audit_choice.actor())
                _shared.flash("Reason saved.")
                st.rerun()
