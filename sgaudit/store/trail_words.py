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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.access.policy import ROLE_LABELS
from sgaudit.store.models import Audit, AuditEvent, Interview
from sgaudit.store.reviews import REVIEW_STATUSES as REVIEW_STATUS_LABELS
from sgaudit.vocab import FINDING_KIND_LABELS, TIER_LABELS

ARROW = "\u2192"
LONG_TEXT = 100  # a reason or a finding's wording is shortened to this many characters
READS: dict[str, str] = {
    "view_dashboard": "Opened the dashboard",
    "view_findings": "Opened the findings",
    "view_interviews": "Opened the interviews",
    "view_roll_up": "Saw its theme scores in a partnership roll-up",
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
    "view_roll_up": "view",
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
REVIEW_STATUSES: dict[str, str] = {k: v.lower() for k, v in REVIEW_STATUS_LABELS.items()}
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
    from sgaudit.store.trail_changes import WORDS, generic_words

    what = str(detail.get("what", ""))
    words = WORDS.get((event.entity, what))
    if words is not None:
        return words(event, detail, names)
    return generic_words(event, detail, names)


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
