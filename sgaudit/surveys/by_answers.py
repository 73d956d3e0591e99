"""Columns placed by their answers, where the header alone could not place them.

A survey asks "Which of these best describes your role?" in its own words, so the
tier and service area columns are found by what people answered (documented in
docs/formats.md, "Tier and service area" and "Free-text columns"):

- the **service area** column is the one whose answers are all the organisation's
  service areas (or keys of `--area-map`);
- the **tier** column is the one whose answers are all tier ids or labels (or keys of
  `--tier-map`); failing that, the one whose header asks for a role ("role", "job",
  "describes you"), so that its answers are then listed for a `--tier-map`;
- a column that matches no question, is not within a few letters of one, and holds
  answers people wrote in their own words (at least one answer has letters and is no
  answer of any scale), or none at all, is **free text**: left out and reported as not
  kept. A column of scale words or of numbers (a rating) looks like a question and is
  refused instead.

Nothing here guesses between two candidates: two columns that both fit are an
error naming both and the option that settles it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from sgaudit.errors import Problem
from sgaudit.questionnaire import QuestionSet
from sgaudit.sheets.matching import answer_lookup, area_lookup, key_series, match_key, tier_lookup
from sgaudit.surveys.maps import parse_value_map
from sgaudit.surveys.matching import SPECIAL_TARGETS, ColumnPlan
from sgaudit.surveys.options import SurveyOptions

# Headers that ask for a role or for where someone works, when no column's answers
# are all tiers (or all areas): the answers are then listed for a map.
_ROLE_HEADER = re.compile(r"\b(role|job|position|tier|describes you)\b", re.IGNORECASE)
_AREA_HEADER = re.compile(
    r"\b(service areas?|which services?|where do you work|team|site|department|location)\b",
    re.IGNORECASE,
)


@dataclass
class Placed:
    """What was placed by its answers: to say in the import summary."""

    found: list[tuple[str, str]] = field(default_factory=list)  # (what, header)
    free_text: list[str] = field(default_factory=list)
    # tier | service_area -> the problem naming the columns that could each hold it;
    # it stands in for "no column holds the tier", which would be untrue.
    ambiguous: dict[str, Problem] = field(default_factory=dict)


def place_by_answers(
    file: str,
    frame: pd.DataFrame,
    plan: ColumnPlan,
    qs: QuestionSet,
    options: SurveyOptions,
    areas: list[str],
) -> Placed:
    """Find the tier and service area columns the options did not name, and leave out
    free-text columns; `plan` is updated in place (its problems too)."""
    placed = Placed()
    names = options.names
    wanted = []
    if not (options.tier or options.tier_column or "tier" in plan.special):
        known = set(tier_lookup()) | _map_keys(options.tier_map, names.tier_map)
        wanted.append(("tier", "tiers", known, _ROLE_HEADER, names.tier_column))
    if not (options.area or options.area_column or "service_area" in plan.special):
        known = set(area_lookup(areas)) | _map_keys(options.area_map, names.area_map)
        wanted.append(("service_area", "service areas", known, _AREA_HEADER, names.area_column))
    claimed: set[str] = set()
    for target, plural, known, header_pattern, option in wanted:
        candidates = [h for h in plan.unplaced if h not in claimed and _all_in(frame[h], known)]
        by_header = not candidates
        if by_header:
            candidates = [
                h
                for h in plan.unplaced
                if h not in claimed and header_pattern.search(h) and _answered(frame[h])
            ]
        if len(candidates) > 1:
            both = " and ".join(f"'{h}'" for h in candidates[:3])
            how = "headers ask for" if by_header else "answers are all"
            placed.ambiguous[target] = Problem(
                file,
                1,
                None,
                (
                    f"columns {both} could each be the {target.replace('_', ' ')} column (their "
                    f"{how} {plural}); say which with {option}"
                ),
            )
            claimed.update(candidates)
        elif candidates:
            plan.special[target] = candidates[0]
            claimed.add(candidates[0])
            if not by_header:
                placed.found.append((target, candidates[0]))
    scale_words = set(answer_lookup(qs)["key"])
    for header in plan.unplaced:
        if header in claimed:
            continue
        near = plan.near.get(header)
        if near and near[0] not in SPECIAL_TARGETS:
            continue  # edited wording of a real question: refused, never left out
        if _free_text(frame[header], scale_words):
            placed.free_text.append(header)
            claimed.add(header)
    plan.unplaced = [h for h in plan.unplaced if h not in claimed]
    plan.ignored += placed.free_text
    for h in claimed:
        plan.near.pop(h, None)
    return placed


def _map_keys(text: str | None, option: str) -> set[str]:
    return {match_key(k) for k in parse_value_map(text, option)}


def _keys(values: pd.Series) -> pd.Series:
    keys = key_series(values.astype(str).str.strip().str.rstrip(";").str.strip())
    return keys[keys.ne("")]


def _answered(values: pd.Series) -> bool:
    return not _keys(values).empty


def _all_in(values: pd.Series, known: set[str]) -> bool:
    keys = _keys(values)
    return not keys.empty and bool(keys.isin(known).all())


def _free_text(values: pd.Series, scale_words: set[str]) -> bool:
    keys = _keys(values)
    own_words = ~keys.isin(scale_words) & keys.str.contains(r"[^\W\d_]", regex=True)
    return keys.empty or bool(own_words.any())
