"""Findings about where a weakness sits: systemic, localised, and an area weak on everything.

The comparisons come from `scope.py` and have been through the flag control
(`flags.decide`). A systemic theme has no localised finding; the localised findings of
a theme name all its flagged areas together.
"""

from __future__ import annotations

import pandas as pd

from sgaudit import printed
from sgaudit.analysis.findings import TIER_NOUNS, Finding, _and, _num, _one, severity_from_ratio
from sgaudit.analysis.flags import (
    BORDERLINE,
    FINDING,
    TOO_FEW,
    WORTH,
    FindingMaker,
    certainty,
    how_sure,
)
from sgaudit.analysis.scope import AREA_WIDE, LOCALISED, SYSTEMIC, SYSTEMIC_OWN_LEVEL
from sgaudit.vocab import TIERS, tier_label


def scope_people(s) -> str:
    """Whose view the service areas are compared on (`scope_tiers`), as a sentence says
    it: "people who use services, front-line staff and managers". The report's table of
    service areas counts everyone heard there, so the sentence names who it rests on."""
    return people_of(s.scope_tiers)


def people_of(tiers) -> str:
    """`tiers` as a sentence says them, in golden-thread order (`scope_people`)."""
    return _and([TIER_NOUNS.get(t, tier_label(t)) for t in TIERS if t in tiers])


def systemic_doubt(diff: float, share: float, s) -> str:
    """Why a systemic call is worth exploring rather than a finding.

    Borderline when the theme scores within `borderline_points` of the weak score (either
    side) or too few areas are below it: the call is close. A theme further below the
    weak score in enough areas, whose score is only not clear of the noise, is not close
    to the line: its doubt is the people heard ("too few people to be sure").
    """
    if abs(diff) < s.borderline_points or share < s.systemic_share:
        return BORDERLINE
    return TOO_FEW


def own_level_words(row, weak_line: str) -> str:
    """The second reading of a systemic finding, in words: "The same people rate it 27
    points below their other themes (interval 19 to 35), clear of the chance of who was
    heard, though how far below 60 it sits is less sure." (`row` is the
    `SYSTEMIC_OWN_LEVEL` comparison.)"""
    below = printed.bound(-row.diff)
    return (
        f" The same people rate it {printed.count(below, 'point')} below their other themes "
        f"(interval {printed.below_interval(-row.high, -row.low, below)}), clear of the "
        f"chance of who was heard, though how far below {weak_line} it sits is less sure."
    )


def systemic_findings(
    flagged: pd.DataFrame, levels: pd.DataFrame, s, titles: dict[str, str], make: FindingMaker
) -> tuple[list[Finding], set[str]]:
    """Systemic findings (and borderline calls), and the themes that are clearly systemic.

    A theme is systemic when enough of its areas are below the weak score and either its
    distance below the weak score is clear of the noise, or it is at least
    `borderline_points` below the weak score (outside the borderline band) and the same
    people rate it at least `systemic_own_level_points` below their other themes, clear of
    the noise (`scope.systemic_own_level`): then the finding's certainty is that reading's.
    """
    found: list[Finding] = []
    systemic_themes: set[str] = set()
    own_rows = flagged[(flagged["kind"] == SYSTEMIC_OWN_LEVEL) & (flagged["status"] == FINDING)]
    own = {r.theme: r for r in own_rows.itertuples(index=False)}
    for row in flagged[flagged["kind"] == SYSTEMIC].itertuples(index=False):
        lv = levels[levels["theme"] == row.theme] if len(levels) else levels
        assessed = len(lv)
        if assessed < 2:
            continue
        weak = lv[lv["score"] < s.weak_score].sort_values("score")
        near = lv[lv["score"] < s.weak_score + s.borderline_points]
        share, near_share = len(weak) / assessed, len(near) / assessed
        # the theme stands out from the same people's other themes, outside the band
        beyond = own.get(row.theme) if row.diff <= -s.borderline_points else None
        sure_row, extra = row, ""
        if share >= s.systemic_share and row.status == FINDING:
            status, note = FINDING, ""
        elif share >= s.systemic_share and beyond is not None:
            status, note, sure_row = FINDING, "", beyond
            extra = own_level_words(beyond, _num(s.weak_score))
        elif row.diff < s.borderline_points and near_share >= s.systemic_share - s.borderline_share:
            status, note = WORTH, systemic_doubt(row.diff, share, s)
        else:
            continue
        title = titles.get(row.theme, row.theme)
        score = row.score_a
        weak_line = _num(s.weak_score)
        # how far below the weak score, by name (not "below it"), as the printed scores
        # differ (sgaudit.printed: 60 and 44 are 16 apart)
        below = printed.gap(s.weak_score, score)
        names = [
            f"{a} ({int(n)})" for a, n in zip(weak["service_area"], weak["n_people"], strict=True)
        ]
        # a call the people heard could not settle says so in its first words
        verb = "is" if status == FINDING else "may be"
        summary = (
            f"{title} {verb} weak across the organisation: in {len(weak)} of {assessed} "
            f"service areas {scope_people(s)} score it below {weak_line}, and together they "
            f"score it {_num(score)} ({printed.below_line(below, weak_line)}, interval "
            f"{printed.below_interval(-row.high, -row.low, below)}; "
            f"{printed.people_in_voices(int(row.n_a), int(row.resp_a))}).{extra}"
        )
        evidence = {
            "score": _one(score),
            "areas_assessed": int(assessed),
            "weak_areas": int(len(weak)),
            "weak_share": _one(share, 2),
            "weak_area_names": ", ".join(weak["service_area"]),
            "weak_area_n": ", ".join(names),
            "weak_score": s.weak_score,
            "voices": int(row.resp_a),
        }
        if sure_row is not row:
            evidence["below_own_level"] = _one(-sure_row.diff)
        f = make(
            SYSTEMIC,
            row.theme,
            "high" if score < s.weak_score - 10 else "medium",
            summary,
            evidence,
            **certainty(sure_row, status, note),
            compared_with="the weak score"
            if sure_row is row
            else "the same people's ratings of the other themes",
        )
        found.append(f)
        if status == FINDING:
            systemic_themes.add(row.theme)
    return found, systemic_themes


