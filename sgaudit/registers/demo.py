"""Synthetic registers for the demo organisation: a baseline audit and a re-audit a year on.

Pseudonymous codes only (P-0001 ...); nothing here is a real person or organisation.
The story the records tell (the demo interviews are written to match it):

- Training: the DSL role group (Welsh group E) is behind on its 24 hours of refresher
  training and its CPD log at baseline (1 of 4 compliant); at re-audit 3 of 4 are.
- Recruitment: volunteers' checks are lighter than paid staff's at baseline (basic
  DBS where enhanced is needed, one reference), and most DBS certificates that showed
  information have no risk assessment. Interviews rate recruitment well at baseline,
  so the records open an evidence gap (interviews higher). Fixed at re-audit.
- Policies: many documents have no owner, several are out of date and unlinked at
  baseline; owners are assigned by the re-audit and most links added.
- Concerns: slow triage and referrals and long-open cases at baseline; faster later.
- Complaints and whistleblowing: time limits often missed, little feedback to the
  person and few themes recorded at baseline; all better at re-audit.

The counts are fixed by the story (not random); only dates carry a seeded jitter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from sgaudit.registers.frameworks import Framework, load_framework
from sgaudit.registers.records import records_to_frame, rows_to_records

Story = Literal["baseline", "reaudit"]

# The demo organisation's own numbers for the groups the Welsh framework leaves unset.
DEMO_FRAMEWORK_OVERRIDES: dict = {
    "framework": "wales_national",
    "groups": {
        "A": {"refresher": {"hours": 3}, "induction": {"within_months": 1}},
        "B": {"refresher": {"hours": 6}, "induction": {"within_months": 6}},
        "C": {"refresher": {"hours": 12}, "induction": {"within_months": 6}},
        "D": {"refresher": {"hours": 18}, "induction": {"within_months": 6}},
        "F": {"refresher": {"hours": 3}, "induction": {"within_months": 6}},
    },
}

# group, people, volunteers among them, role (paid), role (volunteer), DBS level the role needs
_GROUPS = (
    ("A", 10, 8, "Administrator", "Events volunteer", "basic"),
    ("B", 14, 4, "Support worker", "Youth club volunteer", "enhanced_barred"),
    ("C", 6, 0, "Senior practitioner", "", "enhanced_barred"),
    ("D", 4, 0, "Service manager", "", "enhanced_barred"),
    ("E", 4, 0, "Designated safeguarding lead", "", "enhanced_barred"),
    ("F", 4, 3, "Chief executive", "Trustee", "enhanced"),
)
# people per group meeting their refresher hours, by story
_REFRESHED = {
    "baseline": {"A": 8, "B": 11, "C": 4, "D": 3, "E": 1, "F": 2},
    "reaudit": {"A": 9, "B": 12, "C": 5, "D": 4, "E": 3, "F": 3},
}
_CPD_KEPT = {"baseline": 1, "reaudit": 3}  # of the 4 people in group E
_CATEGORIES = (
    "neglect", "emotional abuse", "physical abuse", "financial abuse", "self-neglect",
    "domestic abuse", "online safety",
)  # fmt: skip
_POLICIES = (
    "Safeguarding children policy", "Safeguarding adults policy", "Safer recruitment policy",
    "Code of conduct", "Whistleblowing policy", "Complaints procedure", "Allegations against staff",
    "Lone working procedure", "Information sharing guidance", "Online safety policy",
    "Supervision policy", "Training and development policy", "Risk assessment procedure",
    "Records management policy",
)  # fmt: skip
_OWNERS = (
    "Designated safeguarding lead", "Designated safeguarding lead", "Head of HR", "Head of HR",
    "Chief executive", "Head of quality", "Head of HR", "Service manager", "Head of quality",
    "Designated safeguarding lead", "Service manager", "Head of HR", "Head of quality",
    "Head of quality",
)  # fmt: skip


def demo_framework() -> Framework:
    """The Welsh framework with the demo organisation's own numbers for groups A-D and F."""
    return load_framework("wales_national", overrides=DEMO_FRAMEWORK_OVERRIDES)


def _first(n: int, k: int) -> np.ndarray:
    """A boolean array of length n with the first k True (the story fixes the counts)."""
    return np.arange(n) < k


