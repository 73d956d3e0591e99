"""The one-page summary for the board: the opinion and why, the three most serious
issues with where they are felt, questions tied to this audit's findings, progress."""

from __future__ import annotations

from collections.abc import Sequence

from sgaudit import printed
from sgaudit.report.context import ChangeSection, FindingItem, ThreadRow
from sgaudit.report.context_parts import BoardIssue, BoardSummary, Opinion, ProgressSection
from sgaudit.report.coverage import ThreadCoverage
from sgaudit.report.opinion import LEVELS, propose_level
from sgaudit.report.words import (
    TIER_SHORT,
    capitalise,
    clean_text,
    join_words,
    number_word,
    tier_people,
)
from sgaudit.vocab import mid_sentence

MAX_QUESTIONS = 8
MIN_QUESTIONS = 5
ROSE_NAMED = 3  # the rises the board's page names; any more are counted
SERIOUS_ISSUES = 3
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# Among findings of the same severity, which the board needs first: systemic issues
# (they need the board, not one service), then where leaders' view and the ground part
# (thread breaks, knowledge gaps, the organisation's own self-assessment), then the rest.
KIND_WEIGHT = {
    "systemic": 0,
    "thread_break": 1,
    "knowledge_gap": 2,
    "self_assessment_optimism": 2,
    "localised": 3,
    "evidence_gap": 4,
    "records": 4,
    "paper_practice_gap": 5,
    "auditor": 6,
}


def serious_issues(items: Sequence[FindingItem], count: int = SERIOUS_ISSUES) -> list[FindingItem]:
    """The findings the summary lists as "the most serious issues" (docs/report.md).

    The rule: **severity first, always**. Every High finding comes before any Medium,
    and every Medium before any Low, so the summary never shows a finding as more
    serious than one it leaves out. Every kind counts, the organisation's own
    self-assessment included: a High self-assessment optimism finding means the
    organisation is confident about a theme the evidence says is weak, which is for
    the board. Among findings of the same severity, a theme not yet listed comes first
    (so three issues are three different things where severity allows), then
    `KIND_WEIGHT` (systemic first), then the report's own order.
    """
    ordered = sorted(
        items, key=lambda i: (SEVERITY_ORDER.get(i.severity, 3), KIND_WEIGHT.get(i.kind, 9))
    )
    chosen: list[FindingItem] = []
    themes: set[str] = set()
    for severity in sorted({SEVERITY_ORDER.get(i.severity, 3) for i in ordered}):
        same = [i for i in ordered if SEVERITY_ORDER.get(i.severity, 3) == severity]
        first, again = [], []
        for i in same:  # the first finding of each theme not listed yet, then the others
            (again if i.theme_id in themes else first).append(i)
            themes.add(i.theme_id)
        chosen += first + again
        if len(chosen) >= count:
            break
    return chosen[:count]


def _thread_grounds(items: Sequence[FindingItem]) -> dict[str, set[str]]:
    """Per theme, which links of the thread break: "front line" (leaders against the front
    line), "users" (the leadership against people who use services) and "users and staff"
    (people who use services against the front-line staff who support them)."""
    out: dict[str, set[str]] = {}
    for i in items:
        if i.kind == "thread_break":
            front = TIER_SHORT["front_line"] in i.tiers
            users = TIER_SHORT["service_user"] in i.tiers
            ground = "users and staff" if front and users else "front line" if front else "users"
            out.setdefault(i.theme_id, set()).add(ground)
    return out


def _users_question(lower: str, ground: set[str]) -> str:
    """The one board question of a theme whose thread breaks include people who use
    services, naming the links that broke (`_thread_grounds`)."""
    if "front line" in ground:
        return (
            f"Why do leaders see {lower} so differently from the front line and from the "
            "people who use services, and how will the board hear from both directly?"
        )
    if ground == {"users and staff"}:
        return (
            f"Why do the people who use services and the staff who support them see {lower} "
            "so differently, and how will the board hear from the people who use services "
            "directly?"
        )
    if ground == {"users"}:
        return (
            f"Why do the organisation's leaders and the people who use its services see "
            f"{lower} so differently, and how will the board hear from them directly?"
        )
    return (
        f"Why do the people who use services see {lower} so differently from the staff who "
        "support them and from the organisation's leaders, and how will the board hear from "
        "them directly?"
    )


