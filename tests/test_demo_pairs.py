"""The demo's re-audit carries a double-scored sample with agreement and two moderated items."""

from __future__ import annotations

from test_demo import demo  # noqa: F401  (the module-scoped demo store)

from sgaudit.report import build_report_context
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.moderation import audit_agreement


def test_the_demo_has_a_double_scored_sample_with_two_moderated_items(demo):  # noqa: F811
    with session_scope(demo["url"]) as s:
        audit = repo.get_audit(s, demo["result"].reaudit_audit_id)
        agreement = audit_agreement(s, audit)
        overall = agreement.overall
        assert agreement.interviews == 3 and agreement.moderated == 2
        assert agreement.open_items.empty
        assert 70 < overall["percent_agreement"] < 100
        assert 0.5 < overall["kappa"] < 1 and 0.5 < overall["alpha"] < 1
        method = build_report_context(s, audit.id).method
    assert "Both auditors scored 3 interviews independently" in method.agreement
    assert method.moderated == 2