def localised_findings(
    flagged: pd.DataFrame,
    levels: pd.DataFrame,
    systemic_themes: set[str],
    s,
    titles: dict[str, str],
    make: FindingMaker,
) -> tuple[list[Finding], dict[str, int]]:
    """Localised findings, one per theme and status naming every flagged area together.

    Also returns, per theme with a clear localised finding, its index in the list (a
    thread break that one of its areas drives folds into it).
    """
    found: list[Finding] = []
    loc = flagged[(flagged["kind"] == LOCALISED) & ~flagged["theme"].isin(systemic_themes)]
    localised_by_theme: dict[str, int] = {}
    for (theme, status), rows in loc.groupby(["theme", "status"], sort=False):
        rows = rows.sort_values("score_a")
        title = titles.get(theme, theme)
        areas = rows["area"].tolist()
        named = [f"{a} ({_num(v)})" for a, v in zip(areas, rows["score_a"], strict=True)]
        others = float(rows["score_b"].mean())
        raw_gap = others - float(rows["score_a"].mean())
        shown_gap = printed.gap(others, float(rows["score_a"].mean()))
        key_row = next(rows.loc[[rows["diff"].abs().idxmin()]].itertuples(index=False))
        total = int(rows["n_a"].iloc[0] + rows["n_b"].iloc[0])
        assessed = int(len(levels[levels["theme"] == theme])) if len(levels) else 0
        summary = (
            f"{title} is markedly weaker in {_and(named)} than in the other service areas "
            f"(average {_num(others)}) as {scope_people(s)} score it: a gap of {shown_gap} "
            "points; allowing for how each "
            f"area rates the other themes, {how_sure(key_row, flip=True, plain=False)}."
        )
        sure = certainty(key_row, status)
        sure.update(n_group=int(rows["n_a"].sum()), n_compared=total - int(rows["n_a"].sum()))
        found.append(
            make(
                LOCALISED,
                theme,
                severity_from_ratio(float(-key_row.diff), s.localised_gap_points),
                summary,
                {
                    "area_score": _one(rows["score_a"].mean()),
                    "others_score": _one(others),
                    "gap": _one(raw_gap),
                    "areas_assessed": assessed,
                    "area_n": ", ".join(
                        f"{a} ({int(n)})" for a, n in zip(areas, rows["n_a"], strict=True)
                    ),
                },
                areas=areas,
                **sure,
                compared_with="the other service areas",
            )
        )
        if status == FINDING:
            localised_by_theme[theme] = len(found) - 1
    return found, localised_by_theme


def area_wide_findings(flagged: pd.DataFrame, s, make: FindingMaker) -> list[Finding]:
    """One finding per area that rates safeguarding lower on every theme."""
    found: list[Finding] = []
    for row in flagged[flagged["kind"] == AREA_WIDE].itertuples(index=False):
        summary = (
            f"In {row.area}, {scope_people(s)} rate safeguarding lower than in the other "
            f"service areas across the themes: on average {_num(row.score_a)} against "
            f"{_num(row.score_b)} "
            f"({how_sure(row, flip=True)})."
        )
        found.append(
            make(
                LOCALISED,
                "",
                severity_from_ratio(row.diff, s.localised_gap_points),
                summary,
                {
                    "area_score": _one(row.score_a),
                    "others_score": _one(row.score_b),
                    "gap": _one(-row.diff),
                    "across_themes": "yes",
                },
                areas=[row.area],
                **certainty(row),
                compared_with="the other service areas",
            )
        )
    return found
