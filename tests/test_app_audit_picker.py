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


def test_the_picker_is_drawn_already_showing_the_chosen_audit(audits):
    """A tester lost the audit when they clicked a page link and then a tab before the
    first page had drawn: the choice had reached the browser only with the run that made
    it, so the box the browser built from a later run was empty and sent back 'none'.
    Whatever run the browser builds the box from, its default is the chosen audit."""
    baseline, reaudit = audits
    at = open_page(app(), "dashboard")  # a new session: the newest audit is offered
    picker = by_label(at.sidebar.selectbox, "Audit")
    assert picker.value == reaudit
    assert picker.proto.HasField("default") and picker.proto.default == picker.index == 0
    at.run()  # a later run, which sets nothing: the box still defaults to the choice
    picker = by_label(at.sidebar.selectbox, "Audit")
    assert picker.value == reaudit
    assert picker.proto.HasField("default") and picker.proto.default == 0
    picker.set_value(baseline).run()  # chosen in the box itself
    picker = by_label(at.sidebar.selectbox, "Audit")
    assert picker.value == baseline and picker.proto.default == 1
    assert at.session_state["audit"] == baseline
