"""The audit trail in words, for the people who read it (the app's Audit history).

The trail (`sgaudit.store.trail`) records what happened as data: an action, an entity
and its id, and a detail of old and new values ("response 63:CAS-04", `{"changes":
{"answer": {"old": "agree", "new": "disagree"}}}`). `event_words` turns one event into
a line a lead auditor reads: "Answer to CAS-04 of interview FL-7K3QX: agree → disagree".

Presentation only: what the trail records is not changed, and the CSV export
(`sgaudit audit-log --out`) keeps the raw fields. Nothing is added that the detail does
not hold: a note is never in it (the trail records only that it changed), a free-text
answer shows as "changed", and an erased record's values are gone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.access.policy import ROLE_LABELS
from sgaudit.store.models import Audit, AuditEvent, Interview
from sgaudit.vocab import (
    AUDIT_STATUS_LABELS,
    FINDING_KIND_LABELS,
    MODE_LABELS,
    TIER_LABELS,
)

ARROW = "\u2192"
LONG_TEXT = 100  # a reason or a finding's wording is shortened to this many characters
READS: dict[str, str] = {
    "view_dashboard": "Opened the dashboard",
    "view_findings": "Opened the findings",
    "view_interviews": "Opened the interviews",
    "download_report": "Made the board report",
    "export": "Exported the audit",
    "login": "Signed in",
    "logout": "Signed out",
}
#: The short name of each action, for the history's "action" column.
ACTION_WORDS: dict[str, str] = {
    "login": "sign-in",
    "failed_login": "refused sign-in",
    "logout": "sign-out",
    "view_dashboard": "view",
    "view_findings": "view",
    "view_interviews": "view",
    "download_report": "report",
    "export": "export",
    "import": "import",
    "change": "change",
    "erase": "erasure",
    "grant": "role given",
    "revoke": "role taken away",
    "prune": "pruning",
}
FINDING_DECISIONS: dict[str, str] = {
    "accepted": "Accepted",
    "edited": "Reworded",
    "dismissed": "Left out",
    "added": "Added",
    "proposed": "Reopened",
}
REVIEW_STATUSES: dict[str, str] = {
    "achieved": "achieved",
    "partly": "partly achieved",
    "not_achieved": "not achieved",
    "no_longer_relevant": "no longer relevant",
}
ANALYSIS_PARTS: dict[str, str] = {
    "seen": "what we saw",
    "why": "why it happens",
    "impact": "impact on people",
    "helps": "what helps",
}


@dataclass(frozen=True)
class TrailNames:
    """What the words of an audit's events name: its interviews by their codes (an
    event keeps only the interview's id) and its themes by their titles."""

    interviews: Mapping[int, str] = field(default_factory=dict)
    themes: Mapping[str, str] = field(default_factory=dict)


def trail_names(session: Session, audit: Audit) -> TrailNames:
    """The codes of `audit`'s interviews and the titles of its themes."""
    from sgaudit.store.audits import audit_question_set

    codes = dict(
        session.execute(
            select(Interview.id, Interview.code).where(Interview.audit_id == audit.id)
        ).all()
    )
    try:
        themes = {t.id: t.title for t in audit_question_set(session, audit).themes}
    except Exception:  # noqa: BLE001 - a question set that cannot be read: ids stay as they are
        themes = {}
    return TrailNames(interviews=codes, themes=themes)


def action_words(event: AuditEvent) -> str:
    """The short name of the event's action ("change", "view", "sign-in")."""
    return ACTION_WORDS.get(event.action, event.action.replace("_", " "))