def _people(audit: pd.Timestamp, areas: Sequence[str], story: Story) -> pd.DataFrame:
    rows = []
    for group, n, volunteers, paid_role, vol_role, needed in _GROUPS:
        idx = np.arange(n)
        rows.append(
            pd.DataFrame(
                {
                    "role_group": group,
                    "paid_or_volunteer": np.where(idx >= n - volunteers, "volunteer", "paid"),
                    "role": np.where(idx >= n - volunteers, vol_role, paid_role),
                    "dbs_level_required": needed,
                    "refreshed": _first(n, _REFRESHED[story][group]),
                    "slot": idx,
                }
            )
        )
    people = pd.concat(rows, ignore_index=True)
    people["person_code"] = [f"P-{i + 1:04d}" for i in range(len(people))]
    people["service_area"] = np.resize(np.asarray(areas, dtype=object), len(people))
    years = 4 + (people.index.to_numpy() * 7) % 9  # 4 to 12 years in post
    people["start_date"] = audit - pd.to_timedelta(years * 365 + people.index * 11, unit="D")
    # B's last three and A's last one are new starters, 7-9 months in post
    new = ((people["role_group"] == "B") & (people["slot"] >= 11)) | (
        (people["role_group"] == "A") & (people["slot"] == 7)
    )
    people.loc[new, "start_date"] = audit - pd.to_timedelta(
        210 + 30 * (people.loc[new, "slot"] % 3), unit="D"
    )
    people["new_starter"] = new
    missing = 3 if story == "baseline" else 1
    people["inducted"] = ~new | (new.cumsum() > missing)
    return people


def _training(
    people: pd.DataFrame, framework: Framework, audit: pd.Timestamp, story: Story, rng
) -> pd.DataFrame:
    hours_needed = (
        people["role_group"]
        .map({g.id: g.refresher.hours or 3.0 for g in framework.groups})
        .astype(float)
    )
    per_record = np.ceil(hours_needed / 3 * 2) / 2
    established = people[~people["new_starter"]]
    ok = established[established["refreshed"]]
    behind = established[~established["refreshed"]]
    jitter = lambda n: rng.integers(0, 25, n)  # noqa: E731
    modes = np.array(["e_learning", "face_to_face", "virtual_classroom"])
    parts = []
    for k, days in enumerate((120, 520, 930)):  # three courses spread across the period
        parts.append(
            ok.assign(
                date=audit - pd.to_timedelta(days + jitter(len(ok)), unit="D"),
                hours=per_record[ok.index],
                mode=modes[k],
                kind="course",
                topic=[
                    "Safeguarding refresher",
                    "Recognising and responding",
                    "Multi-agency working",
                ][k],
                multi_agency=k == 2,
            )
        )
    parts.append(
        behind.assign(  # a short course inside the period, the rest of it lapsed
            date=audit - pd.to_timedelta(300 + jitter(len(behind)), unit="D"),
            hours=np.maximum(1.0, np.floor(hours_needed[behind.index] * 0.3)),
            mode="e_learning",
            kind="course",
            topic="Safeguarding update (e-learning)",
            multi_agency=False,
        )
    )
    parts.append(
        behind.assign(
            date=audit
            - pd.DateOffset(years=3)
            - pd.to_timedelta(90 + jitter(len(behind)), unit="D"),
            hours=hours_needed[behind.index],
            mode="face_to_face",
            kind="course",
            topic="Safeguarding course",
            multi_agency=False,
        )
    )
    inducted = people[people["new_starter"] & people["inducted"]]
    parts.append(
        inducted.assign(
            date=inducted["start_date"] + pd.Timedelta(days=14),
            hours=3.0,
            mode="self_directed",
            kind="induction",
            topic="Safeguarding induction",
            multi_agency=False,
        )
    )
    group_e = people[people["role_group"] == "E"]
    recent = _first(len(group_e), _CPD_KEPT[story])
    parts.append(
        group_e.assign(
            date=audit
            - pd.to_timedelta(np.where(recent, 60, 500) + jitter(len(group_e)), unit="D"),
            hours=2.0,
            mode="meeting",
            kind="cpd",
            topic="Regional safeguarding board meeting",
            multi_agency=True,
        )
    )
    not_inducted = people[people["new_starter"] & ~people["inducted"]]
    parts.append(
        not_inducted.assign(
            date=pd.NaT, hours=np.nan, mode=None, kind=None, topic=None, multi_agency=None
        )
    )
    records = pd.concat(parts, ignore_index=True).sort_values(["person_code", "date"])
    columns = ["person_code", "role_group", "service_area", "start_date", "date", "hours", "mode",
               "topic", "kind", "multi_agency"]  # fmt: skip
    return records[columns]


