"""Registers: the organisation's own records beside what people said in interviews.

Upload the five evidence registers (training, recruitment, policies, concerns,
complaints), choose the role-group training framework, and see the indicators and
the evidence gaps (themes where interviews and records disagree). A register file
with any problem is refused whole: every problem is listed and nothing changes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _shared, _tables
from sgaudit.errors import SgauditError
from sgaudit.registers import (
    REGISTER_KINDS,
    REGISTER_LABELS,
    FrameworkError,
    columns_of,
    list_frameworks,
    load_framework,
)
from sgaudit.store import repo
from sgaudit.store.evidence import audit_framework, import_register
from sgaudit.vocab import mid_sentence


def set_framework(audit_id: int) -> None:
    chosen = st.session_state["register_framework"]
    try:
        framework = load_framework(chosen) if chosen else None
        with _shared.db() as session:
            repo.set_audit_framework(
                session, repo.get_audit(session, audit_id), framework, actor=_audit_choice.actor()
            )
    except (SgauditError, FrameworkError) as exc:
        st.session_state["sg_framework_error"] = str(exc)


# The register whose replace tick is to be cleared at the start of the next run: after an
# import the tick cannot be cleared in the run that drew it, only before it is drawn again.
UNTICK = "sg_register_untick"


def untick_replace(kind: str) -> None:
    """Clear the tick that confirms replacing a stored register: each replacement is
    confirmed for one file, once, so a second upload never rides on the first's tick."""
    st.session_state[f"register_replace_{kind}"] = False


st.title("Registers")
audit_id = _audit_choice.require_audit()
_shared.show_flash()
st.caption(
    "What the organisation's own records show, checked against what people said. "
    "Registers hold role and pseudonymous person codes only: a file with names or "
    "email addresses is refused."
)

with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    try:
        current = audit_framework(audit)
    except FrameworkError:
        current = None
    stored = {k: len(v) for k, v in repo.register_records(session, audit).items()}
frameworks = {f.id: f"{f.title} (v{f.version})" for f in list_frameworks()}
if current is not None and current.id not in frameworks:
    frameworks[current.id] = f"{current.title} (v{current.version}, kept with this audit)"

upload_tab, indicators_tab, gaps_tab = st.tabs(["Upload registers", "Indicators", "Evidence gaps"])

with upload_tab:
    ids = [None, *frameworks]
    st.selectbox(
        "Training framework the training register is checked against",
        ids,
        index=ids.index(current.id) if current is not None and current.id in ids else 0,
        format_func=lambda i: "None (training is not checked)" if i is None else frameworks[i],
        key="register_framework",
        on_change=set_framework,
        args=(audit_id,),
        help="Role groups and the training each must complete (frameworks/ folder). "
        "A re-audit keeps its previous audit's framework.",
    )
    if st.session_state.get("sg_framework_error"):
        st.error(st.session_state.pop("sg_framework_error"))

    st.dataframe(
        pd.DataFrame(
            {
                "register": [REGISTER_LABELS.get(k, k) for k in REGISTER_KINDS],
                "rows stored": [stored.get(k, 0) for k in REGISTER_KINDS],
            }
        ),
        hide_index=True,
        width=520,
        height=_tables.table_height(len(REGISTER_KINDS)),
    )
    kind = st.segmented_control(
        "Register to upload",
        REGISTER_KINDS,
        format_func=lambda k: REGISTER_LABELS.get(k, k),
        default=REGISTER_KINDS[0],
        required=True,
        key="register_kind",
    )
    with st.expander(f"Columns of the file: {REGISTER_LABELS.get(kind, kind)}"):
        _tables.static_table(
            pd.DataFrame(
                [
                    {
                        "column": c.name,
                        "required": "yes" if c.required else "",
                        "may be left out": "yes" if c.optional_column else "",
                        "what it holds": c.description
                        + (f" ({', '.join(c.choices)})" if c.choices else ""),
                        "example": c.example,
                    }
                    for c in columns_of(kind)
                ]
            )
        )
        st.download_button(
            "Download an example file (.csv)",
            _shared.example_register_csv(kind),
            file_name=f"{kind}-register.csv",
            mime="text/csv",
            icon=":material/download:",
        )
    uploaded = st.file_uploader(
        f"{REGISTER_LABELS.get(kind, kind)} file (.csv or .xlsx)",
        type=["csv", "xlsx"],
        key=f"register_upload_{kind}",
        max_upload_size=_shared.UPLOAD_LIMITS_MB["register"],
        on_change=untick_replace,  # another file: the tick given for the last one lapses
        args=(kind,),
    )
    if st.session_state.get(UNTICK):
        untick_replace(st.session_state.pop(UNTICK))
    label = REGISTER_LABELS.get(kind, kind)
    replacing = stored.get(kind, 0)
    if replacing:
        # Importing replaces the register whole: the auditor says so first.
        replace_ok = st.checkbox(
            f"Replace the {replacing} rows stored in the {mid_sentence(label)}",
            key=f"register_replace_{kind}",
        )
    buttons = st.container(horizontal=True)
    dry_run = buttons.button("Check file", key="register_check")
    do_import = buttons.button(
        "Import (replaces this register)" if replacing else "Import",
        type="primary",
        key="register_import",
        disabled=bool(replacing) and not replace_ok,
    )
    if (dry_run or do_import) and uploaded is not None:
        data = _shared.checked_upload(uploaded, "register", (".csv", ".xlsx"))
        if data is not None:
            with tempfile.TemporaryDirectory(prefix="sgaudit-register-") as tmp:
                path = Path(tmp) / Path(uploaded.name).name
                path.write_bytes(data)
                try:
                    with _shared.db() as session:
                        rows = import_register(
                            session,
                            repo.get_audit(session, audit_id),
                            kind,
                            path,
                            dry_run=dry_run,
                            actor=_audit_choice.actor(),
                        )
                except SgauditError as exc:
                    _shared.show_error(exc, saved_as=path, name=uploaded.name)
                else:
                    if dry_run:
                        st.success(
                            f"{_shared.literal(uploaded.name)}: {rows} rows, no problems. "
                            "Nothing was written (check only)."
                        )
                    else:
                        _shared.flash(f"Imported {rows} rows into the {mid_sentence(label)}.")
                        st.session_state[UNTICK] = kind
                        st.rerun()
    elif (dry_run or do_import) and uploaded is None:
        st.warning("Choose a file first.")

