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


@contextmanager
def open_store(db: str | None) -> Iterator[Session]:
    """A committed-on-success session on the store at `db` (or the default)."""
    # Imported here so that building the command tree (and `--help`) loads no
    # SQLAlchemy: see tests/test_cli_startup.py.
    from sgaudit.store.db import session_scope

    with session_scope(db) as session:
        yield session


def echo_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
