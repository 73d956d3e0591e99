"""A new SQLite store made in one step from the schema the migrations build.

Running every Alembic migration on a brand-new, empty SQLite file takes a fifth of a
second and loads Alembic (more than the demo's whole plan and agreement work). The
schema those migrations leave is fully described by SQLite's own catalogue
(`sqlite_master`: every table, index and trigger, as SQLite stores its text), so a
snapshot of that catalogue, replayed statement by statement, gives the same store.

The snapshot names the migration it was taken at; it is used only when that is the
newest migration shipped and the database has no table yet. Otherwise (a new migration
added since, an existing store, PostgreSQL with its row-level security policies) the
migrations run as before. After adding a migration, write the snapshot again:

    python -m sgaudit.store.sqlite_schema

A test builds one store each way and holds them equal: every table's columns,
constraints, foreign keys and indexes, every trigger, the revision, and no rows. (The
migrations themselves write a rebuilt table's constraints in an order that varies from
run to run, so a table's definitions are compared as a set.)
"""

from __future__ import annotations

import re
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().with_name("sqlite_schema.sql")
_SEPARATOR = "\n--;;\n"
_HEADER = re.compile(r"^-- sgaudit SQLite schema at revision (\S+)\n")
_CATALOGUE = (
    "SELECT type, name, tbl_name, sql FROM sqlite_master "
    "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
    "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, "
    "rowid"
)


def catalogue(conn) -> list[tuple[str, str, str, str]]:
    """type, name, table and SQL text of every object of the store's schema."""
    return [tuple(r) for r in conn.exec_driver_sql(_CATALOGUE)]


def snapshot_text(conn, revision: str) -> str:
    """The snapshot of a store's schema at `revision` (tables, then indexes, then the rest)."""
    statements = [sql for _type, _name, _table, sql in catalogue(conn)]
    return f"-- sgaudit SQLite schema at revision {revision}\n" + "".join(
        s + _SEPARATOR for s in statements
    )


def _read(head: str) -> list[str] | None:
    """The snapshot's statements when it was taken at `head` (None otherwise)."""
    try:
        text = SNAPSHOT.read_text(encoding="utf-8")
    except OSError:
        return None
    found = _HEADER.match(text)
    if found is None or found.group(1) != head:
        return None
    return [s for s in text[found.end() :].split(_SEPARATOR) if s.strip()]


def create_from_snapshot(conn, head: str | None) -> bool:
    """Build the newest schema on an empty SQLite database in `conn`'s transaction;
    False (nothing done) when the snapshot is not of `head` or the database has a table."""
    if head is None:
        return False
    statements = _read(head)
    if statements is None:
        return False
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").first():
        return False
    for statement in statements:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (head,))
    return True


def main() -> None:  # pragma: no cover - run by hand after adding a migration
    import tempfile

    from sgaudit.store import db

    head = db._head_revision()
    if head is None:
        raise SystemExit("the migrations do not have exactly one head")
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'store.db'}")
        db.upgrade(engine, use_snapshot=False)
        with engine.connect() as conn:
            SNAPSHOT.write_text(snapshot_text(conn, head), encoding="utf-8")
        engine.dispose()
    print(f"wrote {SNAPSHOT.name} at revision {head}")


if __name__ == "__main__":
    main()
