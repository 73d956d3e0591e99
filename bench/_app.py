"""The app under a timer, and chromium, for the benches that drive the app in a browser.

`timed_app(url, log)` starts `streamlit run audit_app.py` on 127.0.0.1 (a free port) with
the store at `url`, each script run's server milliseconds appended to `log` (and whether
it was a fragment rerun), waits (bounded) for it to answer, yields its base address, and
stops it by its process at the end. `launch_chromium(playwright)` starts the machine's
chromium headless, with no network of its own.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
REPO = Path(__file__).resolve().parents[1]

# Runs `streamlit run` with the script thread timed: each run's milliseconds, and
# whether it was a fragment rerun, are appended to the file named in argv[1].
_TIMED_SERVER = """
import sys, time
from streamlit.runtime.scriptrunner import script_runner
log = open(sys.argv.pop(1), "a", buffering=1)
run_script = script_runner.ScriptRunner._run_script
def timed(self, rerun_data):
    start = time.perf_counter()
    try:
        return run_script(self, rerun_data)
    finally:
        ms = (time.perf_counter() - start) * 1000
        log.write(f"{ms:.3f} {int(bool(rerun_data.fragment_id_queue))}\\n")
script_runner.ScriptRunner._run_script = timed
from streamlit.web.cli import main
sys.exit(main())
"""


@contextlib.contextmanager
def timed_app(url: str, log: Path, start_within: float = 60.0):
    """The app on a free local port, its runs timed into `log`; yields its base address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", _TIMED_SERVER, str(log), "run", str(REPO / "audit_app.py"),
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=dict(os.environ, SGAUDIT_DATABASE_URL=url),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_within
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"streamlit did not start within {start_within:.0f} s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def launch_chromium(playwright):
    """The machine's chromium, headless (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
