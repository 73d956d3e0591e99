"""The app server's one-time imports, done in the background as soon as it starts serving.

The first page anyone opens (the sign-in form) starts one thread that imports what the
analysis pages need and the sign-in page does not: plotly for the charts, the analysis
and the register rates' suppression (HiGHS), the report package for the
self-assessment view (it brings python-docx and matplotlib). scipy is not among them:
no page imports it (the analysis works out Student's t itself). Python keeps a module
once imported for the whole server process, so while the person types their password
the server pays these imports once, and no page's own run waits for them (a page that
asks for a module the thread is still importing waits only for the rest of it).

Only modules are loaded: no audit is read and no result kept, so nothing here can go
stale when an answer changes.
"""

from __future__ import annotations

import importlib
import logging
import threading

# What the Dashboard, Findings, Compare and Report pages import beyond the sign-in page.
MODULES = (
    "plotly.graph_objects",
    "app_pages._charts",
    "sgaudit.analysis",
    "sgaudit.registers",
    "sgaudit.registers.disclosure",
    "sgaudit.report",
    "sgaudit.report.self_assessment_view",
)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def _import_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the page that needs it will raise it where it can be seen
            logging.getLogger(__name__).exception("warm-up import of %s failed", name)


def start() -> threading.Thread:
    """Start the imports once per server process; later calls return the same thread."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_import_all, name="sgaudit-warm-up", daemon=True)
            _thread.start()
        return _thread
