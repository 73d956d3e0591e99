"""Quotes say which tier they came from, only when that tier's group is large enough to
show, and never together with a service area."""

from __future__ import annotations

import pandas as pd
import pytest
from test_report_fixtures import demo_report

from sgaudit.report import build_report_context
from sgaudit.report.theme_sections import attributed_quotes
from sgaudit.report.words import tier_people
from sgaudit.store.db import session_scope
from sgaudit.vocab import TIERS


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as session:
        return build_report_context(session, built["reaudit"], compare_to=built["baseline"])


def test_a_trustees_quote_on_culture_can_be_set_against_what_staff_said(context):
    culture = next(t for t in context.themes if t.id == "culture")
    who = {q.text: q.who for q in culture.attributed_quotes}
    assert [q.text for q in culture.attributed_quotes] == culture.quotes
    assert "trustees" in who.values() and "front-line staff" in who.values()


def test_a_quote_names_only_a_tier_that_is_shown_and_never_an_area(context):
    areas = {r.label for r in context.method.by_area}
    people = {tier_people(t) for t in TIERS}
    for theme in context.themes:
        shown = {r.label for r in theme.by_tier if r.cell.status == "scored"}
        for quote in theme.attributed_quotes:
            if not quote.who:
                continue
            assert quote.who in people
            assert not any(a in quote.who for a in areas)
            tier = next(t for t in TIERS if tier_people(t) == quote.who)
            from sgaudit.report.words import tier_label

            assert tier_label(tier) in shown, (theme.id, quote.who)


def test_words_said_at_two_tiers_are_left_unattributed():
    notes = pd.DataFrame(
        {
            "theme": ["culture", "culture", "culture"],
            "tier": ["board", "front_line", "front_line"],
            "service_area": ["North", "North", "South"],
            "note": ["Same words", "Same words", "Only staff said this"],
        }
    )
    quotes = attributed_quotes(notes, "culture", ["Same words", "Only staff said this"])
    assert [(q.text, q.who) for q in quotes] == [
        ("Same words", ""),
        ("Only staff said this", "front-line staff"),
    ]
