"""Every registered command, and every option of it, is documented in docs/cli.md;
the example files docs/cli.md uses behave as it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from sgaudit.cli import app

REPO = Path(__file__).resolve().parents[1]
CLI_DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(group, prefix: tuple[str, ...] = ()):
    """(path, command) of every leaf command under `group`, e.g. (("org", "create"), cmd).

    Typer vendors its own click, so groups and options are recognised by behaviour,
    not by class.
    """
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if hasattr(cmd, "list_commands"):
            yield from _commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


COMMANDS = sorted(_commands(typer.main.get_command(app)), key=lambda pc: pc[0])


def test_the_command_tree_is_found():
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"org create", "audit create", "import", "import-archive", "demo"} <= paths


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_a_section_in_docs_cli_md(path, command):
    heading = f"### `sgaudit {' '.join(path)}`"
    assert heading in CLI_DOC, f"docs/cli.md has no section '{heading}'"
    section = CLI_DOC.split(heading, 1)[1].split("\n### ", 1)[0]
    assert "```console" in section or "```sh" in section, f"no example for sgaudit {' '.join(path)}"
    assert command.help, f"sgaudit {' '.join(path)} has no --help text"


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_option_of_a_command_is_documented_in_its_section(path, command):
    heading = f"### `sgaudit {' '.join(path)}`"
    section = CLI_DOC.split(heading, 1)[-1].split("\n### ", 1)[0]
    options = [
        opt
        for param in command.params
        if param.param_type_name == "option"
        for opt in param.opts
        if opt.startswith("--") and opt != "--help"
    ]
    missing = [o for o in options if not re.search(re.escape(o) + r"\b", section)]
    assert not missing, f"sgaudit {' '.join(path)}: options not in docs/cli.md: {missing}"
