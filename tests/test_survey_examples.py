"""The survey exports in examples/surveys/ import into the demo with the one command
docs/cli.md shows for each tool (at most a tier map), printing exactly what it shows;
the respondents land in the right tiers and areas, and a re-export adds only the new."""

from __future__ import annotations

import csv
import re
import shlex
import sqlite3
from pathlib import Path

import pytest

from sgaudit.demo import build_demo
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
COMMANDS = re.findall(r"^\$ sgaudit (import 2 examples/surveys/.*)$", CLI_DOC, re.MULTILINE)


def file_of(command: str) -> str:
    return shlex.split(command)[2].rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("surveys") / "demo.db"
    get_engine(f"sqlite:///{path}")
    with session_scope(f"sqlite:///{path}") as s:
        result = build_demo(s, registers=False)
    assert result.reaudit_audit_id == 2
    return path


@pytest.fixture
def demo(demo_file, tmp_path) -> str:
    """A fresh demo store for each test: the documented output does not depend on order.

    Copied with SQLite's backup API, not as a file: the store is in WAL mode, so rows
    committed a moment ago may still be in the -wal file beside it, not in the file."""
    copy = tmp_path / "demo.db"
    with sqlite3.connect(demo_file) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return f"sqlite:///{copy}"


def test_every_tool_has_its_documented_example():
    tools = {file_of(c) for c in COMMANDS}
    assert tools == {p.name for p in (ROOT / "examples" / "surveys").glob("*.csv")}
    assert len(tools) == 5


@pytest.mark.parametrize("command", COMMANDS, ids=file_of)
def test_the_documented_command_prints_what_the_docs_show(run, demo, command, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run(*shlex.split(command), "--db", demo)
    assert code == 0, err
    shown = CLI_DOC.split("$ sgaudit " + command + "\n", 1)[1].split("\n$ ", 1)[0]
    shown = shown.split("\n```", 1)[0]
    assert out.strip() == shown.strip()


def test_the_documented_commands_need_no_option_but_a_tier_map():
    for command in COMMANDS:
        options = [a for a in shlex.split(command) if a.startswith("--")]
        assert set(options) <= {"--tier-map"}, command


STAFF = [  # the respondents of the three staff surveys, in file order
    ("front_line", "Youth Services"),
    ("front_line", "Supported Housing"),
    ("manager", "Community Hub"),
    ("front_line", "Day Opportunities"),
]
TABLETS = [  # the three ODK / Kobo submissions
    ("front_line", "Domiciliary Care"),
    ("front_line", "Supported Housing"),
    ("front_line", "Youth Services"),
]
EXPECTED = {
    "microsoft_forms.csv": STAFF,
    "google_forms.csv": STAFF,
    "surveymonkey.csv": STAFF,
    "odk_central.csv": TABLETS,
    "kobotoolbox.csv": TABLETS,
}
# How a later download names one more respondent: the tool's own response id.
NEW_RESPONSE = {
    "microsoft_forms.csv": {"ID": "5"},
    "google_forms.csv": {"Timestamp": "2026/01/25 10:00:00 AM GMT"},
    "surveymonkey.csv": {"Respondent ID": "118000000105"},
    "odk_central.csv": {
        "meta-instanceID": "uuid:5b2d7c1e-0f3a-4e8b-9c6d-4a1b2c3d4e55",
        "KEY": "uuid:5b2d7c1e-0f3a-4e8b-9c6d-4a1b2c3d4e55",
    },
    "kobotoolbox.csv": {
        "meta/instanceID": "uuid:5b2d7c1e-0f3a-4e8b-9c6d-4a1b2c3d4e55",
        "_uuid": "5b2d7c1e-0f3a-4e8b-9c6d-4a1b2c3d4e55",
        "_id": "9001",
    },
}


def imported(url: str) -> list[tuple[str, str, str]]:
    """(response key, tier, service area) of every survey respondent in the re-audit."""
    with session_scope(url) as s:
        audit = repo.get_audit(s, 2)
        return sorted(
            (iv.response_key, iv.tier, iv.service_area)
            for iv in repo.list_interviews(s, audit)
            if iv.response_key
        )


def later_download(source: Path, out: Path, new: dict[str, str]) -> Path:
    """The same survey downloaded later: the first respondent deleted in the tool, and
    one more who answered like the last."""
    rows = list(csv.reader(source.open(encoding="utf-8-sig", newline="")))
    header = rows[0]
    first_data = 2 if source.name == "surveymonkey.csv" else 1  # two header rows
    added = list(rows[-1])
    for column, value in new.items():
        added[header.index(column)] = value
    rows = rows[:first_data] + rows[first_data + 1 :] + [added]
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return out


@pytest.mark.parametrize("command", COMMANDS, ids=file_of)
def test_the_documented_command_puts_each_respondent_in_their_tier_and_area_and_a_later_download_adds_only_the_new(
    run, demo, command, monkeypatch, tmp_path
):
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)
    name = file_of(command)
    code, _, err = run(*args, "--db", demo)
    assert code == 0, err
    first = imported(demo)
    assert sorted((t, a) for _, t, a in first) == sorted(EXPECTED[name])

    later = later_download(ROOT / args[2], tmp_path / name, NEW_RESPONSE[name])
    code, out, err = run(*args[:2], later, *args[3:], "--db", demo)
    assert code == 0, err
    n = len(EXPECTED[name])
    assert f"in 1 new interview and {n - 1} existing interviews." in out
    second = imported(demo)
    assert len(second) == n + 1
    assert set(first) < set(second)  # the deleted respondent stays; nobody doubled
    (added,) = set(second) - set(first)
    assert added[1:] == EXPECTED[name][-1]
