"""`sgaudit survey-form`: forms that survey tools load, and whose answers come back in."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pyxform.xls2xform import convert
from test_sheets_support import AREAS, tiny_set

from sgaudit.questionnaire import load_question_set
from sgaudit.surveys.forms import build_form, form_text, write_form
from sgaudit.vocab import TIERS

CORE = load_question_set()
JAVA = shutil.which("java") is not None


def sheet(path: Path, name: str) -> list[dict]:
    ws = load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def instance_paths(xform: str) -> list[str]:
    """The paths of the fields a submission holds (`training/TRN-12`, `meta/instanceID`),
    read from the XForm pyxform built: the columns of an 'XML values and headers' export."""
    ns = {"x": "http://www.w3.org/2002/xforms"}
    root = ET.fromstring(xform).find(".//x:model/x:instance", ns)[0]
    paths: list[str] = []

    def walk(el, prefix):
        for child in el:
            name = prefix + child.tag.split("}")[-1]
            if len(child):
                walk(child, name + "/")
            else:
                paths.append(name)

    walk(root, "")
    return paths


@pytest.mark.parametrize(
    ("qs", "tier"),
    [(CORE, t) for t in TIERS]
    + [(tiny_set(), t) for t in ("service_user", "front_line", "dsl", "board")],
    ids=[f"core-{t}" for t in TIERS] + [f"custom-{t}" for t in ("su", "fl", "dsl", "board")],
)
def test_every_tier_form_converts_with_pyxform_and_passes_odk_validate(tmp_path, qs, tier):
    form = build_form(qs, tier, AREAS)
    path = tmp_path / "form.xlsx"
    write_form(form, path, "xlsform")
    # ODK Validate (the jar pyxform ships) runs wherever Java is installed: always in CI.
    result = convert(xlsform=str(path), validate=JAVA, pretty_print=False)
    paths = instance_paths(result.xform)
    asked = [q.id for q in qs.questions_for_tier(tier)]
    assert [p.rsplit("/", 1)[-1] for p in paths] == [
        "start", "end", "consent", "tier", "service_area", "mode", "sgaudit_set", *asked,
        "instanceID",
    ]  # fmt: skip
    assert f'id="{qs.id}_{tier}" version="{qs.version}"' in result.xform


def test_odk_validate_really_runs_where_java_is_installed(tmp_path):
    """A form pyxform accepts but JavaRosa cannot run is refused, so the checks above are
    ODK Validate's and not only pyxform's."""
    if not JAVA:
        pytest.skip("no Java on this machine; CI installs a headless JRE so it runs there")
    import pyxform
    from openpyxl import Workbook
    from pyxform.validators.odk_validate import ODKValidateError

    jar = Path(pyxform.__file__).parent / "validators/odk_validate/bin/ODK_Validate.jar"
    assert jar.is_file()  # shipped in pyxform's wheel: nothing is downloaded at run time
    wb = Workbook()
    wb.active.title = "survey"
    for row in (["type", "name", "label", "relevant"], ["text", "a", "A", ""],
                ["text", "b", "B", "no_such_function(${a})"]):  # fmt: skip
        wb["survey"].append(row)
    wb.save(tmp_path / "broken.xlsx")
    convert(xlsform=str(tmp_path / "broken.xlsx"), validate=False)
    with pytest.raises(ODKValidateError, match="no_such_function"):
        convert(xlsform=str(tmp_path / "broken.xlsx"), validate=True)


def test_the_xlsform_names_fields_by_question_id_and_choices_by_scale_value(tmp_path):
    form = build_form(CORE, "front_line", AREAS)
    write_form(form, tmp_path / "f.xlsx", "xlsform")
    survey = sheet(tmp_path / "f.xlsx", "survey")
    assert [r["type"] for r in survey[:3]] == ["start", "end", "select_one yes_no"]
    questions = [r for r in survey if r["type"].startswith(("select_one", "text"))]
    assert [r["name"] for r in questions[:4]] == ["consent", "tier", "service_area", "mode"]
    rec01 = next(r for r in questions if r["name"] == "REC-01")
    assert rec01["type"] == "select_one agree5"
    assert rec01["label"] == CORE.questions_by_id["REC-01"].wording("front_line")
    choices = {(r["list_name"], r["name"]) for r in sheet(tmp_path / "f.xlsx", "choices")}
    assert {("agree5", "strongly_disagree"), ("agree5", "dont_know"), ("agree5", "na"),
            ("yes_partly_no", "partly"), ("tiers", "front_line"),
            ("areas", "supported_housing")} <= choices  # fmt: skip
    (settings,) = sheet(tmp_path / "f.xlsx", "settings")
    assert (settings["form_id"], settings["version"]) == ("core_front_line", "2")


def test_the_service_user_form_uses_the_easy_read_wording(tmp_path):
    form = build_form(CORE, "service_user", AREAS)
    for q in form.questions:
        assert q.label == CORE.questions_by_id[q.id].wording("service_user")
    assert ("easy3", "dont_know", "I don't know") in form.choices


def test_the_text_form_puts_each_id_at_the_start_of_its_title():
    text = form_text(build_form(CORE, "manager", AREAS))
    for q in CORE.questions_for_tier("manager"):
        assert f"\n{q.id} {q.wording('manager')}\n" in text
    assert "    ( ) Strongly disagree" in text and "    ( ) Supported Housing" in text


def test_the_paper_form_lists_every_question_with_boxes(tmp_path):
    write_form(build_form(CORE, "board", AREAS), tmp_path / "board.docx", "docx")
    text = "\n".join(p.text for p in Document(tmp_path / "board.docx").paragraphs)
    for q in CORE.questions_for_tier("board"):
        assert f"{q.id}  {q.wording('board')}" in text
    assert "\u2610\u00a0Strongly agree" in text


def test_survey_form_command_writes_the_file(run, tmp_path):
    from test_sheets_support import make_audit

    url = f"sqlite:///{tmp_path / 's.db'}"
    audit_id = make_audit(url, CORE)
    out = tmp_path / "staff.xlsx"
    code, stdout, err = run(
        "survey-form", audit_id, "--tier", "front_line", "--format", "xlsform", "--out", out,
        "--db", url,
    )  # fmt: skip
    assert code == 0, err
    assert "94 questions for front_line, question set core v2" in stdout
    assert out.is_file()
    code, _, err = run("survey-form", audit_id, "--tier", "trustee", "--out", out, "--db", url)
    assert code == 1 and "unknown tier 'trustee'" in err


def test_a_form_offers_the_areas_the_plan_hears_that_tier_in(run, tmp_path):
    """The fieldwork plan says where each tier is heard: a form for people who use
    services does not offer the area that holds only the leadership, and a tier with no
    plan yet is offered every area."""
    from test_sheets_support import make_audit

    from sgaudit.store import repo
    from sgaudit.store.db import session_scope
    from sgaudit.store.fieldwork_plan import set_planned

    url = f"sqlite:///{tmp_path / 's.db'}"
    audit_id = make_audit(url, CORE)
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        set_planned(s, audit, "service_user", "Youth Services", 6)
        set_planned(s, audit, "service_user", "Supported Housing", 4)
        set_planned(s, audit, "board", "Community Hub", 5)

    def offered(tier: str) -> list[str]:
        out = tmp_path / f"{tier}.txt"
        code, _, err = run(
            "survey-form", audit_id, "--tier", tier, "--format", "text", "--out", out, "--db", url
        )
        assert code == 0, err
        lines = out.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("service_area "))
        options = []
        for line in lines[start + 1 :]:
            if not line.startswith("    ( ) "):
                return options
            options.append(line.removeprefix("    ( ) "))
        return options

    # in the organisation's order, not the order planned
    assert offered("service_user") == ["Supported Housing", "Youth Services"]
    assert offered("board") == ["Community Hub"]
    assert offered("front_line") == AREAS
