"""A new SQLite store made from the schema snapshot is the store the migrations build:
the same tables, columns, constraints, indexes and triggers, the same revision, no rows."""

from __future__ import annotations

import pytest

from sgaudit.store import db, sqlite_schema


def _store(path, *, use_snapshot: bool):
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, use_snapshot=use_snapshot)
    return engine


def _parts(sql: str) -> tuple:
    """A CREATE statement with the column and constraint definitions of a table as a
    sorted list: the migrations themselves write a rebuilt table's constraints in an
    order that differs from run to run, which SQLite does not give a meaning."""
    head, paren, body = sql.partition("(")
    if not sql.startswith("CREATE TABLE") or not paren:
        return (sql,)
    parts, depth, quoted, current = [], 0, False, ""
    for ch in body.rsplit(")", 1)[0]:
        quoted = not quoted if ch == "'" else quoted
        depth += (ch == "(") - (ch == ")") if not quoted else 0
        if ch == "," and depth == 0 and not quoted:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    return (head, *sorted(parts))


def _described(engine) -> dict:
    with engine.connect() as conn:
        objects = sorted((k, n, t, _parts(sql)) for k, n, t, sql in sqlite_schema.catalogue(conn))
        tables = [name for kind, name, _t, _sql in objects if kind == "table"]

        def pragma(sql):
            return [tuple(r) for r in conn.exec_driver_sql(sql)]

        rows = {t: pragma(f'SELECT * FROM "{t}"') for t in tables}
        columns = {t: pragma(f'PRAGMA table_xinfo("{t}")') for t in tables}
        keys = {t: sorted(r[2:] for r in pragma(f'PRAGMA foreign_key_list("{t}")')) for t in tables}
        indexes = {
            t: sorted(
                (
                    unique,
                    origin,
                    partial,
                    tuple(c[2] for c in pragma(f'PRAGMA index_info("{name}")')),
                )
                for _seq, name, unique, origin, partial in pragma(f'PRAGMA index_list("{t}")')
            )
            for t in tables
        }
    return {"objects": objects, "rows": rows, "columns": columns, "foreign_keys": keys,
            "indexes": indexes}  # fmt: skip


def test_the_snapshot_is_of_the_newest_migration():
    head = db._head_revision()
    assert sqlite_schema._read(head) is not None, (
        f"sgaudit/store/sqlite_schema.sql is not of the newest migration ({head}): "
        "write it again with `python -m sgaudit.store.sqlite_schema` and commit it"
    )


def test_a_new_store_from_the_snapshot_is_the_store_the_migrations_build(tmp_path, monkeypatch):
    migrated = _store(tmp_path / "migrated.db", use_snapshot=False)

    def no_alembic():
        raise AssertionError("the migrations ran: the snapshot was not used")

    monkeypatch.setattr(db, "_alembic", no_alembic)
    made = _store(tmp_path / "made.db", use_snapshot=True)
    try:
        expected, got = _described(migrated), _described(made)
        assert any(
            kind == "trigger" and table == "response" for kind, _n, table, _s in got["objects"]
        )
        assert got["rows"]["alembic_version"] == [(db._head_revision(),)]
        assert got == expected
    finally:
        migrated.dispose()
        made.dispose()


def test_an_existing_store_or_an_older_snapshot_goes_through_the_migrations(tmp_path, monkeypatch):
    ran = []
    real = db._alembic

    def counted():
        ran.append(1)
        return real()

    monkeypatch.setattr(db, "_alembic", counted)
    engine = _store(tmp_path / "a.db", use_snapshot=True)
    assert ran == []
    db.upgrade(engine)  # a store with tables: Alembic decides (nothing to do at head)
    assert ran == [1]
    engine.dispose()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    with engine.begin() as conn:
        assert not sqlite_schema.create_from_snapshot(conn, "some_newer_migration")
        assert not sqlite_schema.create_from_snapshot(conn, None)
        assert sqlite_schema.catalogue(conn) == []
    engine.dispose()


def test_a_snapshot_failing_half_way_leaves_no_table_behind(tmp_path, monkeypatch):
    real = sqlite_schema._read

    def half_then_broken(head):
        statements = real(head)
        return [*statements[:10], "CREATE TABLE broken (", *statements[10:]]

    monkeypatch.setattr(sqlite_schema, "_read", half_then_broken)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'half.db'}")
    with pytest.raises(Exception, match="syntax error|incomplete input"):
        db.upgrade(engine)
    with engine.connect() as conn:
        assert sqlite_schema.catalogue(conn) == []
    engine.dispose()
