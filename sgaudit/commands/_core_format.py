"""Plain-text tables for the core commands (`analyse`, `compare`, lists).

Only words and layout: the numbers come from the library's result models, and a
suppressed cell is printed as "supp.", never as a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sgaudit import printed
from sgaudit.fieldwork import count_fieldwork
from sgaudit.vocab import FINDING_KIND_LABELS, TIER_SHORT_LABELS, TIERS

if TYPE_CHECKING:  # only named in annotations: `table` for a list needs no pandas
    from sgaudit.analysis.compare import Comparison
    from sgaudit.analysis.findings import Finding
    from sgaudit.analysis.result import AuditAnalysis, CellScore

SUPPRESSED = "supp."
NO_DATA = "-"
TIER_SHORT = {
    "service_user": "Users",
    "front_line": "Front",
    "manager": "Mgr",
    "dsl": "DSL",
    "senior_leader": "Senior",
    "board": "Board",
}


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns separated by two spaces."""
    cells = [[str(h) for h in headers], *[[str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def score_text(score: float | None, rag: str | None, suppressed: bool) -> str:
    if suppressed:
        return SUPPRESSED
    if score is None:
        return NO_DATA
    # As the report and the app print it (sgaudit.printed): 49.7 is "49 R", never "50 R".
    shown = printed.score(score)
    return f"{shown} {rag[0].upper()}" if rag else f"{shown}"


def cell_text(cell: CellScore | None) -> str:
    if cell is None:
        return NO_DATA
    return score_text(cell.score, cell.rag, cell.suppressed)


def analysis_table(analysis: AuditAnalysis, notes: Sequence[str] = ()) -> str:
    """The theme x tier grid, then the findings, the `notes` (the report's "Groups heard
    too few, or assessed together": `sgaudit.report.unsettled.unsettled_notes`) and reach."""
    rows = []
    for t in analysis.themes:
        by_tier = {c.tier: c for c in t.by_tier}
        rows.append(
            [t.title, score_text(t.score, t.rag, t.suppressed)]
            + [cell_text(by_tier.get(tier)) for tier in TIERS]
        )
    grid = table(["Theme", "Overall", *(TIER_SHORT[t] for t in TIERS)], rows)
    fieldwork = count_fieldwork(
        (c.tier, c.mode, c.interviews, c.people) for c in analysis.interviews
    )
    lines = [
        f"Question set {analysis.question_set_id} v{analysis.question_set_version}; "
        f"{fieldwork.summary()}.",
        "Scores 0-100 (100 = strongest practice) with RAG (R/A/G); "
        f"'{SUPPRESSED}' = fewer than {analysis.settings.suppression_min} people, "
        f"'{NO_DATA}' = not asked or no scored answers.",
        "",
        grid,
        "",
        findings_text(analysis.findings, "Findings", {t.theme: t.title for t in analysis.themes}),
    ]
    if analysis.worth_exploring:
        titles = {t.theme: t.title for t in analysis.themes}
        lines += ["", findings_text(analysis.worth_exploring, "Worth exploring", titles)]
    if notes:  # under the report's heading, as the reach below is under its own
        lines += ["", "Groups heard too few, or assessed together:"]
        lines += [f"- {n}" for n in notes]
    if analysis.thread_reach:
        lines += ["", "What the golden thread could show with the people heard:"]
        lines += [f"- {r.summary}" for r in analysis.thread_reach]
    if analysis.area_reach:
        lines += ["", "What the service areas could show:"]
        lines += [f"- {r.summary}" for r in analysis.area_reach]
    if analysis.organisation_reach is not None:
        lines += ["", "What the organisation as a whole could show:"]
        lines.append(f"- {analysis.organisation_reach.summary}")
    if analysis.self_assessment:
        lines += ["", self_assessment_table(analysis)]
    return "\n".join(lines)


def self_assessment_table(analysis: AuditAnalysis) -> str:
    """The organisation's self-assessment against the evidence, theme by theme: the
    report's table, with the same printed numbers."""
    from sgaudit.report.self_assessment_view import self_assessment_section

    section = self_assessment_section(analysis)
    rows = [
        [r.theme, r.self_score, r.evidence_score, r.difference, r.interval, r.registers, r.reading]
        for r in (section.rows if section else [])
    ]
    headers = ["Theme", "Self", "Evidence", "Gap", "Interval", "Registers", "Reading"]
    return "Self-assessment against the evidence (the organisation's own return):\n" + table(
        headers, rows
    )


def findings_text(
    findings: Sequence[Finding], heading: str, titles: dict[str, str] | None = None
) -> str:
    if not findings:
        return f"{heading}: none."
    titles = titles or {}
    lines = [f"{heading} ({len(findings)}):"]
    for i, f in enumerate(findings, start=1):
        label = FINDING_KIND_LABELS.get(f.kind, f.kind)
        lines.append(
            f"{i:>3}. [{f.severity}] {label} - {titles.get(f.theme, f.theme)}: {f.summary}"
        )
        if f.certainty == "worth_exploring" and f.certainty_note:
            # here, not at the top: `table` serves commands that never load the analysis
            from sgaudit.analysis.flags import why_not_a_finding

            lines.append(f"       why it is not a finding: {why_not_a_finding(f.certainty_note)}")
        where = []
        if f.service_areas:
            where.append("areas: " + ", ".join(f.service_areas))
        if f.tiers:
            where.append("tiers: " + ", ".join(TIER_SHORT_LABELS.get(t, t) for t in f.tiers))
        if where:
            lines.append("       " + "; ".join(where))
    return "\n".join(lines)


def comparison_table(comparison: Comparison) -> str:
    """Overall change per theme, change per tier, then findings resolved / new / persisting."""
    overall = [c for c in comparison.theme_changes if c.tier is None and c.service_area is None]
    titles = {c.theme: c.title for c in comparison.theme_changes}

    def num(v: float | None, sign: bool = False) -> str:
        if v is None:
            return NO_DATA
        # a change is already the printed change; a score is printed by the one rule
        return f"{int(v):+d}" if sign else str(printed.score(v))

    def how_sure(c) -> str:
        shown = None if c.change is None else int(c.change)
        return printed.interval_text(c.low, c.high, shown, sign=True) or NO_DATA

    def people(c) -> str:
        return NO_DATA if c.n_before is None else f"{c.n_before} / {c.n_after}"

    def cell(c) -> str:  # "+10?" : as large as change_points, but unsure
        return num(c.change, True) + ("?" if c.direction == "unsure" else "")

    rows = [
        [
            c.title,
            num(c.old_score),
            num(c.new_score),
            num(c.change, True),
            how_sure(c),
            people(c),
            c.direction,
        ]
        for c in overall
    ]
    # The tiers and their figures from the one source the report and the app use too.
    tier_rows = [
        [r.title, *(cell(ch) for ch in r.cells)]
        for r in comparison.by_tier([(c.theme, c.title) for c in overall])
    ]
    lines = [
        f"Compared on {comparison.comparable_questions} questions present in both audits; "
        f"{len(comparison.not_comparable)} not comparable.",
        "",
        table(
            ["Theme", "Before", "After", "Change", "Interval", "People then / now", "Direction"],
            rows,
        ),
        "",
        "Change by tier (points; '?' = unsure: at least the change points, but too few "
        "people to be sure; '-' = not comparable or suppressed):",
        table(["Theme", *(TIER_SHORT[t] for t in TIERS)], tier_rows),
        *(f"  {reason}" for reason in comparison.unsure_reasons()),
        "",
        findings_text(comparison.findings_resolved, "Findings resolved", titles),
        "",
        findings_text(comparison.findings_new, "New findings", titles),
        "",
        findings_text(comparison.findings_persisting, "Findings persisting", titles),
    ]
    if comparison.not_comparable:
        lines += [
            "",
            "Not comparable: "
            + ", ".join(f"{n.question_id} ({n.reason})" for n in comparison.not_comparable),
        ]
    return "\n".join(lines)
