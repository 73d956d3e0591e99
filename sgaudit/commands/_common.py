"""Helpers shared by the CLI command modules."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

DB_OPTION = typer.Option(
    None,
    "--db",
    envvar="SGAUDIT_DATABASE_URL",
    help="SQLAlchemy URL of the store (default: the SQLite file).",
)


#: The account the CLI works as (`sgaudit --user NAME ...` or SGAUDIT_USER); None means
#: the local admin: the machine that holds the store is trusted, as `psql` on it is.
ACTING_USER: list[str | None] = [None]


@contextmanager
def open_store(db: str | None) -> Iterator[Session]:
    """A committed-on-success session on the store at `db` (or the default).

    It works for the account named by `--user`/SGAUDIT_USER when one is given (as
    over a shared PostgreSQL), else as the local admin.
    """
    # Imported here so that building the command tree (and `--help`) loads no
    # SQLAlchemy: see tests/test_cli_startup.py.
    from sgaudit.store.db import session_scope

    with session_scope(db) as session:
        if ACTING_USER[0]:
            from sgaudit.store.accounts import load_principal
            from sgaudit.store.scope import set_principal

            set_principal(session, load_principal(session, ACTING_USER[0]))
        yield session


def echo_json(data: Any) -> None:
    # One write of the whole text: `json.dump` writes each token on its own, which is a
    # system call per token when the output is unbuffered (PYTHONUNBUFFERED, as in many
    # containers): 18,000 of them for the analysis of a large audit.
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
