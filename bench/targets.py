"""The targets, over enough seeds to say where each one stands.

Run:  .venv/bin/python bench/targets.py                 (400 seeds per cell, ~12 min)
      .venv/bin/python bench/targets.py --seeds 400 --write-docs

bench/validity.py measures many cells at 40 seeds each, which is enough to draw the
curves but not to settle a target at its edge: a pattern found in 95 % of 40 seeds is
found somewhere between 83 % and 99 % of audits (Wilson 95 % interval), and one the
analysis finds in 89 % of audits comes out at 95 % of some 40 seeds. This bench plants
every pattern of the targets at 30 points in realistic audits (as bench/validity.py:
the core set, 3 to 8 service areas, 2 to 8 front-line staff and 2 to 5 people who use
services per area, 3 to 6 trustees), each on its own and in the validation suite's
bundles, and builds clean audits, over `--seeds` seeds each (1000 on; clean 3000 on),
and gives each share with its Wilson 95 % interval and whether the target is met. With
--write-docs the table replaces the block between the TARGETS markers of
docs/analysis.md. The systemic pattern's seeds are also split by the voices heard of
the tiers that compare service areas together, at the fieldwork guide's number for the
whole organisation (`fieldwork_guide_organisation`). Two processes.

      .venv/bin/python bench/targets.py --at-the-guide --write-docs

hears every tier at least as the core set's fieldwork guide asks (`guide_fieldwork`:
each tier's `fieldwork_guide` voices per service area or in all, the ranges otherwise as
above, and at least `fieldwork_guide_organisation` voices of the tiers that compare
service areas in all) and writes the table between the TARGETS_GUIDE markers instead:
what the targets are with the people the app and the report ask auditors to hear.
"""

from __future__ import annotations

import inspect
import math
import time
from functools import cache
from multiprocessing import Pool
from pathlib import Path

from validity import finish, options

from sgaudit.analysis import analyse
from sgaudit.analysis.realistic import CENTRAL, realistic_audit, realistic_interviews
from sgaudit.analysis.validation import BUNDLES, judge, patterns, plants_of
from sgaudit.questionnaire.loader import load_question_set

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- TARGETS:START -->", "<!-- TARGETS:END -->"
GUIDE_START, GUIDE_END = "<!-- TARGETS_GUIDE:START -->", "<!-- TARGETS_GUIDE:END -->"
# realistic_interviews' option for each guided tier (its usual range is the default)
OPTION = {
    "service_user": "service_users",
    "front_line": "front_line",
    "manager": "managers",
    "senior_leader": "senior_leaders",
    "board": "board",
}
CLEAN = "clean"
SYSTEMIC = "systemic"  # the pattern whose finding rests on everyone the scope tiers heard
FOUND_TARGET, BUNDLE_TARGET, FALSE_TARGET = 0.95, 0.90, 0.05


@cache
def _qs():
    """The core set, loaded once per worker process."""
    return load_question_set(ROOT / "questionnaires" / "core")


def guide_fieldwork(seed: int) -> dict:
    """`realistic_interviews` options hearing every tier at least as the core set's
    fieldwork guide asks: each guided range starts at the guide's number (its width
    kept), and the tiers that compare service areas are scaled up to
    `fieldwork_guide_organisation` in all where the draw heard fewer."""
    settings = _qs().settings
    usual = inspect.signature(realistic_interviews).parameters
    fieldwork = {}
    for tier, need in settings.fieldwork_guide.items():
        low, high = usual[OPTION[tier]].default
        fieldwork[OPTION[tier]] = (max(low, need), max(low, need) + high - low)
    drawn = realistic_interviews(seed, **fieldwork)
    voices = int(drawn["tier"].isin(list(settings.scope_tiers)).sum())
    if voices < settings.fieldwork_guide_organisation:
        fieldwork["scope_voices"] = settings.fieldwork_guide_organisation
    return fieldwork


def one(job: tuple[tuple[str, ...], int, dict]) -> tuple[tuple[str, ...], bool, bool, bool, int]:
    """(the patterns, all found, all found or worth exploring, any false flag, voices of
    the tiers that compare service areas) of one seed, heard with the `realistic_interviews`
    options given (none: as usual; `guide_fieldwork`: at the guide)."""
    names, seed, fieldwork = job
    interviews = realistic_interviews(seed, **fieldwork)
    areas = [a for a in dict.fromkeys(interviews["service_area"]) if a != CENTRAL]
    voices = int(interviews["tier"].isin(list(_qs().settings.scope_tiers)).sum())
    chosen = [patterns()[name] for name in names if name != CLEAN]
    result = analyse(realistic_audit(seed, _qs(), plants_of(chosen, areas), **fieldwork))
    outcome = judge(result.findings, chosen, areas)
    either = judge([*result.findings, *result.worth_exploring], chosen, areas)
    return (
        names,
        all(outcome.found.values()),
        all(either.found.values()),
        bool(outcome.false_flags),
        voices,
    )


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials (95 % by default)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def share(k: int, n: int) -> str:
    """'94.5 % (91.8-96.3)'."""
    low, high = wilson(k, n)
    return f"{100 * k / n:.1f} % ({100 * low:.1f}-{100 * high:.1f})"


