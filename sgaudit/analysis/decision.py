"""One suppression decision per audit, consulted by every output of that audit.

`analyse`, `compare`, the report, the app and the exports all publish from the same
`SuppressionDecision`, computed once from the audit's own answers. A cell hidden in
one output of an audit is hidden in all of them, so putting two outputs side by side
(the audit's analysis and a comparison that uses fewer questions, for example) never
shows a cell that the other hides, and the difference of the two cannot give a hidden
group away.

The decision lists the hidden cells as (theme, tier, service_area), with None for
"every tier" / "every area": (theme, None, None) is the theme's overall cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from sgaudit.vocab import SUPPRESSION_FLOOR

CellKey = tuple[str, str | None, str | None]

__all__ = ["SUPPRESSION_FLOOR", "CellKey", "SuppressionDecision", "forced_mask"]


@dataclass(frozen=True)
class SuppressionDecision:
    """Which cells of one audit are hidden (small groups and the cells that protect them).

    `hidden` is every hidden cell; `small_groups` the subset below `minimum` people.
    `hidden_aspects` holds the themes whose paper and practice scores are withheld.
    """

    minimum: int
    hidden: frozenset[CellKey]
    small_groups: frozenset[CellKey]
    hidden_aspects: frozenset[str] = frozenset()

    def hides(self, theme: str, tier: str | None = None, service_area: str | None = None) -> bool:
        """True when the cell (theme, tier, area) must not be shown in any output."""
        return (str(theme), tier, service_area) in self.hidden

    def shown_tiers(self, theme: str, tiers: Iterable[str]) -> list[str]:
        """The tiers of `tiers` whose theme-wide cell may be shown."""
        return [t for t in tiers if not self.hides(theme, t)]

    @classmethod
    def from_tables(
        cls,
        minimum: int,
        overall: pd.DataFrame,
        by_tier: pd.DataFrame,
        by_area: pd.DataFrame,
        by_tier_area: pd.DataFrame,
        hidden_aspects: Iterable[str] = (),
    ) -> SuppressionDecision:
        hidden: set[CellKey] = set()
        small: set[CellKey] = set()
        for frame in (overall, by_tier, by_area, by_tier_area):
            for key, why in zip(_cell_keys(frame), frame["suppression"].to_numpy(), strict=True):
                if why:
                    hidden.add(key)
                    if why == "small_group":
                        small.add(key)
        return cls(minimum, frozenset(hidden), frozenset(small), frozenset(hidden_aspects))


def _cell_keys(frame: pd.DataFrame) -> list[CellKey]:
    themes = frame["theme"].astype(str).tolist()
    tiers = frame["tier"].astype(str).tolist() if "tier" in frame else [None] * len(frame)
    areas = (
        frame["service_area"].astype(str).tolist()
        if "service_area" in frame
        else [None] * len(frame)
    )
    return list(zip(themes, tiers, areas, strict=True))


def forced_mask(frame: pd.DataFrame, decision: SuppressionDecision | None) -> pd.Series:
    """Rows of a cell frame that `decision` hides (all False when there is no decision)."""
    if decision is None or not decision.hidden or frame.empty:
        return pd.Series(False, index=frame.index)
    keys = _cell_keys(frame)
    return pd.Series([k in decision.hidden for k in keys], index=frame.index)
