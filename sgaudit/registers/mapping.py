"""The indicator map and register settings, loaded from `indicator_map.yaml` (data, not code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from sgaudit.registers.schema import DBS_LEVELS, REGISTER_KINDS
from sgaudit.vocab import check_suppression_min

INDICATOR_MAP_FILE = Path(__file__).with_name("indicator_map.yaml")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegisterSettings(_Model):
    """Thresholds for the register indicators and triangulation; defaults in indicator_map.yaml."""

    suppression_min: int
    weak_score: float = Field(ge=0, le=100)
    evidence_gap_points: float = Field(gt=0, le=100)
    induction_lookback_years: int = Field(ge=1)
    cpd_log_default_months: int = Field(ge=1)
    required_dbs_level: Literal[DBS_LEVELS]  # type: ignore[valid-type]
    required_references: int = Field(ge=0)
    policy_review_years: int = Field(ge=1)
    triage_target_days: int = Field(ge=0)
    referral_target_days: int = Field(ge=0)
    long_open_days: int = Field(ge=1)
    open_age_bands: tuple[int, ...] = Field(min_length=1)

    _floor = field_validator("suppression_min")(check_suppression_min)

    @field_validator("open_age_bands")
    @classmethod
    def _bands_increase(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if list(v) != sorted(set(v)) or v[0] < 1:
            raise ValueError("open_age_bands must be strictly increasing whole days, from 1")
        return v

    def updated(self, **changes: Any) -> RegisterSettings:
        """A copy with some settings changed (validated)."""
        return RegisterSettings.model_validate({**self.model_dump(), **changes})


class IndicatorDef(_Model):
    id: str
    register_kind: Literal[REGISTER_KINDS]  # type: ignore[valid-type]
    label: str
    themes: dict[str, tuple[str, ...]] = Field(min_length=1)


class IndicatorMap(_Model):
    settings: RegisterSettings
    indicators: tuple[IndicatorDef, ...]
    evidence_gap_questions: dict[Literal["interviews_higher", "records_higher"], tuple[str, ...]]

    def get(self, indicator_id: str) -> IndicatorDef:
        for d in self.indicators:
            if d.id == indicator_id:
                return d
        raise KeyError(indicator_id)

    def codes(self) -> set[str]:
        return {c for d in self.indicators for codes in d.themes.values() for c in codes}


@cache
def indicator_map() -> IndicatorMap:
    """The shipped indicator map (validated once; a broken file fails loudly at first use)."""
    raw = yaml.safe_load(INDICATOR_MAP_FILE.read_text(encoding="utf-8"))
    raw["indicators"] = [
        {"id": key, "register_kind": value.pop("register", None), **value}
        for key, value in raw["indicators"].items()
    ]
    return IndicatorMap.model_validate(raw)


def default_settings() -> RegisterSettings:
    return indicator_map().settings


def settings_from(settings: Any = None, **changes: Any) -> RegisterSettings:
    """RegisterSettings from None (defaults), a RegisterSettings, or the question set's
    AnalysisSettings (its suppression_min, weak_score and, when it has one,
    evidence_gap_points are used so interviews and records share one threshold)."""
    if settings is None:
        base = default_settings()
    elif isinstance(settings, RegisterSettings):
        base = settings
    else:
        shared = {
            name: getattr(settings, name)
            for name in ("suppression_min", "weak_score", "evidence_gap_points")
            if getattr(settings, name, None) is not None
        }
        base = default_settings().updated(**shared)
    return base.updated(**changes) if changes else base
