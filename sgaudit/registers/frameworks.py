"""Role-group training frameworks held as YAML: models, loader and organisation overrides.

A framework lists role groups and what each must complete: refresher hours per rolling
period, an induction window for people new in post, whether a CPD log is expected and
the learning modes recommended. A number the source does not give is null ("not set"):
it is never invented, and the organisation can set it with `with_overrides`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sgaudit.errors import SgauditError
from sgaudit.limits import MAX_YAML_BYTES, LimitExceeded, read_limited_text, safe_load_yaml

FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "frameworks"

# The `mode` of a learning record in the training register.
LEARNING_MODES: tuple[str, ...] = (
    "e_learning",
    "virtual_classroom",
    "face_to_face",
    "self_directed",
    "meeting",
    "other",
)
# The `kind` of a learning record: taught training, CPD outside training, induction.
LEARNING_KINDS: tuple[str, ...] = ("course", "cpd", "induction")
COMPETENCY_EVIDENCE: tuple[str, ...] = ("induction", "probation", "appraisal", "supervision")


class FrameworkError(SgauditError):
    """A framework file or an organisation override is missing, unreadable or invalid.

    `problems` lists every problem, each naming the file and the path inside it.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Refresher(_Model):
    """At least `hours` of training in every rolling period of `period_years`."""

    hours: float | None = Field(None, gt=0)
    period_years: int | None = Field(None, ge=1, le=10)

    @property
    def is_set(self) -> bool:
        return self.hours is not None and self.period_years is not None


class Induction(_Model):
    """What a person new in post completes, and within how many calendar months."""

    within_months: int | None = Field(None, ge=1, le=36)
    hours: float | None = Field(None, gt=0)
    self_directed: bool = False
    note: str = ""


class CpdLog(_Model):
    """Whether a formal CPD log of learning outside training is expected."""

    expected: bool | None = None
    within_months: int | None = Field(None, ge=1, le=60)


class Learning(_Model):
    """How the learning should be delivered (recommendations, reported not scored)."""

    modes: tuple[Literal[LEARNING_MODES], ...] = ()  # type: ignore[valid-type]
    multi_agency: Literal["expected", "where_possible", "not_stated"] = "not_stated"
    single_agency_specialist: bool = False
    note: str = ""


class RoleGroup(_Model):
    id: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1)
    description: str = ""
    refresher: Refresher = Refresher()
    induction: Induction = Induction()
    cpd_log: CpdLog = CpdLog()
    learning: Learning = Learning()
    competency_evidence: tuple[Literal[COMPETENCY_EVIDENCE], ...] = ()  # type: ignore[valid-type]

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: Any) -> Any:
        # `id: 1` in YAML is an int; group ids are compared with register text.
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class Framework(_Model):
    """A whole role-group framework; `snapshot()` is what an audit keeps."""

    id: str = Field(min_length=1)
    title: str
    version: int = Field(ge=1)
    description: str = ""
    source: str = ""
    dsl_groups: tuple[str, ...] = ()
    groups: tuple[RoleGroup, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _groups_consistent(self) -> Framework:
        ids = [g.id for g in self.groups]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"group id listed twice: {', '.join(dupes)}")
        unknown = [g for g in self.dsl_groups if g not in ids]
        if unknown:
            raise ValueError(
                f"dsl_groups names unknown {'group' if len(unknown) == 1 else 'groups'} "
                f"{', '.join(unknown)}; groups are {', '.join(ids)}"
            )
        return self

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def group(self, group_id: str) -> RoleGroup:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def unset_requirements(self) -> list[str]:
        """Plain lines naming every requirement this framework leaves to the organisation."""
        out = []
        for g in self.groups:
            if g.refresher.hours is None or g.refresher.period_years is None:
                out.append(f"group {g.id}: refresher hours per period")
            if g.induction.within_months is None:
                out.append(f"group {g.id}: induction window (months)")
            if g.cpd_log.expected is None:
                out.append(f"group {g.id}: whether a CPD log is expected")
        return out

    def requirements_frame(self) -> pd.DataFrame:
        """One row per group: the numbers the training indicators check against."""
        return pd.DataFrame(
            {
                "role_group": [g.id for g in self.groups],
                "group_name": [g.name for g in self.groups],
                "refresher_hours": [g.refresher.hours for g in self.groups],
                "refresher_period_years": [g.refresher.period_years for g in self.groups],
                "induction_within_months": [g.induction.within_months for g in self.groups],
                "cpd_expected": [g.cpd_log.expected for g in self.groups],
                "cpd_within_months": [g.cpd_log.within_months for g in self.groups],
                "is_dsl_group": [g.id in self.dsl_groups for g in self.groups],
                "order": list(range(len(self.groups))),
            }
        ).astype(
            {
                "refresher_hours": "Float64",
                "refresher_period_years": "Int64",
                "induction_within_months": "Int64",
                "cpd_expected": "boolean",
                "cpd_within_months": "Int64",
            }
        )

    def with_overrides(self, overrides: dict[str, Any], source: str = "<overrides>") -> Framework:
        """The organisation's own numbers laid over this framework.

        `overrides` is `{"dsl_groups": [...], "groups": {group_id: {field: value}}}`, the
        same shape as the framework's groups (nested fields merged one level deep).
        Raises FrameworkError naming `source` and the path of every problem.
        """
        problems: list[str] = []
        if not isinstance(overrides, dict):
            raise FrameworkError([f"{source}: (top level): expected a mapping"])
        extra = sorted(set(overrides) - {"framework", "dsl_groups", "groups"})
        for key in extra:
            problems.append(f"{source}: {key}: unknown field (use dsl_groups or groups)")
        wanted = overrides.get("framework")
        if wanted is not None and wanted != self.id:
            problems.append(f"{source}: framework: overrides are for '{wanted}', not '{self.id}'")
        data = self.model_dump(mode="python")
        by_id = {g["id"]: g for g in data["groups"]}
        group_overrides = overrides.get("groups") or {}
        if not isinstance(group_overrides, dict):
            problems.append(f"{source}: groups: expected a mapping of group id to fields")
            group_overrides = {}
        for gid, fields in group_overrides.items():
            gid = str(gid)
            if gid not in by_id:
                problems.append(
                    f"{source}: groups.{gid}: unknown group; {self.id} has {', '.join(by_id)}"
                )
                continue
            if not isinstance(fields, dict):
                problems.append(f"{source}: groups.{gid}: expected a mapping of fields")
                continue
            by_id[gid].update(_merge_one_level(by_id[gid], fields))
        if "dsl_groups" in overrides:
            data["dsl_groups"] = overrides["dsl_groups"] or []
        if problems:
            raise FrameworkError(problems)
        try:
            return Framework.model_validate(data)
        except ValidationError as exc:
            # an override names groups by id, so its problems do too: groups.B.refresher.hours
            problems = [
                re.sub(r"groups\[\d+\] \(([^)]*)\)", r"groups.\1", p)
                for p in _validation_problems(source, exc, self)
            ]
            raise FrameworkError(problems) from exc

    def snapshot(self) -> dict:
        return self.model_dump(mode="json")


