"""The Findings page's "Not settled" tab: what is worth exploring (kept or left out of the
report by the auditors), tiers not assessed or pooled, and the thread's reach."""

from __future__ import annotations

from app_support import app, assert_clean, open_page
from docx import Document
from test_analysis_reach import _small_leadership_answers

from sgaudit.report import generate_report
from sgaudit.store import repo
from sgaudit.store.db import session_scope

AREAS = "Children's homes,Day services,Outreach,Housing,Schools,Sport,Fostering,Advocacy"


def test_the_not_settled_tab_shows_what_the_people_heard_could_not_settle(app_db, run, tmp_path):
    answers = tmp_path / "answers.csv"
    _small_leadership_answers().assign(consent="yes").to_csv(answers, index=False)
    assert run("org", "create", "Harbour Lights", "--areas", AREAS + ",Central Services")[0] == 0
    assert run("audit", "create", "--org", "Harbour Lights", "--title", "Audit 2026")[0] == 0
    assert run("import", "1", answers)[0] == 0
    # `analyse` says why the call is not a finding, and lists who was heard too few under
    # the report's heading and in its words ("Trustees", not the table's "Trustees / board").
    status, out, _ = run("analyse", "1")
    assert status == 0
    call = out.index("Culture may be weak across the organisation")
    assert (
        out.index("why it is not a finding: close to the weak score or the systemic share") > call
    )
    cli_notes = out.split("Groups heard too few, or assessed together:\n")[1].split("\n\n")[0]
    assert "- Trustees were heard in fewer voices than the analysis needs" in cli_notes
    assert "- Not assessable: too few people heard. Trustees cannot be set against" in cli_notes

    at = app(audit=1)
    open_page(at, "findings")
    text = " ".join(m.value for m in at.markdown)
    assert ":violet-badge[worth exploring]" in text
    assert "Culture may be weak across the organisation" in text  # on the line: worth exploring
    # and the card says why it is not a finding (a call close to the line)
    captions = " ".join(c.value for c in at.caption)
    assert "Why it is not a finding: close to the weak score or the systemic share." in captions
    assert "Trustees cannot be set against the rest of the golden thread on any theme." in text
    # Each tier heard in fewer voices than the fieldwork guide, in the report's own words.
    from sgaudit.report import build_report_context

    with session_scope(app_db) as s:
        notes = build_report_context(s, 1).unsettled.notes
    short = [n for n in notes if "fewer voices than the analysis needs" in n]
    assert short, notes
    assert all(n in text for n in short), (short, text)
    table = at.table[0].value
    assert list(table.index) == [
        "Managers against front-line staff",
        "Front-line staff against people who use services",
        "The safeguarding team, senior leaders and trustees together against people who use "
        "services",
    ]
    assert list(table["Smallest difference"])[0] == "20 points"
    areas = at.table[1].value
    assert "Day services" in list(areas.index) and areas.index.name == "Service area"
    assert all(int(v.split()[0]) >= 15 for v in areas["Smallest gap"])
    # and the organisation as a whole: how far below the weak score a theme had to score
    with session_scope(app_db) as s:
        whole = build_report_context(s, 1).unsettled.organisation_reach
    assert whole.startswith("Across the organisation, with people who use services, front-line")
    assert whole in text

    with session_scope(app_db) as s:
        kept = build_report_context(s, 1)
        docx = generate_report(s, 1, tmp_path / "report.docx")
    before = kept.board.opinion
    # `analyse` listed the report's notes, in its order and words
    assert cli_notes.splitlines() == [f"- {n}" for n in kept.unsettled.notes]
    # The report says why each item worth exploring is not a finding, as the card does.
    (culture,) = [i for i in kept.unsettled.worth_exploring if i.theme == "Culture"]
    assert culture.doubt == "close to the weak score or the systemic share"
    printed = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    # Nine service areas: the area table's headings run upwards, so no name breaks mid-word.
    from test_report_areas import _turned, area_table

    assert all(_turned(area_table(Document(str(docx)))))
    assert "Why it is not a finding: close to the weak score or the systemic share." in printed
    assert whole in printed  # the report prints it under the service areas' reach
    # Culture's own page does not read as settled: it names what was left open.
    (section,) = [t for t in kept.themes if t.title == "Culture"]
    assert [w.key for w in section.worth_exploring] == [culture.key]
    if not section.findings:
        assert section.no_findings.startswith("We found no finding on this theme that the")
    assert f"Worth exploring: {culture.summary} Why it is not a finding:" in printed
    # Both reasons the proposal stops at reasonable are given, the thread's first.
    assert before.why.endswith(
        "which substantial assurance needs; and Culture may be weak across the organisation, "
        "which the people we heard could not settle (under “What the analysis could not "
        "settle”) and substantial assurance needs settled."
    ), before.why
    # Left out: the report's section says the auditors looked into it.
    # The Dashboard's "Localised vs systemic" tab shows the call left open, not a bare
    # "No organisation-wide weakness found."
    board = app(audit=1)
    open_page(board, "dashboard")
    assert_clean(board)
    shown = " ".join(m.value for m in board.markdown)
    assert f":violet-badge[worth exploring] **Culture**  \n{culture.summary}" in shown
    notes = [c.value for c in board.caption]
    assert "No organisation-wide weakness found." not in notes
    assert any(n.startswith("No organisation-wide weakness found that the people") for n in notes)
    assert "Why it is not a finding: close to the weak score or the systemic share." in notes
    # Split by service area, where every tier x area group is hidden (two managers an area
    # hide the front line beside them): a sentence, not an empty chart with a legend.
    charts = len(board.get("plotly_chart"))
    board.toggle(key="dash_split").set_value(True).run()
    assert_clean(board)
    said = [i.value for i in board.info]
    assert any(
        i.startswith("Nothing to draw by service area on this theme. Not drawn, to protect")
        for i in said
    ), said
    assert len(board.get("plotly_chart")) == charts - 1

    leave_out = next(b for b in at.button if b.label == "Leave out")
    leave_out.click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        reviews = repo.finding_reviews(s, repo.get_audit(s, 1))
    assert [r.status for r in reviews.values()] == ["dismissed"]
    from sgaudit.report import build_report_context

    with session_scope(app_db) as s:
        context = build_report_context(s, 1)
    assert context.unsettled.worth_exploring == []
    (section,) = [t for t in context.themes if t.title == "Culture"]
    assert section.worth_exploring == []  # left out of the report: out of its theme page too
    assert context.unsettled.worth_exploring_none.startswith("None left open")
    # Culture, on the line, kept the proposal at reasonable; left out, it no longer does.
    assert "Culture" not in context.board.opinion.why
