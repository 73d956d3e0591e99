"""Run a batch of hostile files through the real CLI, in a process with a memory limit.

Usage: python tests/hostile_runner.py CASES.json RESULTS.json
CASES.json: {"db": url, "audit": id, "limit_bytes": n, "cases": [[kind, path], ...]}.
Each case runs in this process through `sgaudit.cli.main` (as a user would run it),
with an alarm so nothing can hang. Recorded per case: exit code, whether a traceback
escaped, whether a refused file changed the store (a partial write), the seconds it
took, and the peak memory of the process so far (its high-water mark: the first case
to pass a limit is the one that used it).
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import signal
import sys
import time
import traceback
from pathlib import Path


class Hung(BaseException):
    """The alarm: a BaseException, so no handler in sgaudit can swallow it."""


def _alarm(_signum, _frame):
    raise Hung()


def _argv(kind: str, path: str, db: str, audit: str, out: Path) -> list[str]:
    if kind in ("sheet", "survey"):
        return ["import", audit, path, "--db", db]
    if kind.startswith("register:"):
        return ["registers", "import", audit, kind.split(":")[1], path, "--db", db]
    if kind == "archive":
        return ["import-archive", path, "--db", db]
    if kind == "questions":
        return ["questionnaires", "validate", path]
    if kind == "template":
        return ["report", audit, "--template", path, "--out", str(out), "--db", db]
    raise ValueError(kind)


def _store_counts(db: str) -> tuple:
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("organisation", "audit", "interview", "response", "register_entry")
            )
    finally:
        engine.dispose()


def main() -> None:
    cases_file, results_file = Path(sys.argv[1]), Path(sys.argv[2])
    spec = json.loads(cases_file.read_text())
    limit = spec["limit_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    from sgaudit.cli import main as cli_main

    results = []
    out = results_file.with_suffix(".docx")
    for kind, path in spec["cases"]:
        before = _store_counts(spec["db"])
        sys.argv = ["sgaudit", *_argv(kind, path, spec["db"], spec["audit"], out)]
        err, escaped, code = io.StringIO(), None, 0
        started = time.monotonic()
        signal.alarm(20)
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                cli_main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Hung:
            escaped, code = "hung", -1
        except BaseException:  # a traceback the user would have seen
            escaped, code = traceback.format_exc(limit=3)[-600:], -1
        finally:
            signal.alarm(0)
        seconds = time.monotonic() - started
        after = _store_counts(spec["db"])
        results.append(
            {
                "kind": kind,
                "path": Path(path).name,
                "code": code,
                "traceback": escaped or ("Traceback" in err.getvalue() and err.getvalue()[-600:]),
                "partial": code != 0 and before != after,
                "seconds": round(seconds, 3),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "error": err.getvalue().strip().splitlines()[:1],
            }
        )
    results_file.write_text(json.dumps(results))


if __name__ == "__main__":
    main()
