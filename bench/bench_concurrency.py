"""Many auditors writing to one audit at once: no update lost, no error.

    .venv/bin/python bench/bench_concurrency.py --db postgresql+psycopg://USER@HOST/DB \
        [--writers 20] [--seconds 10]

Sets up one audit in the given (empty or throwaway) store, then `--writers` writers,
each with its own database connection and transaction, change answers of the same few
interviews for `--seconds`: every writer says which revision it opened
(`save_answer(expected_revision=...)`) and, when refused because someone else changed
the answer first, reads it again and retries, as an auditor shown the conflict would.
The few interviews make writers collide on the same answers on purpose.

Afterwards it checks, from the store: every accepted write is in the change log with
its own revision (none lost), each answer holds its last accepted write, and no writer
saw any error other than the conflict it is meant to see. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _setup(url: str, interviews: int) -> tuple[int, list[tuple[int, str, list[str]]]]:
    from sgaudit.questionnaire import load_question_set
    from sgaudit.store import repo
    from sgaudit.store.db import session_scope

    qs = load_question_set()
    with session_scope(url) as s:
        name = f"Load Trust {time.time_ns()}"
        org = repo.create_organisation(s, name, ["Housing"])
        audit = repo.create_audit(s, org, "Load test", qs, auditor_1="A", auditor_2="B")
        ivs = [
            repo.start_interview(s, audit, tier="front_line", service_area="Housing")
            for _ in range(interviews)
        ]
        s.commit()
        questions = [q for q in qs.questions_for_tier("front_line") if q.scale == "agree5"][:6]
        items = [
            (iv.id, q.id, qs.scales[q.scale].allowed_answers(q.reverse))
            for iv in ivs
            for q in questions
        ]
        return audit.id, items


def run_load(
    url: str, writers: int = 20, seconds: float = 10.0, interviews: int = 3, seed: int = 0
) -> dict:
    """Run the load and check it; returns the figures (see the module docstring)."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from sgaudit.access.policy import LOCAL_ADMIN
    from sgaudit.errors import EditConflict
    from sgaudit.store import repo
    from sgaudit.store.capture import interview_for_capture
    from sgaudit.store.db import make_engine
    from sgaudit.store.models import ChangeLog, Response
    from sgaudit.store.scope import set_principal

    audit_id, items = _setup(url, interviews)
    # one connection per writer, so all of them really are in the database at once
    engine = (
        make_engine(url)
        if url.startswith("sqlite")
        else sa.create_engine(url, pool_size=writers, max_overflow=0)
    )
    accepted: list[tuple[int, str, str, int]] = []
    latencies: list[float] = []
    conflicts = [0]
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(writers)
    deadline = [0.0]

    def writer(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        mine, times, clashes = [], [], 0
        try:
            start_gate.wait(timeout=60)
            while time.monotonic() < deadline[0]:
                iv_id, qid, options = rng.choice(items)
                with Session(engine, expire_on_commit=False) as s:
                    set_principal(s, LOCAL_ADMIN)
                    try:
                        iv = interview_for_capture(s, iv_id)
                        row = s.scalar(
                            sa.select(Response).where(
                                Response.interview_id == iv_id, Response.question_id == qid
                            )
                        )
                        current = row.answer if row is not None else ""
                        revision = row.revision if row is not None else 0
                        answer = rng.choice([o for o in options if o != current])
                        t0 = time.perf_counter()
                        saved = repo.save_answer(
                            s, iv, qid, answer, actor=f"writer{n}", expected_revision=revision
                        )
                        times.append(time.perf_counter() - t0)
                        mine.append((iv_id, qid, answer, saved.revision))
                    except EditConflict:
                        clashes += 1
                        s.rollback()
        except Exception as exc:  # any other failure is an error the load must not have
            with lock:
                errors.append(f"writer{n}: {type(exc).__name__}: {exc}")
        with lock:
            accepted.extend(mine)
            latencies.extend(times)
            conflicts[0] += clashes

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(writers)]
    deadline[0] = time.monotonic() + seconds + 5  # provisional, reset when all are ready
    for t in threads:
        t.start()
    time.sleep(0.5)
    deadline[0] = time.monotonic() + seconds
    for t in threads:
        t.join(timeout=seconds + 120)
    hung = sum(t.is_alive() for t in threads)

    # ---- check against the store --------------------------------------------------------
    with Session(engine) as s:
        stored = {
            (r.interview_id, r.question_id): (r.answer, r.revision)
            for r in s.scalars(
                sa.select(Response).where(Response.interview_id.in_({i for i, _, _ in items}))
            )
        }
        logged = {
            (c.entity_id, int(c.detail.get("revision", 0)))
            for c in s.scalars(
                sa.select(ChangeLog).where(
                    ChangeLog.audit_id == audit_id, ChangeLog.action == "answer"
                )
            )
        }
    last: dict[tuple[int, str], tuple[str, int]] = {}
    for iv_id, qid, answer, revision in accepted:
        key = (iv_id, qid)
        if key not in last or revision > last[key][1]:
            last[key] = (answer, revision)
    duplicate_revisions = len(accepted) - len({(i, q, r) for i, q, _, r in accepted})
    not_logged = sum((f"{i}:{q}", r) not in logged for i, q, _, r in accepted)
    wrong_final = sum(stored.get(k) != v for k, v in last.items())
    engine.dispose()
    return {
        "database": "postgresql" if url.startswith("postgresql") else url.split(":", 1)[0],
        "writers": writers,
        "seconds": seconds,
        "answers_contended": len(items),
        "writes_accepted": len(accepted),
        "conflicts_shown": conflicts[0],
        "lost_updates": duplicate_revisions + not_logged + wrong_final,
        "errors": len(errors) + hung,
        "error_messages": errors[:5],
        "writes_per_second": round(len(accepted) / seconds, 1),
        "save_ms_median": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "save_ms_p95": round(1000 * statistics.quantiles(latencies, n=20)[18], 1)
        if len(latencies) >= 20
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLAlchemy URL of a throwaway store")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from sgaudit.store.db import get_engine

    get_engine(args.db)  # migrate
    # the floor, in the same run: one writer alone, never in conflict
    floor = run_load(args.db, 1, args.seconds)
    load = run_load(args.db, args.writers, args.seconds)
    load["save_ms_median_vs_one_writer"] = (
        round(load["save_ms_median"] / floor["save_ms_median"], 1)
        if load["save_ms_median"] and floor["save_ms_median"]
        else None
    )
    print(json.dumps({"one_writer": floor, "load": load}))


if __name__ == "__main__":
    main()
