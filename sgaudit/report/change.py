"""Change since the last audit, from `compare_audits`, in words and table cells.

The comparison only uses questions asked the same way both times, so every change
shown is a change in answers. A cell that was suppressed in either audit is "Not
comparable" and shows no number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sgaudit import printed
from sgaudit.analysis.compare import AS_PRINTED, Comparison, ThemeChange
from sgaudit.analysis.data import AuditData
from sgaudit.questionnaire.settings import AnalysisSettings
from sgaudit.report.cells import score_number
from sgaudit.report.context import ChangeCell, ChangeRow, ChangeSection, FindingItem
from sgaudit.report.findings_view import Review, reviewed_findings
from sgaudit.report.inputs import AuditFacts
from sgaudit.report.words import (
    RAG_FILLS,
    SUPPRESSED_FILL,
    capitalise,
    clean_text,
    date_range,
    join_words,
    number_word,
    plural,
    rag_title,
    tier_people,
    whole,
)
from sgaudit.vocab import TIERS

FILLS = {
    "better": RAG_FILLS["green"],
    "worse": RAG_FILLS["red"],
    "same": "FFFFFF",
    "unsure": "FFFFFF",
    "not_comparable": SUPPRESSED_FILL,
}
REASONS = {
    "only in previous": "asked last time only",
    "only in current": "new this time",
    "scale changed": "answer scale changed",
    "theme changed": "moved to another theme",
}


def change_cell(change: ThemeChange | None) -> ChangeCell:
    if change is None or change.direction == "not_comparable" or change.change is None:
        return ChangeCell(
            text="Not comparable", direction="not_comparable", fill=FILLS["not_comparable"]
        )
    direction = AS_PRINTED[change.direction]
    return ChangeCell(
        text=printed.change_text(int(change.change), direction),
        delta=int(change.change),  # already the printed change (sgaudit.printed)
        direction=direction,
        fill=FILLS[direction],
    )


def _score_text(score: float | None, settings: AnalysisSettings) -> str:
    shown = score_number(score, settings)
    if shown is None:
        return "Not comparable"
    return f"{shown} {rag_title(settings.rag(score))}"


def change_rows(comparison: Comparison, themes: Sequence[tuple[str, str]]) -> list[ChangeRow]:
    overall_of: dict[str, ThemeChange] = {
        c.theme: c for c in comparison.theme_changes if c.tier is None and c.service_area is None
    }
    # The tiers and their figures from the one source the app and `compare` use too.
    by_tier = {r.theme: r for r in comparison.by_tier(list(themes))}
    settings = comparison.settings
    rows = []
    for theme_id, title in themes:
        overall = overall_of.get(theme_id)
        tier = {t: change_cell(by_tier[theme_id].cell(t)) for t in TIERS}
        rows.append(
            ChangeRow(
                theme_id=theme_id,
                theme=title,
                before=_score_text(overall.old_score if overall else None, settings),
                after=_score_text(overall.new_score if overall else None, settings),
                overall=change_cell(overall),
                tier=tier,
                cells=[tier[t] for t in TIERS],
            )
        )
    return rows


def not_comparable_lines(
    comparison: Comparison,
    previous: AuditData | None,
    current: AuditData,
    titles: Mapping[str, str],
) -> list[str]:
    """ "Safer recruitment: 2 questions new this time (REC-12, REC-13)." per theme."""
    theme_of: dict[str, str] = {}
    for data in (previous, current):
        if data is not None:
            theme_of.update(
                zip(
                    data.questions["question_id"].astype(str),
                    data.questions["theme"].astype(str),
                    strict=True,
                )
            )
    grouped: dict[str, dict[str, list[str]]] = {}
    for item in comparison.not_comparable:
        theme = theme_of.get(item.question_id, "")
        grouped.setdefault(theme, {}).setdefault(item.reason, []).append(item.question_id)
    order = {t: i for i, t in enumerate(titles)}
    lines = []
    for theme in sorted(grouped, key=lambda t: order.get(t, len(order))):
        parts = [
            f"{plural(len(ids), 'question')} {REASONS.get(reason, reason)} ({', '.join(ids)})"
            for reason, ids in grouped[theme].items()
        ]
        lines.append(f"{titles.get(theme, theme) or 'Other'}: {join_words(parts)}.")
    return lines


def theme_change_sentences(comparison: Comparison, theme_id: str) -> list[str]:
    """What changed in one theme, for its section."""
    overall = next(
        (
            c
            for c in comparison.theme_changes
            if c.theme == theme_id and c.tier is None and c.service_area is None
        ),
        None,
    )
    settings = comparison.settings
    if overall is None or overall.direction == "not_comparable" or overall.change is None:
        return [
            "This theme cannot be compared with the last audit (too few answers to the "
            "same questions in one of the two audits)."
        ]
    old = score_number(overall.old_score, settings)
    new = score_number(overall.new_score, settings)
    if overall.direction == "unchanged":
        out = [f"Much the same ({old} then, {new} now)."]
    elif overall.direction == "unsure":
        word = "up" if (overall.change or 0) > 0 else "down"
        out = [
            f"Perhaps {word} {abs(int(overall.change or 0))} points ({old} then, {new} now), "
            "but from too few people to be sure it is more than chance."
        ]
    else:
        word = "Up" if overall.direction == "improved" else "Down"
        out = [f"{word} {abs(int(overall.change))} points ({old} then, {new} now)."]
    tiers = [
        c
        for c in comparison.theme_changes
        if c.theme == theme_id
        and c.tier is not None
        and c.change is not None
        and c.direction in ("improved", "worsened")
    ]
    if tiers:
        biggest = max(tiers, key=lambda c: abs(c.change or 0))
        word = "up" if biggest.direction == "improved" else "down"
        out.append(
            f"The biggest change is among {tier_people(biggest.tier or '')}: {word} "
            f"{abs(int(biggest.change or 0))} points."
        )
    return out


def since_last_audit(previous: AuditFacts) -> str:
    """ "Since the last audit (Safeguarding audit 2025, 3 to 14 March 2025)" """
    when = date_range(previous.start_date, previous.end_date)
    return f"Since the last audit ({clean_text(previous.title)}{', ' + when if when else ''})"


def summary_sentences(section: ChangeSection) -> list[str]:
    rows = section.rows
    better = [r for r in rows if r.overall.direction == "better"]
    worse = [r for r in rows if r.overall.direction == "worse"]
    same = [r for r in rows if r.overall.direction == "same"]
    unsure = [r for r in rows if r.overall.direction == "unsure"]
    parts = []
    if better:
        parts.append(f"{plural(len(better), 'theme')} improved")
    if worse:
        parts.append(f"{plural(len(worse), 'theme')} worsened")
    if same:
        parts.append(
            f"{number_word(len(same))} stayed about the same (a change of less than "
            f"{section.change_points} points)"
        )
    if unsure:
        parts.append(
            f"{number_word(len(unsure))} moved by {section.change_points} points or more but "
            "from too few people to be sure"
        )
    out = [capitalise(join_words(parts) if parts else "no theme could be compared") + "."]
    if better:
        top = max(better, key=lambda r: r.overall.delta or 0)
        out.append(
            f"The biggest improvement is in {top.theme} ({top.overall.text.split()[0]} "
            f"points, from {top.before.split()[0]} to {top.after.split()[0]})."
        )
    if worse:
        low = min(worse, key=lambda r: r.overall.delta or 0)
        out.append(
            f"The biggest fall is in {low.theme} ({low.overall.text.split()[0]} points, "
            f"from {low.before.split()[0]} to {low.after.split()[0]})."
        )
    out.append(findings_sentence(len(section.resolved), len(section.persisting), len(section.new)))
    if section.not_comparable:
        out.append(
            "Some questions changed between the two audits; they are left out of "
            "these comparisons (listed below)."
        )
    return out


def findings_sentence(resolved: int, persisting: int, new: int) -> str:
    """What became of the last audit's findings, and how many are new, in one sentence
    that reads whatever the counts ("The last audit made no finding; three findings are
    new.")."""
    before = resolved + persisting
    if not before and not new:
        return "Neither the last audit nor this one made a finding."
    if not before:
        first = "The last audit made no finding"
    elif before == 1:
        first = f"The last audit's one finding {'is no longer found' if resolved else 'remains'}"
    elif not persisting:
        first = f"None of the last audit's {number_word(before)} findings remains"
    elif not resolved:
        first = f"All {number_word(before)} of the last audit's findings remain"
    else:
        first = (
            f"Of the last audit's {number_word(before)} findings, {number_word(resolved)} "
            f"{'is' if resolved == 1 else 'are'} no longer found and "
            f"{number_word(persisting)} {'remains' if persisting == 1 else 'remain'}"
        )
    if new:
        return f"{first}; {number_word(new)} {'finding is' if new == 1 else 'findings are'} new."
    return f"{first}; no finding is new."


def change_section(
    comparison: Comparison,
    previous: AuditFacts,
    previous_data: AuditData | None,
    current_data: AuditData,
    themes: Sequence[tuple[str, str]],
    current_items: Sequence[FindingItem],
    reviews: Mapping[str, Review],
    previous_reviews: Mapping[str, Review],
    records_now: Mapping[str, str] | None = None,
) -> ChangeSection:
    """The whole change section. New and persisting findings are shown as in the theme
    sections (the auditors' reviews applied, dismissed ones left out). `records_now`:
    what each register indicator shows now, by indicator id, for record findings no
    longer raised."""
    titles = dict(themes)
    shown = {i.key: i for i in current_items}

    def current(findings) -> list[FindingItem]:
        kept = reviewed_findings(
            findings, {k: r for k, r in reviews.items() if r.status != "added"}, titles
        )
        return [shown.get(i.key, i) for i in kept]

    resolved = reviewed_findings(
        comparison.findings_resolved,
        {k: r for k, r in previous_reviews.items() if r.status != "added"},
        titles,
    )
    section = ChangeSection(
        previous_title=previous.title,
        previous_dates=date_range(previous.start_date, previous.end_date),
        summary=[],
        rows=change_rows(comparison, themes),
        resolved=resolved,
        new=current(comparison.findings_new),
        persisting=current(comparison.findings_persisting),
        not_comparable=not_comparable_lines(comparison, previous_data, current_data, titles),
        change_points=whole(comparison.settings.change_points) or 0,
        unsure_why=comparison.unsure_reasons(lambda tier: capitalise(tier_people(tier))),
    )
    from sgaudit.report.progress import resolved_rows

    return section.model_copy(
        update={
            "summary": summary_sentences(section),
            "resolved_rows": resolved_rows(resolved, section.rows, records_now or {}),
        }
    )