class FrameworkSummary(_Model):
    id: str
    title: str
    version: int
    path: str


def _merge_one_level(base: dict, top: dict) -> dict:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _loc(loc: tuple[Any, ...], framework: Framework | dict | None = None) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
            # name the group as well as its position: "groups[4] (E)"
            if i > 0 and loc[i - 1] == "groups" and framework is not None:
                groups = framework.get("groups") if isinstance(framework, dict) else None
                if isinstance(framework, Framework) and part < len(framework.groups):
                    out += f" ({framework.groups[part].id})"
                elif (
                    isinstance(groups, list)
                    and part < len(groups)
                    and isinstance(groups[part], dict)
                ):
                    out += f" ({groups[part].get('id', '?')})"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _validation_problems(file: Any, err: ValidationError, framework: Any = None) -> list[str]:
    return [
        f"{file}: {_loc(e['loc'], framework)}: {e['msg'].removeprefix('Value error, ')}"
        for e in err.errors()
    ]


def _read_yaml(file: Path) -> dict:
    try:
        text = read_limited_text(file, MAX_YAML_BYTES, "YAML file")
    except LimitExceeded as exc:
        raise FrameworkError([f"{file}: {exc}"]) from None
    try:
        data = safe_load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise FrameworkError(
            [f"{file}: is not valid YAML{where}: {getattr(exc, 'problem', exc)}"]
        ) from exc
    if not isinstance(data, dict):
        raise FrameworkError([f"{file}: (top level): expected a mapping of fields"])
    return data


def _resolve(path_or_id: str | Path) -> Path:
    path = Path(path_or_id)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return FRAMEWORKS_DIR / f"{path_or_id}.yaml"


def load_framework(
    path_or_id: str | Path, overrides: dict[str, Any] | str | Path | None = None
) -> Framework:
    """Load and validate a framework file (or a shipped one by id, e.g. "wales_national").

    `overrides` (a dict or a YAML file, see `Framework.with_overrides`) sets the
    organisation's own numbers. Raises FrameworkError listing every problem.
    """
    file = _resolve(path_or_id)
    if not file.is_file():
        known = ", ".join(s.id for s in list_frameworks())
        raise FrameworkError([f"{file}: no such framework file (shipped frameworks: {known})"])
    raw = _read_yaml(file)
    defaults = raw.pop("defaults", None) or {}
    if not isinstance(defaults, dict):
        raise FrameworkError([f"{file}: defaults: expected a mapping of group fields"])
    groups = raw.get("groups")
    if isinstance(groups, list):
        raw["groups"] = [
            _merge_one_level(defaults, g) if isinstance(g, dict) else g for g in groups
        ]
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as exc:
        raise FrameworkError(_validation_problems(file, exc, raw)) from exc
    if overrides is None:
        return framework
    if isinstance(overrides, str | Path):
        return framework.with_overrides(_read_yaml(Path(overrides)), source=str(overrides))
    return framework.with_overrides(overrides)


def list_frameworks(folder: str | Path | None = None) -> list[FrameworkSummary]:
    """The frameworks shipped in `frameworks/` (or `folder`), sorted by id.

    A file that fails to load is left out; `load_framework` on it names the problem.
    """
    root = Path(folder) if folder is not None else FRAMEWORKS_DIR
    out = []
    for file in sorted(root.glob("*.y*ml")):
        try:
            fw = load_framework(file)
        except FrameworkError:
            continue
        out.append(FrameworkSummary(id=fw.id, title=fw.title, version=fw.version, path=str(file)))
    return sorted(out, key=lambda s: s.id)


def framework_from_snapshot(snapshot: dict) -> Framework:
    """Rebuild the exact framework an audit was analysed with from its stored snapshot."""
    try:
        return Framework.model_validate(snapshot)
    except ValidationError as exc:
        raise FrameworkError(_validation_problems("<audit snapshot>", exc)) from exc
