"""Re-audit progress: the last audit's recommendations as reviewed at this one, and the
findings no longer found, as tables a board can scan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sgaudit.report.context import ChangeRow, FindingItem, RecommendationItem
from sgaudit.report.context_parts import ProgressRow, ProgressSection, ResolvedRow
from sgaudit.report.inputs import RecommendationFacts
from sgaudit.report.words import clean_text, join_words, number_word, short_date

STATUS_LABELS = {
    "achieved": "Achieved",
    "partly": "Partly achieved",
    "not_achieved": "Not achieved",
    "no_longer_relevant": "No longer relevant",
}
STATUS_LABELS_OR_NONE = {**STATUS_LABELS, "": "Not reviewed yet"}
STATUS_ORDER = {s: i for i, s in enumerate(STATUS_LABELS_OR_NONE)}


def progress_section(
    recs: Sequence[RecommendationFacts],
    actions: Sequence[RecommendationItem],
    titles: Mapping[str, str],
) -> ProgressSection | None:
    """One row per recommendation carried from the last audit; None when there are none."""
    carried = [r for r in recs if r.carried_over]
    if not carried:
        return None
    number = {(a.theme_id, a.text): a.number for a in actions if a.carried_over}
    rows = []
    for r in sorted(carried, key=lambda r: (STATUS_ORDER.get(r.review_status, 9), r.id)):
        action = number.get((r.theme or "", clean_text(r.text)))
        rows.append(
            ProgressRow(
                text=clean_text(r.text),
                theme=clean_text(titles.get(r.theme, r.theme or "")),
                due_then=short_date(r.previous_due),
                status=r.review_status,
                status_label=STATUS_LABELS_OR_NONE.get(r.review_status, r.review_status),
                evidence=clean_text(r.review_evidence or r.follow_up).strip(),
                reviewed_on=short_date(r.reviewed_on),
                due_now=short_date(r.due_date) if action is not None else "",
                action=str(action) if action is not None else "",
            )
        )
    counts = {s: sum(1 for r in carried if r.review_status == s) for s in STATUS_LABELS_OR_NONE}
    parts = [f"{number_word(n)} {STATUS_LABELS_OR_NONE[s].lower()}" for s, n in counts.items() if n]
    summary = (
        f"Of the last audit's {number_word(len(carried))} recommendations: {join_words(parts)}."
    )
    return ProgressSection(summary=summary, rows=rows)


def resolved_rows(
    resolved: Sequence[FindingItem],
    rows: Sequence[ChangeRow],
    records_now: Mapping[str, str] | None = None,
) -> list[ResolvedRow]:
    """Findings of the last audit not found now, with their theme's score then and now.

    A record finding is measured by its register, not by interviews: then is what it
    said, now what its indicator shows (`records_now`, by indicator id)."""
    by_theme = {r.theme_id: r for r in rows}
    out = []
    for f in resolved:
        if f.kind == "records":
            indicator = f.key.rsplit(":", 1)[-1]
            out.append(
                ResolvedRow(
                    finding=f"{f.kind_label}: {f.theme}",
                    then=f.summary,
                    now=(records_now or {}).get(indicator, ""),
                    status="No longer found in the records",
                )
            )
            continue
        row = by_theme.get(f.theme_id)
        where = f.areas or f.tiers
        out.append(
            ResolvedRow(
                finding=f"{f.kind_label}: {f.theme}" + (f" ({where})" if where else ""),
                then=row.before if row else "",
                now=row.after if row else "",
                status="No longer found"
                + (f"; theme {row.overall.text}" if row and row.overall.delta is not None else ""),
            )
        )
    return out
