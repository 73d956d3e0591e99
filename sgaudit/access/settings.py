"""Sign-in and trail settings, held in data (settings.yaml) with an override file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

ENV_SETTINGS = "SGAUDIT_ACCESS_SETTINGS"
DEFAULTS = Path(__file__).resolve().parent / "settings.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PasswordSettings(_Strict):
    min_length: int = Field(12, ge=8)
    max_length: int = Field(256, ge=64)


class ThrottleSettings(_Strict):
    window_minutes: int = Field(15, ge=1)
    per_account: int = Field(5, ge=1)
    per_address: int = Field(20, ge=1)


class SessionSettings(_Strict):
    idle_minutes: int = Field(30, ge=1)


class TrailSettings(_Strict):
    audit_retention_years: int = Field(6, ge=1)
    extra_years: int = Field(1, ge=0)


class AccessSettings(_Strict):
    password: PasswordSettings = PasswordSettings()
    throttle: ThrottleSettings = ThrottleSettings()
    session: SessionSettings = SessionSettings()
    trail: TrailSettings = TrailSettings()


@lru_cache(maxsize=8)
def _load(path: str) -> AccessSettings:
    from sgaudit.errors import SgauditError

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return AccessSettings.model_validate(raw)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise SgauditError(f"{path}: the access settings cannot be read: {exc}") from None


def access_settings() -> AccessSettings:
    """The settings in force: $SGAUDIT_ACCESS_SETTINGS if set, else the shipped defaults."""
    return _load(os.environ.get(ENV_SETTINGS) or str(DEFAULTS))
