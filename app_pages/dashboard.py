"""Dashboard: the golden thread, localised vs systemic issues, findings, don't-know rates.

Everything here comes from `AuditAnalysis`, which carries no number for a suppressed
cell; this page only shows what it is given. Its findings are the analysis's proposals
with their review state for the auditors of an audit still being reviewed; for anyone
else, and on a final audit, they are the findings as the report prints them
(`findings_as_reviewed`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _charts, _shared, _tables
from sgaudit.access.policy import REVIEW_FINDINGS
from sgaudit.analysis.findings import SEVERITY_RANK
from sgaudit.report.build import findings_as_reviewed, worth_exploring_as_reviewed
from sgaudit.report.findings_view import KIND_LABELS, finding_item
from sgaudit.store import repo
from sgaudit.store.scope import allowed
from sgaudit.vocab import SEVERITIES, tier_short_label


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.0%}"


st.title("Dashboard")
audit_id = _audit_choice.require_audit()
analysis = _shared.analysis(audit_id)
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    # The auditors work on the proposals while the audit is reviewed; everyone else,
    # and everyone once it is final, reads the findings the report prints.
    as_reviewed = audit.status == "final" or not allowed(session, REVIEW_FINDINGS, audit)
    if as_reviewed:
        findings = findings_as_reviewed(session, audit, analysis.findings)
        open_calls = worth_exploring_as_reviewed(session, audit, analysis)
        reviews = {}
    else:
        reviews = {k: r.status for k, r in repo.finding_reviews(session, audit).items()}
    fieldwork = repo.audit_fieldwork(session, audit)
    question_set = repo.audit_question_set(audit)
    suppression_min = question_set.settings.suppression_min
all_themes = [(t.id, t.title) for t in question_set.themes]
asked = question_set.asked_cells()

if not analysis.themes:
    st.info("No answers yet. Capture interviews on the **Interview** page; the golden "
            "thread builds up here as you go.")
    st.stop()

titles = {t.theme: t.title for t in analysis.themes}
if not as_reviewed:
    findings = [finding_item(f, titles) for f in analysis.findings]
    open_calls = [finding_item(f, titles) for f in analysis.worth_exploring]


def of_kind(*kinds: str) -> list:
    return [f for f in findings if f.kind in kinds]


def open_calls_of(kind: str) -> None:
    """The calls of `kind` the people heard left open (worth exploring), each as the
    Findings page's Not settled tab shows it, so this tab never reads as settled."""
    for f in open_calls:
        if f.kind == kind:
            with st.container(border=True):
                st.markdown(f":violet-badge[worth exploring] **{_shared.literal(f.theme)}**  \n"
                            f"{_shared.literal(f.summary)}")
                if f.doubt:
                    st.caption(f"Why it is not a finding: {f.doubt}.")


m1, m2, m3, m4, m5 = st.columns(5)
# Counted as every page and the report count them (`sgaudit.fieldwork`).
m1.metric("Sessions", fieldwork.sessions,
          help="Interviews, focus groups, surveys and document reviews with answers. The "
          "organisation's self-assessment is not one: it is kept out of every score.")
m2.metric("People heard", fieldwork.people,
          help="Everyone in the interviews, focus groups and surveys (a focus group counts "
          "everyone present). A document review hears nobody.")
# Short labels, so none is cut off on a tablet with the sidebar open; the help says more.
m3.metric("Themes", len(analysis.themes), help="Themes with at least one answer")
m4.metric(
    "Findings",
    len(findings),
    help="The findings as the auditors reviewed them, as the report prints them"
    if as_reviewed
    else "Findings the analysis proposes",
)
m5.metric(
    "Don't know",
    "suppressed" if analysis.dont_know_rate is None else f"{analysis.dont_know_rate:.0%}",
)

st.caption(f"Fieldwork: {fieldwork.summary()}.")

tab_names = ["Golden thread", "Localised vs systemic", "Findings", "Don't know"]
if analysis.self_assessment:
    tab_names.append("Self-assessment")
tabs = st.tabs(tab_names)
thread_tab, scope_tab, findings_tab, dk_tab = tabs[:4]

with thread_tab:
    st.caption(
        f"Score 0-100 (100 = strongest practice) for each theme at each tier. A cell with "
        f"fewer than {suppression_min} people is **suppressed**: no number is shown."
    )
    st.plotly_chart(_charts.theme_tier_heatmap(analysis, all_themes, asked), width="stretch",
                    config={"displaylogo": False})
    with st.expander("The golden thread as a table (text alternative to the heat map)"):
        st.table(pd.DataFrame(_charts.theme_tier_table(analysis, all_themes, asked)))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    # Open on the first theme whose thread breaks, if any: that is what to look at.
    broken = [f.theme_id for f in of_kind("thread_break", "knowledge_gap")
              if f.theme_id in titles]
    theme_ids = list(titles)
    theme_id = left.selectbox("Theme", theme_ids, format_func=titles.get, key="dash_theme",
                              index=theme_ids.index(broken[0]) if broken else 0)
    split = right.toggle("Split by service area", key="dash_split")
    theme = analysis.theme(theme_id)
    hidden = _charts.hidden_by_area(theme, analysis.settings.suppression_min) if split else ""
    if split and not _charts.drawable_by_area(theme):
        # every tier x area group hidden: say so, rather than draw an empty chart
        st.info(f"Nothing to draw by service area on this theme. {hidden}")
    else:
        st.plotly_chart(_charts.golden_thread_chart(theme, analysis.settings, by_area=split),
                        width="stretch",
                        config={"displaylogo": False})
        if hidden:
            st.caption(hidden)
    breaks = [f for f in of_kind("thread_break", "knowledge_gap") if f.theme_id == theme_id]
    for f in breaks:
        st.warning(f"**{KIND_LABELS[f.kind]}**: {_shared.literal(f.summary)}")

