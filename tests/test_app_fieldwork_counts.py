"""Every page counts the fieldwork as the report does, under the same names: a tester
saw "Interviews 60" on the Dashboard, 61 on Organisations & audits and on the
Interview page, and 112 people heard where the re-audit heard 110 (two document
reviews were counted as people)."""

from __future__ import annotations

from app_support import app, by_label, open_page

# The demo re-audit: 78 interviews, focus groups and surveys with 135 people, 2 document
# reviews (2 heads in the store, nobody heard) and the organisation's self-assessment.
SUMMARY = (
    "80 interviews, focus groups, surveys and document reviews (2 of them document "
    "reviews), with 135 people heard; plus the organisation's self-assessment, kept out "
    "of every score"
)


def test_every_page_counts_the_fieldwork_the_same_way_under_the_same_names(audits):
    _, reaudit = audits
    at = open_page(app(audit=reaudit), "dashboard")
    assert by_label(at.metric, "Sessions").value == "80"
    assert by_label(at.metric, "People heard").value == "135"  # not the 2 document reviews
    assert any(SUMMARY in c.value for c in at.caption)

    at = open_page(at, "organisations")
    table = at.dataframe[0].value
    row = table[table["id"] == reaudit].iloc[0]
    assert (row["sessions"], row["people heard"]) == (80, 135)
    assert any(f"81 records: {SUMMARY}" in m.value for m in at.markdown)

    at = open_page(at, "interview")
    assert any(c.value.startswith(f"81 records: {SUMMARY}.") for c in at.caption)


def test_the_audits_table_keeps_to_what_tells_audits_apart_and_says_the_rest_below(audits):
    baseline, reaudit = audits
    at = open_page(app(audit=baseline), "organisations")
    assert list(at.dataframe[0].value.columns) == [
        "id", "title", "organisation", "status", "start", "sessions", "people heard",
    ]  # fmt: skip
    details = next(m.value for m in at.markdown if m.value.startswith(f"**#{baseline} "))
    assert "Auditors: Demo Auditor One & Demo Auditor Two" in details
    assert "Question set: core v2" in details and "13/01/2025 to 14/03/2025" in details
