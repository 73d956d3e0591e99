"""The assurance opinion (four documented levels, proposed by a rule, confirmed or changed
with a reason by the lead auditor, both stored) and the one-page summary for the board
before the contents."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import require_or_skip

from sgaudit.demo import build_demo
from sgaudit.errors import SgauditError
from sgaudit.report import generate_report
from sgaudit.report.assemble import assemble_context, proposed_opinion
from sgaudit.report.build import build_report_context, report_inputs
from sgaudit.report.opinion import LEVELS
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('board') / 'demo.db'}"
    get_engine(url)
    with session_scope(url) as session:
        built = build_demo(session)
    return {"url": url, "audit": built.reaudit_audit_id, "baseline": built.baseline_audit_id}


def test_every_level_is_defined_in_plain_words():
    assert list(LEVELS) == ["substantial", "reasonable", "limited", "no"]
    assert all(len(definition) > 60 for _label, definition in LEVELS.values())


def test_the_rule_proposes_limited_for_a_high_systemic_finding_and_a_red_theme(store):
    with session_scope(store["url"]) as s:
        board = build_report_context(s, store["audit"], store["baseline"]).board
    assert board.opinion.proposed_label == "Limited assurance"
    assert "one theme rated Red" in board.opinion.why
    assert board.opinion.confirmed and board.opinion.confirmed_by == "Demo Auditor One"


@pytest.mark.parametrize("which,compare", [("audit", "baseline"), ("baseline", None)])
def test_the_proposed_level_alone_is_the_one_the_whole_report_proposes(store, which, compare):
    # the demo confirms the opinion from `proposed_opinion`, without building the report
    with session_scope(store["url"]) as s:
        inputs = report_inputs(s, store[which], store[compare] if compare else None)
        level = proposed_opinion(inputs)
        board = assemble_context(inputs).board
    assert LEVELS[level][0] == board.opinion.proposed_label
    assert level == board.opinion.level  # the demo's lead auditor confirmed the proposal


def test_the_lead_auditor_gives_another_level_only_with_a_reason_and_both_are_stored(store):
    with session_scope(store["url"]) as s:
        audit = repo.get_audit(s, store["audit"])
        with pytest.raises(SgauditError, match="needs a reason"):
            repo.confirm_opinion(
                s, audit, proposed="limited", given="reasonable", actor="Demo Auditor One"
            )
        with pytest.raises(SgauditError, match="only the lead auditor"):
            repo.confirm_opinion(
                s, audit, proposed="limited", given="limited", actor="Demo Auditor Two"
            )
        repo.confirm_opinion(
            s,
            audit,
            proposed="limited",
            given="reasonable",
            reason="Complaints now have an owner & a plan.",
            actor="Demo Auditor One",
        )
        board = build_report_context(s, store["audit"]).board
        stored = repo.assurance_opinion(s, audit)
        assert (stored.proposed, stored.given) == ("limited", "reasonable")
        repo.confirm_opinion(
            s, audit, proposed="limited", given="limited", actor="Demo Auditor One"
        )
    assert board.opinion.label == "Reasonable assurance"
    assert board.opinion.statement == (
        "The rule proposed limited assurance; the lead auditor gave reasonable assurance: "
        "Complaints now have an owner & a plan."
    )


def test_the_board_questions_are_five_to_eight_and_tied_to_this_audits_findings(store):
    with session_scope(store["url"]) as s:
        board = build_report_context(s, store["audit"], store["baseline"]).board
    assert 5 <= len(board.questions) <= 8
    assert any("complaints and whistleblowing" in q for q in board.questions)
    assert any("Domiciliary Care" in q for q in board.questions)
    assert len(board.issues) == 3 and board.areas == "Domiciliary Care"


@pytest.mark.libreoffice
def test_the_summary_for_the_board_fits_on_one_page_before_the_contents(store, tmp_path):
    require_or_skip(shutil.which("soffice") is not None, "LibreOffice (soffice)")
    with session_scope(store["url"]) as s:
        pdf = generate_report(
            s, store["audit"], tmp_path / "r.docx", compare_to=store["baseline"], pdf=True
        )
    pages = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for n in (2, 3)
    ]
    assert "Summary for the board" in pages[0]
    assert "Since the last audit:" in pages[0]  # its last line is on the same page
    assert pages[1].lstrip().startswith("Contents")


def test_the_serious_issues_name_who_saw_them_as_a_sentence_would(store):
    # The demo's thread breaks are medium, below its three serious issues (all systemic),
    # so they are read here as the board summary would word them.
    from sgaudit.report.board_summary import _where

    with session_scope(store["url"]) as s:
        context = build_report_context(s, store["audit"], store["baseline"])
    breaks = [f for t in context.themes for f in t.findings if f.kind == "thread_break"]
    seen = [_where(f) for f in breaks]
    assert any("people who use services" in w for w in seen), seen
    for where in seen:  # "people who use services and trustees", not table labels
        assert where.startswith("across the organisation; as seen by "), where
        assert "People using services" not in where and "Board" not in where, where


def test_the_board_question_names_the_link_of_the_thread_that_broke():
    from sgaudit.report.board_summary import _question, _thread_grounds
    from sgaudit.report.context_findings import FindingItem

    def brk(tiers: str) -> FindingItem:
        return FindingItem.model_construct(
            kind="thread_break",
            theme_id="safer_working",
            theme="Safer working",
            tiers=tiers,
            areas="",
            summary="",
        )

    users_staff = brk("People using services and Front line")
    users_leaders = brk("People using services, DSL team, Senior leaders and Board")
    leaders_staff = brk("Front line and Board")

    def asked(*items: FindingItem) -> str:
        return _question(items[0], _thread_grounds(items))

    assert asked(users_staff) == (
        "Why do the people who use services and the staff who support them see safer working "
        "so differently, and how will the board hear from the people who use services directly?"
    )
    assert asked(users_staff, users_leaders).startswith(
        "Why do the people who use services see safer working so differently from the staff "
        "who support them and from the organisation's leaders"
    )
    assert asked(users_leaders).startswith(
        "Why do the organisation's leaders and the people who use its services see"
    )
    assert "from the front line and from the people who use services" in asked(
        leaders_staff, users_staff
    )
    assert asked(leaders_staff).startswith("Why do leaders and the front line see safer working")


def test_a_small_organisation_with_no_finding_still_gets_a_board_page_that_says_something(
    tmp_path,
):
    # A youth club: one service area, one manager, one DSL, one senior leader, three
    # trustees. Nothing was found, and three tiers could not be set against the front line.
    from test_report_fixtures import store_audit

    url = f"sqlite:///{tmp_path / 'small.db'}"
    get_engine(url)
    sizes = {"service_user": 3, "front_line": 4, "manager": 1, "dsl": 1,
             "senior_leader": 1, "board": 3}  # fmt: skip
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Little Lantern Youth Club", ["Youth club"])
        audit = store_audit(s, org, "Safeguarding audit 2026", per_tier_area=sizes, seed=5)
        context = build_report_context(s, audit.id)
        docx = generate_report(s, audit.id, tmp_path / "small.docx")
    board = context.board
    assert not board.issues
    assert board.no_issues.startswith("We found no finding for the board to act on.")
    # Nothing was found, but the thread stops short of three tiers: the rule goes no
    # higher than reasonable, and says why ...
    assert board.opinion.level == "reasonable"
    assert board.opinion.why == (
        "We found no High or Medium finding and no theme rated Red, but the golden thread "
        "could not be followed through three tiers (below), which substantial assurance "
        "needs."
    )
    # ... and the opinion says what it could not rest on ...
    assert board.limits.startswith(
        "This opinion rests on what we could test: managers, the safeguarding team and "
        "senior leaders were too few"
    )
    # ... and the board still has questions: the question set's own, weakest theme first.
    assert len(board.questions) == 5
    weakest = min(context.themes, key=lambda t: t.overall.score)
    assert board.questions[0] == weakest.questions_to_consider[0]
    # With no recommendation, the plan says so and no longer opens "Our recommendations".
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "No recommendations have been recorded for this audit yet." in text
    assert "Our recommendations, most urgent first" not in text
    assert "This opinion rests on what we could test" in text


def test_the_demo_board_page_names_no_limit_when_every_tier_could_be_compared(store):
    with session_scope(store["url"]) as s:
        board = build_report_context(s, store["audit"], store["baseline"]).board
    assert board.limits == "" and board.no_issues == ""


def _small_org(tmp_path, sizes, areas):
    from test_report_fixtures import store_audit

    url = f"sqlite:///{tmp_path / 'org.db'}"
    get_engine(url)
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Harbour Lights", areas)
        audit = store_audit(s, org, "Safeguarding audit 2026", per_tier_area=sizes, seed=5)
        return build_report_context(s, audit.id)


def test_a_dsl_pooled_with_senior_leaders_is_compared_not_called_too_few(tmp_path):
    # A DSL of one and three senior leaders are both "Suppressed" in the table, but the
    # analysis sets them against the front line together: nothing may say they were too
    # few, and the opinion is not held back for them.
    sizes = {"service_user": 5, "front_line": 5, "manager": 2, "dsl": 1,
             "senior_leader": 3, "board": 5}  # fmt: skip
    context = _small_org(tmp_path, sizes, ["North", "South"])
    assert context.thread.rows[0].tier["dsl"].text == "Suppressed"
    assert context.board.limits == ""
    assert context.board.opinion.level == "substantial"
    no_breaks = " ".join(context.thread.no_breaks)
    assert (
        "managers, the safeguarding team with senior leaders (taken together) and trustees "
        "see much what front-line staff see" in no_breaks
    )
    assert "too few" not in no_breaks
    assert context.summary.thread == context.thread.no_breaks


def test_a_board_not_heard_reads_not_heard_and_holds_the_opinion_back(tmp_path):
    sizes = {"service_user": 5, "front_line": 5, "manager": 2, "dsl": 1,
             "senior_leader": 3, "board": 0}  # fmt: skip
    context = _small_org(tmp_path, sizes, ["North", "South"])
    # The set asks trustees every theme and none answered: "Not heard", never "Not asked".
    assert {r.tier["board"].text for r in context.thread.rows} == {"Not heard"}
    assert {r.tier["board"].status for r in context.thread.rows} == {"not_heard"}
    # A tier the set never asks a theme is still "Not asked".
    assert context.thread.rows[0].tier["service_user"].text == "Not asked"
    assert context.board.opinion.level == "reasonable"
    assert "could not be followed through one tier (below)" in context.board.opinion.why
    assert context.board.limits == (
        "This opinion rests on what we could test: we did not hear from trustees, so the "
        "golden thread could not be followed through them."
    )
    assert context.thread.no_breaks[-1] == (
        "We did not hear from trustees, so the golden thread could not be followed through them."
    )
    assert context.thread.no_knowledge_gaps[-1] == (
        "We did not hear from trustees, so we cannot say how often they do not know."
    )
    # "What the analysis could not settle" says it too: it was silent on the board.
    assert context.unsettled.notes[0] == (
        "Not heard: nobody from this tier took part. Trustees cannot be set against the rest "
        "of the golden thread."
    )


def test_a_draft_with_findings_but_no_recommendation_yet_asks_for_a_response_to_them(tmp_path):
    # A re-audit found complaints weak, and no action was recorded yet: the management
    # response must not ask the organisation how it will "keep safeguarding as it is".
    from docx import Document
    from test_report_fixtures import store_audit

    from sgaudit.analysis import synthetic as syn

    url = f"sqlite:///{tmp_path / 'findings.db'}"
    get_engine(url)
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Riverside Scouts", ["Scouts", "Cubs"])
        audit = store_audit(s, org, "Safeguarding audit 2026", seed=12,
                            plants=syn.systemic("complaints", 40))  # fmt: skip
        docx = generate_report(s, audit.id, tmp_path / "findings.docx")
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "No recommendations have been recorded for this audit yet." in text
    assert "Say what the organisation will do about each finding in this report" in text
    assert "keep safeguarding as it is" not in text


def test_the_validation_suites_realistic_audit_reads_its_pooled_leaders_as_compared():
    # The shape of issue 8's audits: a DSL of one in Central Services with 2 to 4 senior
    # leaders, hidden apart and read together by the analysis. The board page said they
    # were too few and the thread could not be followed through them, on every such audit.
    from sgaudit.analysis import analyse
    from sgaudit.analysis.realistic import realistic_audit
    from sgaudit.questionnaire import load_question_set
    from sgaudit.report.assemble import assemble_context
    from sgaudit.report.inputs import AuditFacts, ReportInputs

    qs = load_question_set()
    data = realistic_audit(1000, qs)
    analysis = analyse(data)
    assert [n.tiers for n in analysis.pooled if n.tiers == ["dsl", "senior_leader"]]
    context = assemble_context(
        ReportInputs(
            audit=AuditFacts(organisation="Org", title="Audit"),
            question_set=qs,
            data=data,
            analysis=analysis,
        )  # fmt: skip
    )
    assert context.board.limits == ""
    assert context.board.opinion.level == "substantial"
    assert (
        "the safeguarding team with senior leaders (taken together)" in context.thread.no_breaks[0]
    )
    # The don't-know check pools them too, so they are not "too few to say" either.
    assert context.thread.no_knowledge_gaps == [
        "Trustees and the safeguarding team with senior leaders (taken together) knew the "
        "answers about as often as everyone else."
    ]


def test_a_theme_that_may_be_weak_across_the_organisation_caps_the_proposal_at_reasonable():
    # Nothing found, the thread followed all the way: substantial, unless a theme the
    # analysis left worth exploring as weak across the organisation was kept.
    from sgaudit.report.coverage import ThreadCoverage
    from sgaudit.report.opinion import propose_level

    assert propose_level([], [], "Red", ThreadCoverage())[0] == "substantial"
    level, why = propose_level([], [], "Red", ThreadCoverage(), ["Complaints and whistleblowing"])
    assert level == "reasonable"
    assert why == (
        "We found no High or Medium finding and no theme rated Red, but Complaints and "
        "whistleblowing may be weak across the organisation, which the people we heard "
        "could not settle (under “What the analysis could not settle”) and substantial "
        "assurance needs settled."
    )
    two = propose_level([], [], "Red", ThreadCoverage(), ["Culture", "Complaints"])[1]
    assert "but Culture and Complaints may each be weak across the organisation" in two


def test_a_medium_finding_that_runs_across_the_organisation_caps_the_proposal_at_reasonable():
    # Complaints at 52 in every area, found against the people's own level: Medium by its
    # score. It proposed substantial ("the few weaknesses we found are minor") beside a
    # weakness across the whole organisation, where the same call left open capped it.
    from sgaudit.report.context import FindingItem
    from sgaudit.report.coverage import ThreadCoverage
    from sgaudit.report.opinion import propose_level

    def item(kind: str, theme: str) -> FindingItem:
        return FindingItem.model_construct(kind=kind, theme=theme, severity="medium")

    one = [item("systemic", "Complaints and whistleblowing")]
    level, why = propose_level(one, [], "Red", ThreadCoverage())
    assert level == "reasonable"
    assert why == (
        "We found no High finding, one Medium finding and no theme rated Red, but Complaints "
        "and whistleblowing is weak across the organisation, and substantial assurance needs "
        "no weakness that runs across it."
    )
    two = [item("systemic", "Culture"), item("systemic", "Complaints")]
    assert "but Culture and Complaints are each weak across" in propose_level(two, [], "Red")[1]
    # a Medium finding in one service area leaves substantial open
    assert propose_level([item("localised", "Casework")], [], "Red", ThreadCoverage())[0] == (
        "substantial"
    )


def test_a_systemic_call_left_open_is_said_wherever_the_report_speaks_of_the_organisation():
    # Complaints at 52 in four areas of four, from 30 voices: worth exploring, not a
    # finding. The executive summary and the systemic section said "no weakness runs across
    # the whole organisation" and "No theme is weak across the organisation" while the
    # board summary, rightly, said it may be. Left out by the auditors, it is gone from all.
    from sgaudit.analysis import analyse
    from sgaudit.analysis.realistic import realistic_audit
    from sgaudit.analysis.synthetic import Plant
    from sgaudit.questionnaire import load_question_set
    from sgaudit.report.assemble import assemble_context
    from sgaudit.report.findings_view import Review
    from sgaudit.report.inputs import AuditFacts, ReportInputs

    qs = load_question_set()
    # judged against the weak score alone (against the people's own level it is a finding)
    alone = qs.settings.model_copy(update={"systemic_own_level_points": 0})
    qs = qs.model_copy(update={"settings": alone})
    data = realistic_audit(1011, qs, [Plant(theme="complaints", score=50)])
    analysis = analyse(data)
    (call,) = [f for f in analysis.worth_exploring if f.kind == "systemic"]
    facts = AuditFacts(organisation="Org", title="Audit")
    open_words = (
        "Complaints and whistleblowing may be weak across the organisation, which the people "
        "we heard could not settle (under “What the analysis could not settle”)"
    )
    kept = assemble_context(
        ReportInputs(audit=facts, question_set=qs, data=data, analysis=analysis)
    )
    assert kept.summary.systemic == [
        "We found no weakness we could be sure runs across the whole organisation.",
        open_words + ".",
    ]
    scope = kept.localised_systemic
    assert scope.summary.startswith("We found no theme we could be sure is weak across the")
    assert scope.systemic == [] and scope.systemic_none.startswith("No theme is clearly weak")
    assert scope.open_weak == open_words + "."
    assert open_words in kept.board.opinion.why

    left_out = {call.key: Review(finding_key=call.key, status="dismissed")}
    gone = assemble_context(
        ReportInputs(audit=facts, question_set=qs, data=data, analysis=analysis, reviews=left_out)
    )
    assert gone.summary.systemic == [
        "We found no weakness that runs across the whole organisation."
    ]
    scope = gone.localised_systemic
    assert scope.summary.startswith("We found no theme that is weak across the organisation")
    assert scope.systemic_none == "No theme is weak across the organisation."
    assert scope.open_weak == ""
    (complaints,) = [t for t in gone.themes if t.id == "complaints"]
    assert complaints.worth_exploring == []


def test_the_board_page_names_what_rose_or_fell_clear_of_chance_and_asks_about_a_fall(store):
    # A re-audit's board page said only how the last audit's actions fared: a theme that
    # fell 14 points, clear of chance, was on page 22 alone.
    from sgaudit.report.board_summary import ROSE_NAMED, board_summary, change_words

    with session_scope(store["url"]) as s:
        context = build_report_context(s, store["audit"], store["baseline"])
    change, board = context.change, context.board
    rose = sorted(
        (r for r in change.rows if r.overall.direction == "better"), key=lambda r: -r.overall.delta
    )
    assert len(rose) == ROSE_NAMED + 2 and not [
        r for r in change.rows if r.overall.direction == "worse"
    ]
    top = rose[0]
    assert board.changes.startswith(
        f"{top.theme} rose {top.overall.delta} points ({top.before.split()[0]} then, "
        f"{top.after.split()[0]} now), "
    )
    assert board.changes.endswith(
        " and two other themes rose: each a change of at least 5 points, clear of the chance "
        "of who was heard."
    )
    assert not [q for q in board.questions if "fallen since the last audit" in q]
    # The same audit with its biggest rise turned into a fall: named first, and asked about.
    fell = top.model_copy(
        update={"overall": top.overall.model_copy(update={"delta": -14, "direction": "worse"})}
    )
    rows = [fell if r.theme_id == top.theme_id else r for r in change.rows]
    worse = change.model_copy(update={"rows": rows})
    assert change_words(worse).startswith(f"{top.theme} fell 14 points (")
    asked = board_summary([], context.thread.rows, "Red", None, None, change=worse).questions
    assert (
        f"Why has {top.theme} fallen since the last audit, and what will we do about it?" in asked
    )
    assert change_words(None) == "" and board_summary([], [], "Red", None, None).changes == ""
