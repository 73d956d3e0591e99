"""Benchmark: the demo's board report with comparison, from the store to a .docx.

Run:  .venv/bin/python bench/bench_report.py            (5 runs, best and median)
      .venv/bin/python bench/bench_report.py --repeat 10 --pdf

The demo (sgaudit.demo: 2 audits of the Riverside Community Trust with registers) is
built once in a temporary SQLite store (not timed). Each run then times what
`sgaudit report 2 --compare 1 --out report.docx` does: read both audits, analyse them,
compare them, read the registers and the auditors' reviews, assemble the context, draw
the chart and render the Word document. The stages are timed separately too (context
= store + analysis + comparison + assembly; render = chart + docxtpl + save), with
wall time and this process's CPU time (the CPU time is what other work on the machine
does not inflate). `--pdf` also times one LibreOffice conversion.

Target (issue 3): the demo report with comparison in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf", action="store_true", help="also time one PDF conversion")
    args = parser.parse_args(argv)

    from sgaudit.demo import build_demo
    from sgaudit.report import build_report_context, convert_to_pdf, render_report
    from sgaudit.store.db import get_engine, session_scope

    with tempfile.TemporaryDirectory(prefix="sgaudit-bench-report-") as work:
        url = f"sqlite:///{Path(work) / 'demo.db'}"
        get_engine(url)
        with session_scope(url) as session:
            demo = build_demo(session)
        new, old = demo.reaudit_audit_id, demo.baseline_audit_id
        out = Path(work) / "report.docx"

        # One warm-up run: imports (matplotlib, docxtpl) and the question-set cache.
        with session_scope(url) as session:
            render_report(build_report_context(session, new, old), out)

        rows = []
        for _ in range(args.repeat):
            with session_scope(url) as session:
                context, c_wall, c_cpu = _timed(lambda s=session: build_report_context(s, new, old))
            _, r_wall, r_cpu = _timed(lambda c=context: render_report(c, out))
            rows.append((c_wall + r_wall, c_cpu + r_cpu, c_wall, r_wall))
        pdf_time = None
        if args.pdf:
            _, pdf_time, _ = _timed(lambda: convert_to_pdf(out))

        totals = sorted(r[0] for r in rows)
        best = min(rows, key=lambda r: r[0])
        print(
            f"sgaudit board report, demo re-audit compared with its baseline ({args.repeat} runs)"
        )
        print(
            f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        print(
            f"total wall  best {totals[0]:.2f} s   median {statistics.median(totals):.2f} s   "
            f"worst {totals[-1]:.2f} s"
        )
        print(f"total CPU   best {min(r[1] for r in rows):.2f} s")
        print(f"best run:   context {best[2]:.2f} s + render {best[3]:.2f} s")
        print(f"docx size   {out.stat().st_size / 1024:.0f} KB")
        if pdf_time is not None:
            print(f"PDF (LibreOffice, fresh profile) {pdf_time:.1f} s")
        ok = statistics.median(totals) < TARGET_SECONDS
        print(f"target < {TARGET_SECONDS:.0f} s (median): {'met' if ok else 'NOT met'}")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
