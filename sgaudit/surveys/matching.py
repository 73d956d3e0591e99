"""Which column of a survey export holds which question (documented in docs/formats.md).

A column is matched, in this order, by:
1. the map file (`--map`): header -> question id, `tier`, `service_area`, `mode`,
   `consent` or `ignore`;
2. `--tier-column`, `--area-column` and `--ignore-column`;
3. its question id: the header is the id, starts with it (`REC-01 Before I
   started...`, `REC-01: ...`), ends with a bracketed part starting with it
   (`Recruitment [REC-01 ...]`), or is an ODK field path ending in it
   (`grp_recruitment/REC-01`);
4. its wording: the header (or its bracketed part, a grid or matrix row) equals the
   question's wording for one of its tiers once both are normalised: case, runs of
   white space, curly and straight quotes and apostrophes, and punctuation at the end
   are ignored;
5. the wording of the tier, service area, mode and consent questions of a form written
   by `sgaudit survey-form`.
A header that nearly matches a wording is reported with its nearest question, so a
typo fixed in the survey after the question set was written is settled with `--map`.
Columns still unplaced are then looked at by their answers (`by_answers`): the tier
and service area columns, and free text that is left out.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from sgaudit.errors import Problem
from sgaudit.questionnaire import QuestionSet
from sgaudit.sheets.columns import header_key, looks_personal, question_of_header
from sgaudit.surveys.detect import SurveyTool, is_personal
from sgaudit.surveys.options import CLI_NAMES, OptionNames

IGNORE = "ignore"
# The questions a form written by `sgaudit survey-form` asks before the audit's own.
FORM_FIELDS: dict[str, str] = {
    "consent": "Do you agree to take part? Your answers are anonymous.",
    "tier": "Which of these best describes you?",
    "service_area": "Which service do you work in or use?",
    "mode": "How are these answers being given?",
}
SPECIAL_TARGETS: tuple[str, ...] = tuple(FORM_FIELDS)
NEAR_MISS = 0.8  # difflib ratio from which a header is reported as a near miss

_QUOTES = str.maketrans(
    {c: "" for c in "'\"\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u00b4`"}
)
_TRAILING = re.compile(r"[\s.,;:!?\u2026*]+$")
_SPACES = re.compile(r"\s+")
_BRACKET = re.compile(r"^(.*?)\s*\[([^\]]+)\]\s*$")


def normalise_wording(text: str) -> str:
    """The form two spellings of one question share: case, spaces, quotes and
    apostrophes, and punctuation at the end do not count."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_QUOTES)
    return _TRAILING.sub("", _SPACES.sub(" ", text).strip())


def header_parts(header: str) -> list[str]:
    """The texts a header may be matched on: itself, then a grid's row item, then the
    grid's question."""
    parts = [header]
    bracket = _BRACKET.match(header)
    if bracket:
        parts += [bracket.group(2), bracket.group(1)]
    return [p for p in parts if p.strip()]


def wording_index(qs: QuestionSet) -> dict[str, str]:
    """Normalised wording -> question id, for every tier's wording of every question.

    A wording two questions share is left out (it cannot say which one a column is).
    """
    index: dict[str, str] = {}
    shared: set[str] = set()
    for q in qs.questions:
        for t in q.tiers:
            key = normalise_wording(t.text)
            if index.get(key, q.id) != q.id:
                shared.add(key)
            index[key] = q.id
    for key, target in FORM_FIELDS.items():
        index.setdefault(normalise_wording(target), key)
    return {k: v for k, v in index.items() if k not in shared}


@dataclass
class ColumnPlan:
    """What each column of an export is, and what could not be placed."""

    questions: dict[str, str] = field(default_factory=dict)  # header -> question id
    special: dict[str, str] = field(default_factory=dict)  # tier/service_area/... -> header
    ignored: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # personal columns, never kept
    unplaced: list[str] = field(default_factory=list)
    near: dict[str, tuple[str, float]] = field(default_factory=dict)  # header -> (id, ratio)
    problems: list[Problem] = field(default_factory=list)


def _by_id(header: str, ids_longest_first: list[tuple[str, str]]) -> str | None:
    qid = question_of_header(header, ids_longest_first)
    if qid:
        return qid
    # An ODK / Kobo field path: the last part after '/' (or '-', ODK Central's
    # default group separator) is the field name.
    last = header.rsplit("/", 1)[-1]
    if last != header:
        return question_of_header(last, ids_longest_first)
    for folded, qid in ids_longest_first:
        if header.casefold().endswith("-" + folded):
            return qid
    return None


