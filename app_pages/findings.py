"""Findings & recommendations: the auditors' decisions, which the report uses.

The analysis proposes findings; here the auditors accept them, reword them, dismiss
them or add their own (`repo.review_finding` / `repo.add_own_finding`), and write the
recommendations (`repo.save_recommendation`). Each decision is saved when it is made.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import (
    _audit_choice,
    _finding_forms,
    _recommendations,
    _sent_back,
    _shared,
    _tables,
)
from sgaudit import printed
from sgaudit.analysis.flags import why_not_a_finding
from sgaudit.errors import SgauditError
from sgaudit.report import unsettled
from sgaudit.report.findings_view import evidence_rows
from sgaudit.store import repo
from sgaudit.vocab import FINDING_KIND_LABELS, SEVERITIES, TIERS, tier_short_label

STATUS_LABELS = {
    None: "to review",
    "accepted": "accepted",
    "edited": "reworded",
    "dismissed": "dismissed",
    "added": "auditors' own",
}
SEVERITY_BADGE = {"high": "red", "medium": "orange", "low": "blue"}
PRIORITIES = ["high", "medium", "low"]
# Taller than Streamlit's one line, so a data editor wraps its text (it does past 64 px).
CARRIED_ROW_HEIGHT = 96


def decide(audit_id: int, finding, status: str, summary: str | None = None,
           severity: str | None = None) -> None:
    """Record the auditors' decision on a proposed (or their own) finding."""
    try:
        with _shared.db() as session:
            repo.review_finding(
                session,
                repo.get_audit(session, audit_id),
                finding["key"],
                kind=finding["kind"],
                theme=finding["theme"],
                status=status,
                summary=summary if summary is not None else finding["summary"],
                severity=severity or finding["severity"],
                service_areas=finding["service_areas"],
                tiers=finding["tiers"],
                actor=_audit_choice.actor(),
            )
    except SgauditError as exc:
        st.session_state["sg_findings_error"] = str(exc)
    else:
        st.session_state.pop("sg_findings_error", None)


st.title("Findings & recommendations")
audit_id = _audit_choice.require_audit()
_shared.show_flash()
analysis = _shared.analysis(audit_id)
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    question_set = repo.audit_question_set(audit)
    areas = audit.organisation.area_names
    audit_status, version = audit.status, audit.version
    reviews = {
        key: {
            "key": key, "kind": r.kind, "theme": r.theme, "status": r.status,
            "summary": r.summary, "severity": r.severity,
            "service_areas": list(r.service_areas or []), "tiers": list(r.tiers or []),
        }
        for key, r in repo.finding_reviews(session, audit).items()
    }
    recommendations = repo.list_recommendations(session, audit)
    analyses = repo.auditor_analyses(session, audit)
    reasons = repo.no_recommendation_reasons(session, audit)
    sent_back = repo.sent_back_items(session, audit)  # the second auditor's, with why
titles = {t.id: t.title for t in question_set.themes}
# what the second auditor signs off is locked in review, and everything once final
locked = audit_status in ("in_review", "final")
if audit_status == "in_review":
    st.info(
        "In review: the second auditor is signing off these findings, the analysis and the "
        "recommendations as they stand, so they cannot be changed now. The second auditor "
        "sends back what is to change (Review & sign-off), and the audit returns to draft.",
        icon=":material/lock:",
    )
elif audit_status == "draft":
    _sent_back.where_to_look(sent_back)
elif audit_status == "final":
    st.info(
        f"Final (version {version}): nothing here can be changed. To change it, reopen "
        "it as a new version on Review & sign-off.",
        icon=":material/lock:",
    )
if st.session_state.get("sg_findings_error"):
    st.error(st.session_state.pop("sg_findings_error"))

