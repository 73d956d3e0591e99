"""Reading a findings file back: its YAML checked whole, against the audit's themes and
findings, before anything is saved (`findings_file.import_findings` saves it).

    parse_findings_text(text, file, audit_id, themes, findings, stored)  # pure

Every problem is listed, located by line (1-based) and field, and raised together as
`FindingsFileError`. A part left out of an entry keeps what is stored; a part written
empty clears it; the reference fields (a finding's wording, severity, ...) are passed
over, since they are changed on the Findings page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import yaml

from sgaudit.errors import ImportError_
from sgaudit.store.auditor_analysis import AnalysisText

# The file's name for each part, and the store's.
PART_FIELDS: dict[str, str] = {
    "what_we_saw": "seen",
    "why_it_happens": "why",
    "impact_on_people": "impact",
    "what_helps": "helps",
}
# Shown for reference only (changed on the Findings page): passed over when read.
FINDING_REFERENCE = ("finding", "severity", "kind", "theme", "areas", "tiers")
THEME_REFERENCE = ("title",)


@dataclass(frozen=True)
class Subject:
    """A finding or theme the file may carry analysis for."""

    subject: str  # finding key, or theme:<id>
    theme: str
    title: str  # theme title, or the finding's wording
    severity: str = ""
    kind: str = ""
    areas: str = ""
    tiers: str = ""
    kind_id: str = ""
    tier_ids: tuple[str, ...] = ()
    area_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineProblem:
    """One problem in a findings file, located by line (1-based) and field."""

    file: str
    line: int | None
    field: str | None
    message: str
    more: int = 0  # as `errors.Problem.more`: a line standing for this many more problems

    @property
    def place(self) -> str:
        """Where in the file, in words (as `errors.Problem.place`)."""
        return f"line {self.line}" if self.line else ("" if self.field else "whole file")

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line else "")
        where += f", field '{self.field}'" if self.field else ""
        return f"{where}: {self.message}"


class FindingsFileError(ImportError_):
    """A findings file was refused; nothing was saved. `problems` lists every problem."""


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _duplicates(node: yaml.MappingNode) -> list[yaml.Node]:
    seen: set[str] = set()
    out = []
    for k, _v in node.value:
        if isinstance(k, yaml.ScalarNode):
            if k.value in seen:
                out.append(k)
            seen.add(k.value)
    return out


def _scalar_text(node: yaml.Node) -> str | None:
    """A text value as written (None if it is not text: a list or mapping)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    return "" if node.tag == "tag:yaml.org,2002:null" else node.value


def parse_findings_text(
    text: str,
    file: str,
    audit_id: int,
    themes: Sequence[Subject],
    findings: Sequence[Subject],
    stored: Mapping[str, AnalysisText],
) -> dict[str, AnalysisText]:
    """The analyses a findings file sets, by subject; raises FindingsFileError listing
    every problem (file, line, field). Pure: the store is not touched."""
    problems: list[LineProblem] = []

    def bad(node: yaml.Node | None, field: str | None, message: str) -> None:
        problems.append(LineProblem(file, _line(node), field, message))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        raise FindingsFileError(
            [LineProblem(file, line, None, f"not readable as YAML: {what}")]
        ) from None
    if not isinstance(root, yaml.MappingNode):
        raise FindingsFileError(
            [
                LineProblem(
                    file,
                    _line(root),
                    None,
                    "expected the findings file's fields (audit, themes, findings)",
                )
            ]
        )
    for k in _duplicates(root):
        bad(k, k.value, "appears twice")
    top = _mapping(root)
    for name, (k, _v) in top.items():
        if name not in ("audit", "organisation", "themes", "findings"):
            bad(k, name, "unknown field (expected audit, organisation, themes, findings)")
    if "audit" not in top:
        bad(root, "audit", "missing: the audit this file belongs to")
    else:
        k, v = top["audit"]
        if _scalar_text(v) != str(audit_id):
            bad(
                v,
                "audit",
                f"this file is for audit {_scalar_text(v) or '?'}, not audit "
                f"{audit_id}; export the file of audit {audit_id} instead",
            )
    known = {
        "themes": ({s.theme: s.subject for s in themes}, "theme", THEME_REFERENCE),
        "findings": ({s.subject: s.subject for s in findings}, "key", FINDING_REFERENCE),
    }
    out: dict[str, AnalysisText] = {}
    for section, (ids, id_field, reference) in known.items():
        if section not in top:
            continue
        k, seq = top[section]
        if _scalar_text(seq) == "":
            continue
        if not isinstance(seq, yaml.SequenceNode):
            bad(seq, section, "expected a list of entries, each starting with '- '")
            continue
        for entry in seq.value:
            if not isinstance(entry, yaml.MappingNode):
                bad(entry, section, "expected an entry with fields, not a single value")
                continue
            for dup in _duplicates(entry):
                bad(dup, dup.value, "appears twice in this entry")
            fields = _mapping(entry)
            if id_field not in fields:
                bad(
                    entry,
                    id_field,
                    f"missing: which {id_field[:-1] if section == 'findings' else 'theme'} "
                    "this entry is about",
                )
                continue
            id_node = fields[id_field][1]
            ident = _scalar_text(id_node) or ""
            subject = ids.get(ident)
            if subject is None:
                what = "finding" if section == "findings" else "theme"
                bad(
                    id_node,
                    id_field,
                    f"no {what} '{ident}' in this audit (it may have been "
                    "dismissed, or the data changed since the file was exported)",
                )
                continue
            if subject in out:
                bad(id_node, id_field, f"'{ident}' appears twice in the file")
                continue
            text = stored.get(subject, AnalysisText())
            ok = True
            for name, (fk, fv) in fields.items():
                if (
                    name == id_field
                    or name in reference
                    or (section == "findings" and name == "theme")
                ):
                    continue
                part = PART_FIELDS.get(name)
                if part is None:
                    bad(fk, name, "unknown field (expected " + ", ".join(PART_FIELDS) + ")")
                    ok = False
                    continue
                value = _scalar_text(fv)
                if value is None:
                    bad(fv, name, "expected text, not a list or a set of fields")
                    ok = False
                    continue
                text = replace(text, **{part: value.strip()})
            if ok:
                out[subject] = text
    if problems:
        raise FindingsFileError(problems)
    return out