with scope_tab:
    systemic, localised = st.columns(2)
    with systemic:
        st.subheader("Systemic (across the organisation)")
        items = of_kind("systemic")
        if not items and any(f.kind == "systemic" for f in open_calls):
            st.caption("No organisation-wide weakness found that the people heard could "
                       "settle; a theme may be weak across the organisation (below).")
        elif not items:
            st.caption("No organisation-wide weakness found.")
        for f in items:
            with st.container(border=True):
                st.markdown(f":red-badge[{f.severity}] **{f.theme}**  \n"
                            f"{_shared.literal(f.summary)}")
        open_calls_of("systemic")
    with localised:
        st.subheader("Localised (named service areas)")
        items = of_kind("localised")
        if not items and any(f.kind == "localised" for f in open_calls):
            st.caption("No service area stands out as markedly weaker than the rest that the "
                       "people heard could settle; one may (below).")
        elif not items:
            st.caption("No service area stands out as markedly weaker than the rest.")
        for f in items:
            with st.container(border=True):
                st.markdown(f":orange-badge[{f.severity}] **{f.theme} · "
                            f"{_shared.literal(f.areas)}**  \n"
                            f"{_shared.literal(f.summary)}")
        open_calls_of("localised")

with findings_tab:
    kinds = sorted({f.kind for f in findings}, key=list(KIND_LABELS).index)
    c1, c2, c3 = st.columns(3)
    pick_kinds = c1.multiselect("Kind", kinds, format_func=KIND_LABELS.get,
                                placeholder="All kinds")
    pick_themes = c2.multiselect("Theme", list(titles), format_func=titles.get,
                                 placeholder="All themes")
    pick_severity = c3.multiselect("Severity", list(SEVERITIES), placeholder="All severities")
    shown = [
        f for f in findings
        if (not pick_kinds or f.kind in pick_kinds)
        and (not pick_themes or f.theme_id in pick_themes)
        and (not pick_severity or f.severity in pick_severity)
    ]
    shown.sort(key=lambda f: SEVERITY_RANK.get(f.severity, 9))
    if shown:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "severity": f.severity,
                        "kind": f.kind_label,
                        "theme": f.theme,
                        "service areas": f.areas,
                        "tiers": f.tiers,
                        "summary": f.summary,
                    }
                    | ({} if as_reviewed else {"review": reviews.get(f.key, "to review")})
                    for f in shown
                ]
            ),
            hide_index=True,
            width="stretch",
            height=_tables.table_height(len(shown)),
            column_config={"summary": st.column_config.TextColumn(width="large")},
        )
        if not as_reviewed:
            st.caption("Accept, reword or dismiss them on **Findings & recommendations**.")
    else:
        st.caption("No findings match these filters.")

with dk_tab:
    st.caption(
        "Share of answers that were \"don't know\" (of scored and don't-know answers). "
        "A high rate at the top of the organisation can mean no line of sight."
    )
    tiers = _charts.tiers_in(analysis)
    rows = []
    for t in analysis.themes:
        cells = {c.tier: c for c in t.by_tier}
        row = {"theme": t.title,
               "all tiers": "suppressed" if t.suppressed else _pct(t.dont_know_rate)}
        for tier in tiers:
            cell = cells.get(tier)
            row[tier_short_label(tier)] = (
                "" if cell is None else "suppressed" if cell.suppressed
                else _pct(cell.dont_know_rate)
            )
        rows.append(row)
    # Read-only and a row per theme: a table that wraps shows every row and column.
    _tables.static_table(pd.DataFrame(rows))
    for f in of_kind("knowledge_gap"):
        st.warning(f"**{f.theme}**: {_shared.literal(f.summary)}")

if analysis.self_assessment:
    from sgaudit.report.self_assessment_view import self_assessment_section

    section = self_assessment_section(analysis)
    with tabs[4]:
        st.caption(section.intro)
        # Read-only and a row per theme: a table that wraps shows every row and reading.
        _tables.static_table(
            pd.DataFrame(
                [
                    {
                        "theme": r.theme,
                        "self": r.self_score,
                        "evidence": r.evidence_score,
                        "gap": r.difference,
                        "interval": r.interval,
                        "registers": r.registers,
                        "reading": r.reading,
                    }
                    for r in section.rows
                ]
            )
        )
        for f in of_kind("self_assessment_optimism"):
            st.warning(f"**{f.theme}**: {_shared.literal(f.summary)}")
