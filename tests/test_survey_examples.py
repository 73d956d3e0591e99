"""The survey exports in examples/surveys/ import into the demo with the one command
docs/cli.md shows for each tool, printing exactly what it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from sgaudit.demo import build_demo
from sgaudit.store.db import get_engine, session_scope

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"^\$ sgaudit (import 2 examples/surveys/.*)$", CLI_DOC, re.MULTILINE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('surveys') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as s:
        result = build_demo(s, registers=False)
    assert result.reaudit_audit_id == 2
    return url


def test_every_tool_has_its_documented_example():
    tools = {c.split()[2].rsplit("/", 1)[-1] for c in COMMANDS}
    assert tools == {p.name for p in (ROOT / "examples" / "surveys").glob("*.csv")}
    assert len(tools) == 5


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.split()[2].rsplit("/", 1)[-1])
def test_the_documented_command_prints_what_the_docs_show(run, demo, command, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(*shlex.split(command), "--db", demo)
    assert code == 0, err
    shown = CLI_DOC.split("$ sgaudit " + command + "\n", 1)[1].split("\n$ ", 1)[0]
    shown = shown.split("\n```", 1)[0]
    assert out.strip() == shown.strip()