findings_tab, unsettled_tab, own_tab, themes_tab, recs_tab = st.tabs(
    ["Proposed findings", "Not settled", "Add your own finding", "Theme analysis",
     "Recommendations"],
    key="findings_tabs", on_change="rerun",  # a save keeps the auditor on their tab
)
def finding_card(f: dict, evidence: dict, quotes: list[str], proposed: bool,
                 tentative: bool = False) -> None:
    """One finding to review. `tentative`: worth exploring, not a finding, so it has no
    analysis of its own and needs no recommendation."""
    review = reviews.get(f["key"])
    status = review["status"] if review else None
    wording = review["summary"] if review and review["summary"] else f["summary"]
    severity = review["severity"] if review else f["severity"]
    kind = FINDING_KIND_LABELS.get(f["kind"], "Auditors' finding")
    with st.container(border=True):
        head, state = st.columns([5, 1])
        where = [titles.get(f["theme"], f["theme"])]
        if f["service_areas"]:
            where.append(", ".join(f["service_areas"]))
        if f["tiers"]:
            where.append(", ".join(tier_short_label(t) for t in f["tiers"]))
        badge = (":violet-badge[worth exploring]" if tentative
                 else f":{SEVERITY_BADGE.get(severity, 'gray')}-badge[{severity}]")
        head.markdown(f"{badge} :gray-badge[{kind}] **{_shared.literal(' · '.join(where))}**")
        colour = {"accepted": "green", "edited": "blue", "added": "violet"}.get(status, "gray")
        label = STATUS_LABELS.get(status, status)
        if tentative:
            label = {"accepted": "kept", "dismissed": "left out"}.get(status, label)
        state.markdown(f":{colour}-badge[{label}]")
        if status == "dismissed":
            st.markdown(f"~~{_shared.literal(wording)}~~")
        else:
            st.markdown(_shared.literal(wording))
        if status == "edited" and wording != f["summary"]:
            st.caption(f"Proposed wording: {_shared.literal(f['summary'])}")
        if tentative and f.get("certainty_note"):
            st.caption(f"Why it is not a finding: {why_not_a_finding(f['certainty_note'])}.")
        _sent_back.show(sent_back.get(f["key"]))
        if evidence or quotes:
            with st.expander("The numbers behind it"
                             + (f" and {printed.count(len(quotes), 'quote')}" if quotes else "")):
                if evidence:
                    rows = evidence_rows(evidence)
                    st.dataframe(pd.DataFrame(rows), hide_index=True,
                                 height=_tables.table_height(len(rows)))
                for q in quotes:
                    st.markdown(f"> {_shared.literal(q)}")
        key = f["key"]
        if status != "dismissed" and not tentative:
            _finding_forms.analysis_form(
                audit_id, key, "Our analysis", analyses.get(key), locked
            )
            if severity in ("high", "medium"):
                _finding_forms.reason_form(audit_id, key, reasons.get(key, ""), locked)
        row = st.container(horizontal=True)
        if proposed:
            row.button("Keep" if tentative else "Accept", key=f"acc:{key}",
                       icon=":material/check:",
                       disabled=status == "accepted" or locked, on_click=decide,
                       # the wording shown, which may be the auditors' own
                       args=(audit_id, f, "accepted", wording, severity))
        row.button("Leave out" if tentative else "Dismiss" if proposed else "Remove",
                   key=f"dis:{key}",
                   icon=":material/close:", disabled=status == "dismissed" or locked,
                   on_click=decide,
                   args=(audit_id, f, "dismissed", wording, severity))
        with row.popover("Edit wording", icon=":material/edit:", disabled=locked):
            with st.form(f"edit:{key}", border=False):
                new_text = st.text_area("Wording for the report", value=wording, height=140,
                                        key=f"wording:{key}")
                new_severity = st.selectbox("Severity", SEVERITIES,
                                            index=list(SEVERITIES).index(severity),
                                            key=f"severity:{key}")
                if st.form_submit_button("Save wording", type="primary",
                                         key=f"save_wording:{key}"):
                    decide(audit_id, f, "edited" if proposed else "added", new_text,
                           new_severity)
                    st.rerun()


