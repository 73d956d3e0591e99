"""Engine and session handling, and schema upgrades through Alembic."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "SGAUDIT_DATABASE_URL"
ENV_DATA_DIR = "SGAUDIT_DATA_DIR"
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def default_database_path() -> Path:
    """Where the embedded SQLite file lives when no URL is given.

    `$SGAUDIT_DATA_DIR/sgaudit.db` if set, else `$XDG_DATA_HOME/sgaudit/sgaudit.db`,
    else `~/.local/share/sgaudit/sgaudit.db`.
    """
    if os.environ.get(ENV_DATA_DIR):
        base = Path(os.environ[ENV_DATA_DIR])
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "sgaudit"
    return base / "sgaudit.db"


def database_url(url: str | None = None) -> str:
    """The URL in force: the argument, else SGAUDIT_DATABASE_URL, else the SQLite file."""
    if url:
        return url
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    path = default_database_path()
    # the folder holds interview notes: only its owner may list or open it
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the app read while an answer is being written; foreign keys are off by
    # default in SQLite; the busy timeout stops two writers failing at once.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    # an erased note is overwritten with zeros, not left in the file's free pages
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """A new engine for `url` (SQLite pragmas applied); does not touch the schema.

    `hide_parameters`: an error never carries the values of a statement (note text, a
    name typed by mistake) into a traceback or a log. A SQLite file is created 0600
    and a looser one tightened (see `private_sqlite_file`).
    """
    if url.startswith("sqlite"):
        private_sqlite_file(url)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    return engine


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database or another dialect)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def private_sqlite_file(url: str) -> None:
    """Create the SQLite file owner-only (0600), or tighten one that others could read.

    SQLite gives its -wal and -shm files the database file's permissions, so they
    follow. Checked at every start, so a store copied in with 0644 is closed again.
    """
    path = sqlite_path(url)
    if path is None:
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        for extra in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if extra.exists() and extra.stat().st_mode & 0o077:
                extra.chmod(0o600)
    except OSError:
        return  # a read-only place or a file of someone else's: SQLite says why on connect


def upgrade(engine: Engine, revision: str = "head", *, use_snapshot: bool = True) -> None:
    """Create or upgrade the schema with the Alembic migrations shipped in the package.

    A brand-new SQLite store brought to the newest revision is made in one step from
    the snapshot of the schema the migrations build (`sqlite_schema`), when the snapshot
    is of the newest migration; `use_snapshot=False` always runs the migrations.

    All or nothing, so a kill in the middle of a store's first run leaves it as it was:
    PostgreSQL has transactional DDL; on SQLite the Python driver would commit each
    CREATE TABLE on its own, so the migration runs on a connection of its own whose
    transaction SQLite itself opens (BEGIN IMMEDIATE) and commits once at the end.
    """
    if engine.dialect.name != "sqlite":
        command, cfg = _alembic()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return
    migrator = create_engine(
        engine.url,
        connect_args={"check_same_thread": False, "timeout": 30, "isolation_level": None},
        hide_parameters=True,
    )
    event.listen(migrator, "connect", _migration_pragmas)
    event.listen(migrator, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        with migrator.begin() as conn:
            _clear_half_built_schema(conn)
            if use_snapshot and revision == "head":
                from sgaudit.store.sqlite_schema import create_from_snapshot

                if create_from_snapshot(conn, _head_revision()):
                    return
            command, cfg = _alembic()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        migrator.dispose()


def _alembic():
    """Alembic's command module and a configuration for the shipped migrations."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return command, cfg


def _migration_pragmas(dbapi_conn, _record) -> None:
    """The store's pragmas, but foreign keys OFF (set before the migration's BEGIN).

    A batch migration copies a table, drops the old one and renames the copy; with
    foreign keys on, the drop would cascade and delete every dependent row (all answers,
    when the interview table is rebuilt). The pragma only takes effect outside a
    transaction; this connection is used for the migration alone.
    """
    _sqlite_pragmas(dbapi_conn, _record)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.close()


def _clear_half_built_schema(conn) -> None:
    """Drop the empty tables a first run killed by an older sgaudit left without a version.

    Earlier versions committed each CREATE TABLE on its own, so a kill could leave some
    tables and no `alembic_version`; every later start then failed with "table already
    exists". Such tables are dropped only when they hold no row, so no data is touched.
    """
    from sqlalchemy import inspect

    names = set(inspect(conn).get_table_names())
    if not names or "alembic_version" in names:
        return
    from sgaudit.store.models import Base

    ours = [t for t in reversed(Base.metadata.sorted_tables) if t.name in names]
    if any(conn.exec_driver_sql(f'SELECT 1 FROM "{t.name}" LIMIT 1').first() for t in ours):
        return  # data without a version: leave it to Alembic to refuse, say nothing is lost
    for t in ours:
        conn.exec_driver_sql(f'DROP TABLE "{t.name}"')


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


def _head_revision() -> str | None:
    """The newest migration's id, read from the version files without loading Alembic.

    None when the files do not name exactly one head (then Alembic decides).
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_MIGRATIONS / "versions").glob("*.py"):
        for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8")):
            ids = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (revisions if name == "revision" else parents).update(ids)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """Whether the store's schema is already at the newest migration.

    Checked with one query so that a command on an up-to-date store does not import
    Alembic (about 0.13 s of start-up); any doubt falls through to the real upgrade.
    """
    head = _head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            current = [
                r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            ]
    except Exception:  # no table yet: a new store
        return False
    return current == [head]


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The shared engine for a URL, with the schema upgraded to the newest revision once."""
    resolved = database_url(url)
    with _lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = make_engine(resolved)
            if migrate and not _at_head(engine):
                upgrade(engine)
            _engines[resolved] = engine
    return engine


def dispose_engines() -> None:
    """Close every cached engine (tests, and before deleting a database file)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _factories.clear()


_factories: dict[str, sessionmaker[Session]] = {}


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """The shared session factory for a URL (one per engine)."""
    resolved = database_url(url)
    factory = _factories.get(resolved)
    if factory is None:
        factory = sessionmaker(bind=get_engine(resolved), expire_on_commit=False)
        with _lock:
            _factories[resolved] = factory
    return factory


@contextmanager
def session_scope(
    url: str | None = None, *, principal=None, address: str = ""
) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    It reads and writes for `principal` (a `sgaudit.access.Principal`): the app passes
    the signed-in person. Without one it is the local admin, the trusted access of the
    machine that holds the store (the CLI, as `psql` on the server).
    """
    from sgaudit.access.policy import LOCAL_ADMIN
    from sgaudit.store.scope import set_principal

    session = session_factory(url)()
    set_principal(session, principal if principal is not None else LOCAL_ADMIN, address)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
