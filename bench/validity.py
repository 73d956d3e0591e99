"""Validity: what the analysis can and cannot see with the people an auditor heard.

Run:  .venv/bin/python bench/validity.py                 (20 seeds per cell)
      .venv/bin/python bench/validity.py --seeds 40 --write-docs

Builds realistic audits (`sgaudit.analysis.realistic`: the core question set, 3-8
service areas plus Central Services, 2-8 front-line staff per area, 3-6 trustees,
person SD 10, answer SD 15, question-by-tier SD 5) and measures:

1. clean audits: the share with any flag (target: at most 5 %);
2. detection against the planted gap, 5 to 50 points, per kind of pattern;
3. detection of a board thread break (30 points) against the size of the board, of a
   localised pattern (30 points) against the front-line staff per area, and of people
   who use services rating 30 points lower than everyone else against how many were
   heard per area (and through which link of the thread: the front-line staff who
   support them, or the leadership as a whole).

Whether each target is met (every pattern at 30 points on its own and in the validation
suite's bundles) is bench/targets.py's, over 400 seeds: 40 cannot settle a target at
its edge.

A pattern counts as found when every finding it should produce is there (see
`sgaudit.analysis.validation`). With --write-docs the tables replace the block
between the VALIDITY markers in docs/analysis.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sgaudit.analysis import analyse
from sgaudit.analysis.realistic import CENTRAL, realistic_audit, realistic_interviews
from sgaudit.analysis.validation import USERS, judge, patterns, plants_of
from sgaudit.questionnaire.loader import load_question_set

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "analysis.md"
START, END = "<!-- VALIDITY:START -->", "<!-- VALIDITY:END -->"
GAPS = (5, 10, 15, 20, 25, 30, 35, 40, 45, 50)
GAP_PATTERNS = (
    "localised in one area",
    "board rates lower",
    "senior leadership rates lower (pooled)",
    "systemic",
    "paper ahead of practice",
)
BOARD_SIZES = (2, 3, 4, 5, 6, 8)
FRONT_LINE = ((1, 2), (2, 4), (4, 6), (6, 8))
SERVICE_USERS = ((2, 5), (5, 8), (8, 12), (12, 16))


def options(doc: str, seeds: int, at_the_guide: bool = False) -> argparse.Namespace:
    """The detection benches' command line: --seeds (per cell) and --write-docs (and
    --at-the-guide where a bench offers it)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--write-docs", action="store_true")
    if at_the_guide:
        parser.add_argument(
            "--at-the-guide",
            action="store_true",
            help="hear every tier at least as the core set's fieldwork guide asks",
        )
    return parser.parse_args()


def finish(
    lines: list[str], n: int, started: float, write: bool, start: str, end: str, seeds: str = ""
) -> None:
    """Print the table made of `lines` (with how many seeds, or `seeds` where the tables
    differ, and how long it took) and, with `write`, put it between the `start` and `end`
    markers of docs/analysis.md."""
    said = seeds or f"{n} seeds per cell"
    lines = [*lines, "", f"({said}; {time.perf_counter() - started:.0f} s.)"]
    table = "\n".join(lines)
    print(table)
    if not write:
        return
    text = DOCS.read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    DOCS.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


def _areas(seed: int, **fieldwork) -> list[str]:
    frame = realistic_interviews(seed, **fieldwork)
    return [a for a in dict.fromkeys(frame["service_area"]) if a != CENTRAL]


def found_share(qs, name: str, gap: float, seeds: range, **fieldwork) -> tuple[int, int, int]:
    """(seeds where the pattern was found; found or listed as worth exploring; seeds with
    a false flag)."""
    found, _, false, surfaced = bundle_share(qs, (name,), gap, seeds, **fieldwork)
    return found, surfaced, false


def _planted(qs, chosen, seeds: range, **fieldwork):
    """Each seed's audit with the chosen patterns planted: (its service areas, analysis)."""
    for seed in seeds:
        areas = _areas(seed, **fieldwork)
        yield areas, analyse(realistic_audit(seed, qs, plants_of(chosen, areas), **fieldwork))


