"""The register and framework commands, run through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "registers"


@pytest.fixture
def audit(run, tmp_path):
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    assert (
        run(
            "org",
            "create",
            "Riverside Community Trust",
            "--areas",
            "Supported Housing,Youth Services,Day Opportunities,Domiciliary Care,Community Hub",
            "--db",
            db,
        )[0]
        == 0
    )
    code, out, err = run(
        "audit",
        "create",
        "--org",
        "Riverside Community Trust",
        "--title",
        "Baseline",
        "--end",
        "2026-03-31",
        "--db",
        db,
    )
    assert code == 0, err
    return out.strip().split()[-1].strip("."), db


def test_a_bad_register_is_refused_with_every_problem_located(run):
    code, out, err = run("registers", "check", "training", EXAMPLES / "bad_training.csv")
    assert code == 1
    assert "nothing was imported" in err
    assert err.count("row ") >= 5 and "column" in err


def test_importing_the_five_example_registers_then_showing_them(run, audit):
    audit_id, db = audit
    assert run("frameworks", "use", audit_id, "wales_national", "--db", db)[0] == 0
    for kind in ("training", "recruitment", "policies", "concerns", "complaints"):
        code, out, err = run(
            "registers", "import", audit_id, kind, EXAMPLES / f"{kind}.csv", "--db", db
        )
        assert code == 0, err
        assert f"into the {kind} register of audit {audit_id}" in out
    code, out, err = run("registers", "show", audit_id, "--format", "json", "--db", db)
    assert code == 0, err
    shown = json.loads(out)
    assert set(shown["registers"]["registers"]) == {
        "training",
        "recruitment",
        "policies",
        "concerns",
        "complaints",
    }
    assert shown["registers"]["training"]["framework_id"] == "wales_national"
    code, out, _ = run("registers", "show", audit_id, "--db", db)
    assert "Training compliance by role group" in out


def test_a_dry_run_writes_nothing(run, audit):
    audit_id, db = audit
    code, out, _ = run(
        "registers",
        "import",
        audit_id,
        "policies",
        EXAMPLES / "policies.csv",
        "--dry-run",
        "--db",
        db,
    )
    assert code == 0 and "nothing written" in out
    code, out, _ = run("registers", "show", audit_id, "--db", db)
    assert "has no registers" in out


def test_an_unknown_register_kind_is_a_clear_error(run, audit):
    audit_id, db = audit
    code, _, err = run(
        "registers", "import", audit_id, "payroll", EXAMPLES / "policies.csv", "--db", db
    )
    assert code == 1 and "unknown register 'payroll'" in err


def test_frameworks_show_names_what_the_organisation_must_set(run):
    code, out, _ = run("frameworks", "show", "wales_national")
    assert code == 0
    assert "refresher 24 h every 3 years" in out
    assert "Left to the organisation" in out


def test_a_register_naming_an_area_the_organisation_does_not_have_is_refused(run, audit, tmp_path):
    audit_id, db = audit
    bad = tmp_path / "policies.csv"
    text = (EXAMPLES / "concerns.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("Youth Services", "Moon Base", 1), encoding="utf-8")
    code, _, err = run("registers", "import", audit_id, "concerns", bad, "--db", db)
    assert code == 1
    assert "unknown service area 'Moon Base'" in err and "column 'service_area'" in err
    code, out, _ = run("registers", "show", audit_id, "--db", db)
    assert "has no registers" in out


def test_a_command_exiting_with_a_code_passes_that_code_on(run, monkeypatch):
    import typer

    from sgaudit.cli import app

    @app.command("exit-three", hidden=True)
    def _exit_three() -> None:
        raise typer.Exit(code=3)

    try:
        assert run("exit-three")[0] == 3
        assert run("frameworks", "list")[0] == 0
    finally:
        app.registered_commands[:] = [
            c for c in app.registered_commands if c.name != "exit-three"]
