"""The executive summary: the overall picture, strengths, systemic issues, thread breaks.

Written as two auditors would write for trustees: short sentences, whole numbers,
people named by role ("front-line staff", "trustees"), no jargon without a gloss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sgaudit.analysis.findings import Finding
from sgaudit.report.change import since_last_audit
from sgaudit.report.context import (
    ChangeSection,
    ExecutiveSummary,
    FindingItem,
    Method,
    RecommendationItem,
    ThreadRow,
)
from sgaudit.report.coverage import ThreadCoverage, group_words, thread_coverage
from sgaudit.report.inputs import ReportInputs
from sgaudit.report.unsettled import may_be_weak_words
from sgaudit.report.words import (
    capitalise,
    date_range,
    join_words,
    number_word,
    plural,
    tier_people,
    whole,
)
from sgaudit.vocab import OVERSIGHT_TIERS, mid_sentence

MAX_BULLETS = 5
MAX_PRIORITIES = 3


def order_first(counts: dict[str, int]) -> str:
    return next(iter(counts))


def no_knowledge_gap_sentences(
    rows: Sequence[ThreadRow], coverage: ThreadCoverage | None = None
) -> list[str]:
    """When no knowledge gap was found: who was checked (alone, or pooled as the analysis
    pooled them: `coverage`), who was too few to check and who was not heard (so that
    silence about them is not read as "they knew")."""
    alone = [t for t in OVERSIGHT_TIERS if any(r.tier[t].status == "scored" for r in rows)]
    pools = [
        g
        for g in (coverage.compared if coverage else ())
        if len(g) > 1 and any(t in OVERSIGHT_TIERS and t not in alone for t in g)
    ]
    checked = [(t,) for t in alone] + pools
    reached = {t for g in checked for t in g}
    too_few = [
        t
        for t in OVERSIGHT_TIERS
        if t not in reached and any(r.tier[t].status == "suppressed" for r in rows)
    ]
    not_heard = [
        t
        for t in OVERSIGHT_TIERS
        if t not in reached
        and t not in too_few
        and any(r.tier[t].status == "not_heard" for r in rows)
    ]
    out = []
    if checked:
        out.append(
            f"{capitalise(join_words(map(group_words, checked)))} knew the answers about as "
            "often as everyone else."
        )
    if too_few:
        out.append(
            f"{capitalise(join_words(tier_people(t) for t in too_few))} were too few to "
            "say how often they did not know without identifying them."
        )
    if not_heard:
        out.append(
            f"We did not hear from {join_words(tier_people(t) for t in not_heard)}, so we "
            "cannot say how often they do not know."
        )
    return out


def no_break_sentences(coverage: ThreadCoverage, reach: bool = False) -> list[str]:
    """When nothing breaks: who was compared with the front line (alone or pooled, as
    the analysis did), who was too few and who was not heard (a tier the thread did not
    reach is never said to agree or disagree). With `reach` (the analysis says how large
    a difference had to be to show), the first sentence says where to read it: no break
    found is not no difference."""
    out = []
    if coverage.compared:
        out.append(
            "We found no break in the golden thread: on every theme we could compare, "
            f"{coverage.compared_words()} see much what front-line staff see"
            + (
                ", as far as the people we heard can show (see \u201cWhat the analysis "
                "could not settle\u201d for how large a difference had to be)."
                if reach
                else "."
            )
        )
    if coverage.untested:
        out.append(f"{capitalise(coverage.untested_sentence())}.")
    return out or ["There were not enough answers to follow the golden thread."]


def _gap(finding: Finding) -> float:
    value = finding.evidence.get("gap")
    return abs(float(value)) if isinstance(value, int | float) else 0.0


def overall_paragraphs(
    inputs: ReportInputs, method: Method, rows: Sequence[ThreadRow], n_breaks: int
) -> list[str]:
    facts = inputs.audit
    settings = inputs.analysis.settings
    when = date_range(facts.start_date, facts.end_date)
    first = (
        f"This report sets out what we found when we audited safeguarding at {facts.organisation}"
    )
    first += f" from {when}." if " to " in when else (f" on {when}." if when else ".")
    sessions = plural(
        method.sessions,
        "interview, focus group, survey or document review",
        "interviews, focus groups, surveys and document reviews",
    )
    first += (
        f" We heard from {plural(method.people, 'person', 'people')} in {sessions}, "
        "from people who use services up to the board."
    )
    paras = [first]

    scored = [r for r in rows if r.overall.status == "scored"]
    if scored:
        counts: dict[str, int] = {}
        for r in scored:
            counts[r.overall.rag] = counts.get(r.overall.rag, 0) + 1
        order = [b.label.capitalize() for b in reversed(settings.rag_bands)]
        parts = [f"{number_word(counts[label])} {label}" for label in order if counts.get(label)]
        if len(parts) == 1 and len(scored) == len(rows):
            text = f"All {plural(len(rows), 'theme')} audited are rated {order_first(counts)}."
        else:
            parts[0] = parts[0].replace(
                " ", " are rated " if counts[parts[0].split()[1]] != 1 else " is rated ", 1
            )
            text = f"Of the {plural(len(rows), 'theme')} audited, {join_words(parts)}."
        if len(scored) < len(rows):
            text += (
                f" {capitalise(number_word(len(rows) - len(scored)))} could not be "
                "scored (too few answers, or not covered)."
            )
        best = max(scored, key=lambda r: r.overall.score or 0)
        worst = min(scored, key=lambda r: r.overall.score or 0)
        if best is not worst:
            text += (
                f" The strongest is {best.theme} ({best.overall.number}); the weakest is "
                f"{worst.theme} ({worst.overall.number})."
            )
        paras.append(text)

    if n_breaks:
        paras.append(
            f"On {plural(n_breaks, 'theme')} the view from further up the organisation differs "
            f"from the front line's by {whole(settings.thread_break_points)} points or more: "
            "the golden thread from the front line to the board is broken there (see below)."
        )
    elif scored:
        paras.append(
            "Where we could compare them, leaders' and front-line staff's views broadly agree: "
            f"no tier differs from the front line by {whole(settings.thread_break_points)} "
            "points or more on any theme."
        )
    return paras


def strengths(rows: Sequence[ThreadRow], top_label: str) -> list[str]:
    """Themes in the top RAG band, strongest first, and those rated so at every tier."""
    strong = sorted(
        (r for r in rows if r.overall.status == "scored" and r.overall.rag == top_label),
        key=lambda r: -(r.overall.score or 0),
    )
    if not strong:
        scored = [r for r in rows if r.overall.status == "scored"]
        if not scored:
            return [f"No theme is rated {top_label} overall."]
        best = max(scored, key=lambda r: r.overall.score or 0)
        return [
            f"No theme is rated {top_label} overall; the strongest is {best.theme} "
            f"({best.overall.text})."
        ]
    named = join_words(f"{r.theme} ({r.overall.number})" for r in strong[:3])
    if len(strong) == 1:
        out = [f"{named} is rated {top_label}."]
    elif len(strong) <= 3:
        out = [f"{capitalise(number_word(len(strong)))} themes are rated {top_label}: {named}."]
    else:
        out = [
            f"{capitalise(number_word(len(strong)))} themes are rated {top_label}; the "
            f"strongest are {named}."
        ]
    everywhere = [
        r.theme
        for r in strong
        if len([c for c in r.cells if c.status == "scored"]) >= 3
        and all(c.rag == top_label for c in r.cells if c.status == "scored")
    ]
    if everywhere:
        if len(everywhere) <= 3:
            who = join_words(everywhere) + (" is" if len(everywhere) == 1 else " are")
        else:
            who = f"{capitalise(number_word(len(everywhere)))} of them are"
        out.append(
            f"{who} rated {top_label} at every level we could score, from people who "
            "use services to the board."
        )
    return out


def executive_summary(
    inputs: ReportInputs,
    method: Method,
    rows: Sequence[ThreadRow],
    items: Sequence[FindingItem],
    findings_by_key: Mapping[str, Finding],
    change: ChangeSection | None,
    actions: Sequence[RecommendationItem],
    open_weak: Sequence[str] = (),
) -> ExecutiveSummary:
    """`open_weak`: the themes that may be weak across the organisation, left open
    (`unsettled.unsettled_weak_themes`)."""
    systemic = [i.summary for i in items if i.kind == "systemic"][:MAX_BULLETS]
    if not systemic:
        localised = [i for i in items if i.kind == "localised"]
        systemic = [
            (
                "We found no weakness we could be sure runs across the whole organisation"
                if open_weak
                else "We found no weakness that runs across the whole organisation"
            )
            + (
                "; the weaknesses we found belong to particular service areas (see "
                "Localised and systemic issues)."
                if localised
                else "."
            )
        ]
    if open_weak:
        systemic.append(capitalise(may_be_weak_words(open_weak)) + ".")

    breaks = [i for i in items if i.kind == "thread_break"]
    breaks.sort(key=lambda i: -_gap(findings_by_key[i.key]) if i.key in findings_by_key else 0)
    by_theme: dict[str, list[FindingItem]] = {}
    for item in breaks:
        by_theme.setdefault(item.theme_id, []).append(item)
    # Each break as its finding says it, with its difference, interval and the people on
    # both sides (a shorter "see X very differently: 40 and 73" left out how sure it is),
    # the breaks of one theme together, the themes with the widest gap first.
    thread = [i.summary for group in list(by_theme.values())[:MAX_BULLETS] for i in group]
    gaps = [i.summary for i in items if i.kind == "knowledge_gap"]
    thread.extend(gaps[: max(0, MAX_BULLETS - len(thread))])
    if not thread:
        coverage = thread_coverage(rows, inputs.analysis)
        thread = no_break_sentences(coverage, bool(inputs.analysis.thread_reach))

    top_label = capitalise(inputs.analysis.settings.rag_bands[-1].label)
    return ExecutiveSummary(
        overall=overall_paragraphs(inputs, method, rows, len(by_theme)),
        strengths=strengths(rows, top_label),
        systemic=systemic,
        thread=thread,
        change=change_summary(change, inputs),
        priorities=priorities(actions),
    )


def change_summary(change: ChangeSection | None, inputs: ReportInputs) -> list[str]:
    """The change section's summary, its first sentence saying which audit it is against."""
    if change is None or inputs.previous is None or not change.summary:
        return []
    first = change.summary[0]
    head = since_last_audit(inputs.previous) + ", " + mid_sentence(first)
    return [head, *change.summary[1:]]


def priorities(actions: Sequence[RecommendationItem]) -> list[str]:
    """The recommendations to act on first: the high-priority ones (else the first few)."""
    high = [a.text for a in actions if a.priority == "high"]
    return (high or [a.text for a in actions])[:MAX_PRIORITIES]
