"""The Report page shows the same opinion, summary and progress as the report, and the
opinion confirmed there is stored."""

from __future__ import annotations

from app_support import app, assert_clean, open_page

from sgaudit.store import repo
from sgaudit.store.db import session_scope


def test_the_report_page_shows_the_opinion_and_the_lead_auditor_changes_it(demo_db):
    with session_scope(demo_db) as s:
        audit_id = max(a.id for a in repo.list_audits(s))
    at = app(audit=audit_id)
    open_page(at, "report")
    assert any("Limited assurance" in h.value for h in at.subheader)
    assert any("three achieved" in m.value for m in at.markdown)
    # the three most serious issues are one numbered list 1, 2, 3 (not three lists of "1.")
    issues = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert len(issues) == 1 and "\n2. " in issues[0] and "\n3. " in issues[0]
    form = [w for w in at.selectbox if w.label == "Level given"][0]
    form.set_value("reasonable")
    [t for t in at.text_area if t.label.startswith("Reason")][0].set_value("A plan & an owner.")
    [t for t in at.text_input if t.label == "Confirmed by"][0].set_value("Demo Auditor One")
    [b for b in at.button if b.label == "Save the opinion"][0].click().run()
    assert_clean(at)
    with session_scope(demo_db) as s:
        stored = repo.assurance_opinion(s, repo.get_audit(s, audit_id))
    assert (stored.proposed, stored.given, stored.reason) == (
        "limited",
        "reasonable",
        "A plan & an owner.",
    )


def test_the_report_page_says_what_the_opinion_could_not_rest_on(tmp_path, monkeypatch):
    # A youth club: nothing found, and managers, the DSL and senior leaders too few to
    # set against the front line. The page says so under the opinion, as the report
    # does, and says why there is no serious issue instead of an empty list.
    from test_report_fixtures import store_audit

    from sgaudit.store.db import get_engine

    url = f"sqlite:///{tmp_path / 'youth.db'}"
    get_engine(url)
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", url)
    sizes = {"service_user": 3, "front_line": 4, "manager": 1, "dsl": 1,
             "senior_leader": 1, "board": 3}  # fmt: skip
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Little Lantern Youth Club", ["Youth club"])
        audit_id = store_audit(s, org, "Safeguarding audit 2026", per_tier_area=sizes, seed=5).id
    at = app(audit=audit_id)
    open_page(at, "report")
    assert any(h.value == "Our opinion: Reasonable assurance" for h in at.subheader)
    captions = [c.value for c in at.caption]
    assert any("followed through three tiers (below), which substantial assurance needs" in c for c in captions)
    assert any(
        c.startswith("This opinion rests on what we could test: managers, the safeguarding "
                     "team and senior leaders were too few")
        for c in captions
    )
    assert any(m.value.startswith("We found no finding for the board to act on.")
               for m in at.markdown)
