"""The fieldwork guide, measured: is each tier's `fieldwork_guide` number enough?

Run:  .venv/bin/python bench/fieldwork_guide.py                 (80 seeds per cell)
      .venv/bin/python bench/fieldwork_guide.py --seeds 40 --write-docs

For each tier of the core set's `fieldwork_guide` (the voices a tier needs, per service
area for the tiers that compare areas, in all for the others), builds realistic audits
(`sgaudit.analysis.realistic`, as bench/validity.py) with exactly that many of the tier
heard, and with one fewer, every other tier as usual, and counts the seeds in which the
tier's 30-point patterns are found (target: 95 %). With --write-docs the table replaces
the block between the GUIDE markers in docs/analysis.md.
"""

from __future__ import annotations

import time
from pathlib import Path

from validity import finish, found_share, options, users_links

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
    finish(lines, n, started, args.write_docs, START, END)


if __name__ == "__main__":
    main()
