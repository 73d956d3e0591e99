"""Survey forms out: one tier's questions as an XLSForm, as text to paste, or on paper.

Every form carries what its answers need to come back in without hand edits:

- **xlsform** (ODK Collect, KoboToolbox): field names are question ids, choice names
  are scale values, `form_id` is the set id and the tier, `version` the set's version,
  and a hidden `sgaudit_set` field (`core v2`) is kept in every submission so the
  import can refuse answers given to another version. A consent question comes first;
  the tier, service area and mode follow; each theme is a group (exported as
  `theme/QUESTION-ID`).
- **text**: each question's title starts with its id (`REC-01 Before I started...`),
  so a Microsoft Forms or Google Forms export matches by id, and the options are the
  scale's labels, which the import reads.
- **docx**: a printable paper form with boxes to tick.
Labels use the tier's own wording, which for `service_user` is the set's easy read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sgaudit.errors import SgauditError
from sgaudit.questionnaire import QuestionSet
from sgaudit.questionnaire.models import AnswerScale
from sgaudit.surveys.matching import FORM_FIELDS
from sgaudit.surveys.versions import SET_FIELD, set_label
from sgaudit.vocab import (
    ANSWER_DONT_KNOW,
    ANSWER_NA,
    CAPTURE_TIERS,
    MODE_LABELS,
    RESERVED_ANSWERS,
    SELF_ASSESSMENT,
    TIER_LABELS,
    TIERS,
)

FORM_FORMATS: tuple[str, ...] = ("xlsform", "text", "docx")
FORM_MODES: tuple[str, ...] = ("survey", "interview", "focus_group")
SURVEY_COLUMNS: tuple[str, ...] = (
    "type", "name", "label", "hint", "required", "relevant", "default", "calculation",
)  # fmt: skip
CHOICE_COLUMNS: tuple[str, ...] = ("list_name", "name", "label")
SETTINGS_COLUMNS: tuple[str, ...] = ("form_title", "form_id", "version", "default_language")
EASY_READ_ANSWERS = {ANSWER_DONT_KNOW: "I don't know", ANSWER_NA: "Not for me"}


@dataclass(frozen=True)
class FormQuestion:
    id: str
    label: str
    theme: str
    theme_title: str
    list_name: str | None  # None: a free-text question


@dataclass(frozen=True)
class SurveyForm:
    """One tier's form, ready to be written in any format."""

    title: str
    form_id: str
    version: str
    set_label: str
    tier: str
    areas: tuple[str, ...]
    questions: tuple[FormQuestion, ...]
    choices: tuple[tuple[str, str, str], ...]  # (list_name, name, label)


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()
    return slug if slug and not slug[0].isdigit() else f"x_{slug}"


def _scale_choices(name: str, scale: AnswerScale, easy: bool) -> list[tuple[str, str, str]]:
    rows = [(name, p.value, p.label) for p in scale.points]
    labels = EASY_READ_ANSWERS if easy else RESERVED_ANSWERS
    if scale.allow_dont_know:
        rows.append((name, ANSWER_DONT_KNOW, labels[ANSWER_DONT_KNOW]))
    if scale.allow_na:
        rows.append((name, ANSWER_NA, labels[ANSWER_NA]))
    return rows


def build_form(qs: QuestionSet, tier: str, areas: list[str]) -> SurveyForm:
    """The form of `tier`'s questions in `qs`, for an organisation with `areas`."""
    if tier not in CAPTURE_TIERS:
        raise SgauditError(f"unknown tier '{tier}'; expected one of {', '.join(CAPTURE_TIERS)}")
    questions = qs.questions_for_tier(tier)
    if not questions:
        raise SgauditError(f"question set {qs.id} v{qs.version} asks nothing of tier '{tier}'")
    easy = tier == "service_user"
    choices: list[tuple[str, str, str]] = [
        ("yes_no", "yes", "Yes"),
        ("yes_no", "no", "No"),
        # a self-assessment form is the organisation's return: its one tier, never a
        # role a respondent could pick that would put its answers into the golden thread
        *(("tiers", t, TIER_LABELS[t]) for t in ((tier,) if tier == SELF_ASSESSMENT else TIERS)),
        *(("areas", _slug(a), a) for a in areas),
        *(("modes", m, MODE_LABELS[m]) for m in FORM_MODES),
    ]
    used_scales = dict.fromkeys(q.scale for q in questions if qs.scales[q.scale].kind != "text")
    for name in used_scales:
        choices += _scale_choices(name, qs.scales[name], easy)
    themes = qs.themes_by_id
    return SurveyForm(
        title=f"{qs.title}: {TIER_LABELS[tier]}",
        form_id=_slug(f"{qs.id}_{tier}"),
        version=str(qs.version),
        set_label=set_label(qs),
        tier=tier,
        areas=tuple(areas),
        questions=tuple(
            FormQuestion(
                q.id,
                q.wording(tier) or "",
                q.theme,
                themes[q.theme].title if q.theme in themes else q.theme,
                None if qs.scales[q.scale].kind == "text" else q.scale,
            )
            for q in questions
        ),
        choices=tuple(choices),
    )