def who_words(event: AuditEvent) -> str:
    """Who did it: the account, and the name they worked as when it differs."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    working_as = str(detail.get("as") or "")
    if working_as and working_as != event.actor:
        return f"{event.actor} (as {working_as})"
    return event.actor


def event_words(event: AuditEvent, names: TrailNames | None = None) -> str:
    """One event as a line a lead auditor reads (see the module docstring)."""
    names = names or TrailNames()
    detail = event.detail if isinstance(event.detail, dict) else {}
    if detail.get("erased") is True and len(detail) == 1:
        return f"{_subject(event, names, capital=True)}: its values were removed when the record was erased"
    if event.action in READS:
        via = " by single sign-on" if detail.get("via") else ""
        return READS[event.action] + via
    if event.action == "failed_login":
        reason = {"throttled": " (too many attempts: wait and try again)"}.get(
            str(detail.get("reason", "")), ""
        )
        return f"Sign-in refused for {event.entity_id}{reason}"
    if event.action in ("grant", "revoke"):
        role = str(detail.get("role", ""))
        role = ROLE_LABELS.get(role, role.replace("_", " ")).lower()
        verb = "Gave" if event.action == "grant" else "Took away from"
        return f"{verb} {event.entity_id} the role of {role}"
    if event.action == "prune":
        deleted = int(detail.get("deleted", 0) or 0)
        return (
            f"Deleted {printed.count(deleted, 'event')} of the trail recorded before "
            f"{str(detail.get('before', ''))[:10]} (past their retention)"
        )
    what = str(detail.get("what", ""))
    words = _WORDS.get((event.entity, what))
    if words is not None:
        return words(event, detail, names)
    return _generic(event, detail, names)


# ---- the subject of an event: what it is about, by name --------------------------------


def _interview(names: TrailNames, interview_id: object) -> str:
    try:
        code = names.interviews.get(int(str(interview_id)))
    except ValueError:
        code = None
    return f"interview {code}" if code else "an interview since erased"


def _answer(event: AuditEvent, names: TrailNames) -> str:
    interview_id, _, question = str(event.entity_id).partition(":")
    return f"{question or 'a question'} of {_interview(names, interview_id)}"


def _finding(names: TrailNames, key: str) -> str:
    """A finding by its kind, theme, areas and tiers, from its key (kind:theme:areas:tiers;
    records:theme:indicator; auditor:theme:token for the auditors' own)."""
    parts = key.split(":")
    kind, theme = parts[0], parts[1] if len(parts) > 1 else ""
    title = names.themes.get(theme, theme.replace("_", " ").capitalize()) if theme else ""
    if kind == "auditor":
        return f"the auditors' own finding on {title or 'the audit'}"
    label = FINDING_KIND_LABELS.get(kind, kind.replace("_", " ") or "finding")
    where = [title] if title else []
    if kind == "records" and len(parts) > 2:
        where.append(parts[2].replace("_", " "))
    elif len(parts) > 2 and parts[2]:
        where.append(parts[2].replace("+", ", "))
    if kind != "records" and len(parts) > 3 and parts[3]:
        where.append(", ".join(TIER_LABELS.get(t, t).lower() for t in parts[3].split("+")))
    return f"the finding \u201c{label}\u201d" + (f" on {'; '.join(where)}" if where else "")


def _subject(event: AuditEvent, names: TrailNames, capital: bool = False) -> str:
    entity, ref = event.entity, str(event.entity_id)
    if entity == "response":
        text = f"the answer to {_answer(event, names)}"
    elif entity == "interview":
        text = _interview(names, ref)
    elif entity == "finding":
        text = _finding(names, ref)
    elif entity == "auditor_analysis":
        text = (
            f"the analysis of theme {names.themes.get(ref[6:], ref[6:])}"
            if ref.startswith("theme:")
            else f"the analysis of {_finding(names, ref)}"
        )
    elif entity == "recommendation":
        text = "a recommendation"
    elif entity == "audit":
        text = "the audit"
    elif entity == "fieldwork_plan":
        text = "the fieldwork plan"
    elif entity == "register":
        text = f"the {ref} register"
    elif entity == "user":
        text = f"account {ref}"
    else:
        text = f"{entity.replace('_', ' ')} {ref}".strip()
    return text[:1].upper() + text[1:] if capital else text


# ---- values in words ----------------------------------------------------------------


def _value(value: Any) -> str:
    """One recorded value in words: an answer code, a yes/no, a number, a short text."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "none"
    if isinstance(value, dict):
        if set(value) >= {"old", "new"}:
            return f"{_value(value['old'])} {ARROW} {_value(value['new'])}"
        return "; ".join(f"{_key(k)} {_value(v)}" for k, v in value.items())
    text = str(value)
    if text == "dont_know":
        return "don't know"
    if " " not in text and "_" in text:
        return text.replace("_", " ")
    return text


def _quoted(text: object) -> str:
    text = " ".join(str(text or "").split())
    if len(text) > LONG_TEXT:
        text = text[: LONG_TEXT - 1].rstrip() + "\u2026"
    return f"\u201c{text}\u201d"


def _key(key: str) -> str:
    return {
        "service_area": "service area",
        "answers_erased": "answers erased",
        "dropped_columns": "columns left out",
        "exported_at": "exported",
    }.get(key, key.replace("_", " "))


def _changes(changes: Mapping[str, Any], *, one: str = "") -> str:
    """ "agree → disagree" for one value; "answer: agree → disagree; quotable: no → yes"."""
    if one and set(changes) == {one}:
        return _value(changes[one])
    return "; ".join(f"{_key(k)}: {_value(v)}" for k, v in changes.items())


def _note(detail: Mapping[str, Any]) -> str:
    return "; note changed" if detail.get("note") == "changed" else ""


# ---- each kind of change --------------------------------------------------------------

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
    values = detail.get("values") or {}
    reason = f"; reason: {_quoted(values['reason'])}" if values.get("reason") else ""
    return (
        f"Moderated {_answer(event, names)}: first scorer {_value(values.get('first'))}, "
        f"second scorer {_value(values.get('second'))}, agreed "
        f"{_value(values.get('agreed'))}{reason}"
    )


def _interview_created(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    values = detail.get("values") or {}
    tier = str(values.get("tier", ""))
    tier = "self-assessment" if tier == "self_assessment" else TIER_LABELS.get(tier, tier)
    mode = MODE_LABELS.get(str(values.get("mode", "")), _value(values.get("mode")))
    return f"Added interview {values.get('code', '')} ({tier.lower()}, {mode.lower()})"


def _interview_corrected(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    values = detail.get("values") or {}
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
    values = detail.get("values") or {}
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
        values = detail.get("values") or {}
        fill: dict[str, str] = defaultdict(str, {k: _value(v) for k, v in values.items()})
        for key, noun in (counts or {}).items():
            fill[key] = printed.count(int(values.get(key, 0) or 0), noun)
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
    values = detail.get("values") or {}
    what = str(detail.get("what", ""))
    verb = "Signed off" if what == "signed_off" else "Sent back"
    comment = f": {_quoted(values['comment'])}" if values.get("comment") else ""
    return f"{verb} {_quoted(values.get('item', event.entity_id))} (version {values.get('version', '')}){comment}"


def _generic(event: AuditEvent, detail: dict, names: TrailNames) -> str:
    """Any other change: what was done to what, then its values in words."""
    what = str(detail.get("what", "")).replace("_", " ")
    if event.action in ("import", "erase") and what in ("import", "erase", ""):
        what = "imported" if event.action == "import" else "erased"
    head = f"{what.capitalize() or 'Changed'}: {_subject(event, names)}"
    if detail.get("changes"):
        return f"{head}: {_changes(detail['changes'])}{_note(detail)}"
    values = detail.get("values") or {}
    said = "; ".join(
        f"{_key(k)} {_quoted(v) if isinstance(v, str) and len(v) > 40 else _value(v)}"
        for k, v in values.items()
    )
    return head + (f": {said}" if said else "") + _note(detail)


_WORDS: dict[tuple[str, str], Words] = {
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
        f"{(d.get('values') or {}).get('second_scorer', 'the second auditor')}"
    ),
    ("interview", "second_scores"): lambda e, d, n: (
        f"Saved the second scores of {_interview(n, e.entity_id)} "
        f"({printed.count(int((d.get('values') or {}).get('answers', 0) or 0), 'answer')})"
    ),
    ("interview", "second_complete"): lambda e, d, n: (
        f"Finished the second scoring of {_interview(n, e.entity_id)}"
    ),
    ("interview", "second_reopen"): lambda e, d, n: (
        f"Reopened the second scoring of {_interview(n, e.entity_id)}"
    ),
    ("interview", "erase"): lambda e, d, n: (
        f"Erased an interview and its "
        f"{printed.count(int((d.get('values') or {}).get('answers', 0) or 0), 'answer')}"
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
        f"Created the audit {_quoted((d.get('values') or {}).get('title', ''))} "
        f"(question set {(d.get('values') or {}).get('question_set', '')})"
    ),
    ("audit", "status"): _status_words,
    ("audit", "demo"): _said(
        "Loaded the demo: {interviews} and {answers}",
        {"interviews": "interview", "answers": "answer"},
    ),
    ("audit", "framework"): _said("Set the training framework to {framework}"),
    ("audit", "opinion"): lambda e, d, n: (
        f"Confirmed the assurance opinion: proposed {_value((d.get('values') or {}).get('proposed'))}, "
        f"given {_value((d.get('values') or {}).get('given'))}"
    ),
    ("audit", "submit_for_review"): _said("Submitted version {version} for review"),
    ("audit", "send_back"): lambda e, d, n: (
        f"The audit went back to draft: {_quoted((d.get('values') or {}).get('item', ''))} "
        f"was sent back"
    ),
    ("audit", "finalise"): _said("Made the audit final as version {version}"),
    ("audit", "reopen"): lambda e, d, n: (
        f"Reopened the audit as version {(d.get('values') or {}).get('version', '')}: "
        f"{_quoted((d.get('values') or {}).get('reason', ''))}"
    ),
    ("audit", "import_archive"): _said(
        "Restored the audit from the archive {file} (exported {exported_at})"
    ),
    ("audit", "erase"): lambda e, d, n: f"Erased the audit ({_value(d.get('values') or {})})",
    ("review_item", "signed_off"): _review_item_words,
    ("review_item", "sent_back"): _review_item_words,
    ("recommendation", "save"): lambda e, d, n: "Saved a recommendation",
    ("recommendation", "delete"): lambda e, d, n: "Deleted a recommendation",
    ("recommendation", "review"): lambda e, d, n: (
        "Reviewed a recommendation of the last audit: "
        f"{REVIEW_STATUSES.get(str((d.get('values') or {}).get('status')), 'reviewed')}"
    ),
    ("auditor_analysis", "analysis"): lambda e, d, n: (
        f"Wrote {_subject(e, n)} ("
        + ", ".join(ANALYSIS_PARTS.get(p, p) for p in (d.get("values") or {}).get("parts", []))
        + ")"
    ),
    ("auditor_analysis", "no_recommendation"): lambda e, d, n: (
        f"Gave the reason for no recommendation on {_finding(n, str(e.entity_id))}: "
        f"{_quoted((d.get('values') or {}).get('reason', ''))}"
    ),
    ("fieldwork_plan", "plan"): _plan_words,
    ("register", "import"): _said("Imported {subject} ({rows})", {"rows": "row"}),
    ("answers", "import"): lambda e, d, n: (
        f"Imported answers from {e.entity_id}: "
        f"{printed.count(int((d.get('values') or {}).get('answers', 0) or 0), 'answer')} written"
    ),
    ("organisation", "create"): _said("Created the organisation {name}"),
    ("organisation", "erase"): lambda e, d, n: (
        f"Erased an organisation ({_value(d.get('values') or {})})"
    ),
}