def bundle_share(qs, names, gap: float, seeds: range, **fieldwork) -> tuple[int, int, int, int]:
    """(seeds where the first pattern was found, where all were, with a false flag, where
    the first was found or listed as worth exploring)."""
    chosen = [patterns(gap)[name] for name in names]
    first = every = false = surfaced = 0
    for areas, result in _planted(qs, chosen, seeds, **fieldwork):
        outcome = judge(result.findings, chosen, areas)
        first += outcome.found[names[0]]
        every += all(outcome.found.values())
        false += bool(outcome.false_flags)
        either = judge([*result.findings, *result.worth_exploring], chosen, areas)
        surfaced += either.found[names[0]]
    return first, every, false, surfaced


def users_links(qs, seeds: range, **fieldwork) -> tuple[int, int, int]:
    """People who use services rating 30 lower: (seeds where it was found, found against
    the front-line staff, found against the leadership)."""
    found = front = leaders = 0
    for _, result in _planted(qs, [patterns(30)[USERS]], seeds, **fieldwork):
        links = {
            tuple(f.tiers[1:])
            for f in result.findings
            if f.kind == "thread_break" and f.theme == "safer_working" and "service_user" in f.tiers
        }
        found += bool(links)
        front += ("front_line",) in links
        leaders += any("board" in t for t in links)
    return found, front, leaders


def main() -> None:
    args = options(__doc__, 20)
    qs = load_question_set(ROOT / "questionnaires" / "core")
    n = args.seeds
    seeds = range(1000, 1000 + n)
    started = time.perf_counter()
    lines = []

    clean = sum(bool(analyse(realistic_audit(s, qs)).findings) for s in range(2000, 2000 + 3 * n))
    lines += [
        f"Clean audits (nothing planted, {3 * n} seeds): {clean} with any flag "
        f"({100 * clean / (3 * n):.0f} %).",
        "",
        f"**Detection against the planted gap** (share of {n} seeds in which the pattern "
        "was found; a gap below a threshold should not be found):",
        "",
        "| pattern | " + " | ".join(str(g) for g in GAPS) + " |",
        "|---|" + "---|" * len(GAPS),
    ]
    for name in GAP_PATTERNS:
        cells = [f"{100 * found_share(qs, name, g, seeds)[0] / n:.0f} %" for g in GAPS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)

    lines += [
        "",
        f"**Detection against group size** (30-point patterns, {n} seeds each):",
        "",
        "| trustees heard | " + " | ".join(str(b) for b in BOARD_SIZES) + " |",
        "|---|" + "---|" * len(BOARD_SIZES),
    ]
    cells = [
        f"{100 * found_share(qs, 'board rates lower', 30, seeds, board=(b, b))[0] / n:.0f} %"
        for b in BOARD_SIZES
    ]
    lines.append("| board rates 30 lower: found | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| front-line staff per area | " + " | ".join(f"{a}-{b}" for a, b in FRONT_LINE) + " |",
        "|---|" + "---|" * len(FRONT_LINE),
    ]
    cells = [
        f"{100 * found_share(qs, 'localised in one area', 30, seeds, front_line=fl)[0] / n:.0f} %"
        for fl in FRONT_LINE
    ]
    lines.append("| one area 30 lower: found | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| people who use services per area | "
        + " | ".join(f"{a}-{b}" for a, b in SERVICE_USERS)
        + " |",
        "|---|" + "---|" * len(SERVICE_USERS),
    ]
    links = [users_links(qs, seeds, service_users=su) for su in SERVICE_USERS]
    for k, label in enumerate(
        ("30 lower than everyone else: found", "against the front line", "against the leadership")
    ):
        cells = [f"{100 * counts[k] / n:.0f} %" for counts in links]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    finish(lines, n, started, args.write_docs, START, END)


if __name__ == "__main__":
    main()
