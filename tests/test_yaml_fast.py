"""The question sets and frameworks are parsed by libyaml (C) when it is there, with the
same limits as the pure-Python loader: the same documents, refused at the same depth."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sgaudit.limits import MAX_YAML_DEPTH, safe_load_yaml

REPO = Path(__file__).resolve().parents[1]


def _both(text: str, monkeypatch) -> tuple[object, object]:
    """(result with libyaml, result with the pure-Python loader); an error as its message."""

    def load():
        try:
            return safe_load_yaml(text)
        except yaml.YAMLError as exc:
            return f"refused: {exc}" if "levels deep" in str(exc) else "invalid"

    fast = load()
    with monkeypatch.context() as m:
        m.delattr(yaml, "CSafeLoader")
        slow = load()
    return fast, slow


def test_libyaml_is_used_here():
    assert hasattr(yaml, "CSafeLoader")  # else the fast path is never tested


@pytest.mark.parametrize("depth", [1, MAX_YAML_DEPTH - 2, MAX_YAML_DEPTH - 1, MAX_YAML_DEPTH, 1000])
@pytest.mark.parametrize("style", ["flow", "block", "mapping"])
def test_nesting_is_refused_at_the_same_depth_by_both_loaders(depth, style, monkeypatch):
    if style == "flow":
        text = "theme: " + "[" * depth + "1" + "]" * depth + "\n"
    elif style == "block":
        text = "theme:\n" + "".join("  " * (i + 1) + "-\n" for i in range(depth - 1))
        text += "  " * depth + "- 1\n"
    else:
        text = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
    levels = depth if style == "mapping" else depth + 1  # collections around the scalar
    fast, slow = _both(text, monkeypatch)
    assert fast == slow
    assert str(fast).startswith("refused") == (levels >= MAX_YAML_DEPTH)


def test_every_bundled_question_set_file_reads_the_same_with_both_loaders(monkeypatch):
    files = sorted((REPO / "questionnaires").rglob("*.yaml"))
    assert files
    for file in files:
        fast, slow = _both(file.read_text(encoding="utf-8"), monkeypatch)
        assert fast == slow, file
    fast, slow = _both("a: [1, 2\nb: {", monkeypatch)
    assert fast == slow == "invalid"