analysis, evidence = _shared.results(audit_id)
titles = {t.id: t.title for t in repo.audit_question_set(audit).themes}

with indicators_tab:
    if evidence is None:
        st.info("No registers yet for this audit. Upload them on the first tab.")
    else:
        for line in evidence.not_checked:
            st.info(line)
        ind = evidence.indicators
        if ind is not None:
            st.caption(
                f"As of {ind.audit_date:%d/%m/%Y} (the audit's end date). A dash is a "
                f"figure not shown: a rate over fewer than {ind.settings.suppression_min} "
                "people or records, or one hidden with it because, with the totals shown, "
                "it would give the small one away."
            )
            # Read-only: a table that wraps shows each indicator's name and detail whole.
            _tables.static_table(
                pd.DataFrame(
                    [
                        {
                            "indicator": s.label,
                            "score": "—" if s.score is None else str(round(s.score)),
                            "what the records show": s.detail,
                            "themes": ", ".join(titles.get(t, t) for t in s.themes),
                            "register": REGISTER_LABELS.get(s.register_kind, s.register_kind),
                        }
                        for s in ind.scores
                    ]
                )
            )
            training = ind.training_table()
            if training:
                st.subheader("Training compliance by role group")
                if ind.training is not None:
                    st.caption(
                        f"Against {ind.training.framework_title} "
                        f"(version {ind.training.framework_version})."
                    )
                # The dash the caption above speaks of, for a figure not shown.
                _tables.static_table(
                    pd.DataFrame(training)
                    .replace("-", "—")
                    .rename(
                        columns={
                            "refresher_overdue": "refresher overdue",
                            "induction_missing": "induction missing",
                            "cpd_log_missing": "CPD log missing",
                        }
                    )
                )

with gaps_tab:
    if evidence is None or not evidence.findings:
        st.caption(
            "No evidence gaps: where both exist, what people said and what the records show agree."
            if evidence is not None
            else "No registers yet."
        )
    else:
        st.caption(
            "Themes where interviews and records disagree, and what the records raise "
            "themselves. They are also proposed on the Findings page and go into the "
            "report; a gap marked worth exploring is as large as a finding's but from too "
            "few people to be sure, and is listed under Not settled there."
        )
        for f in evidence.findings:
            # One as large as a finding's but not clear of the noise is worth exploring:
            # on the Findings page under "Not settled", not proposed.
            unsure = "" if f.certainty == "finding" else " :gray-badge[worth exploring]"
            with st.container(border=True):
                st.markdown(
                    f":orange-badge[{f.severity}]{unsure} **{titles.get(f.theme, f.theme)}**  \n"
                    f"{_shared.literal(f.summary)}"
                )
