"""A partnership's roll-up: each member's latest final audit, theme by theme, as the
audit's own analysis published it, only for what the reader may see, recorded in the
trail, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from sgaudit.access.policy import Grant, Principal
from sgaudit.analysis import analyse
from sgaudit.partnership import FIRST, HIDDEN, ROLL_UP_COLUMNS, RollUp, roll_up
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.store.trail import events


def _second_member(url: str, name: str) -> int:
    """Another organisation, with only a draft audit (nothing final to roll up)."""
    from sgaudit.questionnaire.loader import load_question_set

    with session_scope(url) as s:
        org = repo.create_organisation(s, name, ["North"])
        repo.create_audit(s, org, "First audit", load_question_set(None))
        return org.id


def test_the_latest_final_audit_of_each_organisation_is_rolled_up_as_analysed(demo_db, audits):
    baseline, reaudit = audits  # the baseline is final, the re-audit a draft
    _second_member(demo_db, "Hillside Youth Club")
    with session_scope(demo_db) as s:
        result = roll_up(s, demo_db)
        published = analyse(load_audit_data(s, baseline))
        trail = [(e.action, e.audit_id) for e in events(s)]
    rows = result.rows
    assert list(rows.columns) == list(ROLL_UP_COLUMNS)
    assert set(rows["audit_id"]) == {baseline}  # the final one, not the later draft
    assert result.organisations_without_final == ["Hillside Youth Club"]
    scores = dict(zip(rows["theme_id"], rows["score"], strict=True))
    for theme in published.themes:
        assert scores[theme.theme] == theme.score
    assert ("view_roll_up", baseline) in trail and ("view_roll_up", reaudit) not in trail
    wide = result.wide()
    assert list(wide.index) == ["Riverside Community Trust"]
    assert wide.loc["Riverside Community Trust", "Complaints and whistleblowing"] == "46 red"


def test_a_partnership_analyst_sees_only_the_organisations_granted(demo_db, audits):
    baseline, _ = audits
    other = _second_member(demo_db, "Hillside Youth Club")
    with session_scope(demo_db) as s:
        riverside = repo.get_audit(s, baseline).organisation_id
    analyst = Principal("analyst", user_id=7, grants=(Grant("partnership_analyst", other),))
    with session_scope(demo_db, principal=analyst) as s:
        nothing = roll_up(s, demo_db)
    assert nothing.rows.empty and nothing.organisations_without_final == ["Hillside Youth Club"]
    analyst = Principal("analyst", user_id=7, grants=(Grant("partnership_analyst", riverside),))
    with session_scope(demo_db, principal=analyst) as s:
        seen = roll_up(s, demo_db, workers=2)
    assert set(seen.rows["organisation"]) == {"Riverside Community Trust"}
    assert seen.rows["score"].notna().all()


def test_a_hidden_theme_stays_hidden_and_names_are_formula_safe():
    rows = pd.DataFrame(
        [
            [
                '=HYPERLINK("http://x")',
                3,
                "Audit",
                None,
                "core v2",
                "governance",
                "Governance",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                '=HYPERLINK("http://x")',
                3,
                "Audit",
                None,
                "core v2",
                "culture",
                "Culture",
                71.4,
                "green",
                12,
                None,
                None,
                None,
                None,
                None,
            ],
        ],
        columns=list(ROLL_UP_COLUMNS),
    )
    result = RollUp(rows, [])
    wide = result.wide()
    assert wide.iloc[0].tolist() == [HIDDEN, "71 green"]
    assert result.wide("since").iloc[0].tolist() == [FIRST, FIRST]
    assert result.re_audited == 0 and "better since" not in result.by_theme().columns
    read = list(csv.DictReader(io.StringIO(result.csv().decode("utf-8-sig"))))
    assert read[0]["organisation"] == '\'=HYPERLINK("http://x")'
    assert read[0]["score"] == "" and read[1]["score"] == "71.4"


def test_the_cli_prints_the_roll_up_and_writes_the_csv(demo_db, audits, run, tmp_path):
    _second_member(demo_db, "Hillside Youth Club")
    out = tmp_path / "roll-up.csv"
    code, printed, _ = run("roll-up", "--out", out)
    assert code == 0
    assert "1 organisation, each at its latest final audit" in printed
    assert "Riverside Community Trust" in printed and "46 red" in printed
    assert "No final audit yet: Hillside Youth Club." in printed
    assert len(list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))) == 11


def test_the_app_page_shows_the_partnership_then_each_organisation(demo_db, audits):
    from app_support import app, assert_clean, open_page

    baseline, _ = audits
    at = open_page(app(audit=baseline), "partnership")
    assert_clean(at)
    tables = [t.value for t in at.table]
    across = next(t for t in tables if "median score" in t.columns)
    complaints = across[across["theme"] == "Complaints and whistleblowing"].iloc[0]
    assert complaints["red"] == 1 and complaints["organisations"] == 1
    # themes down, an organisation per column
    (each,) = [d.value for d in at.dataframe if "Theme" in d.value.columns]
    cells = dict(zip(each["Theme"], each["Riverside Community Trust"], strict=True))
    assert cells["Complaints and whistleblowing"] == "46 red"
    assert [b.label for b in at.get("download_button")] == ["Download the roll-up (.csv)"]
    at.run()  # shown again from the cache: the read is recorded all the same
    with session_scope(demo_db) as s:
        reads = [e.audit_id for e in events(s) if e.action == "view_roll_up"]
    assert reads == [baseline, baseline]


def test_an_analysts_roll_up_on_either_store_reads_only_final_audits(any_db_url):
    from test_store_frames import store_audit

    from sgaudit.analysis.synthetic import audit_of_size
    from sgaudit.store.accounts import add_user, grant_role, load_principal

    with session_scope(any_db_url) as s:
        final = store_audit(s, audit_of_size(1_200, seed=1), "Member One")
        draft = store_audit(s, audit_of_size(1_200, seed=2), "Member Two")
        repo.get_audit(s, final).status = "final"
        add_user(s, "analyst", "a long enough pass phrase 7")
        for audit_id in (final, draft):
            org = repo.get_audit(s, audit_id).organisation
            grant_role(s, "analyst", "partnership_analyst", organisation=org)
    with session_scope(any_db_url) as s:
        analyst = load_principal(s, "analyst")
    with session_scope(any_db_url, principal=analyst) as s:
        result = roll_up(s, any_db_url)
    assert set(result.rows["audit_id"]) == {final}
    assert result.organisations_without_final == ["Member Two"]
    assert result.rows["score"].notna().any()


def _finalise_the_re_audit(url: str, reaudit: int) -> None:
    with session_scope(url) as s:
        repo.get_audit(s, reaudit).status = "final"


def test_a_re_audited_organisation_shows_each_themes_change_as_compare_reads_it(demo_db, audits):
    from sgaudit.analysis.compare import compare_audits

    baseline, reaudit = audits
    _finalise_the_re_audit(demo_db, reaudit)
    with session_scope(demo_db) as s:
        result = roll_up(s, demo_db)
        compared = compare_audits(load_audit_data(s, baseline), load_audit_data(s, reaudit))
        trail = [(e.action, e.audit_id) for e in events(s) if e.action == "view_roll_up"]
    rows = result.rows
    assert set(rows["audit_id"]) == {reaudit} and set(rows["previous_audit_id"]) == {baseline}
    # both audits were read, so both reads are recorded
    assert sorted(trail) == sorted([("view_roll_up", baseline), ("view_roll_up", reaudit)])
    overall = {c.theme: c for c in compared.theme_changes if c.tier is None and not c.service_area}
    assert len(rows) == len(overall)
    for row in rows.itertuples():
        assert (row.change, row.direction) == (
            overall[row.theme_id].change,
            overall[row.theme_id].direction,
        )
        assert row.previous_score == overall[row.theme_id].old_score
    assert result.re_audited == 1
    since = result.wide("since").loc["Riverside Community Trust"]
    # the demo's re-audit: leadership much better, complaints about the same
    assert since["Strategic and operational leadership and management"] == "+12 better"
    assert since["Complaints and whistleblowing"] == "+1 steady"
    across = result.by_theme().set_index("theme")
    assert across.loc["Strategic and operational leadership and management", "better since"] == 1
    assert across.loc[
        "Complaints and whistleblowing", ["better since", "worse since"]
    ].tolist() == [0, 0]
    read = list(csv.DictReader(io.StringIO(result.csv().decode("utf-8-sig"))))
    assert {r["previous_audit_id"] for r in read} == {str(baseline)}
    assert all(r["change"].lstrip("-").isdigit() for r in read)


def test_a_first_final_audit_says_so_and_a_draft_is_never_the_previous(demo_db, audits):
    """The re-audit stays a draft: the baseline is the latest final, with none before it."""
    baseline, _ = audits
    with session_scope(demo_db) as s:
        result = roll_up(s, demo_db)
    assert result.rows["previous_audit_id"].isna().all() and result.re_audited == 0
    assert set(result.wide("since").loc["Riverside Community Trust"]) == {FIRST}


def test_the_cli_and_the_app_show_the_change_since_the_previous_final_audit(demo_db, audits, run):
    from app_support import app, assert_clean, open_page

    baseline, reaudit = audits
    _finalise_the_re_audit(demo_db, reaudit)
    code, printed, _ = run("roll-up")
    assert code == 0
    assert "Change since the previous final audit (1 organisation;" in printed
    assert "+12 better" in printed and "+1 steady" in printed
    at = open_page(app(audit=reaudit), "partnership")
    assert_clean(at)
    assert "Change since the previous final audit" in [h.value for h in at.subheader]
    grids = [d.value for d in at.dataframe if "Theme" in d.value.columns]
    assert len(grids) == 2
    changes = dict(zip(grids[1]["Theme"], grids[1]["Riverside Community Trust"], strict=True))
    assert changes["Strategic and operational leadership and management"] == "+12 better"
    across = next(t.value for t in at.table if "median score" in t.value.columns)
    assert {"better since", "worse since"} <= set(across.columns)


def test_a_re_audit_is_compared_with_the_audit_it_re_audits(demo_db, audits):
    """As its board report is: the audit named as its previous one, where that is final,
    rather than whichever final audit happens to come just before it; without one, the
    final audit before it."""
    from sgaudit.partnership import final_audits
    from sgaudit.questionnaire.loader import load_question_set

    baseline, reaudit = audits
    _finalise_the_re_audit(demo_db, reaudit)

    def another(previous_id: int | None) -> int:
        with session_scope(demo_db) as s:
            previous = repo.get_audit(s, previous_id) if previous_id else None
            org = repo.get_audit(s, baseline).organisation
            audit = repo.create_audit(
                s, org, "Another audit", load_question_set(None), previous_audit=previous
            )
            audit.status = "final"
            return audit.id

    unlinked = another(None)
    with session_scope(demo_db) as s:
        ((latest, previous),), _ = final_audits(s)
        assert (latest.id, previous.id) == (unlinked, reaudit)  # the final one before it
    linked = another(baseline)
    with session_scope(demo_db) as s:
        ((latest, previous),), _ = final_audits(s)
        assert (latest.id, previous.id) == (linked, baseline)


def test_the_page_shares_the_roll_up_among_workers_only_where_it_pays(monkeypatch):
    from sgaudit.errors import SgauditError
    from sgaudit.partnership import WORKERS_FROM, page_workers

    monkeypatch.delenv("SGAUDIT_ROLL_UP_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert page_workers(WORKERS_FROM - 1) == 1  # starting a worker costs more than it saves
    assert page_workers(WORKERS_FROM) == 4  # the cores, at most four
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert page_workers(200) == 2
    monkeypatch.setenv("SGAUDIT_ROLL_UP_WORKERS", "1")
    assert page_workers(200) == 1
    monkeypatch.setenv("SGAUDIT_ROLL_UP_WORKERS", "3")
    assert page_workers(2) == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("SGAUDIT_ROLL_UP_WORKERS", bad)
        with pytest.raises(SgauditError, match="SGAUDIT_ROLL_UP_WORKERS must be a whole number"):
            page_workers(5)


def test_the_page_says_so_when_the_workers_setting_is_unusable(demo_db, audits, monkeypatch):
    from app_support import app

    baseline, _ = audits
    monkeypatch.setenv("SGAUDIT_ROLL_UP_WORKERS", "lots")
    at = app(audit=baseline)
    at.switch_page("app_pages/partnership.py")
    at.run()
    assert not at.exception
    assert any("SGAUDIT_ROLL_UP_WORKERS must be a whole number" in e.value for e in at.error)
