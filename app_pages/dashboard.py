"""Dashboard: the golden thread, localised vs systemic issues, findings, don't-know rates.

Everything here comes from `AuditAnalysis`, which carries no number for a suppressed
cell; this page only shows what it is given.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _charts, _shared
from sgaudit.analysis.findings import SEVERITY_RANK
from sgaudit.store import repo
from sgaudit.vocab import FINDING_KIND_LABELS, SEVERITIES, tier_short_label


def _pct(rate: float | None) -> str:
    return "" if rate is None else f"{rate:.0%}"


st.title("Dashboard")
audit_id = _shared.require_audit()
analysis = _shared.analysis(audit_id)
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    reviews = {k: r.status for k, r in repo.finding_reviews(session, audit).items()}
    fieldwork = repo.audit_fieldwork(session, audit)
    question_set = repo.audit_question_set(audit)
    suppression_min = question_set.settings.suppression_min
all_themes = [(t.id, t.title) for t in question_set.themes]
asked = {(q.theme, tier) for q in question_set.questions for tier in q.tier_ids}

if not analysis.themes:
    st.info("No answers yet. Capture interviews on the **Interview** page; the golden "
            "thread builds up here as you go.")
    st.stop()

titles = {t.theme: t.title for t in analysis.themes}
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
m4.metric("Findings", len(analysis.findings), help="Findings the analysis proposes")
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
    broken = [f.theme for f in analysis.findings
              if f.kind in ("thread_break", "knowledge_gap") and f.theme in titles]
    theme_ids = list(titles)
    theme_id = left.selectbox("Theme", theme_ids, format_func=titles.get, key="dash_theme",
                              index=theme_ids.index(broken[0]) if broken else 0)
    split = right.toggle("Split by service area", key="dash_split")
    theme = analysis.theme(theme_id)
    st.plotly_chart(_charts.golden_thread_chart(theme, analysis.settings, by_area=split),
                    width="stretch",
                    config={"displaylogo": False})
    if split and (hidden := _charts.hidden_by_area(theme, analysis.settings.suppression_min)):
        st.caption(hidden)
    breaks = [f for f in analysis.findings
              if f.theme == theme_id and f.kind in ("thread_break", "knowledge_gap")]
    for f in breaks:
        st.warning(f"**{FINDING_KIND_LABELS[f.kind]}**: {_shared.literal(f.summary)}")

with scope_tab:
    systemic, localised = st.columns(2)
    with systemic:
        st.subheader("Systemic (across the organisation)")
        items = analysis.findings_of_kind("systemic")
        if not items:
            st.caption("No organisation-wide weakness found.")
        for f in items:
            with st.container(border=True):
                st.markdown(f":red-badge[{f.severity}] **{titles.get(f.theme, f.theme)}**  \n"
                            f"{_shared.literal(f.summary)}")
    with localised:
        st.subheader("Localised (named service areas)")
        items = analysis.findings_of_kind("localised")
        if not items:
            st.caption("No service area stands out as markedly weaker than the rest.")
        for f in items:
            with st.container(border=True):
                st.markdown(f":orange-badge[{f.severity}] **{titles.get(f.theme, f.theme)} · "
                            f"{_shared.literal(', '.join(f.service_areas))}**  \n"
                            f"{_shared.literal(f.summary)}")

with findings_tab:
    kinds = sorted({f.kind for f in analysis.findings}, key=list(FINDING_KIND_LABELS).index)
    c1, c2, c3 = st.columns(3)
    pick_kinds = c1.multiselect("Kind", kinds, format_func=FINDING_KIND_LABELS.get,
                                placeholder="All kinds")
    pick_themes = c2.multiselect("Theme", list(titles), format_func=titles.get,
                                 placeholder="All themes")
    pick_severity = c3.multiselect("Severity", list(SEVERITIES), placeholder="All severities")
    shown = [
        f for f in analysis.findings
        if (not pick_kinds or f.kind in pick_kinds)
        and (not pick_themes or f.theme in pick_themes)
        and (not pick_severity or f.severity in pick_severity)
    ]
    shown.sort(key=lambda f: SEVERITY_RANK.get(f.severity, 9))
    if shown:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "severity": f.severity,
                        "kind": FINDING_KIND_LABELS.get(f.kind, f.kind),
                        "theme": titles.get(f.theme, f.theme),
                        "service areas": ", ".join(f.service_areas),
                        "tiers": ", ".join(tier_short_label(t) for t in f.tiers),
                        "summary": f.summary,
                        "review": reviews.get(f.key, "to review"),
                    }
                    for f in shown
                ]
            ),
            hide_index=True,
            width="stretch",
            height=_shared.table_height(len(shown)),
            column_config={"summary": st.column_config.TextColumn(width="large")},
        )
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
    _shared.static_table(pd.DataFrame(rows))
    for f in analysis.findings_of_kind("knowledge_gap"):
        st.warning(f"**{titles.get(f.theme, f.theme)}**: {_shared.literal(f.summary)}")

if analysis.self_assessment:
    from sgaudit.report.self_assessment_view import self_assessment_section

    section = self_assessment_section(analysis)
    with tabs[4]:
        st.caption(section.intro)
        # Read-only and a row per theme: a table that wraps shows every row and reading.
        _shared.static_table(
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
        for f in analysis.findings_of_kind("self_assessment_optimism"):
            st.warning(f"**{titles.get(f.theme, f.theme)}**: {_shared.literal(f.summary)}")
