"""What the user chose for a survey import, and how their shell names each choice.

Messages ask the user to do something ("give the tier map"); the command line and
the app offer the same choices under different names (`--tier-map`, or the page's
"Role answers as tiers" field), so every message takes the name from `OptionNames`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class OptionNames:
    """How the shell running an import names each choice, as a message should say it."""

    tier_column: str = "--tier-column COLUMN"
    area_column: str = "--area-column COLUMN"
    tier: str = "--tier"
    area: str = "--area"
    tier_map: str = "--tier-map"
    area_map: str = "--area-map"
    ignore_column: str = "--ignore-column"
    column_map: str = "a map file (--map FILE; --write-map FILE writes one to complete)"
    # A map example is quoted after the name: --tier-map "Volunteer=front_line".
    quote_maps: bool = True


CLI_NAMES = OptionNames()


@dataclass(frozen=True)
class SurveyOptions:
    tier_column: str | None = None
    area_column: str | None = None
    tier: str | None = None
    area: str | None = None
    tier_map: str | None = None
    area_map: str | None = None
    column_map: str | Path | None = None
    write_map: str | Path | None = None
    mode: str | None = None
    auditor: str = ""
    ignore_columns: tuple[str, ...] = ()
    encoding: str | None = None
    names: OptionNames = field(default=CLI_NAMES)
