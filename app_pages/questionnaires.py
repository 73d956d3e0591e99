"""Questionnaires: browse a question library by theme and tier, with codes and prompts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit import printed
from sgaudit.errors import SgauditError
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.vocab import TIERS

st.title("Questionnaires")
st.caption(
    "The questions asked at each tier of the golden thread, with the auditor's prompts, "
    "the evidence to look for and the weaknesses each question helps detect."
)

SOURCES = ["The chosen audit's question set", "The core question set", "A folder"]
audit_id = _audit_choice.current_audit_id()
source = st.radio(
    "Question set",
    SOURCES if audit_id is not None else SOURCES[1:],
    horizontal=True,
    help="An audit keeps the exact question set it was created with, even if the files change.",
)
try:
    if source == SOURCES[0]:
        with _shared.db() as session:
            question_set = repo.audit_question_set(repo.get_audit(session, audit_id))
    elif source == SOURCES[1]:
        question_set = load_question_set()
    else:
        folder = st.text_input("Folder of a question set", placeholder="/path/to/my_set")
        if not folder.strip():
            st.stop()
        question_set = load_question_set(folder.strip())
except SgauditError as exc:
    _shared.show_error(exc)
    st.stop()

st.markdown(f"**{question_set.title}** · `{question_set.id}` version {question_set.version}")
if question_set.description:
    st.caption(question_set.description)

titles = {t.id: t.title for t in question_set.themes}
asked_tiers = [t for t in TIERS if question_set.questions_for_tier(t)]
c1, c2, c3 = st.columns([2, 2, 2])
theme = c1.selectbox(
    "Theme", [None, *titles], format_func=lambda t: "All themes" if t is None else titles[t]
)
tier = c2.selectbox(
    "Tier", [None, *asked_tiers],
    format_func=lambda t: "All tiers" if t is None else _shared.tier_label(t),
)
search = c3.text_input("Search wording, prompts or codes", placeholder="e.g. DBS or LOS-2")

theme_order = {t: i for i, t in enumerate(titles)}
questions = sorted(
    (
        q for q in question_set.questions
        if (theme is None or q.theme == theme) and (tier is None or tier in q.tier_ids)
    ),
    key=lambda q: theme_order.get(q.theme, len(theme_order)),
)
if search.strip():
    needle = search.strip().lower()
    questions = [
        q for q in questions
        if needle in " ".join(
            [q.id, *q.detects, *(t.text for t in q.tiers), *q.prompts, *q.evidence]
        ).lower()
    ]

overview = pd.DataFrame(
    [
        {
            "theme": titles.get(q.theme, q.theme),
            "question": q.id,
            **{_shared.tier_label(t): ("✓" if t in q.tier_ids else "") for t in asked_tiers},
            "aspect": q.aspect,
            "detects": ", ".join(q.detects),
        }
        for q in questions
    ]
)
st.markdown(f"**{printed.count(len(questions), 'question')}**")
if questions:
    with st.expander("Which tiers each question is asked of", expanded=False):
        st.dataframe(overview, hide_index=True, width="stretch",
                     height=_tables.table_height(len(overview)))

for q in questions:
    scale = question_set.scales[q.scale]
    wording = q.wording(tier) if tier else q.tiers[0].text
    short = wording if len(wording) <= 110 else wording[:108].rsplit(" ", 1)[0] + " …"
    with st.expander(f"**{q.id}** · {titles.get(q.theme, q.theme)} · {short}"):
        st.markdown(
            f"Scale: **{scale.label}**"
            + (" (reverse-scored)" if q.reverse else "")
            + f" · aspect: **{q.aspect}** · weight {q.weight:g}"
        )
        for wording in q.tiers:
            if tier is None or wording.tier == tier:
                st.markdown(f"*{_shared.tier_label(wording.tier)}*: {wording.text}")
        left, right = st.columns(2)
        with left:
            if q.prompts:
                st.markdown("**Prompts**\n" + "\n".join(f"- {p}" for p in q.prompts))
            if q.evidence:
                st.markdown("**Evidence to look for**\n" + "\n".join(f"- {e}" for e in q.evidence))
        with right:
            if q.detects:
                st.markdown(
                    "**Helps detect**\n"
                    + "\n".join(f"- `{c}` {question_set.codes.get(c, '')}" for c in q.detects)
                )
            if q.questions_to_consider:
                st.markdown(
                    "**Questions for the board to consider**\n"
                    + "\n".join(f"- {x}" for x in q.questions_to_consider)
                )
            if q.mappings:
                st.markdown(
                    "**Mappings**: "
                    + "; ".join(f"{k}: {', '.join(v)}" for k, v in q.mappings.items())
                )
