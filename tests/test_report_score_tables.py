"""One report builds each audit's score tables once and shares them.

The analysis, the register evidence, the comparison and the theme sections all read
the same `ScoreTables`; sharing them must not change a word of what they say.
"""

from __future__ import annotations

from test_report_fixtures import demo_report

from sgaudit.analysis.compare import compare_audits
from sgaudit.analysis.result import analyse
from sgaudit.analysis.scores import ScoreTables
from sgaudit.report.build import report_inputs
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.evidence import audit_evidence
from sgaudit.store.frames import load_audit_data


def _counting_builds(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = ScoreTables.build.__func__

    def counted(cls, data, decision=None):
        calls.append(len(data.responses))
        return original(cls, data, decision)

    monkeypatch.setattr(ScoreTables, "build", classmethod(counted))
    return calls


def test_a_compared_report_builds_each_audits_tables_once(tmp_path_factory, monkeypatch):
    built = demo_report(tmp_path_factory)
    calls = _counting_builds(monkeypatch)
    with session_scope(built["url"]) as session:
        inputs = report_inputs(session, built["reaudit"], built["baseline"])
        whole = {
            len(load_audit_data(session, a).responses)
            for a in (built["reaudit"], built["baseline"])
        }
    # once for each audit: both demo audits share every question, so the comparison
    # reuses the audits' own tables and the re-audit's analysis
    assert sorted(calls) == sorted(whole)
    assert inputs.tables is not None


def test_shared_tables_give_the_same_analysis_evidence_and_comparison(tmp_path_factory):
    built = demo_report(tmp_path_factory)
    with session_scope(built["url"]) as session:
        inputs = report_inputs(session, built["reaudit"], built["baseline"])
        new_audit = repo.get_audit(session, built["reaudit"])
        old_audit = repo.get_audit(session, built["baseline"])
        new, old = load_audit_data(session, new_audit.id), load_audit_data(session, old_audit.id)
        new_evidence = audit_evidence(session, new_audit, new)
        old_evidence = audit_evidence(session, old_audit, old)
    new_gaps = new_evidence.findings if new_evidence else ()
    old_gaps = old_evidence.findings if old_evidence else ()
    assert inputs.analysis == analyse(new, new_gaps)
    assert inputs.comparison == compare_audits(old, new, old_gaps, new_gaps)
    assert inputs.tables.overall.equals(ScoreTables.build(new).overall)
