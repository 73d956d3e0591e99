"""The template variable reference in docs/report.md, generated from `ReportContext`.

`python -m sgaudit.report.reference` prints it; `write_reference()` rewrites the
generated block of docs/report.md in place (between the BEGIN/END markers), and a
test fails when the file is out of date.
"""

from __future__ import annotations

import inspect
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from sgaudit.report.context import REFERENCE_MODELS

BEGIN = "<!-- BEGIN GENERATED: template variables (python -m sgaudit.report.reference) -->"
END = "<!-- END GENERATED: template variables -->"
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "report.md"


def _type_name(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(a) for a in args)
    if origin is typing.Literal:
        return "text"
    if origin in (list, tuple):
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if annotation is type(None):
        return "None"
    if annotation is typing.Any:
        return "picture"
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _model_section(model: type[BaseModel]) -> str:
    doc = inspect.cleandoc(model.__doc__ or "")
    lines = [f"### {model.__name__}", "", doc, "", "| Name | Type | What it is |", "|---|---|---|"]
    for name, field in model.model_fields.items():
        text = (field.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | {_type_name(field.annotation)} | {text} |")
    return "\n".join(lines)


def context_reference_markdown() -> str:
    """The variable reference: one table per context class, top level first."""
    intro = (
        "Generated from `sgaudit/report/context.py`; do not edit by hand. Top-level names "
        "are written as they are (`{{ organisation }}`); the others are reached through "
        "them (`{{ t.overall.text }}` inside `{%p for t in themes %}`)."
    )
    parts = [intro] + [_model_section(m) for m in REFERENCE_MODELS]
    return "\n\n".join(parts) + "\n"


def updated_docs(text: str) -> str:
    """`text` (docs/report.md) with its generated block replaced by the current reference."""
    if BEGIN not in text or END not in text:
        raise ValueError(f"docs/report.md needs the markers {BEGIN!r} and {END!r}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{context_reference_markdown()}{END}{tail}"


def write_reference(path: Path = DOCS_PATH) -> bool:
    """Rewrite the generated block of docs/report.md; True if the file changed."""
    old = path.read_text(encoding="utf-8")
    new = updated_docs(old)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old


if __name__ == "__main__":  # pragma: no cover
    print(context_reference_markdown())
