"""Compare: a re-audit beside the previous audit of the same organisation.

Only questions asked and scored the same way in both audits are compared (through
their stable ids); everything else is listed as not comparable.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import _audit_choice, _charts, _shared, _tables
from sgaudit import printed
from sgaudit.store import repo
from sgaudit.vocab import FINDING_KIND_LABELS, TIER_SHORT_LABELS, TIERS

# A no-break space, so a wrapped cell never parts an arrow from its number.
ARROWS = {
    "improved": "▲\u00a0",
    "worsened": "▼\u00a0",
    "unchanged": "",
    "unsure": "",
    "not_comparable": "",
}

st.title("Compare")
audit_id = _audit_choice.require_audit()
with _shared.db() as session:
    audit = repo.get_audit(session, audit_id)
    earlier = [a for a in repo.list_audits(session, audit.organisation) if a.id != audit.id]
    labels = {a.id: _audit_choice.audit_label(a) for a in earlier}
    default = audit.previous_audit_id
    this_label = _audit_choice.audit_label(audit)

if not earlier:
    st.info(
        "There is no other audit of this organisation to compare with. Start a re-audit on "
        "**Organisations & audits**; it carries the recommendations over for follow-up."
    )
    st.stop()

ids = list(reversed(list(labels)))
previous_id = st.selectbox(
    "Compare with",
    ids,
    index=ids.index(default) if default in ids else 0,
    format_func=labels.get,
    help="Defaults to the audit this one is a re-audit of.",
)
st.caption(f"**{_shared.literal(labels[previous_id])}** → **{_shared.literal(this_label)}**")
result = _shared.comparison(previous_id, audit_id)

m1, m2, m3, m4, m5 = st.columns(5)
m1.metric("Questions compared", result.comparable_questions)
m2.metric("Not comparable", len(result.not_comparable))
m3.metric("Findings resolved", len(result.findings_resolved))
m4.metric("New findings", len(result.findings_new))
m5.metric("Persisting", len(result.findings_persisting))


def _score(value: float | None) -> str:
    return "—" if value is None else str(printed.score(value))


def _change(c) -> str:
    if c.direction == "not_comparable" or c.change is None:
        return "not comparable"
    unsure = "\u00a0unsure" if c.direction == "unsure" else ""
    return f"{ARROWS[c.direction]}{printed.signed(int(c.change))}{unsure}"


def _interval(c) -> str:
    """The change's interval as printed ("+5 to +12"), "" where there is none."""
    shown = None if c.change is None else int(c.change)
    return printed.interval_text(c.low, c.high, shown, sign=True)


def _people(c) -> str:
    return "" if c.n_before is None else f"{c.n_before} then, {c.n_after} now"


overall = [c for c in result.theme_changes if c.tier is None and c.service_area is None]
theme_titles = {c.theme: c.title for c in result.theme_changes}
# Every tier of the golden thread, ground to board, from the one source the report and
# `sgaudit compare` use (not whichever tiers the first theme happens to have).
by_tier = result.by_tier()
by_area = [c for c in result.theme_changes if c.service_area is not None]

themes_tab, tiers_tab, areas_tab, findings_tab, nc_tab = st.tabs(
    ["By theme", "By tier", "By service area", "Findings", "Not comparable"]
)

with themes_tab:
    if not overall:
        st.info("Nothing to compare yet: one of the audits has no answers to comparable questions.")
    else:
        st.caption(
            f"A change of at least {result.settings.change_points:g} points counts as "
            "improved or worsened when it is also clear of chance given the people heard "
            "each time (its interval, at the level the false-flag control sets, leaves out "
            "zero); as large but not clear, it is **unsure**: too few people to be sure. "
            "Suppressed or missing scores are not compared."
        )
        chart_rows = [
            {"theme": c.title, "change": c.change, "direction": c.direction}
            for c in overall
            if c.change is not None
        ]
        if chart_rows:
            st.plotly_chart(
                _charts.change_chart(chart_rows), width="stretch", config={"displaylogo": False}
            )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "theme": c.title,
                        "previous": _score(c.old_score),
                        "current": _score(c.new_score),
                        "change": _change(c),
                        "interval": _interval(c),
                        "people": _people(c),
                        "direction": c.direction.replace("_", " "),
                    }
                    for c in overall
                ]
            ),
            hide_index=True,
            width="stretch",
            height=_tables.table_height(len(overall)),  # every theme in view, no scrolling
        )


