"""The fieldwork guide, measured: is each tier's `fieldwork_guide` number enough?

Run:  .venv/bin/python bench/fieldwork_guide.py                 (80 seeds per cell)
      .venv/bin/python bench/fieldwork_guide.py --seeds 40 --write-docs

For each tier of the core set's `fieldwork_guide` (the voices a tier needs, per service
area for the tiers that compare areas, in all for the others), builds realistic audits
(`sgaudit.analysis.realistic`, as bench/validity.py) with exactly that many of the tier
heard, and with one fewer, every other tier as usual, and counts the seeds in which the
tier's 30-point patterns are found (target: 95 %).

Then the guide's `fieldwork_guide_organisation` (the voices of the tiers that compare
service areas, together across the organisation): audits with exactly that many of those
voices in all, and with fewer and more (`TOGETHER_AROUND`), dealt over the drawn 3 to 8
service areas in the drawn shares (`realistic_interviews(scope_voices=...)`), 400 seeds
each over two processes, counting the seeds in which a theme weak across the
organisation is found: the targets' systemic pattern (30 points below the other themes,
so also found against the people's own level), and the same theme 10 points below the
weak score where the other themes are only 15 above it (`LEVEL`), which rests on its
distance below the weak score alone. The guide's number is for the second: auditors
cannot know before the fieldwork whether a weak theme will stand out.

With --write-docs the tables replace the block between the GUIDE markers in
docs/analysis.md.
"""

from __future__ import annotations

import time
from multiprocessing import Pool
from pathlib import Path

from targets import SYSTEMIC, _qs, one, wilson
from validity import finish, found_share, options, users_links

from sgaudit.analysis import analyse
from sgaudit.analysis.realistic import realistic_audit
from sgaudit.analysis.synthetic import Plant
from sgaudit.analysis.validation import USERS
from sgaudit.questionnaire.loader import load_question_set
from sgaudit.vocab import tier_label

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- GUIDE:START -->", "<!-- GUIDE:END -->"
# Each guided tier: the `realistic_interviews` option that sets how many are heard, and
# the patterns that are its view (each found or not on its own).
TIER_PATTERNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "service_user": ("service_users", (USERS,)),
    "front_line": ("front_line", ("localised in one area",)),
    "manager": ("managers", ("managers rate lower",)),
    "senior_leader": (
        "senior_leaders",
        ("senior leadership rates higher (pooled)", "senior leadership rates lower (pooled)"),
    ),
    "board": ("board", ("board rates higher", "board rates lower")),
}


# The tiers together: voices in all around the guide's number, and the seeds for each.
TOGETHER_AROUND = (-10, -5, 0, 10, 20)
TOGETHER_SEEDS = 400
# A theme weak across the organisation that does not stand out from the others: 10 below
# the weak score (60), the rest 15 above it, under `systemic_own_level_points` (20).
LEVEL = (Plant(score=65.0), Plant(theme="complaints", score=50.0))


def level_one(job: tuple[int, int]) -> tuple[int, bool, bool]:
    """(voices, found, found or worth exploring) of the `LEVEL` theme in one seed."""
    seed, voices = job
    result = analyse(realistic_audit(seed, _qs(), list(LEVEL), scope_voices=voices))

    def hit(items) -> bool:
        return any(f.kind == "systemic" and f.theme == "complaints" for f in items)

    return voices, hit(result.findings), hit([*result.findings, *result.worth_exploring])


def together_table(need: int, n: int = TOGETHER_SEEDS) -> list[str]:
    """The systemic pattern found against the voices of the scope tiers in all."""
    sizes = [need + d for d in TOGETHER_AROUND if need + d > 0]
    jobs = [((SYSTEMIC,), s, {"scope_voices": v}) for v in sizes for s in range(1000, 1000 + n)]
    with Pool(2) as pool:
        got = pool.map(one, jobs, 4)  # (names, found, found or worth exploring, ..., voices)
        level = pool.map(level_one, [(s, v) for v in sizes for s in range(1000, 1000 + n)], 4)

    def cell(v: int, k: int, rows=got, at: int = 4) -> str:
        hits = sum(row[k] for row in rows if row[at] == v)
        low, high = wilson(hits, n)
        return f"{100 * hits / n:.1f} % ({100 * low:.1f}-{100 * high:.1f})"

    head = [f"{v} (the guide)" if v == need else str(v) for v in sizes]
    return [
        "",
        "**People who use services, front-line staff and managers together** "
        f"(`fieldwork_guide_organisation`: {need}; a theme 10 points below the weak score in "
        f"every service area; {n} seeds each, heard in exactly that many voices in all, "
        "dealt over the 3 to 8 service areas in their drawn shares; Wilson 95 % intervals):",
        "",
        "| voices in all | " + " | ".join(head) + " |",
        "|---|" + "---|" * len(sizes),
        "| the rest 15 above the weak score: found | "
        + " | ".join(cell(v, 1, level, 0) for v in sizes)
        + " |",
        "| found or worth exploring | " + " | ".join(cell(v, 2, level, 0) for v in sizes) + " |",
        "| the rest 30 above it (the targets' systemic pattern): found | "
        + " | ".join(cell(v, 1) for v in sizes)
        + " |",
        "| found or worth exploring | " + " | ".join(cell(v, 2) for v in sizes) + " |",
    ]


def found(qs, tier: str, name: str, voices: int, seeds: range) -> int:
    option, _ = TIER_PATTERNS[tier]
    size = {option: (voices, voices)}
    if name == USERS:  # found when either link of the thread shows it
        return users_links(qs, seeds, **size)[0]
    return found_share(qs, name, 30, seeds, **size)[0]


def main() -> None:
    args = options(__doc__, 80)
    qs = load_question_set(ROOT / "questionnaires" / "core")
    guide = qs.settings.fieldwork_guide
    scope = set(qs.settings.scope_tiers)
    n = args.seeds
    seeds = range(1000, 1000 + n)
    started = time.perf_counter()
    lines = [
        f"**The fieldwork guide** (`fieldwork_guide`, 30-point patterns, {n} seeds each; "
        "target: found in 95 %):",
        "",
        "| tier | voices the guide asks | pattern | found with that many | with one fewer |",
        "|---|---|---|---|---|",
    ]
    for tier, (_, names) in TIER_PATTERNS.items():
        need = guide.get(tier)
        if need is None:
            continue
        where = " per service area" if tier in scope else " in all"
        for name in names:
            at = found(qs, tier, name, need, seeds)
            fewer = f"{100 * found(qs, tier, name, need - 1, seeds) / n:.0f} %" if need > 1 else "–"
            lines.append(
                f"| {tier_label(tier)} | {need}{where} | {name} | {100 * at / n:.0f} % | {fewer} |"
            )
            print(lines[-1], flush=True)
    need = int(qs.settings.fieldwork_guide_organisation or 0)
    seeds = ""
    if need:
        lines += together_table(need)
        print("\n".join(lines[-4:]), flush=True)
        seeds = f"{n} seeds per cell of the first table, {TOGETHER_SEEDS} of the second"
    finish(lines, n, started, args.write_docs, START, END, seeds)


if __name__ == "__main__":
    main()
