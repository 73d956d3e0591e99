"""A throwaway PostgreSQL server for the benchmarks: the tests' recipe (tests/pg_server.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pg_server import pg_bindir, throwaway_server  # noqa: E402


@contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """Yield the URL of a new database on a new local server (None without PostgreSQL)."""
    bindir = pg_bindir()
    if bindir is None:
        yield None
        return
    with throwaway_server(bindir) as base:
        import psycopg

        port = base.rsplit(":", 1)[1]
        with psycopg.connect(
            f"host=127.0.0.1 port={port} user=sgaudit dbname=postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE bench")
        yield f"{base}/bench"
