"""Register sets for checking that a faster indicator path gives the same indicators.

Each case is (name, registers, framework, audit date, settings): the demo's registers
at both audits, the same registers at other suppression minimums (more rates hidden,
so the complementary suppression has more to do), random subsets of their rows, and
edge registers (empty, every group small, dates missing, no training framework).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from sgaudit.registers import REGISTER_KINDS, RegisterSettings, default_settings
from sgaudit.registers.demo import demo_framework, demo_registers

AREAS = ["Children's services", "Adult services", "Community hub"]
DATES = {"baseline": "2025-03-31", "reaudit": "2026-03-31"}


def _settings(minimum: int) -> RegisterSettings:
    return default_settings().model_copy(update={"suppression_min": minimum})


def _subset(registers: dict[str, pd.DataFrame], seed: int, share: float) -> dict:
    rng = np.random.default_rng(seed)
    out = {}
    for kind, frame in registers.items():
        if kind == "training":  # keep whole people, so each keeps one role group and area
            people = frame["person_code"].unique()
            keep = people[rng.random(len(people)) < share]
            out[kind] = frame[frame["person_code"].isin(keep)]
        else:
            out[kind] = frame[rng.random(len(frame)) < share]
    return out


def cases():
    framework = demo_framework()
    demo = {story: demo_registers(DATES[story], AREAS, story) for story in DATES}
    for story, registers in demo.items():
        for minimum in (3, 5, 8, 12):
            yield (
                f"demo {story}, suppression {minimum}",
                registers,
                framework,
                DATES[story],
                _settings(minimum),
            )
    for seed in range(12):
        story = ("baseline", "reaudit")[seed % 2]
        share = (0.2, 0.4, 0.6, 0.8)[seed % 4]
        yield (
            f"demo {story}, {share:.0%} of rows (seed {seed})",
            _subset(demo[story], seed, share),
            framework,
            DATES[story],
            _settings((3, 5, 8)[seed % 3]),
        )
    base = demo["baseline"]
    empty = {kind: frame.iloc[0:0] for kind, frame in base.items()}
    yield "every register empty", empty, framework, DATES["baseline"], _settings(5)
    yield "every group small", _subset(base, 99, 0.15), framework, DATES["baseline"], _settings(50)
    undated = {kind: frame.copy() for kind, frame in base.items()}
    for frame in undated.values():
        for column in frame.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[column]) and column != "start_date":
                frame.loc[frame.index[::2], column] = pd.NaT
    yield "dates missing", undated, framework, DATES["baseline"], _settings(5)
    no_training = {kind: frame for kind, frame in base.items() if kind != "training"}
    yield "no training register", no_training, None, DATES["baseline"], _settings(5)
    yield (
        "training register alone, audit before most records",
        {"training": base["training"]},
        framework,
        "2023-06-30",
        _settings(5),
    )
    assert set(base) == set(REGISTER_KINDS)


def digest(indicators) -> str:
    """A hash of every field of the indicators: equal hashes, equal indicators cell for cell."""
    return hashlib.sha256(indicators.model_dump_json().encode()).hexdigest()


def frame_digest(frame: pd.DataFrame) -> str:
    """A hash of a frame's columns, dtypes, index and every cell (NA, NaT and NaN told apart
    by their text): equal hashes, equal frames cell for cell and dtype for dtype."""
    h = hashlib.sha256()
    h.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
    h.update(repr(list(frame.index)).encode())
    for column in frame.columns:
        h.update(repr(frame[column].tolist()).encode())
    return h.hexdigest()


STATUS_DATES = (None, "2024-01-15", "2027-12-31")  # None: the case's own audit date


def status_frames():
    """(name, frame) of `training_status` and `compliance_tables` for every case with a
    training register, at its own audit date and two others."""
    from sgaudit.registers.mapping import settings_from
    from sgaudit.registers.training import compliance_tables, training_status

    for name, registers, framework, audit_date, settings in cases():
        if "training" not in registers or framework is None:
            continue
        s = settings_from(settings)
        for date in STATUS_DATES:
            when = date or audit_date
            status = training_status(registers["training"], framework, when, s)
            yield f"{name}, as of {when}: status", status
            for table, frame in compliance_tables(status, framework, s).items():
                yield f"{name}, as of {when}: {table}", frame


OTHER_DATES = ("2023-02-28", "2024-01-15", "2025-09-30", "2027-12-31")


def indicators_at_other_dates():
    """(name, indicators) of every case with its registers worked out as of other dates
    than its audit's: more and fewer records in each window, concerns open and closed."""
    from sgaudit.registers import compute_indicators

    for name, registers, framework, _audit_date, settings in cases():
        for when in OTHER_DATES:
            yield f"{name}, as of {when}", compute_indicators(registers, framework, when, settings)


def checks_frame(rows: list[tuple], index: pd.Index | None = None) -> pd.DataFrame:
    """Register rows of (group, area, good, eligible) flags, and an `all` column, for
    checking the rate functions against pandas."""
    frame = pd.DataFrame(
        {
            "group": pd.Series([r[0] for r in rows], dtype="string"),
            "area": pd.Series([r[1] for r in rows], dtype="string"),
            "good": pd.Series([r[2] for r in rows], dtype=bool),
            "eligible": pd.Series([r[3] for r in rows], dtype="boolean"),
        },
        index=index,
    )
    frame["all"] = True
    return frame
