"""The commands run on the demo load only what they use: `analyse` shows the register
rates (their suppression solves linear programmes on HiGHS) without importing
scipy (its Student's t comes from `sgaudit.analysis.student_t`), matplotlib or
docxtpl, and builds the validators of no pydantic model it does not use."""

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
    heavy = {"scipy", "matplotlib", "docxtpl", "sklearn", "alembic"}
    top_level = {name.split(".")[0] for name in loaded}
    assert not top_level & heavy, sorted(top_level & heavy)


def test_analyse_builds_only_the_pydantic_models_it_uses(demo_url):
    # The models of the register imports, the question-set files, the comparison and
    # the frameworks are built on first use (defer_build), not when their modules load.
    probe = (
        "import contextlib, io, sys\n"
        "from pydantic import BaseModel\n"
        f"sys.argv = ['sgaudit', 'analyse', '2', '--format', 'json', '--db', {demo_url!r}]\n"
        "from sgaudit.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "def subclasses(c):\n"
        "    for s in c.__subclasses__():\n"
        "        yield s\n"
        "        yield from subclasses(s)\n"
        "for m in set(subclasses(BaseModel)):\n"
        "    if m.__module__.startswith('sgaudit') and m.__pydantic_complete__:\n"
        "        print(m.__module__ + '.' + m.__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    built = set(done.stdout.split())
    assert "sgaudit.analysis.result.AuditAnalysis" in built, done.stderr  # the probe works
    unused = {
        "sgaudit.registers.schema.TrainingRow",  # validating a register import
        "sgaudit.questionnaire.loader._SetFile",  # reading a question set's YAML files
        "sgaudit.analysis.compare.Comparison",  # comparing two audits
        "sgaudit.registers.frameworks.FrameworkSummary",
    }
    assert not built & unused, sorted(built & unused)


def test_the_indicator_map_read_by_libyaml_is_the_one_the_python_parser_reads():
    import yaml

    from sgaudit.registers.mapping import INDICATOR_MAP_FILE

    text = INDICATOR_MAP_FILE.read_text(encoding="utf-8")
    assert hasattr(yaml, "CSafeLoader")  # PyYAML's wheels ship libyaml
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text)


def test_a_model_built_on_first_use_is_safe_to_first_use_from_many_threads():
    # The app serves its sessions on threads: the first validations of a deferred model
    # may come at once. Pydantic (pinned) builds it under its rebuild lock; each thread
    # gets the model's own validation (extra fields refused, dates parsed), none the
    # base class's.
    probe = """
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from sgaudit.registers.schema import TrainingRow

assert not TrainingRow.__pydantic_complete__
row = {"person_code": "P-1", "role_group": "A", "service_area": "X",
       "start_date": "2024-01-02", "hours": "1.5"}
gate = Barrier(8)

def first_use(_):
    gate.wait()
    parsed = TrainingRow.model_validate(row)
    try:
        TrainingRow.model_validate({**row, "name": "Ann"})
        refused = False
    except Exception:
        refused = True
    return (parsed.start_date.isoformat(), parsed.hours, refused)

with ThreadPoolExecutor(8) as pool:
    print(sorted(set(pool.map(first_use, range(8)))))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.stdout.strip() == "[('2024-01-02', 1.5, True)]", done.stderr
