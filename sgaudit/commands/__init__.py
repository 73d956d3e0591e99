"""CLI command modules. Each module defines `register(app)` adding its commands.

Shared helpers for the commands live in `sgaudit.commands._common`.
"""
