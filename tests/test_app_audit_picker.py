"""The sidebar's audit picker tells a baseline from its re-audit: a tester saw both as
"Riverside Community Trust ·", the rest of the label cut off."""

from __future__ import annotations

from app_support import app, by_label, open_page


def test_the_audit_picker_tells_the_baseline_from_the_re_audit_at_its_start(audits):
    _, reaudit = audits
    at = open_page(app(audit=reaudit), "dashboard")
    picker = by_label(at.sidebar.selectbox, "Audit")
    newest, oldest = picker.options  # the labels offered, newest first
    # the picker's box shows only about the first 25 characters of the chosen audit
    assert newest[:20] != oldest[:20], picker.options
    assert newest.startswith("Jan 2026 · Safeguarding re-audit 2026")
    assert oldest.startswith("Jan 2025 · Organisational")
    assert picker.value == reaudit
    # and the whole label, wrapped, under it
    assert any(c.value.replace("\\", "") == newest for c in at.sidebar.caption)  # unescaped