with findings_tab:
    proposed = analysis.findings
    if not proposed:
        st.info("The analysis proposes no findings yet. They appear as interviews are "
                "captured; you can add your own at any time.")
    else:
        counts = {s: 0 for s in STATUS_LABELS}
        for f in proposed:
            counts[reviews.get(f.key, {}).get("status")] += 1
        came_back = {f.key for f in proposed if f.key in sent_back}
        st.caption(
            f"{len(proposed)} proposed · {counts[None]} to review · "
            f"{counts['accepted'] + counts['edited']} kept · {counts['dismissed']} dismissed"
            + (f" · {len(came_back)} sent back" if came_back else "")
            + ". The report includes accepted and reworded findings, and any not yet "
            "reviewed; dismissed ones are left out."
        )
        # wide enough for every choice of Show, "Sent back" among them, on one line
        left, right = st.columns([3, 2] if came_back else [2, 3], vertical_alignment="bottom")
        with left:
            # "Sent back" while any is: the lead goes straight to what came back
            choices = ["Sent back"] * bool(came_back) + ["To review", "Kept", "Dismissed", "All"]
            if st.session_state.get("findings_show") not in (*choices, None):
                del st.session_state["findings_show"]  # nothing is sent back any more
            show = st.segmented_control(
                "Show", choices, default="All", key="findings_show"
            ) or "All"
        theme_filter = right.multiselect("Themes", list(titles), format_func=titles.get,
                                         placeholder="All themes", key="findings_themes")
        wanted = {"To review": {None}, "Kept": {"accepted", "edited"},
                  "Dismissed": {"dismissed"}}.get(show)
        for f in proposed:
            status = reviews.get(f.key, {}).get("status")
            if wanted is not None and status not in wanted:
                continue
            if show == "Sent back" and f.key not in came_back:
                continue
            if theme_filter and f.theme not in theme_filter:
                continue
            finding_card(f.model_dump(), dict(f.evidence), list(f.quotes), proposed=True)

with unsettled_tab:
    st.caption("What the people heard could not settle either way, as the report's section "
               "\u201cWhat the analysis could not settle\u201d shows it: no silence in the "
               "report is read as all being well.")
    st.subheader("Worth exploring")
    if analysis.worth_exploring:
        st.caption("As large as a finding but too few people to be sure, or a call close to "
                   "the line: questions to probe in the next conversation. Leave out one you "
                   "have looked into and settled; the report then leaves it out.")
        for f in analysis.worth_exploring:
            finding_card(f.model_dump(), dict(f.evidence), list(f.quotes), proposed=True,
                         tentative=True)
    else:
        st.write(unsettled.NONE_AROSE)
    # The report's notes: tiers not assessable or pooled, then each tier heard in fewer
    # voices than the fieldwork guide asks (the Interview page plans against the same).
    notes = [n.summary for n in [*analysis.not_assessable, *analysis.pooled]]
    notes += _shared.fieldwork_shortfalls(audit_id)
    if notes:
        st.subheader("Groups heard too few, or assessed together")
        st.markdown("\n".join(f"- {_shared.literal(n)}" for n in notes))
    # The report's own words and rows (worth exploring is reviewed on the cards above).
    section = unsettled.unsettled_section(analysis, {}, titles)
    if section.reach:
        st.subheader("How large a difference had to be to show")
    for intro, rows, columns in ((section.reach_intro, section.reach, unsettled.REACH_COLUMNS),
                                 (section.area_intro, section.area_reach,
                                  unsettled.AREA_COLUMNS)):
        if rows:
            st.caption(intro)
            table = pd.DataFrame([r.model_dump() for r in rows]).rename(columns=columns)
            st.table(table.set_index(columns["pair"]))
    if section.organisation_reach:
        st.markdown(_shared.literal(section.organisation_reach))

with own_tab:
    with st.form("own_finding", clear_on_submit=True, enter_to_submit=False):
        theme = st.selectbox("Theme", list(titles), format_func=titles.get)
        summary = st.text_area("Finding, as it should read in the report", height=120)
        c1, c2, c3 = st.columns(3)
        severity = c1.selectbox("Severity", SEVERITIES, index=1)
        own_areas = c2.multiselect("Service areas (none = organisation-wide)", areas)
        own_tiers = c3.multiselect("Tiers", TIERS, format_func=_shared.tier_label)
        if st.form_submit_button("Add finding", type="primary", disabled=locked):
            if not summary.strip():
                st.error("Write the finding first.")
            else:
                with _shared.db() as session:
                    repo.add_own_finding(
                        session, repo.get_audit(session, audit_id), theme=theme,
                        summary=summary.strip(), severity=severity, service_areas=own_areas,
                        tiers=own_tiers, actor=_audit_choice.actor(),
                    )
                _shared.flash("Finding added.")
                st.rerun()
    own = [r for r in reviews.values() if r["kind"] == "auditor"]
    for r in own:
        finding_card(r, {}, [], proposed=False)


