"""The `sgaudit` command line: a thin shell over the library.

Each command opens the store, calls one library function and prints the result.
Library errors (`SgauditError`) become a clear message and exit code 1, never a
traceback. Commands live in `sgaudit/commands/`, one module per area, each adding
its commands to `app` in a `register(app)` function.
"""

from __future__ import annotations

import gc
import os
import sys

import typer

from sgaudit import __version__
from sgaudit.errors import SgauditError

_APP_SETTINGS = dict(
    name="sgaudit",
    help="Organisational safeguarding audits: questionnaires, capture, analysis and board reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app = typer.Typer(**_APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sgaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    user: str | None = typer.Option(
        None,
        "--user",
        envvar="SGAUDIT_USER",
        help="Work as this sgaudit account (over a shared PostgreSQL); "
        "without it the CLI is the local admin.",
    ),
) -> None:
    """Organisational safeguarding audits, from the front line to the board.

    The store is SQLite by default; set SGAUDIT_DATABASE_URL to use another database.
    """
    from sgaudit.commands._common import ACTING_USER

    ACTING_USER[0] = user or None


def _register_commands() -> None:
    import importlib
    import pkgutil

    import sgaudit.commands as commands

    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        # `_common`, `_core_format`: helpers, imported by the commands when they run.
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"sgaudit.commands.{mod.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


# A command is one short run that builds many small objects (frames, ORM rows, pydantic
# models) and few reference cycles: Python's default cycle collection (every 700 new
# containers) took a tenth of the CPU time of `sgaudit demo` and `sgaudit report`. The
# thresholds are raised for the command's run only, and restored after it.
_GC_THRESHOLD = (100_000, 50, 100)


def entry() -> None:
    """The process's entry point (`sgaudit`, `python -m sgaudit`): `main`, then a quick exit.

    At exit Python collects every object still alive once more, the whole of SQLAlchemy,
    pandas and pydantic: about 0.1 s, a fifth of `sgaudit audit list`, for memory the
    process is giving back anyway. So the store's connections are closed here (SQLite
    checkpoints its write-ahead log, as it did when the collection closed them), the
    output is flushed, and what is left is frozen out of that last collection. Callers
    that live on (the tests, the app) call `main`, which leaves the collector as it was.
    """
    try:
        main()
    finally:
        _close_before_exit()


def _close_before_exit() -> None:
    if "sgaudit.store.db" in sys.modules:  # a command that opened no store imported none
        sys.modules["sgaudit.store.db"].dispose_engines()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the interpreter reports it as before
            pass
    gc.freeze()


def main() -> None:
    """Run the app, turning library errors into clean messages."""
    # One BLAS thread (unless the user set their own): the analysis's linear algebra is on
    # small matrices, and after each call OpenBLAS's worker threads spin waiting for more,
    # about 0.1 CPU-second a call taken from the other core. Read when numpy is imported,
    # which `import sgaudit.cli` does not do.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    previous = gc.get_threshold()
    gc.set_threshold(*_GC_THRESHOLD)
    try:
        _run()
    finally:
        gc.set_threshold(*previous)


def _command_app(args: list[str]) -> typer.Typer:
    """`app` cut down to the one top-level command or group that `args` name.

    Typer builds the click command of every registered command, reading each one's
    signature, before it runs any (a fifth of `sgaudit audit list`'s own time); the
    command being run is the only one needed. The whole `app` when the arguments name
    none of them (`--help`, `--version`, no command, an unknown one), so the root's help
    and its "No such command" suggestions are unchanged.
    """
    from typer.main import get_command_name

    rest = iter(args)
    for token in rest:
        if token == "--user":
            next(rest, None)
        elif token.startswith("--user="):
            continue
        elif token.startswith("-"):
            return app
        else:
            break
    else:
        return app
    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__)) == token
    ]
    groups = [g for g in app.registered_groups if g.name == token]
    if not commands and not groups:
        return app
    narrow = typer.Typer(**_APP_SETTINGS)
    narrow.registered_callback = app.registered_callback
    narrow.registered_commands = commands
    narrow.registered_groups = groups
    return narrow


def _run() -> None:
    try:
        # Without standalone mode click returns a command's exit code instead of exiting.
        code = _command_app(sys.argv[1:])(standalone_mode=False)
    except SgauditError as exc:
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except MemoryError:
        typer.secho(
            "Error: the input needs more memory than this machine can give; nothing was saved",
            err=True,
            fg=typer.colors.RED,
        )
        sys.exit(1)
    except typer.TyperException as exc:  # a usage error: "No such option: --x" and the usage
        # Typer 0.29 raises its own copy of click's exceptions (typer._click), not click's.
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            typer.secho(f"Error: {exc.format_message()}", err=True, fg=typer.colors.RED)
        sys.exit(exc.exit_code)
    except Exception as exc:  # anything unforeseen
        if os.environ.get("SGAUDIT_DEBUG"):
            raise
        # One line, and no message text: an unforeseen error could quote a note.
        typer.secho(
            f"Error: sgaudit stopped on an unexpected problem ({type(exc).__name__}); "
            "nothing was saved by the failed step. Set SGAUDIT_DEBUG=1 to see the details",
            err=True,
            fg=typer.colors.RED,
        )
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    entry()