def _lower(theme: str) -> str:
    return mid_sentence(theme) if theme else "safeguarding across the themes"


def _question(
    f: FindingItem,
    grounds: dict[str, set[str]] | None = None,
    self_assessed: Sequence[str] = (),
) -> str:
    """The board's question on a finding: a whole question in plain words, naming the
    theme (and the service areas where it is localised); never the finding's sentence.

    `self_assessed`: the themes of every self-assessment finding asked about, named in
    one question (the same question theme by theme would crowd out the others)."""
    lower = _lower(f.theme)
    ground = (grounds or {}).get(f.theme_id, {"front line"})
    if f.kind == "self_assessment_optimism":
        on = join_words(f"on {_lower(t)}" for t in dict.fromkeys(self_assessed or [f.theme]))
        return (
            f"{capitalise(on)}, why did the organisation's own self-assessment come out so much "
            "higher than the audit found, and how will the board test what it is told in future?"
        )
    if f.kind == "thread_break" and ground & {"users", "users and staff"}:  # one a theme
        return _users_question(lower, ground)
    return {
        "systemic": f"What will the board do so that {lower} improves in every service, and "
        "how will it know it has?",
        "thread_break": f"Why do leaders and the front line see {lower} so differently, and "
        "how will the board hear from the front line directly?",
        "knowledge_gap": f"What information on {lower} does the board need, from whom, and "
        "by when?",
        "localised": f"What support does {f.areas or 'the service concerned'} need on "
        f"{lower}, and who is accountable for it?",
        "evidence_gap": f"Why do the records on {lower} tell a different story from what "
        "people told us, and which is right?",
        "records": f"What do the organisation's own records on {lower} tell the board, "
        "and who will put right what they show?",
        "paper_practice_gap": f"How will the board check that what is written on {lower} "
        "happens in practice?",
        "auditor": f"What will be done about the auditors' finding on {lower}, who will lead "
        "it, and by when?",
    }.get(f.kind, f"What will be done about the finding on {lower}, who will lead it, and by when?")


def _where(f: FindingItem) -> str:
    if f.kind == "self_assessment_optimism":  # no area or tier: the organisation's own view
        return "the organisation's own self-assessment"
    parts = []
    parts.append(f.areas if f.areas else "across the organisation")
    if f.tiers:
        seen_by = f.tiers  # the table's short labels, as a sentence names the people
        for tier, short in TIER_SHORT.items():
            seen_by = seen_by.replace(short, tier_people(tier))
        parts.append(f"as seen by {seen_by}")
    return "; ".join(parts)


NO_ISSUES = (
    "We found no finding for the board to act on. That is what the people we heard could "
    "show: where they could not settle a question either way is under \u201cWhat the "
    "analysis could not settle\u201d."
)


def _limits(coverage: ThreadCoverage) -> str:
    """The tiers the golden thread could not be followed through, as a sentence under
    the opinion ('' when it reached every tier): an opinion says what it rests on."""
    if not coverage.untested:
        return ""
    return f"This opinion rests on what we could test: {coverage.untested_sentence()}."


def _moved(change: ChangeSection | None, direction: str) -> list:
    """The change rows that moved `direction` ("worse" or "better") by at least the
    change points, clear of chance, the largest move first."""
    if change is None:
        return []
    rows = [r for r in change.rows if r.overall.direction == direction and r.overall.delta]
    return sorted(rows, key=lambda r: -abs(r.overall.delta))


def change_words(change: ChangeSection | None) -> str:
    """The themes that fell or rose since the last audit by at least the change points
    and clear of chance, in one sentence for the board ('' when none did): "Governance
    fell 14 points (77 then, 63 now) and Culture rose 14 points (59 then, 73 now), ..."."""

    def said(row, verb: str) -> str:
        then, now = row.before.split()[0], row.after.split()[0]
        points = printed.count(abs(row.overall.delta), "point")
        return f"{row.theme} {verb} {points} ({then} then, {now} now)"

    rose = _moved(change, "better")
    parts = [said(r, "fell") for r in _moved(change, "worse")]
    parts += [said(r, "rose") for r in rose[:ROSE_NAMED]]
    if len(rose) > ROSE_NAMED:  # every fall is named; the rises beyond a few are counted
        more = len(rose) - ROSE_NAMED
        parts.append(f"{number_word(more)} other {'theme' if more == 1 else 'themes'} rose")
    if not parts:
        return ""
    each = "a change" if len(parts) == 1 else "each a change"
    return (
        f"{join_words(parts)}: {each} of at least {change.change_points} points, clear of the "
        "chance of who was heard."
    )


