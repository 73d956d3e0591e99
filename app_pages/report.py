"""Report: generate and download the board's Word report (optionally compared, custom template).

The report uses the auditors' reviewed findings and recommendations (Findings &
recommendations page). A custom template is checked by opening it before it is used;
a file that is not a usable Word template is refused and nothing changes.

A final audit has one board report, the version issued when it was made final: this
page then shows that version's summary and gives its document exactly as issued to
everyone who may download the report (lead, auditors, trustees); nothing is generated
afresh, so nobody gets a different "final" report.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit import issuing
from sgaudit.errors import SgauditError
from sgaudit.report import build as report_build
from sgaudit.report import render as report_render
from sgaudit.report.opinion import LEVELS
from sgaudit.store import repo
from sgaudit.vocab import AUDIT_STATUS_LABELS

REPORT = "sg_report"  # {"audit": id, "name": file name, "data": bytes}
ISSUED = "sg_issued_report"  # {"audit": id, "version": "1.0", "name": file name, "data": bytes}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file_stem(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60] or "report"


@st.cache_data(show_spinner=False)
def _default_template() -> bytes:
    return report_render.default_template_path().read_bytes()


st.title("Report")
audit_id = _audit_choice.require_audit()
_shared.show_flash()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    others = [a for a in repo.list_audits(session, audit.organisation) if a.id != audit.id]
    labels = {a.id: _audit_choice.audit_label(a) for a in others}
    organisation, title, status = audit.organisation.name, audit.title, audit.status
    version = audit.version
    previous_id = audit.previous_audit_id
    counts = repo.audit_counts(session, audit)

final = status == "final"
if final:
    st.caption(
        f"The board report for **{_shared.literal(organisation)}: {_shared.literal(title)}**, "
        f"version {version} as issued when the audit was made final: the same document "
        "for everyone who may read it."
    )
else:
    st.caption(
        f"The board report for **{_shared.literal(organisation)}: {_shared.literal(title)}**. "
        "It uses the findings as the "
        "auditors reviewed them (dismissed ones left out, reworded ones in your words) and "
        "the recommendations, on the Findings & recommendations page."
    )
if counts["answers"] == 0:
    st.info("This audit has no answers yet, so there is nothing to report.")
    st.stop()


def board_panel() -> None:
    """The same opinion, summary, progress and missing items the report prints (a final
    audit's: those of the version issued)."""
    try:
        with _shared.db() as session:
            if final:
                context = issuing.issued_context(session, audit_id)
            else:
                context = report_build.build_report_context(session, audit_id, previous_id)
            lead = repo.get_audit(session, audit_id).auditor_1
    except SgauditError as exc:
        _shared.show_error(exc)
        return
    board = context.board
    st.subheader(f"Our opinion: {board.opinion.label}")
    st.markdown(_shared.literal(board.opinion.definition))
    st.caption(_shared.literal(f"{board.opinion.why} {board.opinion.statement}"))
    if board.limits:  # what the opinion could not rest on, as the report prints it
        st.caption(_shared.literal(board.limits))
    if not final:  # a final audit's opinion was confirmed before, and is locked with it
        opinion_form(board, lead)
    st.markdown("**The three most serious issues**")
    if board.no_issues:
        st.markdown(_shared.literal(board.no_issues))
    st.markdown("\n".join(
        f"{n}. {_shared.literal(i.text)} *({_shared.literal(i.where)})*"
        for n, i in enumerate(board.issues, start=1)
    ))
    st.markdown("**What the board must decide or ask**")
    for q in board.questions:
        st.markdown(f"- {_shared.literal(q)}")
    # as the report's board page says it: what rose or fell, then the last audit's actions
    since = " ".join(t for t in (board.changes, board.progress) if t)
    if since:
        st.markdown(f"**Since the last audit:** {_shared.literal(since)}")
    if context.progress is not None:
        # Read-only: a table that wraps shows each recommendation and its evidence whole.
        _tables.static_table(pd.DataFrame(
            [{"recommendation": r.text, "status": r.status_label, "evidence": r.evidence,
              "now": f"action {r.action}, due {r.due_now}" if r.action else "closed"}
             for r in context.progress.rows]
        ))
    if context.missing:
        st.warning("Before this report can be final:\n\n" + "\n".join(
            f"- {_shared.literal(m)}" for m in context.missing))


def opinion_form(board, lead: str) -> None:
    from sgaudit.access.policy import MANAGE_AUDIT
    from sgaudit.store.scope import allowed

    with _shared.db() as session:
        if not allowed(session, MANAGE_AUDIT, repo.get_audit(session, audit_id)):
            return  # the lead auditor's form: nobody else is offered it
    with st.expander("Confirm or change the opinion (lead auditor)", icon=":material/gavel:"):
        with st.form("opinion", border=False):
            levels = list(LEVELS)
            given = st.selectbox("Level given", levels, format_func=lambda k: LEVELS[k][0],
                                 index=levels.index(board.opinion.level))
            reason = st.text_area("Reason (needed when it differs from the proposal)")
            who = st.text_input("Confirmed by", value=_audit_choice.actor(),
                                help=f"Only the lead auditor ({lead}) can confirm it.")
            if st.form_submit_button("Save the opinion", type="primary"):
                proposed = next(k for k, v in LEVELS.items()
                                if v[0] == board.opinion.proposed_label)
                try:
                    with _shared.db() as session:
                        repo.confirm_opinion(session, repo.get_audit(session, audit_id),
                                             proposed=proposed, given=given, reason=reason,
                                             actor=who)
                except SgauditError as exc:
                    st.error(str(exc))
                else:
                    _shared.flash("Opinion saved.")
                    st.rerun()


with st.container(border=True):
    board_panel()


def _docx_download(label: str, made: dict, key: str) -> None:
    """The download button of a report made or got on this page (name and bytes)."""
    st.download_button(label, made["data"], file_name=made["name"], mime=DOCX_MIME,
                       type="primary", icon=":material/download:", key=key)


def issued_download() -> None:
    """A final audit's report: the issued version's document itself, for everyone who
    may download the report; getting it is checked and recorded as a download."""
    if st.button(f"Get the issued report (version {version})", type="primary",
                 icon=":material/description:"):
        try:
            with _shared.db() as session:
                data = issuing.issued_report_bytes(session, audit_id)
        except SgauditError as exc:
            _shared.show_error(exc)
            return
        name = f"{_file_stem(organisation)}-{_file_stem(title)}-{version}.docx"
        st.session_state[ISSUED] = {"audit": audit_id, "version": version, "name": name,
                                    "data": data}
    got = st.session_state.get(ISSUED)
    if got and got["audit"] == audit_id and got["version"] == version:
        st.success(f"Issued report ready: {got['name']} ({len(got['data']) / 1024:.0f} KB), "
                   f"version {version} exactly as issued.")
        _docx_download(f"Download the issued report {version} (.docx)", got,
                       "download_issued_report")


if final:
    issued_download()
    st.stop()

left, right = st.columns(2, gap="large")
with left:
    st.markdown(f"Status printed on the cover: **{AUDIT_STATUS_LABELS.get(status, status)}** "
                "(the audit becomes final on **Review & sign-off**).")
    compare_ids = [None, *reversed(list(labels))]
    compare_to = st.selectbox(
        "Compare with an earlier audit",
        compare_ids,
        index=compare_ids.index(previous_id) if previous_id in compare_ids else 0,
        format_func=lambda i: "No comparison" if i is None else labels[i],
        help="Adds the 'Change since the last audit' section.",
    )
with right:
    uploaded = st.file_uploader(
        "Custom template (optional, .docx)",
        type=["docx"],
        max_upload_size=_shared.UPLOAD_LIMITS_MB["template"],
        help="Your organisation's copy of the default template, restyled in Word. "
        f"Up to {_shared.UPLOAD_LIMITS_MB['template']} MB.",
    )
    st.download_button(
        "Download the default template to restyle",
        _default_template(),
        file_name="sgaudit-report-template.docx",
        mime=DOCX_MIME,
        icon=":material/download:",
    )


def _generate(template_bytes: bytes | None, template_name: str) -> None:
    with tempfile.TemporaryDirectory(prefix="sgaudit-report-") as tmp:
        template = None
        if template_bytes is not None:
            template = Path(tmp) / (Path(template_name).name or "template.docx")
            template.write_bytes(template_bytes)
            try:
                # Opening the template and listing its names proves it is usable.
                report_render.unknown_template_variables(template)
            except SgauditError as exc:
                st.error(f"The template was refused: {exc}. Nothing was changed.")
                return
        out = Path(tmp) / f"{_file_stem(organisation)}-{_file_stem(title)}.docx"
        try:
            with _shared.db() as session:
                report_build.generate_report(session, audit_id, out, compare_to=compare_to,
                                             template=template)
        except SgauditError as exc:
            _shared.show_error(exc)
            return
        st.session_state[REPORT] = {"audit": audit_id, "name": out.name,
                                    "data": out.read_bytes(),
                                    "compared": compare_to is not None,
                                    "template": template_name if template else ""}


if st.button("Generate report", type="primary", icon=":material/description:"):
    template_bytes = _shared.checked_upload(uploaded, "template", (".docx",))
    if uploaded is not None and template_bytes is None:
        pass  # checked_upload said why; nothing changes
    else:
        with st.spinner("Writing the report…"):
            _generate(template_bytes, uploaded.name if uploaded is not None else "")

made = st.session_state.get(REPORT)
if made and made["audit"] == audit_id:
    details = []
    if made["compared"]:
        details.append("with the change since the earlier audit")
    if made["template"]:
        details.append(f"on your template {made['template']}")
    st.success(f"Report ready: {made['name']} ({len(made['data']) / 1024:.0f} KB"
               + (", " + ", ".join(details) if details else "") + ").")
    _docx_download("Download the report (.docx)", made, "download_report")