with themes_tab:
    st.caption("The auditors' analysis of each theme as a whole, printed at the start of "
               "its section in the report. The same text can be edited in a file: "
               "`sgaudit findings export` / `sgaudit findings import`.")
    _sent_back.show(sent_back.get(_sent_back.ANALYSIS_ITEM))
    for theme_id, theme_title in titles.items():
        subject = repo.theme_subject(theme_id)
        _finding_forms.analysis_form(
            audit_id, subject, theme_title, analyses.get(subject), locked
        )


with recs_tab:
    _sent_back.show(sent_back.get(_sent_back.RECOMMENDATIONS_ITEM))
    for problem in st.session_state.pop("sg_rec_problems", []):
        st.error(f"Not saved: {problem}")
    # Not `required`: the table would hold back a row without a theme silently; the save
    # names it instead.
    theme_column = st.column_config.SelectboxColumn(
        "theme", options=list(titles), format_func=titles.get
    )
    common = {
        "id": None,
        "finding_key": None,
        "theme": theme_column,
        "text": st.column_config.TextColumn("recommendation", width="large", required=True),
        "priority": st.column_config.SelectboxColumn("priority", options=PRIORITIES,
                                                     required=True, default="medium"),
        "owner": st.column_config.TextColumn("owner"),
        "due date": st.column_config.DateColumn("due date", format="DD/MM/YYYY",
                                                min_value=date(2000, 1, 1)),
        "measure of success": st.column_config.TextColumn(
            "measure of success", help="How the board will know it worked."),
    }
    carried = [r for r in recommendations if r.carried_from_id]
    own_recs = [r for r in recommendations if not r.carried_from_id]
    st.subheader("This audit's recommendations")
    st.caption("Add a row for each recommendation (theme, text, priority, owner, due date), "
               "then **Save recommendations**. The action plan in the report lists them.")
    original = _recommendations.rec_frame(own_recs)
    edited = st.data_editor(
        original.drop(columns=["follow-up", "review", "evidence", "reviewed on"]),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        height=_tables.table_height(len(original) + 1),  # and the row to add one
        column_config=common,
        key=f"recs:{audit_id}",
    )
    if st.button("Save recommendations", type="primary", key="save_recs", disabled=locked):
        edited = edited.assign(**{"follow-up": "", "review": None, "evidence": "",
                                  "reviewed on": None})
        _recommendations.save_recommendations(audit_id, edited, original)
        st.rerun()

    if carried:
        st.subheader("Carried over from the previous audit")
        st.caption("Review each earlier recommendation: achieved, partly achieved, not "
                   "achieved or no longer relevant, with the evidence and the date. One not "
                   "yet achieved stays in the action plan and needs a new due date after "
                   "the report date; an achieved one leaves the plan. The report's progress "
                   "table shows them all.")
        carried_frame = _recommendations.rec_frame(carried)
        edited_carried = st.data_editor(
            carried_frame,
            hide_index=True,
            width="stretch",
            height=_tables.table_height(len(carried_frame)),
            # What the auditor fills in first, beside the recommendation it is about; the
            # rest (kept from last time, editable for a new due date) after it.
            column_order=_recommendations.CARRIED_ORDER,
            # Rows tall enough to wrap: the recommendation and its evidence read whole.
            row_height=CARRIED_ROW_HEIGHT,
            column_config=common | {
                "text": st.column_config.TextColumn("recommendation", width=270),
                "review": st.column_config.SelectboxColumn(
                    "review", options=list(repo.REVIEW_STATUSES),
                    format_func=repo.REVIEW_STATUSES.get, width=125),
                "evidence": st.column_config.TextColumn("evidence", width=270),
                "reviewed on": st.column_config.DateColumn("reviewed on", format="DD/MM/YYYY",
                                                           width=110),
            },
            disabled=["theme", "text"],
            key=f"carried:{audit_id}",
        )
        if st.button("Save reviews", type="primary", key="save_carried", disabled=locked):
            _recommendations.save_recommendations(audit_id, edited_carried, carried_frame)
            st.rerun()