def xlsform_sheets(form: SurveyForm) -> dict[str, list[list[str]]]:
    """The survey, choices and settings sheets, each a header row then rows."""
    consented = "${consent} = 'yes'"
    survey: list[list[str]] = [list(SURVEY_COLUMNS)]

    def row(**cells: str) -> None:
        survey.append([cells.get(c, "") for c in SURVEY_COLUMNS])

    # The device's start and end times: the end becomes the interview date.
    row(type="start", name="start")
    row(type="end", name="end")
    row(type="select_one yes_no", name="consent", label=FORM_FIELDS["consent"], required="yes")
    row(type="select_one tiers", name="tier", label=FORM_FIELDS["tier"], required="yes",
        relevant=consented, default=form.tier)  # fmt: skip
    row(type="select_one areas", name="service_area", label=FORM_FIELDS["service_area"],
        required="yes", relevant=consented)  # fmt: skip
    row(type="select_one modes", name="mode", label=FORM_FIELDS["mode"], required="yes",
        relevant=consented, default="survey")  # fmt: skip
    row(type="calculate", name=SET_FIELD, calculation=f"'{form.set_label}'")
    theme = None
    for q in form.questions:
        if q.theme != theme:
            if theme is not None:
                row(type="end_group")
            row(type="begin_group", name=_slug(q.theme), label=q.theme_title, relevant=consented)
            theme = q.theme
        kind = f"select_one {q.list_name}" if q.list_name else "text"
        row(type=kind, name=q.id, label=q.label)
    row(type="end_group")
    choices = [list(CHOICE_COLUMNS), *[list(c) for c in form.choices]]
    settings = [list(SETTINGS_COLUMNS), [form.title, form.form_id, form.version, "English (en)"]]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_xlsform(form: SurveyForm, out: str | Path) -> None:
    from openpyxl import Workbook

    from sgaudit.safe_csv import neutralise_formula

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in xlsform_sheets(form).items():
        ws = wb.create_sheet(name)
        for r in rows:
            # A label is user text: keep a spreadsheet from running it.
            ws.append([neutralise_formula(c) for c in r])
    wb.save(out)


def form_text(form: SurveyForm) -> str:
    """The form as plain text to paste into Microsoft Forms or Google Forms."""
    labels: dict[str, list[str]] = {}
    for list_name, _, label in form.choices:
        labels.setdefault(list_name, []).append(label)
    lines = [
        form.title,
        f"Question set {form.set_label}. Keep the id at the start of every question "
        "title: the export is then matched by id. Make every question a single-choice "
        "(radio button) question with exactly these options.",
        "",
    ]

    def question(qid: str, label: str, options: list[str]) -> None:
        lines.append(f"{qid} {label}")
        lines.extend(f"    ( ) {o}" for o in options)
        lines.append("")

    question("consent", FORM_FIELDS["consent"], labels["yes_no"])
    question("tier", FORM_FIELDS["tier"], labels["tiers"])
    question("service_area", FORM_FIELDS["service_area"], labels["areas"])
    theme = None
    for q in form.questions:
        if q.theme != theme:
            lines += [f"== {q.theme_title} ==", ""]
            theme = q.theme
        question(q.id, q.label, labels[q.list_name] if q.list_name else ["(free text)"])
    return "\n".join(lines)


def write_form(form: SurveyForm, out: str | Path, fmt: str) -> None:
    """Write `form` to `out` as `fmt` (xlsform, text or docx)."""
    if fmt == "xlsform":
        write_xlsform(form, out)
    elif fmt == "text":
        Path(out).write_text(form_text(form), encoding="utf-8")
    elif fmt == "docx":
        from sgaudit.surveys.paper import write_paper_form

        write_paper_form(form, out)
    else:
        raise SgauditError(f"--format must be one of {', '.join(FORM_FORMATS)}, not '{fmt}'")


def form_areas(session, audit, tier: str) -> list[str]:
    """The service areas a form of `tier` offers: those where the fieldwork plan means
    to hear that tier (a people-who-use-services form does not offer Central Services),
    in the organisation's order; every area when the plan has none for the tier, or
    when the person writing the form may not read the plan. Any of the organisation's
    areas is still accepted on import."""
    from sgaudit.access.policy import READ_ANSWERS
    from sgaudit.store.fieldwork_plan import planned_people
    from sgaudit.store.scope import allowed

    areas = audit.organisation.area_names
    if not allowed(session, READ_ANSWERS, audit):
        return areas
    plan = planned_people(session, audit)
    planned = set(plan.loc[(plan["tier"] == tier) & (plan["people"] > 0), "service_area"])
    return [a for a in areas if a in planned] or areas


def write_audit_form(session, audit_id: int | str, tier: str, fmt: str, out: str | Path):
    """Write the form of `tier` for an audit (its question set, the service areas
    `form_areas` offers); returns the `SurveyForm` written."""
    from sgaudit.store import repo

    if fmt not in FORM_FORMATS:
        raise SgauditError(f"--format must be one of {', '.join(FORM_FORMATS)}, not '{fmt}'")
    audit = repo.get_audit(session, audit_id)
    form = build_form(repo.audit_question_set(audit), tier, form_areas(session, audit, tier))
    write_form(form, out, fmt)
    return form
