"""Each kind of change in the audit trail, in words: the lines `trail_words.event_words`
gives for answers, interviews, findings, the plan, the review and the rest (what the
trail's detail holds for each, and nothing more)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from sgaudit import printed
from sgaudit.store.models import AuditEvent
from sgaudit.store.trail_words import (
    ANALYSIS_PARTS,
    ARROW,
    FINDING_DECISIONS,
    REVIEW_STATUSES,
    TrailNames,
    _answer,
    _changes,
    _finding,
    _interview,
    _key,
    _note,
    _quoted,
    _subject,
    _value,
)
from sgaudit.vocab import AUDIT_STATUS_LABELS, MODE_LABELS, TIER_LABELS, mid_sentence

Words = Callable[[AuditEvent, dict, TrailNames], str]


def _answer_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    changes = dict(detail.get("changes") or {})
    answer = changes.pop("answer", None)
    parts = []
    if answer is not None:
        parts.append(_value(answer))
    parts += [f"{_key(k)} {_value(v)}" for k, v in changes.items()]
    said = "; ".join(parts) or "saved again"
    return f"Answer to {_answer(event, names)}: {said}{_note(detail)}"


def _moderate_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    values = _values(detail)
    reason = f"; reason: {_quoted(values['reason'])}" if values.get("reason") else ""
    return (
        f"Moderated {_answer(event, names)}: first scorer {_value(values.get('first'))}, "
        f"second scorer {_value(values.get('second'))}, agreed "
        f"{_value(values.get('agreed'))}{reason}"
    )


def _interview_created(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    values = _values(detail)
    tier = str(values.get("tier", ""))
    tier = "self-assessment" if tier == "self_assessment" else TIER_LABELS.get(tier, tier)
    mode = MODE_LABELS.get(str(values.get("mode", "")), _value(values.get("mode")))
    return f"Added interview {values.get('code', '')} ({mid_sentence(tier)}, {mid_sentence(mode)})"


def _values(detail: dict) -> dict:
    """The values an event recorded (none: an empty dict)."""
    return detail.get("values") or {}


def _count(detail: dict, key: str, noun: str) -> str:
    """A recorded count with its noun: "112 answers"."""
    return printed.count(int(_values(detail).get(key, 0) or 0), noun)


def _interview_corrected(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    values = _values(detail)
    changed = values.get("changed") or {}
    said = "; ".join(
        f"{_key(k)} {_value(v[0])} {ARROW} {_value(v[1])}"
        if isinstance(v, list | tuple) and len(v) == 2
        else f"{_key(k)} {_value(v)}"
        for k, v in changed.items()
    )
    erased = int(values.get("answers_erased", 0) or 0)
    tail = f"; {printed.count(erased, 'answer')} erased" if erased else ""
    return f"Corrected {_interview(names, event.entity_id)}: {said or 'no change'}{tail}"


def _finding_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    what = str(detail.get("what", ""))
    values = _values(detail)
    text = (
        f"{FINDING_DECISIONS.get(what, what.capitalize())} {_finding(names, str(event.entity_id))}"
    )
    if what in ("edited", "added"):
        severity = str(values.get("severity", "")).capitalize()
        wording = f": {_quoted(values['summary'])}" if values.get("summary") else ""
        text += f" ({severity}){wording}" if severity else wording
    return text


def _plan_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    changes = detail.get("changes") or {}
    if set(changes) == {"people"}:  # one cell, named by the event's id: tier/area
        changes = {str(event.entity_id): changes["people"]}
    cells = []
    for key, change in changes.items():
        tier, _, area = key.partition("/")
        who = TIER_LABELS.get(tier, tier).lower()
        cells.append(f"{who} in {area} {_value(change)}")
    shown = "; ".join(cells[:3])
    more = len(cells) - 3
    if more > 0:
        shown += f"; and {printed.count(more, 'more cell')}"
    if len(cells) == 1:
        return f"Fieldwork plan: {shown}"
    return f"Fieldwork plan: {printed.count(len(cells), 'cell')} changed ({shown})"


def _said(template: str, counts: Mapping[str, str] | None = None) -> Words:
    """A sentence filled from the event's values in words (`{subject}`: what it is
    about); `counts` names the values that are counts and their noun ("112 rows")."""

    def words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
        values = _values(detail)
        fill: dict[str, str] = defaultdict(str, {k: _value(v) for k, v in values.items()})
        for key, noun in (counts or {}).items():
            fill[key] = _count(detail, key, noun)
        fill["subject"] = _subject(event, names)
        return template.format_map(fill)

    return words


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _status_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    change = (detail.get("changes") or {}).get("status") or {}
    old, new = (
        AUDIT_STATUS_LABELS.get(str(change.get(k)), str(change.get(k))) for k in ("old", "new")
    )
    return f"Audit status: {old} {ARROW} {new}"


def _review_item_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    values = _values(detail)
    what = str(detail.get("what", ""))
    verb = "Signed off" if what == "signed_off" else "Sent back"
    comment = f": {_quoted(values['comment'])}" if values.get("comment") else ""
    return f"{verb} {_quoted(values.get('item', event.entity_id))} (version {values.get('version', '')}){comment}"


def generic_words(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    """Any other change: what was done to what, then its values in words."""
    what = str(detail.get("what", "")).replace("_", " ")
    if event.action in ("import", "erase") and what in ("import", "erase", ""):
        what = "imported" if event.action == "import" else "erased"
    head = f"{what.capitalize() or 'Changed'}: {_subject(event, names)}"
    if detail.get("changes"):
        return f"{head}: {_changes(detail['changes'])}{_note(detail)}"
    values = _values(detail)
    said = "; ".join(
        f"{_key(k)} {_quoted(v) if isinstance(v, str) and len(v) > 40 else _value(v)}"
        for k, v in values.items()
    )
    return head + (f": {said}" if said else "") + _note(detail)


WORDS: dict[tuple[str, str], Words] = {
    ("response", "answer"): _answer_words,
    ("response", "clear"): lambda e, d, n: f"Cleared the answer to {_answer(e, n)}",
    ("response", "second_score"): lambda e, d, n: f"Second score given for {_answer(e, n)}",
    ("response", "second_clear"): lambda e, d, n: f"Second score cleared for {_answer(e, n)}",
    ("response", "moderate"): _moderate_words,
    ("response", "erase"): lambda e, d, n: f"Erased the answer to {_answer(e, n)}",
    ("interview", "create"): _interview_created,
    ("interview", "complete"): lambda e, d, n: f"Marked {_interview(n, e.entity_id)} complete",
    ("interview", "reopen"): lambda e, d, n: f"Reopened {_interview(n, e.entity_id)}",
    ("interview", "consent"): lambda e, d, n: f"Recorded consent for {_interview(n, e.entity_id)}",
    ("interview", "withdraw_consent"): lambda e, d, n: (
        f"Recorded that the people in {_interview(n, e.entity_id)} withdrew consent"
    ),
    ("interview", "correct"): _interview_corrected,
    ("interview", "double_score"): lambda e, d, n: (
        f"{_cap(_interview(n, e.entity_id))} to be double-scored by "
        f"{_values(d).get('second_scorer', 'the second auditor')}"
    ),
    ("interview", "second_scores"): lambda e, d, n: (
        f"Saved the second scores of {_interview(n, e.entity_id)} "
        f"({_count(d, 'answers', 'answer')})"
    ),
    ("interview", "second_complete"): lambda e, d, n: (
        f"Finished the second scoring of {_interview(n, e.entity_id)}"
    ),
    ("interview", "second_reopen"): lambda e, d, n: (
        f"Reopened the second scoring of {_interview(n, e.entity_id)}"
    ),
    ("interview", "erase"): lambda e, d, n: (
        f"Erased an interview and its {_count(d, 'answers', 'answer')}"
    ),
    ("interview", "demo"): _said(
        "Loaded the demo self-assessment {self_assessment} ({answers})", {"answers": "answer"}
    ),
    ("finding", "accepted"): _finding_words,
    ("finding", "edited"): _finding_words,
    ("finding", "dismissed"): _finding_words,
    ("finding", "added"): _finding_words,
    ("finding", "proposed"): _finding_words,
    ("audit", "create"): lambda e, d, n: (
        f"Created the audit {_quoted(_values(d).get('title', ''))} "
        f"(question set {_values(d).get('question_set', '')})"
    ),
    ("audit", "status"): _status_words,
    ("audit", "demo"): _said(
        "Loaded the demo: {interviews} and {answers}",
        {"interviews": "interview", "answers": "answer"},
    ),
    ("audit", "framework"): _said("Set the training framework to {framework}"),
    ("audit", "opinion"): lambda e, d, n: (
        f"Confirmed the assurance opinion: proposed {_value(_values(d).get('proposed'))}, "
        f"given {_value(_values(d).get('given'))}"
    ),
    ("audit", "submit_for_review"): _said("Submitted version {version} for review"),
    ("audit", "send_back"): lambda e, d, n: (
        f"The audit went back to draft: {_quoted(_values(d).get('item', ''))} was sent back"
    ),
    ("audit", "finalise"): _said("Made the audit final as version {version}"),
    ("audit", "reopen"): lambda e, d, n: (
        f"Reopened the audit as version {_values(d).get('version', '')}: "
        f"{_quoted(_values(d).get('reason', ''))}"
    ),
    ("audit", "import_archive"): _said(
        "Restored the audit from the archive {file} (exported {exported_at})"
    ),
    ("audit", "erase"): lambda e, d, n: f"Erased the audit ({_value(_values(d))})",
    ("review_item", "signed_off"): _review_item_words,
    ("review_item", "sent_back"): _review_item_words,
    ("recommendation", "save"): lambda e, d, n: "Saved a recommendation",
    ("recommendation", "delete"): lambda e, d, n: "Deleted a recommendation",
    ("recommendation", "review"): lambda e, d, n: (
        "Reviewed a recommendation of the last audit: "
        f"{REVIEW_STATUSES.get(str(_values(d).get('status')), 'reviewed')}"
    ),
    ("auditor_analysis", "analysis"): lambda e, d, n: (
        f"Wrote {_subject(e, n)} ("
        + ", ".join(ANALYSIS_PARTS.get(p, p) for p in (d.get("values") or {}).get("parts", []))
        + ")"
    ),
    ("auditor_analysis", "no_recommendation"): lambda e, d, n: (
        f"Gave the reason for no recommendation on {_finding(n, str(e.entity_id))}: "
        f"{_quoted(_values(d).get('reason', ''))}"
    ),
    ("fieldwork_plan", "plan"): _plan_words,
    ("register", "import"): _said("Imported {subject} ({rows})", {"rows": "row"}),
    ("answers", "import"): lambda e, d, n: (
        f"Imported answers from {e.entity_id}: {_count(d, 'answers', 'answer')} written"
    ),
    ("organisation", "create"): _said("Created the organisation {name}"),
    ("organisation", "erase"): lambda e, d, n: f"Erased an organisation ({_value(_values(d))})",
}
