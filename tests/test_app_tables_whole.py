"""Short tables show every row, and the read-only ones every column: a tester saw the
last theme (Culture) behind an inner scroll on the Dashboard and in double scoring,
the Board column and moderation reasons cut off, and the carried-over recommendations
hiding the columns to fill in."""

from __future__ import annotations

from app_support import app, drawn_tables, open_page

from sgaudit.analysis.agreement import alpha_reading


def test_short_tables_show_every_row_and_read_only_ones_every_column(audits):
    _, reaudit = audits
    with drawn_tables() as drawn:
        at = open_page(app(audit=reaudit), "dashboard")
        tables = {tuple(t.value.columns): t.value for t in at.table}
        for page in ("double_scoring", "report", "registers", "findings", "organisations"):
            open_page(at, page)
            tables |= {tuple(t.value.columns): t.value for t in at.table}
    # no short dataframe or data editor is drawn with Streamlit's default height, which
    # shows ten rows and hides the rest (a row per theme: 11) behind an inner scroll
    short = [(rows, height) for rows, height in drawn if rows <= 20]
    assert short and all(height == "content" for _, height in short), short

    def table_with(column: str):
        (found,) = [t for columns, t in tables.items() if column in columns]
        return found

    # the read-only tables are drawn whole (st.table wraps): every theme, every tier
    dont_know = table_with("all tiers")
    assert "Culture" in set(dont_know["theme"]) and "Board" in dont_know.columns
    assert len(table_with("reading")) == 11  # the self-assessment, a row per theme
    agreement = table_with("Krippendorff's alpha")
    assert list(agreement["Theme"])[-2:] == ["Culture", "Overall"]
    # each alpha read in words beside it, by the documented bands: the demo's auditors
    # score Leadership alike and read Casework (their two items two points apart) apart
    reading = dict(zip(agreement["Theme"], agreement["Reading"], strict=True))
    alpha = dict(zip(agreement["Theme"], agreement["Krippendorff's alpha"], strict=True))
    assert reading == {theme: alpha_reading(alpha[theme]) for theme in reading}
    assert reading["Strategic and operational leadership and management"] == "strong"
    assert reading["Casework"] == "low: compare notes"
    reasons = table_with("Reason")["Reason"]
    assert any("supervision records we saw support the middle view" in r for r in reasons)
    assert len(table_with("now")) == 10  # the report's progress on last year's ten
    indicators = table_with("indicator")
    assert "Complaints and disclosures with a theme recorded for trend analysis" in set(
        indicators["indicator"]
    )


def test_the_carried_over_recommendations_put_the_columns_to_fill_first(audits):
    _, reaudit = audits
    at = open_page(app(audit=reaudit), "findings")
    (carried,) = [d for d in at.dataframe if "review" in d.value.columns]
    assert list(carried.proto.column_order)[:4] == ["text", "review", "evidence", "reviewed on"]
    assert carried.proto.row_height > 64  # past 64 px Streamlit wraps a cell's text
