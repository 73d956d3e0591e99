"""docs/security.md documents every role, every action and every event the code has."""

from __future__ import annotations

from pathlib import Path

import pytest

from sgaudit.access.policy import ACTIONS, ROLE_LABELS, ROLES
from sgaudit.store.trail import EVENT_ACTIONS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_is_documented_by_code_name_and_label(role):
    assert f"`{role}`" in DOC and ROLE_LABELS[role] in DOC


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_has_a_row_in_the_table_of_what_each_role_may_do(action):
    assert f"| `{action}` |" in DOC


@pytest.mark.parametrize("event", EVENT_ACTIONS)
def test_every_event_of_the_trail_is_documented(event):
    section = DOC.split("## What the trail records", 1)[1]
    assert f"| `{event}` |" in section
