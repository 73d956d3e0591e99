"""Who each respondent is: their tier, service area and mode, and whether they consented.

The role and service questions' answers become tier ids and service areas: ids and
labels directly (`front_line`, `Front-line staff and volunteers`), anything else
through the user's `--tier-map` / `--area-map`. Answers no map places are reported
once, with their rows and the option to use, rather than once per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sgaudit.errors import Problem
from sgaudit.sheets.matching import (
    area_lookup,
    key_series,
    match_key,
    mode_lookup,
    parse_bool,
    tier_lookup,
)
from sgaudit.sheets.reading import ROW
from sgaudit.surveys.maps import parse_value_map
from sgaudit.surveys.matching import ColumnPlan
from sgaudit.surveys.options import OptionNames
from sgaudit.vocab import CAPTURE_TIERS, TIERS


def consented(frame: pd.DataFrame, plan: ColumnPlan) -> tuple[pd.Series, int]:
    """Which rows agreed to take part (all, without a consent column), and how many did not."""
    header = plan.special.get("consent")
    if header is None:
        return pd.Series(True, index=frame.index), 0

    def agreed(v: str) -> bool:
        try:
            return parse_bool(v)
        except ValueError:
            return match_key(v) in ("i agree", "agree", "consent")

    keep = frame[header].astype(str).map(agreed).astype(bool)
    return keep, int((~keep).sum())


def _value_map(text: str | None, option: str) -> dict[str, str]:
    return {match_key(k): v for k, v in parse_value_map(text, option).items()}


def _mapped(
    file: str,
    values: pd.Series,
    rows_of: pd.Series,
    lookup: dict[str, str],
    user_map: dict[str, str],
    header: str,
    option: str,
    names: OptionNames,
    what: str,
    allowed: list[str],
) -> tuple[pd.Series, list[Problem]]:
    """Values of the tier or area column as ids; the unknown ones in one problem."""
    problems = []
    bad_targets = sorted({t for t in user_map.values() if match_key(t) not in lookup})
    if bad_targets:
        problems.append(
            Problem(
                file,
                None,
                None,
                (
                    f"{option}: {', '.join(repr(t) for t in bad_targets)} is not a {what}; expected "
                    f"one of {', '.join(allowed)}"
                ),
            )
        )
    keys = key_series(values)
    mapped = keys.map({k: lookup.get(match_key(v)) for k, v in user_map.items()}).astype(object)
    mapped = mapped.where(mapped.notna(), keys.map(lookup).astype(object))
    unknown = mapped.isna() & keys.ne("")
    if unknown.any():
        text = values.astype(str).str.strip()
        rows = rows_of[unknown].groupby(text[unknown], sort=False).agg(_row_list)
        found = ", ".join(f"'{v}' ({r})" for v, r in rows.items())
        example = ",".join(f"{v}=<{what}>" for v in list(rows.index)[:6])
        message = (
            f"these answers are not {what}s: {found}. Say which {what} each is with "
            f"{_example(option, example, names)} ({what}s: {', '.join(allowed)})"
        )
        problems.append(Problem(file, None, header, message, whole_column=True))
    return mapped.where(mapped.notna(), values.astype(str)), problems


def _example(option: str, example: str, names: OptionNames) -> str:
    return f'{option} "{example}"' if names.quote_maps else f"{option}, e.g. {example}"


def _row_list(rows: pd.Series) -> str:
    shown = ", ".join(str(r) for r in rows.iloc[:5]) + (" ..." if len(rows) > 5 else "")
    return ("row " if len(rows) == 1 else "rows ") + shown


@dataclass(frozen=True)
class _Source:
    """Where one kind of group (tier or service area) comes from, and how a problem with
    it is put: `given` is the value for the whole file (--tier / --area), `header` the
    column matched to it, `map_text` the user's --tier-map / --area-map."""

    what: str  # "tier" / "service area", as the messages say it
    header: str | None
    given: str | None
    given_option: str
    map_text: str | None
    map_option: str
    lookup: dict[str, str]
    allowed: list[str]
    unknown_given: str  # the problem when `given` is none of `allowed`
    no_source: str  # the problem when neither `given` nor a column says it


def _each_row(file, frame, source: _Source, names: OptionNames):
    """Each row's group id, and the problems: no source, both sources, or answers no map
    places."""
    header = source.header
    if source.given:
        if header:
            both = f"give either {source.given_option} or a {source.what} column ('{header}'), not both"
            return frame[header].astype(str), [Problem(file, None, None, both)]
        fixed = source.lookup.get(match_key(source.given))
        if fixed is None:
            return pd.Series("", index=frame.index), [
                Problem(file, None, None, source.unknown_given)
            ]
        return pd.Series(fixed, index=frame.index), []
    if header is None:
        return pd.Series("", index=frame.index), [Problem(file, None, None, source.no_source)]
    return _mapped(
        file,
        frame[header],
        frame[ROW],
        source.lookup,
        _value_map(source.map_text, source.map_option),
        header,
        source.map_option,
        names,
        source.what,
        source.allowed,
    )


def tiers_of(file, frame, plan: ColumnPlan, options):
    """Each row's tier id (from --tier, or the tier column through --tier-map), and the
    problems: no source, both sources, or answers no map places."""
    names = options.names
    source = _Source(
        what="tier",
        header=plan.special.get("tier"),
        given=options.tier,
        given_option=names.tier,
        map_text=options.tier_map,
        map_option=names.tier_map,
        lookup=tier_lookup(),
        allowed=list(TIERS),
        unknown_given=(
            f"{names.tier}: unknown tier '{options.tier}'; expected one of "
            f"{', '.join(CAPTURE_TIERS)}"
        ),
        no_source=(
            "which tier does each respondent belong to? No column's answers are all tiers "
            f"and none asks for a role. Name the column holding it with {names.tier_column} "
            f"(and turn its answers into tiers with "
            f"{_example(names.tier_map, 'Volunteer=front_line,...', names)}), "
            f"or give one tier for the whole file with {names.tier}"
        ),
    )
    return _each_row(file, frame, source, names)


def areas_of(file, frame, plan: ColumnPlan, options, areas: list[str]):
    """Each row's service area, like `tiers_of` with --area and --area-map."""
    names = options.names
    source = _Source(
        what="service area",
        header=plan.special.get("service_area"),
        given=options.area,
        given_option=names.area,
        map_text=options.area_map,
        map_option=names.area_map,
        lookup=area_lookup(areas),
        allowed=areas,
        unknown_given=(
            f"{names.area}: unknown service area '{options.area}'; the organisation has "
            f"{', '.join(areas)}"
        ),
        no_source=(
            "which service area does each respondent belong to? No column's answers are "
            "all service areas. Name the column holding it with "
            f"{names.area_column} (and turn its answers into areas with {names.area_map}), "
            f"or give one service area for the whole file with {names.area}"
        ),
    )
    return _each_row(file, frame, source, names)


def mode_option(mode: str | None) -> str | None:
    return mode_lookup().get(match_key(mode)) if mode and mode.strip() else None


def modes_of(frame: pd.DataFrame, plan: ColumnPlan) -> pd.Series:
    header = plan.special.get("mode")
    if header is None:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[header].astype(str)
