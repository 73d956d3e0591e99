"""The audit store: SQLAlchemy 2 models, Alembic migrations and repository functions.

SQLite by default, any SQLAlchemy URL through SGAUDIT_DATABASE_URL (PostgreSQL in
production). See `db.database_url` for where the default file lives.
"""

from sgaudit.store import locks as _locks  # noqa: F401  (every session refuses writes to a final audit)
from sgaudit.store.db import database_url, default_database_path, get_engine, session_scope

__all__ = ["database_url", "default_database_path", "get_engine", "session_scope"]
