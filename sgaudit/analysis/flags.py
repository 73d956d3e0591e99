"""Flag control: which comparisons are findings, which are worth exploring, and the words.

Every comparison of an audit goes through the false-flag control together
(`uncertainty.false_flag_control`); then a comparison is a **finding** when its
difference is at least the set's threshold in the direction that matters and clear of
the noise, **worth exploring** when as large but not clear, and nothing otherwise.
`FindingMaker` turns a flagged comparison into a `Finding` with its quotes and the
theme's questions to consider; `certainty` and `how_sure` give the "how sure" fields
and words every kind of finding shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sgaudit import printed
from sgaudit.analysis.findings import QUOTES_PER_FINDING, Finding, _one, order_tiers
from sgaudit.analysis.scope import SYSTEMIC, SYSTEMIC_KINDS, SYSTEMIC_OWN_LEVEL
from sgaudit.analysis.thread import BEYOND
from sgaudit.analysis.uncertainty import false_flag_control

FINDING, WORTH = "finding", "worth_exploring"
TOO_FEW = "too few people to be sure"
BORDERLINE_WHY = "close to the weak score or the systemic share"
BORDERLINE = f"borderline: {BORDERLINE_WHY}"


def why_not_a_finding(note: str) -> str:
    """A worth-exploring item's `certainty_note` as the reason it is not a finding, in the
    words the app and the report print after "Why it is not a finding:"."""
    return BORDERLINE_WHY if note == BORDERLINE else note


# One-way kinds whose other direction is still read (a self-assessment lower than the
# evidence is said so): tested both ways.
TWO_WAY_READINGS: tuple[str, ...] = ("self_assessment_optimism",)
# Kinds of comparison that read another kind's difference a second way (`families`).
READINGS: dict[str, str] = {BEYOND: "thread_break", SYSTEMIC_OWN_LEVEL: SYSTEMIC}
# Kinds of comparison whose second side is a fixed number rather than a group (the weak
# score; for the systemic question's second reading, no difference from the other themes).
ONE_SAMPLE_KINDS: tuple[str, ...] = SYSTEMIC_KINDS


def decide(comps: pd.DataFrame, rate: float, method: str = "flags") -> pd.DataFrame:
    """Adds q, low, high, level, clear and status ('finding', 'worth_exploring' or '')."""
    numeric = comps.astype({"p": float, "diff": float, "se": float, "df": float})
    out = false_flag_control(
        numeric.assign(p=candidate_p(numeric)), rate, method, one_way(numeric), families(numeric)
    )
    diff = out["diff"].to_numpy(dtype=float).round(9)
    thr = out["threshold"].to_numpy(dtype=float)
    sign = out["sign"].to_numpy(dtype=int)
    big = np.where(sign == 0, np.abs(diff) >= thr, np.where(sign > 0, diff >= thr, diff <= -thr))
    # Set against a fixed number (the weak score; a self-assessment): no second side.
    one_sided = out["kind"].isin(ONE_SAMPLE_KINDS).to_numpy()
    systemic = out["kind"].isin(SYSTEMIC_KINDS).to_numpy()
    shown = np.isfinite(out["score_a"].to_numpy(dtype=float)) & (
        one_sided | np.isfinite(out["score_b"].to_numpy(dtype=float))
    )
    sure = np.isfinite(out["low"].to_numpy(dtype=float)) & np.isfinite(
        out["p"].to_numpy(dtype=float)
    )
    big &= np.isfinite(diff) & shown & sure & ~(systemic & (diff >= 0))
    out["status"] = np.select([big & out["clear"].to_numpy(), big], [FINDING, WORTH], "")
    return out


def families(comps: pd.DataFrame) -> np.ndarray:
    """One integer per comparison: equal for readings of the same difference.

    A kind in `READINGS` is a second reading of another kind's comparison with the same
    theme, tier, ground tier and area (a thread gap beyond each person's own level reads
    the plain gap again; a theme against the same people's other themes asks again
    whether it is weak across the organisation); the false-flag control counts a family
    once.
    """
    columns = [comps[c].astype(str).tolist() for c in ("kind", "theme", "tier", "base", "area")]
    number: dict[tuple, int] = {}  # a few hundred comparisons: plain Python
    return np.asarray(
        [
            number.setdefault((READINGS.get(kind, kind), *rest), len(number))
            for kind, *rest in zip(*columns, strict=True)
        ],
        dtype=np.int64,
    )


def one_way(comps: pd.DataFrame) -> np.ndarray:
    """The comparisons whose question is one-sided: a `sign`, and no reading the other way."""
    return (comps["sign"].to_numpy(dtype=int) != 0) & ~comps["kind"].isin(
        TWO_WAY_READINGS
    ).to_numpy()


def candidate_p(comps: pd.DataFrame) -> np.ndarray:
    """Each comparison's p-value as a candidate flag, one-sided where only one way flags.

    Some kinds can only be a finding one way (`sign`): a theme below the weak score,
    an area below the others, paper above practice, more "don't know". Their question
    is one-sided, so their p-value is too: half the two-sided p when the difference
    points the way that matters, and 1 minus that when it points the harmless way
    (every theme of a sound audit scores well above the weak score). Left at the
    two-sided p, those harmless differences would count as "discoveries" and loosen
    Benjamini-Hochberg for every other comparison of the audit. Thread breaks flag
    either way and keep the two-sided p.
    """
    p = comps["p"].to_numpy(dtype=float)
    diff = comps["diff"].to_numpy(dtype=float)
    sign = comps["sign"].to_numpy(dtype=int)
    harmless = ((sign > 0) & (diff < 0)) | ((sign < 0) & (diff > 0))
    return np.where(one_way(comps), np.where(harmless, 1 - p / 2, p / 2), p)


def certainty(row, status: str | None = None, note: str | None = None) -> dict:
    """The "how sure" fields of a finding made from one comparison row."""
    status = status or row.status
    return {
        "certainty": status,
        "certainty_note": note if note is not None else ("" if status == FINDING else TOO_FEW),
        "difference": _one(row.diff),
        "interval": (_bound(row.low), _bound(row.high)),
        "interval_level": _one(row.level, 4),
        "n_group": int(row.n_a),
        "n_compared": int(row.n_b) if row.n_b == row.n_b else None,
    }


def _bound(value: float) -> float | None:
    """An interval bound to one decimal, but never rounded onto zero from either side:
    a finding's interval excludes zero, and its JSON says so (-0.04 stays -0.04)."""
    shown = _one(value)
    if shown == 0 and value != 0:
        return float(f"{float(value):.2g}")
    return shown


