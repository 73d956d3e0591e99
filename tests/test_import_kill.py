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
    audit_of_size(12_000, seed=5).responses[COLUMNS].assign(consent="yes").to_csv(
        sheet, index=False
    )
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
    # The kept answer counts survived the kills too (SQLite's bulk insert drops and
    # remakes the counting trigger inside the transaction): right, and still kept.
    from sgaudit.store.answer_counts import miscounted

    with session_scope(any_db_url) as s:
        assert miscounted(s) == {}
        repo.save_answer(s, repo.list_interviews(s, repo.get_audit(s, audit_id))[0], "REC-01", "")
        assert miscounted(s) == {}


# ---- a million rows --------------------------------------------------------------------
# The million-row import killed here is the restore of a million-answer archive (the
# import the 12,000-answer test above does not cover): it reads, checks and writes its
# answers batch by batch, so a kill lands while rows are being written, all in the one
# transaction.
MILLION = 1_000_000
RESTORE = """
import sys
from sgaudit.archive import import_archive
from sgaudit.store.db import session_scope
with session_scope(sys.argv[1]) as s:
    import_archive(s, sys.argv[2], organisation_name=sys.argv[3])
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def million_archive(tmp_path_factory) -> tuple[Path, int]:
    """An archive of a million answers (written by a child with bench_archive's
    generator, so that this process does not keep the frame)."""
    path = tmp_path_factory.mktemp("million") / "audit.zip"
    code = (
        "import sys, pathlib\nsys.path.insert(0, 'bench')\n"
        "from bench_archive import write_archive\n"
        f"print(write_archive(pathlib.Path({str(path)!r}), {MILLION}))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, check=True, capture_output=True
    )
    return path, int(done.stdout.split()[-1])


def _state(url: str) -> tuple[int, ...]:
    """What a restore may change: organisations, audits, interviews, answers, change log."""
    from sqlalchemy import func, select

    from sgaudit.store.models import Audit, ChangeLog, Organisation

    dispose_engines()
    with session_scope(url) as s:
        return (
            *(s.scalar(select(func.count()).select_from(m)) for m in (Organisation, Audit)),
            *counts(url),
            s.scalar(select(func.count()).select_from(ChangeLog)),
        )


def _restore(url: str, path: Path, organisation: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", RESTORE, url, str(path), organisation],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_killed_million_answer_restore_leaves_the_store_as_it_was(any_db_url, million_archive):
    """The restore runs once in full (another organisation), which measures how long it
    takes; then two kills at random moments within that time, each leaving the store as
    it was; then the same restore runs to the end and every answer is there."""
    path, rows = million_archive
    started = time.perf_counter()
    assert (
        "done" in _restore(any_db_url, path, "Measured Trust").communicate(timeout=600)[0].decode()
    )
    duration = time.perf_counter() - started

    before = _state(any_db_url)
    rng = random.Random(1_000_014)
    for _ in range(2):
        proc = _restore(any_db_url, path, "Killed Trust")
        time.sleep(rng.uniform(0.05, 0.75) * duration)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        out = proc.communicate(timeout=300)[0].decode()
        assert killed and "done" not in out, "the restore ended before the kill"
        assert _state(any_db_url) == before, "a killed restore left rows behind"

    assert "done" in _restore(any_db_url, path, "Killed Trust").communicate(timeout=600)[0].decode()
    after = _state(any_db_url)
    assert after[3] == before[3] + rows, "the full restore did not store every answer"
    assert _answer_counts(any_db_url, "Killed Trust") == _answer_counts(
        any_db_url, "Measured Trust"
    )


def _answer_counts(url: str, organisation: str) -> dict[tuple[str, str], int]:
    """How many of each answer to each question the organisation's audit holds."""
    from sqlalchemy import func, select

    from sgaudit.store.models import Audit, Interview, Organisation, Response

    with session_scope(url) as s:
        rows = s.execute(
            select(Response.question_id, Response.answer, func.count())
            .join(Interview)
            .join(Audit)
            .join(Organisation)
            .where(Organisation.name == organisation)
            .group_by(Response.question_id, Response.answer)
        )
        return {(q, a): n for q, a, n in rows}
