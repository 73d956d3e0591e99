"""A small world for the access tests: two organisations, each with a final and an
open audit, and one account per role on the first organisation (built with the
library, as an admin would)."""

from __future__ import annotations

from dataclasses import dataclass

from sgaudit.store import repo
from sgaudit.store.accounts import add_user, grant_role, load_principal
from sgaudit.store.db import session_scope

PASSWORD = "a long enough passphrase for tests"
NOTE = "NOTE-TEXT-the-manager-named-in-this-note-must-never-leak"
QUESTION = "REC-01"

#: Every account of the world and what it holds (on organisation A unless said).
ACCOUNTS = {
    "admin": "admin (an account property)",
    "lead": "lead_auditor on organisation A",
    "auditor": "auditor on audit A-open only",
    "viewer": "organisation_viewer on organisation A",
    "analyst": "partnership_analyst on organisation A",
    "nobody": "no role at all",
}
AUDITS = ("A-final", "A-open", "B-final", "B-open")


@dataclass(frozen=True)
class World:
    url: str
    audit_ids: dict[str, int]
    org_ids: dict[str, int]

    def principal(self, account: str):
        with session_scope(self.url) as s:
            return load_principal(s, account)


def build_world(url: str, question_set) -> World:
    audit_ids: dict[str, int] = {}
    org_ids: dict[str, int] = {}
    with session_scope(url) as s:
        for org_name in ("A", "B"):
            org = repo.create_organisation(s, f"Organisation {org_name}", ["Housing", "Youth"])
            org_ids[org_name] = org.id
            for kind in ("final", "open"):
                audit = repo.create_audit(s, org, f"{org_name} {kind} audit", question_set)
                for area in ("Housing", "Youth"):
                    for _ in range(3):
                        iv = repo.start_interview(
                            s, audit, tier="front_line", service_area=area, consent_confirmed=True
                        )
                        repo.save_answer(s, iv, QUESTION, "agree", note=NOTE, quotable=True)
                if kind == "final":
                    # Issued as the workflow would leave it (the review itself is
                    # tested in the workflow's own tests).
                    audit.status = "final"
                    s.flush()
                audit_ids[f"{org_name}-{kind}"] = audit.id
        s.commit()
        add_user(s, "admin", PASSWORD, is_admin=True)
        for name in ("lead", "auditor", "viewer", "analyst", "nobody"):
            add_user(s, name, PASSWORD, email=f"{name}@example.org")
        org_a = repo.get_organisation(s, org_ids["A"])
        grant_role(s, "lead", "lead_auditor", organisation=org_a)
        grant_role(s, "auditor", "auditor", audit=repo.get_audit(s, audit_ids["A-open"]))
        grant_role(s, "viewer", "organisation_viewer", organisation=org_a)
        grant_role(s, "analyst", "partnership_analyst", organisation=org_a)
    return World(url, audit_ids, org_ids)
