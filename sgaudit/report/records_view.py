"""What people said set beside what the records and the action plan say.

A theme gets a row of the side-by-side table when both sides hold:

- **people say it is not working**: a tier or a service area scores the theme as weak
  (below the question set's `weak_score`; only scores that are shown, not
  suppressed), and someone in that weak group said something quotable on it;
- **the records or the action plan say it is, or should be**: the theme's records
  score (the registers) is at or above `weak_score`, or an action of the last audit on
  the theme, meant to put it right, is reviewed as achieved or partly achieved (with
  the organisation's own update from its action plan when it gave one).

No words are interpreted: the rule reads only scores and review statuses, and the
report prints both sides for the board to judge. Quotes come from `quotable_notes`
(both the speaker's tier and service area large enough to show). A quote is
attributed to its tier when it was picked because its tier scores the theme as weak;
one picked because its service area is weak goes without a tier, so a tier is never
named together with a service area.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from sgaudit import printed
from sgaudit.analysis.scores import ScoreTables
from sgaudit.report.context import SaidAndRecorded
from sgaudit.report.inputs import RecommendationFacts
from sgaudit.report.progress import STATUS_LABELS
from sgaudit.report.words import clean_text, join_words, tier_people

QUOTES_PER_ROW = 3
# An action of the last audit reported as done, at least in part.
DONE = ("achieved", "partly")


def _weak(frame: pd.DataFrame, by: str | None, weak_score: float) -> dict[str, list[dict]]:
    """The shown, weak rows of a score table as records, by theme (in table order)."""
    rows = frame[~frame["suppressed"]]
    rows = rows[rows["score"].notna() & (rows["score"] < weak_score)]
    if by is not None:
        rows = rows.assign(**{by: rows[by].astype(str)})
    out: dict[str, list[dict]] = {}
    for theme, row in zip(rows["theme"].astype(str), rows.to_dict("records"), strict=True):
        out.setdefault(theme, []).append(row)
    return out


def _score_words(label: str, row: Mapping) -> str:
    return f"{label} {printed.score(row['score'])} ({int(row['n'])} people)"


def _said(
    mine: Sequence[Mapping], tiers: set[str], areas: set[str]
) -> tuple[list[str], set[str], set[str]]:
    """(quotes from the weak groups, the tiers and the areas they were picked by), from
    the quotable notes of one theme (`mine`: a handful)."""
    picked: dict[str, set[str]] = {}  # quote -> tiers it may be attributed to
    by_tier, by_area = set(), set()
    for row in mine:
        if len(picked) >= QUOTES_PER_ROW and row["note"] not in picked:
            break
        if row["tier"] in tiers:
            picked.setdefault(row["note"], set()).add(row["tier"])
            by_tier.add(row["tier"])
        elif row["service_area"] in areas:
            picked.setdefault(row["note"], set()).add("")
            by_area.add(row["service_area"])
    out = []
    for note, who in picked.items():
        text = f"\u201c{clean_text(note)}\u201d"
        tier = next(iter(who)) if len(who) == 1 else ""
        out.append(f"{text} ({tier_people(tier)})" if tier else text)
    return out, by_tier, by_area


def _recorded(
    theme: str,
    indicators,
    recommendations: Sequence[RecommendationFacts],
    weak_score: float,
) -> list[str]:
    lines = []
    records = indicators.theme_records(theme) if indicators is not None else None
    if records is not None and records.records_score is not None:
        if records.records_score >= weak_score:
            score = printed.score(records.records_score)
            lines.append(f"The registers score this {score} out of 100.")
            lines += [
                clean_text(s.detail).rstrip(".") + "."
                for s in indicators.scores
                if theme in s.themes and s.score is not None and s.score >= weak_score
            ]
    for r in recommendations:
        if r.carried_over and r.theme == theme and r.review_status in DONE:
            plan = clean_text(r.follow_up).strip().rstrip(".")
            review = clean_text(r.review_evidence).strip().rstrip(".")
            line = (
                f"Last audit's action \u201c{clean_text(r.text).strip()}\u201d, reviewed as "
                f"{STATUS_LABELS[r.review_status].lower()}."
            )
            if plan:
                line += f" The action plan says: \u201c{plan}.\u201d"
            elif review:
                line += f" {review}."
            lines.append(line)
    return lines


def said_and_recorded(
    tables: ScoreTables,
    notes: pd.DataFrame,
    indicators,
    recommendations: Sequence[RecommendationFacts],
    titles: Mapping[str, str],
) -> list[SaidAndRecorded]:
    """The side-by-side rows, in theme order (see the module doc for the rule).

    `notes` are `quotable_notes(tables)`; `indicators` the audit's RegisterIndicators or
    None; `recommendations` the audit's, carried-over ones with their review.
    """
    weak_score = tables.settings.weak_score
    out = []
    # Each table is read once for every theme (the rule is per theme; the tables are small).
    weak_overall = weak_tiers = weak_areas = notes_by_theme = None
    for theme, title in titles.items():
        recorded = _recorded(theme, indicators, recommendations, weak_score)
        if not recorded:
            continue
        if notes_by_theme is None:
            weak_overall = _weak(tables.overall, None, weak_score)
            weak_tiers = _weak(tables.by_tier, "tier", weak_score)
            weak_areas = _weak(tables.by_area, "service_area", weak_score)
            notes_by_theme = {}
            for row in notes.to_dict("records") if len(notes) else []:
                notes_by_theme.setdefault(row["theme"], []).append(row)
        tiers = weak_tiers.get(theme, [])
        areas = weak_areas.get(theme, [])
        said, by_tier, by_area = _said(
            notes_by_theme.get(theme, []),
            {r["tier"] for r in tiers},
            {r["service_area"] for r in areas},
        )
        if not said:
            continue
        scores = [_score_words("overall", r) for r in weak_overall.get(theme, [])]
        scores += [_score_words(tier_people(r["tier"]), r) for r in tiers if r["tier"] in by_tier]
        scores += [
            _score_words(clean_text(r["service_area"]), r)
            for r in areas
            if r["service_area"] in by_area
        ]
        out.append(
            SaidAndRecorded(
                theme_id=theme,
                theme=title,
                said=said,
                scores=f"Weak interview scores on {title}: {join_words(scores)}.",
                recorded=recorded,
            )
        )
    return out
