"""The Interview page's list draws progress bars that compare: a tester saw a 97% bar
drawn shorter than an 80% one."""

from __future__ import annotations

import json

from app_support import resume_table


def test_the_resume_list_draws_progress_bars_that_compare(audits):
    _, reaudit = audits
    resume = resume_table(reaudit)
    table = resume.value
    # A progress column draws each bar as wide as its cell less its longest label, or the
    # top value's label when that is longer: a label longer than "100%" made its bar
    # shorter than a lower value's ("97.46%" drawn shorter than "80%").
    config = json.loads(resume.proto.columns)["answered"]["type_config"]

    def label(value) -> str:
        if config["format"] == "percent":
            return f"{round(value * 100, 2):g}%"
        return config["format"] % value

    top = label(config["max_value"])
    assert all(len(label(v)) <= len(top) for v in table["answered"]), top
    self_assessment = table[table["code"].str.startswith("SA-")].iloc[0]
    assert label(self_assessment["answered"]) == "97%"  # 115 of 118


def test_the_share_answered_is_a_whole_percent_rounded_down():
    from app_pages._interview_list import answered_percent

    assert answered_percent(115, 118) == 97
    assert answered_percent(117, 118) == 99  # 100 only when every question is answered
    assert answered_percent(118, 118) == 100 and answered_percent(0, 0) == 0
