"""The auditors' analysis is data: stored per finding and theme, edited through a YAML
file that round-trips and is refused whole (with line and field) when wrong, carried
in the archive, and printed in the report beside the numbers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_fixtures import all_text, demo_report

from sgaudit.demo import build_demo
from sgaudit.findings_file import (
    FindingsFileError,
    Subject,
    audit_subjects,
    parse_findings_text,
    render_findings_document,
)
from sgaudit.report.build import build_report_context
from sgaudit.report.context_parts import STILL_TO_WRITE
from sgaudit.store import repo
from sgaudit.store.auditor_analysis import AnalysisText
from sgaudit.store.db import get_engine, make_engine, session_scope, upgrade

THEMES = [Subject("theme:culture", "culture", "Culture")]
FINDINGS = [Subject("systemic:culture::", "culture", "Culture is weak", "Medium", "Systemic")]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A demo store of this module's own, since these tests change the analysis."""
    url = f"sqlite:///{tmp_path_factory.mktemp('analysis') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as session:
        built = build_demo(session)
    return {"url": url, "audit": built.reaudit_audit_id, "baseline": built.baseline_audit_id}


def _stored(url, audit_id):
    with session_scope(url) as s:
        return repo.auditor_analyses(s, repo.get_audit(s, audit_id))


# ---- the file -----------------------------------------------------------------------------
text_part = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200).map(str.strip)


@settings(max_examples=60, deadline=None)
@given(seen=text_part, why=text_part, impact=text_part, helps=text_part)
def test_any_analysis_text_round_trips_through_the_findings_file(seen, why, impact, helps):
    stored = {
        "systemic:culture::": AnalysisText(seen, why, impact, helps),
        "theme:culture": AnalysisText(why=why),
    }
    text = render_findings_document(
        2, "Org: <&> {{ x }}\n# not a field", "Audit", THEMES, FINDINGS, stored
    )
    back = parse_findings_text(text, "f.yaml", 2, THEMES, FINDINGS, {})
    assert back == stored


def _problems(text, stored=None):
    with pytest.raises(FindingsFileError) as err:
        parse_findings_text(text, "f.yaml", 2, THEMES, FINDINGS, stored or {})
    return [str(p) for p in err.value.problems]


def test_a_bad_findings_file_is_refused_with_its_line_and_field_named():
    problems = _problems(
        "audit: 2\n"
        "themes:\n"
        "- theme: cultur\n"
        "  what_we_saw: x\n"
        "findings:\n"
        "- key: 'systemic:culture::'\n"
        "  why_happens: staff are stretched\n"
        "  impact_on_people: [a, b]\n"
    )
    assert problems == [
        "f.yaml, line 3, field 'theme': no theme 'cultur' in this audit (it may have been "
        "dismissed, or the data changed since the file was exported)",
        "f.yaml, line 7, field 'why_happens': unknown field (expected what_we_saw, "
        "why_it_happens, impact_on_people, what_helps)",
        "f.yaml, line 8, field 'impact_on_people': expected text, not a list or a set of fields",
    ]


def test_a_file_exported_from_another_audit_is_refused():
    assert _problems("audit: 1\nfindings: []\n") == [
        "f.yaml, line 1, field 'audit': this file is for audit 1, not audit 2; export the "
        "file of audit 2 instead"
    ]


def test_broken_yaml_is_refused_with_its_line():
    (problem,) = _problems("audit: 2\nfindings:\n- key: [unclosed\n")
    assert problem.startswith("f.yaml, line 4") and "not readable as YAML" in problem


def test_a_finding_named_twice_is_refused():
    problems = _problems(
        "audit: 2\nfindings:\n- key: 'systemic:culture::'\n  what_we_saw: a\n"
        "- key: 'systemic:culture::'\n  what_we_saw: b\n"
    )
    assert problems == [
        "f.yaml, line 5, field 'key': 'systemic:culture::' appears twice in the file"
    ]


def test_a_part_left_out_keeps_what_is_stored_and_a_part_written_empty_clears_it():
    stored = {"systemic:culture::": AnalysisText("seen", "why", "impact", "helps")}
    back = parse_findings_text(
        "audit: 2\nfindings:\n- key: 'systemic:culture::'\n  what_we_saw: new\n  what_helps: ''\n",
        "f.yaml",
        2,
        THEMES,
        FINDINGS,
        stored,
    )
    assert back == {"systemic:culture::": AnalysisText("new", "why", "impact", "")}