def _recruitment(people: pd.DataFrame, audit: pd.Timestamp, story: Story, rng) -> pd.DataFrame:
    volunteer = people["paid_or_volunteer"].eq("volunteer").to_numpy()
    n = len(people)
    baseline = story == "baseline"
    level = people["dbs_level_required"].to_numpy(dtype=object).copy()
    references = np.full(n, 2)
    outcome = np.full(n, "cleared", dtype=object)
    vol_rank = np.cumsum(volunteer) * volunteer  # 1, 2, ... among volunteers
    paid_rank = np.cumsum(~volunteer) * ~volunteer
    if baseline:
        short_dbs = volunteer & np.isin(vol_rank, [1, 2, 9, 10, 11])  # basic instead of enhanced
        level[short_dbs & (level != "basic")] = "basic"
        level[short_dbs & (level == "basic")] = "none"
        references[volunteer & np.isin(vol_rank, [3, 4, 5, 12])] = 1
        references[paid_rank == 5] = 1
        outcome[paid_rank == 9] = "pending"
    else:
        level[volunteer & (vol_rank == 2)] = (
            "basic"
            if people["role_group"].iloc[int(np.flatnonzero(vol_rank == 2)[0])] != "A"
            else "none"
        )
        references[volunteer & (vol_rank == 4)] = 1
        references[paid_rank == 5] = 1
    disclosed = np.isin(paid_rank, [2, 7, 12]) | (vol_rank == 6)
    assessed_first = 1 if baseline else 3
    risk_done = np.where(disclosed, np.cumsum(disclosed) <= assessed_first, None)
    dbs_date = audit - pd.to_timedelta(
        200 + (np.arange(n) * 37) % 900 + rng.integers(0, 20, n), unit="D"
    )
    return pd.DataFrame(
        {
            "person_code": people["person_code"],
            "paid_or_volunteer": people["paid_or_volunteer"],
            "role": people["role"],
            "dbs_level": level,
            "dbs_date": pd.Series(dbs_date).where(level != "none"),
            "references_received": references,
            "check_outcome": outcome,
            "dbs_information_disclosed": np.where(level != "none", disclosed, None),
            "risk_assessment_done": risk_done,
            "dbs_level_required": people["dbs_level_required"],
        }
    )


def _policies(audit: pd.Timestamp, story: Story) -> pd.DataFrame:
    n = len(_POLICIES)
    idx = np.arange(n)
    baseline = story == "baseline"
    no_owner = np.isin(idx, [3, 6, 7, 9, 11, 13]) if baseline else np.zeros(n, bool)
    out_of_date = np.isin(idx, [2, 5, 7, 10, 12] if baseline else [7, 12])
    unlinked = np.isin(idx, [4, 5, 7, 8, 11, 13] if baseline else [7, 11, 13])
    last = audit - pd.to_timedelta(np.where(out_of_date, 1300, 200) + idx * 9, unit="D")
    links = np.array(
        ["; ".join(x for x in (_POLICIES[(i + 1) % n], _POLICIES[(i + 3) % n]) if x) for i in idx],
        dtype=object,
    )
    return pd.DataFrame(
        {
            "document": _POLICIES,
            "owner": np.where(no_owner, None, np.asarray(_OWNERS, dtype=object)),
            "last_reviewed": last,
            "next_review_due": last + pd.DateOffset(years=3),
            "links_to": np.where(unlinked, None, links),
        }
    )


