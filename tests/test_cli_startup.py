"""The command line starts at once: building the command tree and `--help` load none of
the heavy libraries (they are imported by the commands that use them), and `audit list`
leaves the question-set snapshots in the database."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import event

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "matplotlib", "docxtpl", "openpyxl", "sqlalchemy", "pydantic")


def _modules_loaded_after(code: str) -> set[str]:
    """Top-level package names in sys.modules after running `code` in a fresh interpreter."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.__stderr__.write("
        "'MODULES=' + json.dumps(sorted({m.split('.')[0] for m in sys.modules})) + '\\n'))\n" + code
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


def test_importing_the_cli_loads_no_heavy_library():
    loaded = _modules_loaded_after("import sgaudit.cli")
    assert "typer" in loaded  # the probe works
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_loads_no_heavy_library():
    loaded = _modules_loaded_after(
        "import sys\nsys.argv = ['sgaudit', '--help']\nfrom sgaudit.cli import main\nmain()"
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_command_run_builds_only_its_own_part_of_the_command_tree():
    from sgaudit.cli import _command_app, app

    audit_list = _command_app(["audit", "list", "--db", "sqlite://"])
    assert [g.name for g in audit_list.registered_groups] == ["audit"]
    assert audit_list.registered_commands == []
    assert audit_list.registered_callback is app.registered_callback  # --user still works
    for args in (["--user", "ann", "analyse", "2"], ["--user=ann", "analyse", "2"]):
        narrowed = _command_app(args)
        assert [c.callback.__name__ for c in narrowed.registered_commands] == ["analyse"]
        assert narrowed.registered_groups == []
    # whatever names no command gets the whole tree: the root's help, the version,
    # and "No such command" with its suggestions stay as they were
    for args in ([], ["--help"], ["--version"], ["anlyse", "2"], ["--user", "ann"]):
        assert _command_app(args) is app


def test_every_command_is_found_by_its_name_in_the_cut_down_tree():
    from typer.main import get_command

    from sgaudit.cli import _command_app, app

    names = list(get_command(app).commands)
    assert len(names) > 20
    for name in names:
        narrowed = get_command(_command_app([name]))
        assert list(narrowed.commands) == [name]


def test_a_subcommands_help_loads_no_heavy_library():
    loaded = _modules_loaded_after(
        "import sys\nsys.argv = ['sgaudit', 'import', '--help']\n"
        "from sgaudit.cli import main\nmain()"
    )
    assert not loaded & {"pandas", "matplotlib", "docxtpl", "openpyxl"}


def test_audit_list_does_not_read_the_question_set_snapshots(run, db_url):
    from sgaudit.questionnaire import load_question_set
    from sgaudit.store import repo
    from sgaudit.store.db import get_engine, session_scope

    qs = load_question_set(None)
    with session_scope(db_url) as s:
        org = repo.create_organisation(s, "Snapshot Trust", ["A", "B"])
        for i in range(3):
            repo.create_audit(s, org, f"Audit {i}", qs)
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = get_engine(db_url)
    event.listen(engine, "before_cursor_execute", record)
    try:
        code, out, err = run("audit", "list", "--db", db_url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert code == 0, err
    assert out.count("Snapshot Trust") == 3
    assert statements, "the listing ran no query on this engine"
    assert not any("question_set_snapshot" in s for s in statements)
    # One grouped query over the interviews, not queries per audit, and no answer
    # counted: the store keeps each interview's number of answers.
    assert sum("count(" in s.lower() for s in statements) == 1
    assert not any(re.search(r"\bresponse\b", s) for s in statements)


def test_an_audit_from_the_list_still_opens_its_question_set(db_url):
    from sgaudit.questionnaire import load_question_set
    from sgaudit.store import repo
    from sgaudit.store.db import session_scope

    qs = load_question_set(None)
    with session_scope(db_url) as s:
        org = repo.create_organisation(s, "Snapshot Trust", ["A", "B"])
        repo.create_audit(s, org, "Audit", qs)
    with session_scope(db_url) as s:
        (audit,) = repo.list_audits(s)
        assert repo.audit_question_set(audit).id == qs.id
        assert repo.audits_counts(s, [audit]) == {audit.id: {"interviews": 0, "answers": 0}}


def test_audit_list_on_a_store_loads_neither_pandas_nor_alembic(db_url, tmp_path):
    from sgaudit.store.db import dispose_engines, get_engine

    get_engine(db_url)  # a new store is migrated (Alembic runs here, in this process)
    dispose_engines()
    loaded = _modules_loaded_after(
        f"import sys\nsys.argv = ['sgaudit', 'audit', 'list', '--db', {db_url!r}]\n"
        "from sgaudit.cli import main\nmain()"
    )
    assert "sqlalchemy" in loaded
    assert not loaded & {"pandas", "matplotlib", "docxtpl", "openpyxl", "alembic"}


def test_a_store_behind_the_newest_migration_is_still_upgraded(tmp_path):
    from sqlalchemy import inspect

    from sgaudit.store import db

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine, "0001")
    assert not db._at_head(engine)
    engine.dispose()
    engine = db.get_engine(url)
    assert db._at_head(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("audit")}
    assert "framework_snapshot" in columns  # added by the second migration
    db.dispose_engines()


def test_the_head_read_from_the_migration_files_is_alembics_own():
    # The store is judged up to date against this head without importing Alembic.
    from alembic.script import ScriptDirectory

    from sgaudit.store import db

    _command, cfg = db._alembic()
    assert db._head_revision() == ScriptDirectory.from_config(cfg).get_current_head()


def test_the_process_leaves_its_objects_out_of_the_last_collection_and_closes_the_store(
    tmp_path,
):
    # `python -m sgaudit` (and the `sgaudit` script) exit through `entry`: the store's
    # connections closed (SQLite checkpoints its log: no -wal file is left), the output
    # complete, and every object frozen out of the interpreter's last full collection.
    env = {**os.environ, "SGAUDIT_DATA_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    probe = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.__stderr__.write(f'FROZEN={gc.get_freeze_count()}\\n'))\n"
        "sys.argv = ['sgaudit', 'org', 'create', 'Freeze Trust', '--areas', 'A,B']\n"
        "import runpy\nrunpy.run_module('sgaudit', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Freeze Trust" in done.stdout
    frozen = int(next(x for x in done.stderr.splitlines() if x.startswith("FROZEN="))[7:])
    assert frozen > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sgaudit.db"]
    listed = subprocess.run(
        [sys.executable, "-m", "sgaudit", "audit", "list", "--org", "Nobody"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )  # fmt: skip
    assert listed.returncode == 1 and "Nobody" in listed.stderr  # exit codes as before


def test_main_leaves_the_collector_as_it_was(run):
    import gc

    before = gc.get_freeze_count()
    code, out, _err = run("--version")
    assert code == 0 and out.startswith("sgaudit ")
    assert gc.get_freeze_count() == before


def test_the_sgaudit_script_exits_through_entry():
    import tomllib

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["sgaudit"] == "sgaudit.cli:entry"


def test_a_mistyped_command_line_gets_clicks_usage_message_not_an_unexpected_problem(run):
    # Typer 0.29 raises its own copy of click's usage errors: each must reach the user as
    # the usage line and the mistake, with exit code 2, as in click's standalone mode.
    for args, said in (
        (["--bogus"], "No such option: --bogus"),
        (["analyse", "1", "--bogus"], "No such option: --bogus"),
        (["analyse"], "Missing argument"),
        (["audit", "lst"], "No such command 'lst'"),
    ):
        code, _out, err = run(*args)
        assert code == 2, (args, err)
        assert said in err and "Usage:" in err, (args, err)
        assert "unexpected problem" not in err