def fallen_themes(change: ChangeSection | None) -> list[str]:
    """The themes that fell since the last audit, clear of chance, the largest fall first."""
    return [r.theme for r in _moved(change, "worse")]


def board_summary(
    items: Sequence[FindingItem],
    rows: Sequence[ThreadRow],
    lowest_band: str,
    stored_opinion,
    progress: ProgressSection | None,
    theme_questions: Sequence[str] = (),
    coverage: ThreadCoverage | None = None,
    unsettled_weak: Sequence[str] = (),
    change: ChangeSection | None = None,
) -> BoardSummary:
    """The board's page. `theme_questions` are the question set's own questions for the
    board, weakest theme first: asked when the findings give fewer than `MIN_QUESTIONS`.
    `change`: the comparison with the last audit, whose clear falls and rises the page
    names (`change_words`) and asks about (a fall)."""
    coverage = coverage or ThreadCoverage()
    proposed, why = propose_level(items, rows, lowest_band, coverage, unsettled_weak)
    given = stored_opinion.given if stored_opinion is not None else proposed
    label, definition = LEVELS[given]
    if stored_opinion is None:
        statement = (
            f"sgaudit proposes {LEVELS[proposed][0].lower()} by its rule; the lead "
            "auditor has not yet confirmed it."
        )
    elif stored_opinion.given == stored_opinion.proposed:
        statement = f"The lead auditor confirmed {label.lower()}, the level proposed by the rule."
    else:
        statement = (
            f"The rule proposed {LEVELS[stored_opinion.proposed][0].lower()}; the "
            f"lead auditor gave {label.lower()}: "
            f"{clean_text(stored_opinion.reason).strip()}"
        )
    opinion = Opinion(
        level=given, label=label, definition=definition, why=why,
        proposed_label=LEVELS[proposed][0], confirmed=stored_opinion is not None,
        confirmed_by=clean_text(stored_opinion.confirmed_by) if stored_opinion else "",
        statement=statement,
    )  # fmt: skip
    ordered = sorted(
        items, key=lambda i: (SEVERITY_ORDER.get(i.severity, 3), KIND_WEIGHT.get(i.kind, 9))
    )
    issues = [BoardIssue(text=i.summary, where=_where(i)) for i in serious_issues(items)]
    grounds = _thread_grounds(items)
    asked = [i for i in ordered if i.severity != "low"]
    self_assessed = [i.theme for i in asked if i.kind == "self_assessment_optimism"]
    questions = list(dict.fromkeys(_question(i, grounds, self_assessed) for i in asked))
    if progress is not None and any(r.status in ("partly", "not_achieved") for r in progress.rows):
        questions.insert(
            min(3, len(questions)),
            "Why were some of the last audit's actions not "
            "achieved, and what will be different this time?",
        )
    for theme in reversed(fallen_themes(change)[:2]):  # a fall is the board's to ask about
        questions.insert(
            min(2, len(questions)),
            f"Why has {theme} fallen since the last audit, and what will we do about it?",
        )
    if len(questions) < MIN_QUESTIONS:
        questions += [_question(i, grounds) for i in ordered if i.severity == "low"]
        questions = list(dict.fromkeys(questions))
    if len(questions) < MIN_QUESTIONS:  # few findings: the question set's own questions
        questions = list(dict.fromkeys([*questions, *theme_questions]))[:MIN_QUESTIONS]
    areas = join_words(dict.fromkeys(i.areas for i in items if i.kind == "localised" and i.areas))
    return BoardSummary(
        opinion=opinion, issues=issues, questions=questions[:MAX_QUESTIONS],
        progress=progress.summary if progress is not None else "", areas=areas,
        changes=change_words(change),
        no_issues="" if issues else NO_ISSUES, limits=_limits(coverage),
    )  # fmt: skip