def _concerns(audit: pd.Timestamp, areas: Sequence[str], story: Story, rng) -> pd.DataFrame:
    n = 28
    idx = np.arange(n)
    baseline = story == "baseline"
    raised = audit - pd.to_timedelta(10 + idx * 25 + rng.integers(0, 10, n), unit="D")
    slow = np.isin(idx % 7, [1, 3, 5]) if baseline else (idx % 9 == 4)
    triage = raised + pd.to_timedelta(np.where(slow, 4 + idx % 3, idx % 2), unit="D")
    referred = idx % 3 == 0
    late_referral = referred & ((idx % 2 == 0) if baseline else (idx == 6))
    referral = triage + pd.to_timedelta(np.where(late_referral, 8, 1), unit="D")
    long_open = np.isin(idx, [5, 8, 11, 14, 17, 20]) if baseline else np.isin(idx, [8, 20])
    closed = raised + pd.to_timedelta(np.where(long_open, 160, 45), unit="D")
    still_open = (closed > audit) | (idx < 2)
    return pd.DataFrame(
        {
            "concern_ref": [f"C-{i + 1:03d}" for i in idx],
            "date_raised": raised,
            "category": np.resize(np.asarray(_CATEGORIES, dtype=object), n),
            "service_area": np.resize(np.asarray(areas, dtype=object), n),
            "triage_date": triage,
            "referral_made": referred,
            "referred_to": np.where(referred, "Local authority safeguarding team", None),
            "referral_date": pd.Series(referral).where(referred),
            "outcome": np.where(
                still_open,
                None,
                np.where(referred, "Referred; enquiry closed", "Advice given and recorded"),
            ),
            "date_closed": pd.Series(closed).where(~still_open),
        }
    )


def _complaints(audit: pd.Timestamp, areas: Sequence[str], story: Story) -> pd.DataFrame:
    n = 12
    idx = np.arange(n)
    baseline = story == "baseline"
    themes = np.array(["communication", "staff attitude", "communication", "missed visits",
                       "staff attitude", "communication"] * 2, dtype=object)  # fmt: skip
    themed = idx < (4 if baseline else 11)
    return pd.DataFrame(
        {
            "ref": [f"{'W' if i % 4 == 3 else 'K'}-{i + 1:03d}" for i in idx],
            "type": np.where(idx % 4 == 3, "whistleblowing", "complaint"),
            "date_received": audit - pd.to_timedelta(20 + idx * 28, unit="D"),
            "stage_reached": np.where(idx % 3 == 2, "stage 2", "stage 1"),
            "time_limits_met": idx % 2 == 0 if baseline else idx % 6 != 5,
            "feedback_given": idx < (5 if baseline else 10),
            "theme": np.where(themed, themes, None),
            "service_area": np.resize(np.asarray(areas, dtype=object), n),
        }
    )


def demo_register_records(
    audit_date, service_areas: Sequence[str], story: Story = "baseline"
) -> dict[str, list[dict]]:
    """The five registers of the demo organisation as of `audit_date`, as the store keeps
    them: one JSON-safe record per row (`rows_to_records`), file rows 2, 3, ...

    `story` is "baseline" (year 1) or "reaudit" (year 2); see the module docstring.
    These records pass the importer's validation unchanged (`records_to_frame` then
    `rows_to_records` gives them back; tests/test_registers_demo.py holds it), so the
    demo, which writes them to its store, need not validate them again each time.
    """
    if story not in ("baseline", "reaudit"):
        raise ValueError("story must be 'baseline' or 'reaudit'")
    if not service_areas:
        raise ValueError("the demo needs at least one service area")
    audit = pd.Timestamp(audit_date).normalize()
    rng = np.random.default_rng(5 if story == "baseline" else 6)
    people = _people(audit, list(service_areas), story)
    raw = {
        "training": _training(people, demo_framework(), audit, story, rng),
        "recruitment": _recruitment(people, audit, story, rng),
        "policies": _policies(audit, story),
        "concerns": _concerns(audit, list(service_areas), story, rng),
        "complaints": _complaints(audit, list(service_areas), story),
    }
    return {kind: rows_to_records(frame) for kind, frame in raw.items()}


def demo_registers(
    audit_date, service_areas: Sequence[str], story: Story = "baseline"
) -> dict[str, pd.DataFrame]:
    """The five registers of the demo organisation as of `audit_date`, validated.

    `story` is "baseline" (year 1) or "reaudit" (year 2); see the module docstring.
    Each frame is exactly what `read_register` would return for the same file.
    """
    records = demo_register_records(audit_date, service_areas, story)
    # through the importer's own validation, so the demo can never hold what a file could not
    return {kind: records_to_frame(kind, rows) for kind, rows in records.items()}
