"""The hostile-file corpus as a regression suite (issue 10, "The corpus").

Builds >= 300 malformed and hostile files over every import path at test time
(tests/hostile_corpus.py; nothing binary is committed) and runs them through the real
CLI in batches, each batch in its own process under a memory limit
(tests/hostile_runner.py). The promise: no traceback, no partial write, no file over
1 GB of memory or 10 seconds. The counts of the last run are in docs/security.md,
section "Hostile input".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from archive_support import legacy_doc
from hostile_corpus import AREA, build_corpus

from sgaudit.store.db import dispose_engines, session_scope

ROOT = Path(__file__).resolve().parents[1]
BATCH = 60
ADDRESS_SPACE = 3 * 1024**3  # the hard limit of each batch process (virtual memory)
PEAK_LIMIT_MB = 1024  # what a file may use (resident)
SECONDS_LIMIT = 10.0


def _store(folder: Path) -> tuple[str, str, dict, list[str]]:
    from sgaudit.archive import export_audit
    from sgaudit.questionnaire import load_question_set
    from sgaudit.sheets import import_answers
    from sgaudit.store import repo

    url = f"sqlite:///{folder / 'corpus.db'}"
    qs = load_question_set()
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Corpus Trust", [AREA])
        audit = repo.create_audit(s, org, "Baseline", qs)
        audit_id = audit.id
    sheet = folder / "good.csv"
    rows = ["interview_id,tier,service_area,question_id,answer,note,consent"]
    rows += [
        f"FL-{i},front_line,{AREA},{q.id},dont_know,,yes"
        for i in range(4)
        for q in qs.questions[:5]
    ]
    sheet.write_text("\n".join(rows) + "\n")
    with session_scope(url) as s:
        import_answers(s, audit_id, sheet)
    with session_scope(url) as s:
        export_audit(s, audit_id, folder / "good.zip")
    good = legacy_doc(folder / "good.zip")  # format 2: the answers inside audit.json
    dispose_engines()
    return url, str(audit_id), good, [q.id for q in qs.questions]


def _run_batch(folder: Path, i: int, spec: dict) -> list[dict]:
    cases, results = folder / f"batch{i}.json", folder / f"results{i}.json"
    cases.write_text(json.dumps(spec))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "hostile_runner.py"), str(cases), str(results)],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(results.read_text())


@pytest.mark.timeout(1800)
def test_the_hostile_corpus_gives_no_traceback_partial_write_or_runaway(tmp_path):
    url, audit, good, question_ids = _store(tmp_path)
    cases = build_corpus(tmp_path / "corpus", good, question_ids)
    assert len(cases) >= 300
    kinds = {k.split(":")[0] for k, _ in cases}
    assert kinds == {"sheet", "survey", "register", "archive", "questions", "template"}
    results: list[dict] = []
    for i in range(0, len(cases), BATCH):
        spec = {
            "db": url,
            "audit": audit,
            "limit_bytes": ADDRESS_SPACE,
            "cases": [[k, str(p)] for k, p in cases[i : i + BATCH]],
        }
        results += _run_batch(tmp_path, i // BATCH, spec)
    summary = {
        "files": len(results),
        "refused": sum(r["code"] != 0 for r in results),
        "tracebacks": [r["path"] for r in results if r["traceback"]],
        "partial_writes": [r["path"] for r in results if r["partial"]],
        "over_1_gb": [r["path"] for r in results if r["peak_mb"] > PEAK_LIMIT_MB],
        "over_10_s": [(r["path"], r["seconds"]) for r in results if r["seconds"] > SECONDS_LIMIT],
        "slowest_s": max(r["seconds"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
    }
    out = os.environ.get("SGAUDIT_CORPUS_SUMMARY")
    if out:
        Path(out).write_text(json.dumps({"summary": summary, "results": results}, indent=1))
    detail = {r["path"]: r["traceback"] for r in results if r["traceback"]}
    assert not summary["tracebacks"], detail
    assert not summary["partial_writes"], summary
    assert not summary["over_1_gb"], summary
    assert not summary["over_10_s"], summary