def verdict(k: int, n: int, target: float, at_most: bool = False) -> str:
    """Met, not met, or at the edge (the target inside the interval)."""
    low, high = wilson(k, n)
    if at_most:
        return "met" if high <= target else ("not met" if low > target else "at the edge")
    return "met" if low >= target else ("not met" if high < target else "at the edge")


def systemic_by_voices(got: list[tuple[bool, bool, bool, int]]) -> list[str]:
    """The systemic pattern's seeds by the voices heard of the tiers that compare service
    areas together, split at the core set's `fieldwork_guide_organisation`."""
    need = _qs().settings.fieldwork_guide_organisation
    bands = ((f"fewer than {need - 10}", 0, need - 10),
             (f"{need - 10} to {need - 1}", need - 10, need),
             (f"{need} or more (the guide)", need, 10**6))  # fmt: skip
    lines = [
        "",
        "**Systemic, by the voices heard** of people who use services, front-line staff and "
        "managers together across the organisation (the core set's "
        f"`fieldwork_guide_organisation`: {need}):",
        "",
        "| voices in all | audits | found | target 95 % |",
        "|---|---|---|---|",
    ]
    for label, low, high in bands:
        cell = [found for found, _, _, voices in got if low <= voices < high]
        if cell:
            k, m = sum(cell), len(cell)
            lines.append(f"| {label} | {m} | {share(k, m)} | {verdict(k, m, FOUND_TARGET)} |")
    return lines


def main() -> None:
    args = options(__doc__, 400, at_the_guide=True)
    n, at_guide = args.seeds, args.at_the_guide
    started = time.perf_counter()
    cells = [(name,) for name in patterns()] + list(BUNDLES.values())
    seeds = [*range(1000, 1000 + n), *range(3000, 3000 + n)]
    heard = {s: guide_fieldwork(s) if at_guide else {} for s in seeds}
    jobs = [(c, s, heard[s]) for c in cells for s in seeds[:n]]
    jobs += [((CLEAN,), s, heard[s]) for s in seeds[n:]]
    with Pool(2) as pool:
        results = pool.map(one, jobs, chunksize=8)
    by_cell: dict[tuple[str, ...], list] = {}
    for names, found, surfaced, false, voices in results:
        by_cell.setdefault(names, []).append((found, surfaced, false, voices))

    clean = sum(r[2] for r in by_cell[(CLEAN,)])
    heard = ", every tier heard at least as the fieldwork guide asks" if at_guide else ""
    lines = [
        f"**The targets over {n} seeds{heard}** (30-point patterns; each share with its "
        "Wilson 95 % interval; *met* when the whole interval is on the right side of the "
        "target, *at the edge* when the target lies inside it):",
        "",
        f"Clean audits (nothing planted): {clean} of {n} with any flag, {share(clean, n)}; "
        f"target at most 5 %: {verdict(clean, n, FALSE_TARGET, at_most=True)}.",
        "",
        "| pattern | found | target 95 % | found or worth exploring | any false flag |",
        "|---|---|---|---|---|",
    ]
    for (name,) in cells[: len(patterns())]:
        got = by_cell[(name,)]
        found, surfaced, false = (sum(r[k] for r in got) for k in range(3))
        lines.append(
            f"| {name} | {share(found, n)} | {verdict(found, n, FOUND_TARGET)} "
            f"| {100 * surfaced / n:.1f} % | {100 * false / n:.1f} % |"
        )
    if not at_guide:  # at the guide every audit heard at least its number
        lines += systemic_by_voices(by_cell[(SYSTEMIC,)])
    lines += [
        "",
        "| patterns planted together | all found | target 90 % | any false flag | target 5 % |",
        "|---|---|---|---|---|",
    ]
    for names in BUNDLES.values():
        got = by_cell[names]
        every, false = sum(r[0] for r in got), sum(r[2] for r in got)
        lines.append(
            f"| {'; '.join(names)} | {share(every, n)} | {verdict(every, n, BUNDLE_TARGET)} "
            f"| {share(false, n)} | {verdict(false, n, FALSE_TARGET, at_most=True)} |"
        )
    where = (GUIDE_START, GUIDE_END) if at_guide else (START, END)
    finish(lines, n, started, args.write_docs, *where)


if __name__ == "__main__":
    main()
