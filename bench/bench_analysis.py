"""Benchmark: time and peak memory of `analyse()` on synthetic audits of growing size.

Run:  .venv/bin/python bench/bench_analysis.py            (10k, 100k, 1M responses)
      .venv/bin/python bench/bench_analysis.py 10000 2000000
      .venv/bin/python bench/bench_analysis.py 20000 --code ../before --code .   (two checkouts)

Each size runs in its own subprocess so memory peaks do not mix. Inside it, the audit
is generated first (not timed), then `analyse()` runs `--repeat` times: the best wall
time and the median CPU time (this process's user + system) are kept. With `--code`
(repeatable) each size is measured for each checkout in turn, one subprocess each, so
a before/after comparison shares the machine's state. Peak memory is the process's peak resident set size while analysing:
the kernel's high-water mark (VmHWM) is reset after generation, so the figure covers
the loaded audit plus everything `analyse()` allocates, not the generator.

The audits are realistic in shape (see sgaudit.analysis.synthetic.audit_of_size):
121 questions over 11 themes, all six tiers, six service areas, interviews of 60
answers, a fifth of front-line and service-user interviews as focus groups, and one
planted pattern of each finding kind.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SIZES = (10_000, 100_000, 1_000_000)
TARGET_SECONDS = 3.0  # for 1 million responses, on 2 cores
TARGET_MB = 1024


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_one(n_responses: int, repeat: int, code: Path = REPO) -> dict:
    """Generate one audit and time `analyse()` on it (run inside the subprocess)."""
    sys.path.insert(0, str(code))
    from sgaudit.analysis import analyse
    from sgaudit.analysis.synthetic import audit_of_size

    data = audit_of_size(n_responses)
    frame_mb = data.responses.memory_usage(deep=True).sum() / 2**20
    gc.collect()
    exact_peak = _reset_peak_rss()
    times, cpu = [], []
    findings = 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = analyse(data)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        findings = len(result.findings)
        del result
        gc.collect()
    return {
        "responses": len(data.responses),
        "interviews": int(data.responses["interview_id"].nunique()),
        "seconds": min(times),
        "cpu": statistics.median(cpu),
        "peak_mb": _peak_rss_mb(),
        "frame_mb": frame_mb,
        "findings": findings,
        "exact_peak": exact_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--code", type=Path, action="append", help="measure the sgaudit of this checkout"
    )
    args = parser.parse_args()
    codes = [c.resolve() for c in args.code or [REPO]]
    if args.one:
        print(json.dumps(measure_one(args.one, args.repeat, codes[0])))
        return

    print(f"sgaudit analyse() benchmark - {platform.python_version()}, {os.cpu_count()} cores")
    head = (
        f"{'responses':>10} {'interviews':>10} {'analyse s':>10} {'CPU s':>7} {'s per 1M':>9} "
        f"{'peak MB':>8} {'data MB':>8} {'findings':>8}" + ("  code" if len(codes) > 1 else "")
    )
    print(head)
    print("-" * len(head))
    rows = []
    for size in args.sizes:
        for code in codes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size), "--repeat", str(args.repeat)]
                + ["--code", str(code)],
                capture_output=True,
                text=True,
                check=True,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            per_million = row["seconds"] / row["responses"] * 1_000_000
            print(
                f"{row['responses']:>10,} {row['interviews']:>10,} {row['seconds']:>10.2f} "
                f"{row['cpu']:>7.3f} {per_million:>9.2f} {row['peak_mb']:>8.0f} "
                f"{row['frame_mb']:>8.0f} {row['findings']:>8}"
                + (f"  {code.name}" if len(codes) > 1 else "")
            )
    if not all(r["exact_peak"] for r in rows):
        print("note: peak RSS could not be reset; it includes generating the audit")
    big = [r for r in rows if r["responses"] >= 990_000]
    if big:
        ok = all(r["seconds"] < TARGET_SECONDS and r["peak_mb"] < TARGET_MB for r in big)
        print(
            f"target for 1M responses (< {TARGET_SECONDS:.0f} s, < {TARGET_MB} MB): "
            + ("met" if ok else "NOT MET")
        )


if __name__ == "__main__":
    main()
