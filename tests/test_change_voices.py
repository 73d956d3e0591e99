"""Why a re-audit's change is Unsure: the voices each tier had at the two audits, against
the fieldwork guide, said beside the tier table in the report, the app and the CLI."""

from __future__ import annotations

from app_support import app, assert_clean, open_page
from docx import Document
from test_report_fixtures import all_text, demo_report

from sgaudit.analysis.change_voices import TierVoices, unsure_reasons
from sgaudit.analysis.compare import ThemeChange, compare_audits
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data


def _change(theme: str, tier: str, direction: str, area: str | None = None) -> ThemeChange:
    scored = direction != "not_comparable"
    return ThemeChange(
        theme=theme, title=theme.title(), tier=tier, service_area=area,
        old_score=60.0 if scored else None, new_score=75.0 if scored else None,
        change=15.0 if scored else None, direction=direction,
    )  # fmt: skip


def _voices(tier: str, before: int, after: int, **kw) -> TierVoices:
    return TierVoices(tier=tier, before=before, after=after, **kw)


def test_a_tier_short_of_the_guide_at_one_audit_is_named_with_that_audit():
    changes = [
        _change("policies", "service_user", "unsure"),
        _change("culture", "service_user", "unsure"),
        _change("dsl", "service_user", "improved"),
        _change("governance", "service_user", "not_comparable"),  # not counted
        _change("culture", "service_user", "worsened", area="Housing"),  # an area: not read
    ]
    voices = [_voices("service_user", 5, 25, needed=5, per_area=True, short_before=True)]
    (said,) = unsure_reasons(changes, voices)
    assert said.startswith("People who use services (2 of 3 themes unsure) were heard in 5 voices")
    assert "at the last audit, fewer than the fieldwork guide asks (5 voices in each " in said
    assert "and 25 this time: a change can be no surer than the thinner" in said
    # the thin side this time instead
    voices = [_voices("service_user", 25, 5, needed=5, per_area=True, short_after=True)]
    (said,) = unsure_reasons(changes, voices)
    assert "were heard in 5 voices this time, fewer than the fieldwork guide asks" in said
    assert "and 25 at the last audit" in said
    voices = [_voices("service_user", 4, 3, needed=5, per_area=True, short_before=True,
                      short_after=True)]  # fmt: skip
    (said,) = unsure_reasons(changes, voices)
    assert "4 voices at the last audit and 3 this time, both fewer than the fieldwork guide" in said


def test_tiers_heard_as_the_guide_asks_share_one_sentence_and_a_tier_with_none_unsure_none():
    changes = [
        _change("culture", "front_line", "improved"),  # nothing unsure: not named
        _change("culture", "senior_leader", "unsure"),
        _change("culture", "board", "unsure"),
        _change("dsl", "board", "unsure"),
        _change("dsl", "board", "unchanged"),
    ]
    voices = [
        _voices("front_line", 30, 28, needed=2, per_area=True),
        _voices("senior_leader", 4, 4, needed=2),
        _voices("board", 6, 5, needed=5),
    ]
    (said,) = unsure_reasons(changes, voices)
    assert said == (
        "Senior leaders (1 of 1 themes unsure) and trustees / board (2 of 3) were heard in 4 "
        "to 6 voices at each audit, as many as the fieldwork guide asks; their unsure changes "
        "are within what chance could make of who happened to be heard."
    )
    assert unsure_reasons([_change("culture", "board", "improved")], voices) == []
    # a tier the guide sets no number for (the DSL team), or a question set with no guide
    changes.append(_change("culture", "dsl", "unsure"))
    (said,) = unsure_reasons(changes, [*voices, _voices("dsl", 3, 3)])
    assert said.startswith(
        "DSL and safeguarding team (1 of 1 themes unsure), senior leaders (1 of 1) and "
        "trustees / board (2 of 3) were heard in 3 to 6 voices at each audit"
    )
    assert ", as many as the fieldwork guide asks where it sets a number;" in said
    unguided = [_voices("board", 6, 5), _voices("senior_leader", 4, 4)]
    (said,) = unsure_reasons(changes[:4], unguided)
    assert "were heard in 4 to 6 voices at each audit; their unsure changes" in said


def test_the_demo_comparison_counts_voices_not_heads_and_not_document_reviews(demo_db, audits):
    baseline, reaudit = audits
    with session_scope(demo_db) as s:
        compared = compare_audits(load_audit_data(s, baseline), load_audit_data(s, reaudit))
    voices = {v.tier: v for v in compared.voices}
    # one focus group of 4 to 7 per area at baseline is one voice; four more people each
    # heard on their own at re-audit
    users = voices["service_user"]
    assert (users.before, users.after) == (5, 25)
    assert users.short_before and not users.short_after
    # three DSL interviews; the two document reviews hear nobody
    assert (voices["dsl"].before, voices["dsl"].after) == (3, 3)
    assert [v.tier for v in compared.voices] == [
        "service_user", "front_line", "manager", "dsl", "senior_leader", "board",
    ]  # fmt: skip
    assert compared.to_json_dict()["voices"][0]["before"] == 5
    first, second = compared.unsure_reasons()
    assert first.startswith("People who use services (7 of 10 themes unsure) were heard in 5 ")
    assert second.startswith("Front-line staff and volunteers (1 of 11 themes unsure), managers")


def test_the_report_app_and_cli_say_why_beside_the_tier_table(tmp_path_factory, run):
    built = demo_report(tmp_path_factory)
    text = all_text(Document(str(built["docx"])))
    assert (
        "People who use services (7 of 10 themes unsure) were heard in 5 voices at the last "
        "audit, fewer than the fieldwork guide asks (5 voices in each service area), and 25 "
        "this time"
    ) in text
    assert text.index("Change in points at each tier") < text.index("were heard in 5 voices")
    code, out, _ = run("compare", built["baseline"], built["reaudit"], "--db", built["url"])
    assert code == 0
    tier_table = out.index("Change by tier")
    assert tier_table < out.index("  People who use services (7 of 10 themes unsure)")
    assert out.index("were heard in 5 voices") < out.index("Findings resolved")


def test_the_compare_page_says_why_under_the_tier_table(demo_db, audits):
    _, reaudit = audits
    at = open_page(app(audit=reaudit), "compare")
    assert_clean(at)
    said = [m.value for m in at.markdown if "were heard in" in m.value]
    assert len(said) == 2
    assert said[0].startswith("- People who use services (7 of 10 themes unsure) were heard")
