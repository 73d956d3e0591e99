"""What the second auditor sent back, said where the lead auditor changes it.

The Findings page shows each sent-back finding's note on its card, and the analysis's
and the recommendations' on their tabs; the Review page lists them all. Both read the
store's one answer, `repo.sent_back_items`.
"""

from __future__ import annotations

import streamlit as st

from app_pages._shared import literal
from sgaudit import printed
from sgaudit.store.workflow import ANALYSIS_ITEM, RECOMMENDATIONS_ITEM, SentBack


def note(sent: SentBack) -> str:
    """Markdown: who sent it back, when, and their comment as typed (never as markup)."""
    who = literal(sent.actor) if sent.actor else "the second auditor"
    return (
        f"**Sent back by {who}** on {sent.at:%d %B %Y at %H:%M} UTC: "
        f"{literal(sent.comment)}"
    )


def show(sent: SentBack | None) -> None:
    """The note of one sent-back item, if it was sent back."""
    if sent is not None:
        st.warning(note(sent), icon=":material/undo:")


def where_to_look(sent: dict[str, SentBack]) -> None:
    """At the top of the Findings page in draft: what came back, and where each says why."""
    findings = [k for k in sent if k not in (ANALYSIS_ITEM, RECOMMENDATIONS_ITEM)]
    parts = []
    if findings:
        cards = "its card" if len(findings) == 1 else "each one's card"
        parts.append(f"{printed.count(len(findings), 'finding')} (the note is on {cards})")
    if ANALYSIS_ITEM in sent:
        parts.append("the analysis (the note is on **Theme analysis**)")
    if RECOMMENDATIONS_ITEM in sent:
        parts.append("the recommendations (the note is on **Recommendations**)")
    if parts:
        them = "it" if len(sent) == 1 else "them"
        st.warning(
            "The second auditor sent back " + "; ".join(parts) + f". Change {them} here, "
            "then submit the audit again on **Review & sign-off**.",
            icon=":material/undo:",
        )