def _cell(c) -> str:
    if c.old_score is None and c.new_score is None:
        return "not comparable"
    return f"{_score(c.old_score)} → {_score(c.new_score)} ({_change(c)})"


def _how_sure(changes, column: str) -> None:
    """Each change of a tab with its interval and the people heard on each side."""
    if not changes:
        return
    with st.expander("How sure each change is"):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "theme": c.title,
                        column.replace("_", " "): (
                            TIER_SHORT_LABELS.get(c.tier, c.tier)
                            if column == "tier"
                            else c.service_area
                        ),
                        "change": _change(c),
                        "interval": _interval(c),
                        "people": _people(c),
                    }
                    for c in changes
                ]
            ),
            hide_index=True,
            width="stretch",
        )


def _pivot(changes, column: str, name) -> pd.DataFrame:
    titles = list(dict.fromkeys(c.title for c in changes))
    columns = list(dict.fromkeys(getattr(c, column) for c in changes))
    table = pd.DataFrame("", index=titles, columns=[name(x) for x in columns])
    for c in changes:
        table.loc[c.title, name(getattr(c, column))] = _cell(c)
    return table.rename_axis("theme").reset_index()


with tiers_tab:
    if any(
        c.old_score is not None or c.new_score is not None for row in by_tier for c in row.cells
    ):
        st.caption(
            "previous → current (change) for each tier, ground to board; **unsure**: at "
            f"least {result.settings.change_points:g} points, but from too few people to be "
            "sure (each change's interval and the people heard are under **How sure each "
            "change is**, below). A tier suppressed or not heard in either audit is not "
            "comparable."
        )
        # A static table wraps to the page's width, so all six tiers are always in view
        # (a data grid put the last column past its right edge, out of sight); the
        # service areas likewise.
        st.table(
            pd.DataFrame(
                [
                    {
                        "theme": row.title,
                        **{
                            TIER_SHORT_LABELS[t]: _cell(c)
                            for t, c in zip(TIERS, row.cells, strict=True)
                        },
                    }
                    for row in by_tier
                ]
            ),
            hide_index=True,
        )
        # why the unsure ones are unsure: the voices each tier had at the two audits
        for reason in result.unsure_reasons():
            st.markdown(f"- {_shared.literal(reason)}")
    else:
        st.caption("No tier scores to compare.")
    _how_sure([c for row in by_tier for c in row.cells if c.change is not None], "tier")

with areas_tab:
    if by_area:
        st.table(_pivot(by_area, "service_area", str), hide_index=True)
        _how_sure([c for c in by_area if c.change is not None], "service_area")
    else:
        st.caption("No service-area scores to compare.")

with findings_tab:
    for heading, items, empty in (
        ("Resolved since the previous audit", result.findings_resolved, "None resolved."),
        ("New in this audit", result.findings_new, "No new findings."),
        ("Persisting", result.findings_persisting, "None persisting."),
    ):
        st.subheader(f"{heading} ({len(items)})")
        if not items:
            st.caption(empty)
            continue
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "kind": FINDING_KIND_LABELS.get(f.kind, f.kind),
                        "theme": theme_titles.get(f.theme, f.theme),
                        "severity": f.severity,
                        "service areas": ", ".join(f.service_areas),
                        "summary": f.summary,
                    }
                    for f in items
                ]
            ),
            hide_index=True,
            width="stretch",
        )

with nc_tab:
    if result.not_comparable:
        st.caption(
            "Questions left out because they are in only one audit's question set, "
            "or are scored differently now."
        )
        st.dataframe(
            pd.DataFrame([n.model_dump() for n in result.not_comparable]),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Every question is comparable.")
