"""Does a change to the analysis leave every number where it was? Two checkouts, same audits.

    .venv/bin/python bench/analysis_identity.py --code ../before --code .

For each checkout, in its own interpreter: the analysis JSON (`model_dump_json()`) of
realistic audits (clean ones and audits with planted patterns, `analysis.validation`)
and of synthetic ones, and every intermediate frame of each (the score tables, the
comparisons before and after the false-flag decision, the golden thread's groups,
pairs and respondents, the operational respondents, the area levels, the quotable
notes). Then the JSON is compared byte for byte and the frames with
`pandas.testing.assert_frame_equal(check_exact=True)`, dtypes and row order included:
a speed-up must pass both. The rounded JSON alone can hide a last-bit change in a
standard error; the frames cannot.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

DUMP = """
import pickle, sys
from pathlib import Path
from sgaudit.analysis import analyse
from sgaudit.analysis.detect import all_comparisons, decide
try:  # the usual level read without what stands out (since 0.2.0); a plain decide before
    from sgaudit.analysis.detect import settle_usual_level
except ImportError:
    def settle_usual_level(comps, resp, s):
        return decide(comps, s.false_flag_rate, s.false_flag_method)
from sgaudit.analysis.findings import quotable_notes
from sgaudit.analysis.realistic import CENTRAL, realistic_audit, realistic_interviews
from sgaudit.analysis.scope import area_levels
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.synthetic import audit_of_size
from sgaudit.analysis.validation import BUNDLES, patterns, plants_of
from sgaudit.questionnaire.loader import load_question_set

core = load_question_set(Path("questionnaires/core"))

def areas_of(seed):
    return [a for a in dict.fromkeys(realistic_interviews(seed)["service_area"]) if a != CENTRAL]

sizes = ((3_000, 5), (20_000, 1), (50_000, 2), (300_000, 3))  # 300k: the comparisons on two threads
audits = {f"synthetic {n}": audit_of_size(n, seed=s) for n, s in sizes}
audits |= {f"clean {s}": realistic_audit(s, core) for s in (1, 2, 3, 5, 7)}
audits["two trustees"] = realistic_audit(7, core, board=(2, 2))
for bundle, seed in (("thread", 104), ("scope", 117), ("top", 101), ("thread", 110), ("scope", 108)):
    chosen = [patterns()[name] for name in BUNDLES[bundle]]
    audits[f"{bundle} {seed}"] = realistic_audit(seed, core, plants_of(chosen, areas_of(seed)))
out = {}
for name, data in audits.items():
    t = ScoreTables.build(data)
    comps, (groups, pairs), resp, ops, _ = all_comparisons(t)
    s = data.settings
    out[name] = {
        "json": analyse(data).model_dump_json(),
        "frames": {
            "scored": t.scored, "totals": t.totals, "theme x interview": t.theme_interview,
            "overall": t.overall, "by tier": t.by_tier, "by area": t.by_area,
            "by tier x area": t.by_tier_area, "aspects": t.aspects, "comparisons": comps,
            "decided": settle_usual_level(comps, resp, s),
            "thread groups": groups, "thread pairs": pairs, "thread respondents": resp,
            "operational respondents": ops,
            "area levels": area_levels(ops, t.theme_interview, s) if len(ops) else None,
            "quotable notes": quotable_notes(t),
        },
    }
pickle.dump(out, open(sys.argv[1], "wb"))
"""


def dump(code: Path, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code)}
    subprocess.run([sys.executable, "-c", DUMP, str(path)], env=env, cwd=code, check=True)
    with path.open("rb") as f:
        return pickle.load(f)


def main() -> None:
    import pandas as pd

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--code", type=Path, action="append", required=True, help="two checkouts")
    args = ap.parse_args()
    if len(args.code) != 2:
        sys.exit("give two checkouts: --code BEFORE --code AFTER")
    with tempfile.TemporaryDirectory() as tmp:
        a, b = (dump(c.resolve(), Path(tmp) / f"{k}.pkl") for k, c in enumerate(args.code))
    different = frames = 0
    for name in a:
        if a[name]["json"] != b[name]["json"]:
            different += 1
            print(f"{name}: the analysis JSON differs")
        for key, x in a[name]["frames"].items():
            y = b[name]["frames"][key]
            frames += 1
            if x is None and y is None:
                continue
            try:
                pd.testing.assert_frame_equal(x, y, check_exact=True)
            except AssertionError as e:
                different += 1
                print(f"{name}, {key}: {str(e).splitlines()[0]}")
    print(f"{len(a)} audits, {frames} frames: {different} different")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
