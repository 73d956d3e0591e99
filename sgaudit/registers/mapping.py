"""The indicator map and register settings, loaded from `indicator_map.yaml` (data, not code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sgaudit.registers.schema import DBS_LEVELS, REGISTER_KINDS
from sgaudit.vocab import check_suppression_min

INDICATOR_MAP_FILE = Path(__file__).with_name("indicator_map.yaml")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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


Level = Literal["low", "medium", "high"]


class RecordRule(_Model):
    """When one indicator's figure is a finding, and how severe: `below` thresholds
    (percent, for a share) or `gap_at_least` thresholds (points, for a gap), by severity."""

    below: dict[Level, float] = Field(default_factory=dict)
    gap_at_least: dict[Level, float] = Field(default_factory=dict)

    @field_validator("below", "gap_at_least")
    @classmethod
    def _in_range(cls, v: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= x <= 100 for x in v.values()):
            raise ValueError("thresholds are percent or points, 0 to 100")
        return v

    def severity(self, figure: float) -> Level | None:
        """The most severe level `figure` reaches (a share in percent for `below`, a gap in
        points for `gap_at_least`), or None when it reaches none."""
        for level in ("high", "medium", "low"):
            if level in self.below and figure < self.below[level]:
                return level
            if level in self.gap_at_least and figure >= self.gap_at_least[level]:
                return level
        return None


class IndicatorMap(_Model):
    settings: RegisterSettings
    indicators: tuple[IndicatorDef, ...]
    record_findings: dict[str, RecordRule] = Field(default_factory=dict)
    evidence_gap_questions: dict[Literal["interviews_higher", "records_higher"], tuple[str, ...]]

    @model_validator(mode="after")
    def _rules_name_indicators(self) -> IndicatorMap:
        from sgaudit.registers.record_findings import RULES  # the checks read the models

        known = {d.id for d in self.indicators}
        for key in self.record_findings:
            if key not in known or key not in RULES:
                raise ValueError(
                    f"record_findings: '{key}' is not an indicator with a record check "
                    f"({', '.join(sorted(RULES))})"
                )
        return self

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
    # the file ships with sgaudit: parsed by libyaml when PyYAML has it (a tenth of the time)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(INDICATOR_MAP_FILE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
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