# ---- through the store and the CLI -------------------------------------------------------
def test_the_demo_has_analysis_for_every_finding_and_theme(store):
    for audit_id in (store["baseline"], store["audit"]):
        with session_scope(store["url"]) as s:
            themes, findings = audit_subjects(s, audit_id)
            stored = repo.auditor_analyses(s, repo.get_audit(s, audit_id))
        missing = [
            x.subject
            for x in (*themes, *findings)
            if x.subject not in stored or not stored[x.subject].why
        ]
        assert missing == []


def test_export_edit_and_import_through_the_cli_reaches_the_store(store, run, tmp_path):
    file = tmp_path / "findings.yaml"
    code, out, err = run("findings", "export", store["audit"], file, "--db", store["url"])
    assert code == 0, err
    text = file.read_text(encoding="utf-8")
    assert "why_it_happens" in text and "Lone working at Community Hub" in text
    before = _stored(store["url"], store["audit"])
    key = "auditor:safer_working:lone-working"
    edited = text.replace(
        "what_helps: >-\n    Staff look out for each other",
        "what_helps: >-\n    Volunteers & staff <b>look out</b> for each other",
    )
    assert edited != text
    file.write_text(edited, encoding="utf-8")
    code, out, err = run("findings", "import", store["audit"], file, "--db", store["url"])
    assert code == 0, err
    after = _stored(store["url"], store["audit"])
    assert after[key].helps.startswith("Volunteers & staff <b>look out</b> for each other")
    assert {k: v for k, v in after.items() if k != key} == {
        k: v for k, v in before.items() if k != key
    }


def test_a_refused_file_saves_nothing_at_all(store, run, tmp_path):
    before = _stored(store["url"], store["audit"])
    file = tmp_path / "findings.yaml"
    file.write_text(
        f"audit: {store['audit']}\nthemes:\n- theme: culture\n  what_we_saw: "
        "changed\n- theme: nonsense\n  what_we_saw: x\n",
        encoding="utf-8",
    )
    code, _out, err = run("findings", "import", store["audit"], file, "--db", store["url"])
    assert code == 1
    assert "findings.yaml, line 5, field 'theme': no theme 'nonsense'" in err
    assert _stored(store["url"], store["audit"]) == before


def test_the_report_prints_the_analysis_beside_each_finding_and_says_where_it_is_missing(
    store, tmp_path
):
    with session_scope(store["url"]) as s:
        audit = repo.get_audit(s, store["audit"])
        repo.save_auditor_analysis(s, audit, "systemic:governance::", AnalysisText())
        context = build_report_context(s, store["audit"])
    governance = next(t for t in context.themes if t.id == "governance")
    (finding,) = [f for f in governance.findings if f.kind == "systemic"]
    assert not finding.analysis.written and finding.analysis.missing == STILL_TO_WRITE
    culture = next(t for t in context.themes if t.id == "culture")
    assert all(f.analysis.written and f.analysis.why for f in culture.findings)
    assert culture.analysis.why


def test_the_demo_report_carries_the_four_parts_in_its_own_words(tmp_path_factory):
    text = all_text(Document(str(demo_report(tmp_path_factory)["docx"])))
    for label in (
        "What we saw: ",
        "Why it happens: ",
        "Impact on people who use services: ",
        "What helps: ",
    ):
        assert label in text
    assert "nobody owns keeping in touch with them" in text
    assert STILL_TO_WRITE not in text


def test_the_archive_carries_the_analysis(store, tmp_path):
    from sgaudit.archive import export_audit, import_archive

    path = tmp_path / "audit.sgaudit"
    with session_scope(store["url"]) as s:
        export_audit(s, store["baseline"], path)
        expected = repo.auditor_analyses(s, repo.get_audit(s, store["baseline"]))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    get_engine(other)
    with session_scope(other) as s:
        result = import_archive(s, path)
        assert repo.auditor_analyses(s, repo.get_audit(s, result.audit_id)) == expected
        assert len(expected) > 10


def test_a_store_from_before_the_analysis_upgrades_with_its_data(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "i11_consent_withdrawn")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO organisation (name, created_at) VALUES ('Old', '2025-01-01')")
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit (organisation_id, title, auditor_1, auditor_2, scope, status, "
                "question_set_id, question_set_version, question_set_snapshot, created_at) VALUES "
                "(1, 'Old audit', '', '', 'both', 'final', 'core', 1, '{}', '2025-01-01')"
            )
        )
    upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT title FROM audit")).scalar() == "Old audit"
        conn.execute(
            sa.text(
                "INSERT INTO auditor_analysis (audit_id, subject, seen, why, impact, helps, "
                "updated_at, updated_by) VALUES (1, 'theme:culture', 'a', 'b', 'c', 'd', "
                "'2025-01-01', '')"
            )
        )
    engine.dispose()
