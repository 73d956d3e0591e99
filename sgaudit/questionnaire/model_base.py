"""The pydantic base every question-set model shares (structure and analysis settings).

Frozen, so an audit's snapshot cannot change under it; extra keys refused, so a
misspelt YAML field is an error rather than silently ignored; built on first use
(`defer_build`), so importing a question set's models costs no schema building.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
