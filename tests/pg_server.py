"""A throwaway PostgreSQL server on 127.0.0.1, for the tests and the benchmarks.

`initdb` into a temporary folder, `pg_ctl start` on a free port (Unix socket in the same
folder), and `pg_ctl stop` plus removal on the way out, whatever happens. As root (CI),
the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_bindir() -> Path | None:
    """The folder of `pg_ctl` and `initdb`, or None where PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    base = Path("/usr/lib/postgresql")
    if base.is_dir():
        for version in sorted(base.iterdir(), reverse=True):
            if (version / "bin" / "pg_ctl").exists():
                return version / "bin"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def throwaway_server(bindir: Path, *, fsync: bool = True) -> Iterator[str]:
    """Start a new cluster and yield its base URL (`postgresql+psycopg://sgaudit@host:port`).

    `fsync=False` is for tests only: faster, and nothing needs to survive a crash.
    """
    root = Path(tempfile.mkdtemp(prefix="sgaudit-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "sgaudit", "--auth=trust"]
    initdb += ["-E", "UTF8", "--locale=C"]
    options = f"-h 127.0.0.1 -p {port} -k {sock}" + ("" if fsync else " -c fsync=off")
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w"]
    start += ["-t", "60", "-o", options, "start"]
    try:
        subprocess.run(_as_postgres_user(initdb), check=True, capture_output=True, timeout=120)
        subprocess.run(_as_postgres_user(start), check=True, capture_output=True, timeout=120)
        yield f"postgresql+psycopg://sgaudit@127.0.0.1:{port}"
    finally:
        stop = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
        subprocess.run(_as_postgres_user(stop), capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
