"""Two auditors on the same answer or finding: neither change is lost unseen.

The second writer is refused with the version now stored, chooses, and every
version is in the change log. On a real PostgreSQL server: two writer processes on
one answer, and a bounded load of 20 writers on one audit with 0 lost updates and 0
errors (the figures are in bench/README.md).
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from sgaudit.errors import EditConflict
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog

REPO = Path(__file__).resolve().parents[1]


def _audit_with_interview(url):
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Concurrent Trust", ["Housing"])
        audit = repo.create_audit(
            s, org, "Audit 2026", load_question_set(), auditor_1="Asha Khan", auditor_2="Ben Jones"
        )
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        s.commit()
        repo.save_answer(s, iv, "CUL-01", "agree", actor="Asha Khan")
        return audit.id, iv.id


def test_the_second_writer_sees_the_other_version_and_chooses(any_db_url):
    audit_id, iv_id = _audit_with_interview(any_db_url)
    with session_scope(any_db_url) as s:
        opened = repo.interview_answers(s, repo.get_interview(s, iv_id))["CUL-01"].revision
    # Ben saves over the version both opened
    with session_scope(any_db_url) as s:
        repo.save_answer(
            s,
            repo.get_interview(s, iv_id),
            "CUL-01",
            "disagree",
            actor="Ben Jones",
            expected_revision=opened,
        )
    # Asha, still looking at the version she opened, is refused and shown Ben's
    with session_scope(any_db_url) as s, pytest.raises(EditConflict) as refused:
        repo.save_answer(
            s,
            repo.get_interview(s, iv_id),
            "CUL-01",
            "strongly_agree",
            actor="Asha Khan",
            expected_revision=opened,
        )
    theirs = refused.value.theirs
    assert (theirs["answer"], theirs["updated_by"], theirs["revision"]) == (
        "disagree",
        "Ben Jones",
        opened + 1,
    )
    assert "changed by Ben Jones since you opened it" in str(refused.value)
    # she chooses hers, knowingly: saved over the version she was shown
    with session_scope(any_db_url) as s:
        repo.save_answer(
            s,
            repo.get_interview(s, iv_id),
            "CUL-01",
            "strongly_agree",
            actor="Asha Khan",
            expected_revision=theirs["revision"],
        )
        trail = s.execute(
            sa.select(ChangeLog.actor, ChangeLog.detail)
            .where(ChangeLog.action == "answer", ChangeLog.entity_id == f"{iv_id}:CUL-01")
            .order_by(ChangeLog.id)
        ).all()
    assert [(a, d["answer"], d["revision"]) for a, d in trail] == [
        ("Asha Khan", "agree", 1),
        ("Ben Jones", "disagree", 2),
        ("Asha Khan", "strongly_agree", 3),
    ]


def test_a_first_answer_saved_by_two_at_once_is_refused_to_the_second(any_db_url):
    audit_id, iv_id = _audit_with_interview(any_db_url)
    with session_scope(any_db_url) as s:
        repo.save_answer(
            s,
            repo.get_interview(s, iv_id),
            "CUL-02",
            "agree",
            actor="Ben Jones",
            expected_revision=0,
        )
    with session_scope(any_db_url) as s, pytest.raises(EditConflict, match="Ben Jones"):
        repo.save_answer(
            s,
            repo.get_interview(s, iv_id),
            "CUL-02",
            "neutral",
            actor="Asha Khan",
            expected_revision=0,
        )


def test_two_reviews_of_one_finding_do_not_overwrite_each_other(any_db_url):
    audit_id, _ = _audit_with_interview(any_db_url)
    key = "systemic:culture::"
    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        repo.review_finding(
            s,
            audit,
            key,
            kind="systemic",
            theme="culture",
            status="edited",
            summary="Staff doubt that concerns are acted on.",
            actor="Ben Jones",
            expected_revision=0,
        )
        with pytest.raises(EditConflict) as refused:
            repo.review_finding(
                s,
                audit,
                key,
                kind="systemic",
                theme="culture",
                status="dismissed",
                actor="Asha Khan",
                expected_revision=0,
            )
        assert refused.value.theirs["summary"] == "Staff doubt that concerns are acted on."
        assert repo.finding_reviews(s, audit)[key].status == "edited"


def _writer_process(url, iv_id, opened, answer, actor, gate, results):
    from sgaudit.errors import EditConflict
    from sgaudit.store import repo
    from sgaudit.store.db import session_scope

    try:
        with session_scope(url) as s:
            iv = repo.get_interview(s, iv_id)
            gate.wait(timeout=200)  # spawned children import the library: slow on a busy machine
            repo.save_answer(s, iv, "CUL-01", answer, actor=actor, expected_revision=opened)
        results.put((actor, "saved"))
    except EditConflict as exc:
        results.put((actor, f"conflict:{exc.theirs['answer']}"))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put((actor, f"error:{exc!r}"))


@pytest.mark.postgres
def test_two_writer_processes_on_postgresql_one_saves_the_other_is_shown_it(pg_url):
    audit_id, iv_id = _audit_with_interview(pg_url)
    ctx = multiprocessing.get_context("spawn")
    gate, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=_writer_process, args=(pg_url, iv_id, 1, answer, actor, gate, results))
        for answer, actor in (("disagree", "Ben Jones"), ("neutral", "Asha Khan"))
    ]
    for p in procs:
        p.start()
    outcomes = dict(results.get(timeout=240) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert sorted(v.split(":")[0] for v in outcomes.values()) == ["conflict", "saved"], outcomes
    winner = next(a for a, v in outcomes.items() if v == "saved")
    loser_saw = next(v for v in outcomes.values() if v.startswith("conflict"))
    with session_scope(pg_url) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, iv_id))["CUL-01"]
        assert stored.updated_by == winner and loser_saw == f"conflict:{stored.answer}"


@pytest.mark.postgres
def test_twenty_writers_on_one_audit_lose_nothing_and_meet_no_error(pg_url, artifacts_dir):
    sys.path.insert(0, str(REPO / "bench"))
    from bench_concurrency import run_load

    figures = run_load(pg_url, writers=20, seconds=4.0)
    (artifacts_dir / "concurrency.json").write_text(str(figures))
    assert figures["errors"] == 0, figures["error_messages"]
    assert figures["lost_updates"] == 0
    assert figures["writes_accepted"] > 20 and figures["conflicts_shown"] > 0
