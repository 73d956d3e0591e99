"""The partnership roll-up page's first view, in a real browser, analysed in the page's
own process against on worker processes (`SGAUDIT_ROLL_UP_WORKERS`), with the CLI's
`sgaudit roll-up --workers 2` as the floor in the same run.

    .venv/bin/python bench/bench_roll_up_page.py --orgs 48 --keep /tmp/roll48.db
    .venv/bin/python bench/bench_roll_up_page.py --store /tmp/roll48.db --repeat 3

Each organisation has an audit and its re-audit (`_scale_store.Store`), both made final,
so every member is read with the change since its earlier final audit, the worst case.
Each view is a fresh server (the page caches its table per server), timed from the click
on "Partnership roll-up" to its second table on screen. Medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app import REPO, launch_chromium, timed_app  # noqa: E402
from _scale_store import Store  # noqa: E402

ACCOUNT, PASSWORD = "timer", "a long partnership pass phrase 42"


def build(path: Path, orgs: int, responses: int) -> None:
    from sgaudit.store.accounts import add_user
    from sgaudit.store.db import get_engine, session_scope

    url = f"sqlite:///{path}"
    get_engine(url)
    Store(url, responses).grow_to(orgs)
    with session_scope(url) as s:
        add_user(s, ACCOUNT, PASSWORD, is_admin=True)
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE audit SET status = 'final'")
    con.close()


def page_view(url: str, workers: int) -> float:
    """Seconds from the click on the page to its table on screen, on a fresh server."""
    from playwright.sync_api import sync_playwright

    os.environ["SGAUDIT_ROLL_UP_WORKERS"] = str(workers)
    with tempfile.TemporaryDirectory() as tmp, timed_app(url, Path(tmp) / "runs.log") as base:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(base)
                page.get_by_role("textbox", name="Account name", exact=True).fill(ACCOUNT)
                page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
                page.get_by_role("button", name="Sign in", exact=True).click()
                page.get_by_text("Signed in as").first.wait_for(timeout=60_000)
                nav = page.locator("[data-testid=stSidebarNav]")
                start = time.perf_counter()
                nav.get_by_text("Partnership roll-up", exact=True).click()
                page.get_by_text("Organisation by organisation").first.wait_for(timeout=600_000)
                return time.perf_counter() - start
            finally:
                browser.close()


def cli_floor(url: str) -> float:
    """`sgaudit roll-up --workers 2`, wall seconds of a fresh process."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sgaudit", "roll-up", "--workers", "2"],
        cwd=REPO, env=dict(os.environ, SGAUDIT_DATABASE_URL=url),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orgs", type=int, default=48)
    ap.add_argument("--responses", type=int, default=20_000, help="answers per audit")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="build the store in this file and keep it")
    ap.add_argument("--store", type=Path, help="measure this store (built with --keep)")
    args = ap.parse_args()
    if args.store:
        path = args.store
    else:
        path = args.keep or Path(tempfile.mkdtemp()) / "roll_up.db"
        t = time.perf_counter()
        build(path, args.orgs, args.responses)
        print(f"built {args.orgs} organisations in {time.perf_counter() - t:.0f} s", flush=True)
    url = f"sqlite:///{path}"
    times: dict[str, list[float]] = {"in process": [], "2 workers": [], "floor": []}
    for _ in range(args.repeat):  # paired, in turn, so a noisy minute hits all three
        times["in process"].append(page_view(url, 1))
        times["2 workers"].append(page_view(url, 2))
        times["floor"].append(cli_floor(url))
        print({k: round(v[-1], 2) for k, v in times.items()}, flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"medians of {args.repeat}, wall seconds, load average {os.getloadavg()[0]:.1f}:")
    for k, v in med.items():
        print(f"  {k:>10}: {v:6.2f} s  ({v / med['floor']:.2f}x the floor)")
    print(f"  workers against in process: {med['2 workers'] / med['in process']:.2f}")


if __name__ == "__main__":
    main()
