"""Every tier reads in words: a tester saw the Interview page's list show the raw id
`self_assessment` where the other rows said "Board"."""

from __future__ import annotations

from app_support import resume_table


def test_the_resume_list_names_every_tier_in_words(audits):
    _, reaudit = audits
    tiers = set(resume_table(reaudit).value["tier"])
    assert "Self-assessment" in tiers and not any("_" in t for t in tiers), tiers


def test_every_tier_an_interview_may_have_has_a_label_and_a_short_one():
    from sgaudit.vocab import CAPTURE_TIERS, TIER_LABELS, TIER_SHORT_LABELS, TIERS, tier_short_label

    # the golden thread's column heads, the same in the app and the report; the
    # self-assessment, never a column of the thread, has its own short label
    assert set(TIER_LABELS) == set(CAPTURE_TIERS) and set(TIER_SHORT_LABELS) == set(TIERS)
    assert tier_short_label("service_user") == "People using services"
    assert tier_short_label("self_assessment") == "Self-assessment"
    assert tier_short_label("a_new_tier") == "A new tier"  # never the raw id
