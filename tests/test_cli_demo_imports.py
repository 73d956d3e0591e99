"""The commands run on the demo load only what they use: `analyse` shows the register
rates (their suppression solves linear programmes on HiGHS) without importing
scipy.optimize, matplotlib or docxtpl."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sgaudit.demo import build_demo
from sgaudit.store.db import get_engine, session_scope

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as s:
        build_demo(s)
    return url


def _run(args: list[str]) -> tuple[set[str], str]:
    """(every module loaded, stdout) of `sgaudit ARGS` in a fresh interpreter."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.__stderr__.write("
        "'MODULES=' + json.dumps(sorted(sys.modules)) + '\\n'))\n"
        f"sys.argv = ['sgaudit', *{args!r}]\n"
        "from sgaudit.cli import main\nmain()"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES="))), done.stdout


def test_analyse_shows_the_register_rates_without_scipy_optimize(demo_url):
    loaded, out = _run(["analyse", "2", "--format", "json", "--db", demo_url])
    registers = json.loads(out)["registers"]
    assert registers is not None  # the rates were worked out and protected ...
    assert "highspy" in loaded  # ... with the suppression's programmes solved
    heavy = {"scipy.optimize", "matplotlib", "docxtpl", "sklearn", "scipy.stats"}
    assert not loaded & heavy, sorted(loaded & heavy)
