"""An import killed at any moment leaves the store as it was: the bulk write runs in
the import's one transaction, so a kill -9 before the commit writes nothing.

Bounded: a sheet of 12,000 answers, three kills at random moments per database."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_sheets_support import counts

from sgaudit.analysis.synthetic import BENCH_AREAS, audit_of_size, synthetic_question_set
from sgaudit.store import repo
from sgaudit.store.db import dispose_engines, session_scope

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ["interview_id", "tier", "service_area", "mode", "people", "question_id", "answer"]

IMPORT = """
import sys
from sgaudit.sheets import import_answers
from sgaudit.store.db import session_scope
with session_scope(sys.argv[1]) as s:
    import_answers(s, int(sys.argv[2]), sys.argv[3])
print("done", flush=True)
"""


@pytest.mark.parametrize("kills", [3])
def test_a_killed_import_leaves_the_store_as_it_was(any_db_url, tmp_path, kills):
    sheet = tmp_path / "answers.csv"
    audit_of_size(12_000, seed=5).responses[COLUMNS].to_csv(sheet, index=False)
    with session_scope(any_db_url) as s:
        org = repo.create_organisation(s, "Kill Trust", list(BENCH_AREAS))
        audit_id = repo.create_audit(s, org, "Killed", synthetic_question_set()).id
    dispose_engines()
    before = counts(any_db_url)
    rng = random.Random(14)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    finished = 0
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", IMPORT, any_db_url, str(audit_id), str(sheet)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(1.0, 6.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        out = proc.communicate(timeout=120)[0].decode()
        if "done" in out:
            finished += 1
            break  # it completed before the kill: the rest of the test checks that
        dispose_engines()
        assert counts(any_db_url) == before, "a killed import left rows behind"
    # The store is usable after the kills: the same import now completes in full.
    with session_scope(any_db_url) as s:
        from sgaudit.sheets import import_answers

        summary = import_answers(s, audit_id, sheet)
    assert summary.answers_created + summary.answers_updated == 12_000 - 12_000 % 60
    assert counts(any_db_url)[1] == before[1] + 12_000 - 12_000 % 60
