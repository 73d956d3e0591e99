"""A finding the second auditor sent back says why where the lead auditor changes it, in a
real browser on the demo: the lead signs in, opens Findings & recommendations, and reads
the comment, who sent it back and when on the finding's card, and the recommendations'
on their tab, shown as typed.
"""

from __future__ import annotations

import os

import pytest
import test_browser_e2e
from conftest import APP_PASSWORD, require_or_skip, sign_in_browser
from test_browser_e2e import CHROMIUM, chromium_page, settle, shoot

from sgaudit import issuing
from sgaudit.demo_story import AUDITORS
from sgaudit.store import repo
from sgaudit.store.accounts import add_user, grant_role
from sgaudit.store.db import session_scope

pytestmark = pytest.mark.browser
server = test_browser_e2e.server  # the app on a free port of 127.0.0.1, stopped by PID

LEAD, SECOND = AUDITORS
# Markdown and HTML in the comment must show as typed, not as markup.
FINDING_COMMENT = "Name the *two* areas <b>Housing</b> & Youth [not 'some'] #3"
RECS_COMMENT = "The culture action has no owner_or due date."


def _reaudit_with_items_sent_back(url: str) -> tuple[int, str]:
    """The demo re-audit, submitted twice and sent back twice (a finding, then the
    recommendations), back in draft with the lead; returns (audit id, finding's wording)."""
    from sgaudit.demo import build_demo

    with session_scope(url) as s:
        audit_id = build_demo(s).reaudit_audit_id
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        finding = next(i for i in issuing.review_items(s, audit) if i.kind == "finding")
        for item, comment in ((finding.key, FINDING_COMMENT), ("recommendations", RECS_COMMENT)):
            repo.submit_for_review(s, audit, actor=LEAD)
            repo.review_item(s, audit, item, "sent_back", comment=comment, actor=SECOND)
        assert audit.status == "draft"
        add_user(s, "lead", APP_PASSWORD, email="lead@example.org")
        grant_role(s, "lead", "lead_auditor", organisation=audit.organisation)
        return audit_id, finding.label.split(": ", 1)[1]


def test_the_lead_reads_why_a_finding_and_the_recommendations_were_sent_back(
    server, artifacts_dir
):
    require_or_skip(os.path.exists(CHROMIUM), "chromium")
    base, url = server
    audit_id, wording = _reaudit_with_items_sent_back(url)
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    with chromium_page(shots, "findings-sent-back-at-failure", 60_000) as page:
        page.goto(f"{base}/findings?audit={audit_id}")
        sign_in_browser(page, "lead")
        settle(page, 120_000)
        main = page.get_by_test_id("stMain")
        assert page.get_by_test_id("stSidebar").get_by_text(f"Working as {LEAD}").is_visible()
        # the finding's own card: its wording, and why it came back, by whom, when
        # the innermost block holding the comment (the page's own blocks hold it too)
        blocks = main.get_by_test_id("stVerticalBlock").filter(has_text=FINDING_COMMENT)
        assert blocks.count(), "no finding card says why it was sent back"
        card = blocks.last
        assert card.get_by_role("button", name="Dismiss").count() == 1  # one card
        card.scroll_into_view_if_needed()
        shoot(page, shots, "findings-sent-back")
        text = card.inner_text()
        assert wording in text
        assert f"Sent back by {SECOND} on " in text and " UTC: " in text
        assert "<b>" in text and "*two*" in text  # as typed, not as markup
        # and at the top, what came back and where each says why
        banner = main.get_by_test_id("stAlert").filter(has_text="The second auditor sent back")
        assert banner.count() == 1, "the page does not say what was sent back"
        assert "1 finding" in banner.inner_text()
        assert "the recommendations" in banner.inner_text()

        main.get_by_role("tab", name="Recommendations").click()
        settle(page)
        note = main.get_by_test_id("stAlert").filter(has_text=RECS_COMMENT)
        assert note.is_visible(), "the Recommendations tab does not say why they came back"
        assert f"Sent back by {SECOND} on " in note.inner_text()
        shoot(page, shots, "findings-recommendations-sent-back")
