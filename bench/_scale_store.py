"""The partnership store `bench_scale.py` grows and measures: organisations added 25 at a
time, each with an audit and its re-audit of synthetic answers written through the bulk
write path; or a store kept from an earlier run, read as it is."""

from __future__ import annotations

import time
from pathlib import Path


class Store:
    """The store being grown, one organisation (two audits) at a time."""

    def __init__(self, url: str, responses: int) -> None:
        from sgaudit.analysis.synthetic import audit_of_size

        self.url = url
        self.orgs = 0
        self.data = [audit_of_size(responses, seed=k) for k in (1, 2)]
        self.first_reaudit: int | None = None
        self.first_audit: int | None = None
        self.load_cpu = 0.0
        self.answers = 0

    @classmethod
    def existing(cls, path: Path) -> Store:
        """A SQLite store built before (`--keep`), measured as it is. Read with sqlite3
        alone: opening it through this checkout's store would upgrade its schema, and a
        `--code` checkout from before a migration could then not open it."""
        import sqlite3

        store = cls.__new__(cls)
        store.url, store.data, store.load_cpu = f"sqlite:///{path}", [], 0.0
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            store.orgs = con.execute(
                "SELECT count(DISTINCT organisation_id) FROM audit"
            ).fetchone()[0]
            first_org = con.execute("SELECT min(organisation_id) FROM audit").fetchone()[0]
            ids = [
                r[0]
                for r in con.execute(
                    "SELECT id FROM audit WHERE organisation_id = ? ORDER BY id", (first_org,)
                )
            ]
            store.first_audit, store.first_reaudit = ids[0], ids[1]
            store.answers = con.execute("SELECT sum(answer_count) FROM interview").fetchone()[0]
        finally:
            con.close()
        return store

    def grow_to(self, orgs: int) -> None:
        from sgaudit.store.db import session_scope

        t = time.process_time()
        while self.orgs < orgs:
            with session_scope(self.url) as s:
                for _ in range(min(25, orgs - self.orgs)):
                    self._add_organisation(s)
                s.commit()
        self.load_cpu += time.process_time() - t

    def _add_organisation(self, s) -> None:
        from sgaudit.analysis.synthetic import BENCH_AREAS, synthetic_question_set
        from sgaudit.store import repo
        from sgaudit.store.bulk import insert_audit_data

        self.orgs += 1
        org = repo.create_organisation(s, f"Member {self.orgs:03d}", list(BENCH_AREAS))
        previous = None
        for round_, data in enumerate(self.data, start=1):
            audit = repo.create_audit(
                s, org, f"Audit {round_}", synthetic_question_set(), previous_audit=previous
            )
            r = data.responses
            insert_audit_data(s, audit.id, r)
            s.flush()
            previous = audit
        if self.first_audit is None:
            self.first_audit, self.first_reaudit = previous.previous_audit_id, previous.id
