"""Who each respondent is: their tier, service area and mode, and whether they consented.

The role and service questions' answers become tier ids and service areas: ids and
labels directly (`front_line`, `Front-line staff and volunteers`), anything else
through the user's `--tier-map` / `--area-map`. Answers no map places are reported
once, with their rows and the option to use, rather than once per row.
"""

from __future__ import annotations

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


def tiers_of(file, frame, plan: ColumnPlan, options):
    """Each row's tier id (from --tier, or the tier column through --tier-map), and the
    problems: no source, both sources, or answers no map places."""
    header = plan.special.get("tier")
    names = options.names
    if options.tier:
        if header:
            return frame[header].astype(str), [
                Problem(
                    file,
                    None,
                    None,
                    (f"give either {names.tier} or a tier column ('{header}'), not both"),
                )
            ]
        fixed = tier_lookup().get(match_key(options.tier))
        if fixed is None:
            return pd.Series("", index=frame.index), [
                Problem(
                    file,
                    None,
                    None,
                    (
                        f"{names.tier}: unknown tier '{options.tier}'; expected one of "
                        f"{', '.join(CAPTURE_TIERS)}"
                    ),
                )
            ]
        return pd.Series(fixed, index=frame.index), []
    if header is None:
        return pd.Series("", index=frame.index), [
            Problem(
                file,
                None,
                None,
                (
                    "which tier does each respondent belong to? No column's answers are all tiers "
                    f"and none asks for a role. Name the column holding it with {names.tier_column} "
                    f"(and turn its answers into tiers with "
                    f"{_example(names.tier_map, 'Volunteer=front_line,...', names)}), "
                    f"or give one tier for the whole file with {names.tier}"
                ),
            )
        ]
    return _mapped(
        file,
        frame[header],
        frame[ROW],
        tier_lookup(),
        _value_map(options.tier_map, names.tier_map),
        header,
        names.tier_map,
        names,
        "tier",
        list(TIERS),
    )


def areas_of(file, frame, plan: ColumnPlan, options, areas: list[str]):
    """Each row's service area, like `tiers_of` with --area and --area-map."""
    header = plan.special.get("service_area")
    lookup = area_lookup(areas)
    names = options.names
    if options.area:
        if header:
            return frame[header].astype(str), [
                Problem(
                    file,
                    None,
                    None,
                    (f"give either {names.area} or a service area column ('{header}'), not both"),
                )
            ]
        fixed = lookup.get(match_key(options.area))
        if fixed is None:
            return pd.Series("", index=frame.index), [
                Problem(
                    file,
                    None,
                    None,
                    (
                        f"{names.area}: unknown service area '{options.area}'; the organisation has "
                        f"{', '.join(areas)}"
                    ),
                )
            ]
        return pd.Series(fixed, index=frame.index), []
    if header is None:
        return pd.Series("", index=frame.index), [
            Problem(
                file,
                None,
                None,
                (
                    "which service area does each respondent belong to? No column's answers are "
                    "all service areas. Name the column holding it with "
                    f"{names.area_column} (and turn its answers into areas with {names.area_map}), "
                    f"or give one service area for the whole file with {names.area}"
                ),
            )
        ]
    return _mapped(
        file,
        frame[header],
        frame[ROW],
        lookup,
        _value_map(options.area_map, names.area_map),
        header,
        names.area_map,
        names,
        "service area",
        areas,
    )


def mode_option(mode: str | None) -> str | None:
    return mode_lookup().get(match_key(mode)) if mode and mode.strip() else None


def modes_of(frame: pd.DataFrame, plan: ColumnPlan) -> pd.Series:
    header = plan.special.get("mode")
    if header is None:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[header].astype(str)