def plan_columns(
    file: str,
    headers: list[str],
    tool: SurveyTool,
    qs: QuestionSet,
    *,
    column_map: dict[str, str] | None = None,
    tier_column: str | None = None,
    area_column: str | None = None,
    ignore_columns: tuple[str, ...] = (),
) -> ColumnPlan:
    plan = ColumnPlan()
    column_map = {normalise_wording(k): v for k, v in (column_map or {}).items()}
    given = {"tier": tier_column, "service_area": area_column}
    ignore = {normalise_wording(c) for c in ignore_columns}
    targets = [q.id for q in qs.questions] + list(SPECIAL_TARGETS)
    ids = sorted(((t.casefold(), t) for t in targets), key=lambda p: -len(p[0]))
    by_folded = {t.casefold(): t for t in targets}
    index = wording_index(qs)

    def place(header: str, target: str) -> None:
        if target in SPECIAL_TARGETS:
            if target in plan.special:
                plan.problems.append(
                    Problem(
                        file,
                        1,
                        header,
                        (f"columns '{plan.special[target]}' and '{header}' both hold the {target}"),
                    )
                )
            else:
                plan.special[target] = header
            return
        if target in plan.questions.values():
            first = next(h for h, q in plan.questions.items() if q == target)
            plan.problems.append(
                Problem(
                    file, 1, header, f"columns '{first}' and '{header}' both hold question {target}"
                )
            )
            return
        plan.questions[header] = target

    for header in headers:
        norm = normalise_wording(header)
        if norm in column_map:
            target = column_map[norm].strip()
            if target.casefold() == IGNORE:
                plan.ignored.append(header)
            elif target.casefold() in by_folded:
                place(header, by_folded[target.casefold()])
            else:
                plan.problems.append(
                    Problem(
                        file,
                        1,
                        header,
                        (
                            f"the map sends this column to '{target}', which is not a question id of "
                            f"set {qs.id} v{qs.version} (nor tier, service_area, mode, consent or "
                            "ignore)"
                        ),
                    )
                )
            continue
        special = next((k for k, v in given.items() if v and normalise_wording(v) == norm), None)
        if special:
            place(header, special)
            continue
        if norm in ignore:
            plan.ignored.append(header)
            continue
        if is_personal(tool, header):
            plan.dropped.append(header)
            continue
        if header_key(header) in tool.metadata:
            plan.ignored.append(header)
            continue
        target = header_key(header) if header_key(header) in SPECIAL_TARGETS else None
        if target is None:
            target = _by_id(header, ids)
        if target is None:
            target = next(
                (
                    index[normalise_wording(p)]
                    for p in header_parts(header)
                    if normalise_wording(p) in index
                ),
                None,
            )
        if target is not None:
            place(header, target)
            continue
        if looks_personal(header):
            plan.dropped.append(header)
            continue
        plan.unplaced.append(header)
        best = _nearest(header, index)
        if best:
            plan.near[header] = best
    for k, v in given.items():
        if v and k not in plan.special:
            plan.problems.append(
                Problem(
                    file,
                    1,
                    v,
                    (
                        f"no column '{v}' in the file (it was named as the "
                        f"{k.replace('_', ' ')} column)"
                    ),
                )
            )
    return plan


def unplaced_problems(
    file: str, plan: ColumnPlan, qs: QuestionSet, names: OptionNames = CLI_NAMES
) -> list[Problem]:
    """One problem per column still unplaced once the answers have been looked at."""
    return [_unplaced_problem(file, h, plan.near.get(h), qs, names) for h in plan.unplaced]


def _nearest(header: str, index: dict[str, str]) -> tuple[str, float] | None:
    best: tuple[str, float] | None = None
    for part in header_parts(header):
        norm = normalise_wording(part)
        for cand in difflib.get_close_matches(norm, index, n=1, cutoff=NEAR_MISS):
            ratio = difflib.SequenceMatcher(None, norm, cand).ratio()
            if best is None or ratio > best[1]:
                best = (index[cand], ratio)
    return best


def _unplaced_problem(
    file: str,
    header: str,
    near: tuple[str, float] | None,
    qs: QuestionSet,
    names: OptionNames,
) -> Problem:
    if near:
        target, ratio = near
        return Problem(
            file,
            1,
            header,
            (
                f"no question has exactly this wording; nearest is {target} ({ratio:.0%} alike). "
                f"If it is {target}, say so in {names.column_map}"
            ),
        )
    return Problem(
        file,
        1,
        header,
        (
            f"unknown column: neither a question id nor the wording of a question of set {qs.id} "
            f"v{qs.version}, and its answers are not free text (all scale words or numbers), so "
            f"it looks like a question. Map it to a question in {names.column_map}, or skip it "
            f"with "
            f"{names.ignore_column}"
        ),
    )
