"""Writes examples/surveys/: one export per tool, fictional respondents of the demo
organisation (Riverside Community Trust), as each tool downloads them.

Run from the repository root: `python tests/build_survey_examples.py` (the files are
committed; tests/test_survey_examples.py checks they import as docs/cli.md shows).
"""

import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from survey_exports import (  # noqa: E402
    Respondent,
    google_forms,
    kobo,
    microsoft_forms,
    odk_central,
    surveymonkey,
)

from sgaudit.questionnaire import load_question_set  # noqa: E402
from sgaudit.surveys.versions import set_label  # noqa: E402

qs = load_question_set()
w = lambda q, t="front_line": qs.questions_by_id[q].wording(t)  # noqa: E731
out = Path(__file__).resolve().parents[1] / "examples" / "surveys"
REC01, REC03, REC07, CAS09, SWP = w("REC-01"), w("REC-03"), w("REC-07"), w("CAS-09"), w("REC-12")
people = [
    Respondent(
        "1",
        datetime(2026, 1, 18, 9, 41, 2),
        "Volunteer",
        "Youth Services",
        {REC01: "Agree", REC03: "Disagree", REC07: "Partly", CAS09: "Strongly agree"},
    ),
    Respondent(
        "2",
        datetime(2026, 1, 18, 13, 5, 40),
        "Front-line staff member",
        "Supported Housing",
        {REC01: "Strongly agree", REC03: "Don't know", REC07: "Yes", CAS09: "Agree"},
    ),
    Respondent(
        "3",
        datetime(2026, 1, 19, 16, 20, 0),
        "Team leader",
        "Community Hub",
        {REC01: "Neither agree nor disagree", REC03: "Agree", CAS09: "Disagree"},
    ),
    Respondent(
        "4",
        datetime(2026, 1, 21, 8, 2, 55),
        "Volunteer",
        "Day Opportunities",
        {REC01: "Disagree", REC07: "No", CAS09: "Agree"},
    ),
]
microsoft_forms(out / "microsoft_forms.csv", [REC01, REC03, REC07, CAS09], people)
for i, p in enumerate(people):
    p.email = ["", "j.doe@example.org", "", ""][i]
google_forms(out / "google_forms.csv", [REC01, REC03, CAS09], [REC07], people)
for i, p in enumerate(people):
    p.id = str(118000000101 + i)
    p.name = ["Sam Example", "", "Alex Sample", ""][i]
    p.extra = {"open": ["", "More face to face training", "", ""][i]}
surveymonkey(
    out / "surveymonkey.csv",
    [REC01, REC03, CAS09],
    [REC07],
    people,
    open_ended="Is there anything else you would like to tell us?",
)

# ODK Central: the XLSForm `sgaudit survey-form 2 --tier front_line` writes, filled in on
# tablets; its fields come from the XForm pyxform builds.
import tempfile  # noqa: E402

from pyxform.xls2xform import convert  # noqa: E402
from test_surveys_forms import instance_paths  # noqa: E402

from sgaudit.surveys.forms import build_form, write_form  # noqa: E402

areas = [
    "Supported Housing",
    "Youth Services",
    "Day Opportunities",
    "Domiciliary Care",
    "Community Hub",
    "Central Services",
]
with tempfile.TemporaryDirectory() as tmp:
    x = Path(tmp) / "f.xlsx"
    write_form(build_form(qs, "front_line", areas), x, "xlsform")
    fields = instance_paths(convert(xlsform=str(x), validate=False).xform)
answers = [
    {"REC-01": "agree", "REC-03": "disagree", "REC-07": "partly", "CAS-09": "strongly_agree"},
    {"REC-01": "strongly_agree", "REC-03": "dont_know", "CAS-09": "agree", "TRN-01": "agree"},
    {"REC-01": "neutral", "REC-07": "yes", "CAS-09": "disagree"},
]
subs = []
for i, (area, a) in enumerate(
    zip(["domiciliary_care", "supported_housing", "youth_services"], answers, strict=True)
):
    sub = {
        "start": f"2026-01-2{i}T10:00:00.000+00:00",
        "end": f"2026-01-2{i}T10:24:13.000+00:00",
        "consent": "yes",
        "tier": "front_line",
        "service_area": area,
        "mode": "survey",
        "sgaudit_set": set_label(qs),
        "meta/instanceID": [
            "uuid:0d4bc5e2-5d5b-4c2e-9a57-1b0f2d6a3c11",
            "uuid:6f1e2a90-8c3d-4f7b-b1e4-2c9d8a7b6e22",
            "uuid:a3c7e9f1-2b4d-4e6f-8a1c-3d5e7f9b0c33",
        ][i],
    }
    for f in fields:
        if f.rsplit("/", 1)[-1] in a:
            sub[f] = a[f.rsplit("/", 1)[-1]]
    subs.append(sub)
odk_central(out / "odk_central.csv", fields, subs, str(qs.version))
kobo(out / "kobotoolbox.csv", fields, subs)