def how_sure(row, flip: bool = False, unit: str = "points", plain: bool = True) -> str:
    """'difference 45 points, interval 38 to 56; 5 and 24 people' (flip: shown as a gap).

    `plain`: the row's difference is its two scores' gap, so the difference printed is the
    gap of the two printed scores (one rule, `sgaudit.printed`). A difference that is not
    (a localised one allows for each area's level on the other themes) is printed as itself
    at the nearest whole point. The interval is printed by the one rule for intervals.
    """
    diff, low, high = (-row.diff, -row.high, -row.low) if flip else (row.diff, row.low, row.high)
    shown = printed.gap(row.score_a, row.score_b) if plain else None
    if shown is not None:
        shown = -shown if flip else shown
    else:
        shown = printed.bound(diff)
    people = (
        f"{int(row.n_a)} and {int(row.n_b)} people"
        if row.n_b == row.n_b
        else (f"{int(row.n_a)} people")
    )
    bounds = printed.interval_text(low, high, shown)
    return f"difference {shown} {unit}, interval {bounds}; {people}"


_QUOTE_KEYS = ("theme", "tier", "service_area")


@dataclass(frozen=True, eq=False)
class FindingMaker:
    """Builds a Finding with the theme's quotes and questions to consider filled in."""

    notes: pd.DataFrame
    consider: dict[str, list[str]]

    def __post_init__(self) -> None:
        # Each column's values as codes once, so a finding's quotes are picked by integer
        # masks rather than three string comparisons over every note per finding.
        coded = {}
        for column in _QUOTE_KEYS:
            codes, names = pd.factorize(self.notes[column], sort=False)
            coded[column] = (codes, {name: k for k, name in enumerate(names)})
        object.__setattr__(self, "_coded", coded)
        object.__setattr__(self, "_texts", self.notes["note"].to_numpy(dtype=object))

    def quotes(self, theme: str, tiers=(), areas=()) -> list[str]:
        """The first few distinct notes of `theme` (from `tiers` and `areas` when given), in
        the order of `findings.quotable_notes` (ground tier first)."""
        pick = self._is("theme", [theme])
        if tiers:
            pick &= self._is("tier", tiers)
        if areas:
            pick &= self._is("service_area", areas)
        return list(dict.fromkeys(self._texts[pick]))[:QUOTES_PER_FINDING]

    def _is(self, column: str, wanted) -> np.ndarray:
        codes, code_of = self._coded[column]
        found = [code_of[w] for w in wanted if w in code_of]
        return codes == found[0] if len(found) == 1 else np.isin(codes, found)

    def __call__(
        self, kind, theme, severity, summary, evidence, areas=(), tiers=(), **extra
    ) -> Finding:
        return Finding(
            kind=kind,
            theme=theme,
            service_areas=list(areas),
            tiers=order_tiers(list(tiers)),
            severity=severity,
            summary=summary,
            evidence=evidence,
            quotes=self.quotes(theme, tiers, areas) if theme else [],
            questions_to_consider=list(self.consider.get(theme, [])),
            **extra,
        )
