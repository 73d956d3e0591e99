"""Capture bench: server time of one answer on the Interview page, in an audit of 200 interviews.

What is timed is exactly what the page runs on the server when an auditor picks an
answer: the widget's on_change callback (`app_pages._capture.save`: open a session,
load the interview, `repo.save_answer`, commit) followed by the rerun of the capture
fragment's data work (reload the interview's answers and recount progress per theme).
Drawing the widgets is the browser's work and is not included.

The other figures time the real page inside Streamlit's script thread (callbacks plus
the rerun), so test-harness and browser time are left out. On the page, an answer's
callback saves it and reruns only two fragments: that question's block and the
progress above the questions.
- the page under `streamlit run`, answers clicked in Debian's chromium (skipped when
  /usr/bin/chromium is absent);
- the same interaction under AppTest (no browser on the machine);
- for scale, a full rerun of the Interview page under AppTest (what a reload, or
  opening the page, costs; not per answer).

Target: under 150 ms per answer. Usage: .venv/bin/python bench/bench_capture.py
[--interviews 200] [--answers 300] [--page-answers 60] [--db sqlite:///path]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sgaudit.access import LOCAL_ADMIN
from sgaudit.questionnaire import load_question_set
from sgaudit.store import capture, repo
from sgaudit.store.db import session_factory
from sgaudit.store.scope import set_principal
from sgaudit.vocab import ANSWER_DONT_KNOW, TIERS

TARGET_MS = 150.0
AREAS = ["Children's homes", "Fostering", "Adult day services", "Supported housing"]


def populate(session, question_set, interviews: int, seed: int = 7):
    """An audit of `interviews` complete interviews spread over every tier and area."""
    rng = random.Random(seed)
    org = repo.create_organisation(session, "Bench Trust", AREAS)
    audit = repo.create_audit(session, org, "Bench audit", question_set, auditor_1="A")
    for i in range(interviews):
        tier = TIERS[i % len(TIERS)]
        iv = repo.start_interview(
            session, audit, tier=tier, service_area=AREAS[i % len(AREAS)], consent_confirmed=True
        )
        for q in question_set.questions_for_tier(tier):
            scale = question_set.scales[q.scale]
            answer = (
                "Said more than the scale holds"
                if scale.kind == "text"
                else rng.choice(scale.allowed_answers())
            )
            repo.save_answer(session, iv, q.id, answer, note="", commit=False)
        session.commit()
    return audit


def one_answer(make_session, interview_id: int, question_id: str, answer: str, questions) -> float:
    """Seconds for one answer: the save callback, then the fragment's refresh."""
    start = time.perf_counter()
    session = make_session()
    try:  # the on_change callback
        interview = capture.interview_for_capture(session, interview_id)
        repo.save_answer(session, interview, question_id, answer, note="", quotable=False)
    finally:
        session.close()
    session = make_session()
    try:  # the capture fragment's rerun: answers and progress
        answers = repo.interview_answers(session, repo.get_interview(session, interview_id))
        answered = {qid for qid, r in answers.items() if r.answer}
        capture.theme_progress(questions, answered)
    finally:
        session.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--answers", type=int, default=300, help="answers to time")
    parser.add_argument(
        "--page-answers", type=int, default=60, help="answers to time through the page (AppTest)"
    )
    parser.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        factory = session_factory(url)

        def make_session():
            # Every session reads and writes for someone: the local administrator, as the
            # app's session_scope does for a store without accounts.
            session = factory()
            set_principal(session, LOCAL_ADMIN, "")
            return session

        question_set = load_question_set()
        t0 = time.perf_counter()
        with make_session() as session:
            audit = populate(session, question_set, args.interviews)
            counts = repo.audit_counts(session, audit)
            # The interview being captured: a new front-line one, as on site.
            live = repo.start_interview(
                session, audit, tier="front_line", service_area=AREAS[0], consent_confirmed=True
            )
            session.commit()
            live_id = live.id
        built = time.perf_counter() - t0
        questions = question_set.questions_for_tier("front_line")
        ordinal = [q for q in questions if question_set.scales[q.scale].kind != "text"]
        rng = random.Random(11)
        for q in ordinal[:5]:  # warm-up: first connection, snapshot cache
            one_answer(make_session, live_id, q.id, ANSWER_DONT_KNOW, questions)
        times = []
        for i in range(args.answers):
            q = ordinal[i % len(ordinal)]
            answer = rng.choice(question_set.scales[q.scale].allowed_answers())
            times.append(one_answer(make_session, live_id, q.id, answer, questions) * 1000)

        browser_times = browser_reruns(url, audit.id, live_id, args.page_answers, Path(tmp))
        page_times, full_times = page_reruns(url, audit.id, live_id, args.page_answers)

    print(
        f"audit: {counts['interviews']} interviews, {counts['answers']} answers "
        f"(built in {built:.1f} s); database: {url.split(':')[0]}"
    )
    worst = [report("one answer: save callback + progress refresh (library)", times)[1]]
    if browser_times:
        worst.append(
            report("one answer in the browser (callback + fragment rerun, server)", browser_times)[
                1
            ]
        )
    else:
        print("one answer in the browser: skipped (no /usr/bin/chromium)")
    worst.append(report("one answer under AppTest (callback + fragment reruns)", page_times)[1])
    report("a full rerun of the Interview page under AppTest (not per answer)", full_times, "runs")
    return 0 if max(worst) < TARGET_MS else 1


def report(what: str, times: list[float], unit: str = "answers") -> tuple[float, float]:
    times = sorted(times)
    median = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{what}, {len(times)} {unit}: median {median:.1f} ms, p95 {p95:.1f} ms, "
        f"max {times[-1]:.1f} ms (target < {TARGET_MS:.0f} ms)"
    )
    return median, p95


def _bench_admin(url: str) -> None:
    """The app needs a sign-in: a throwaway admin "auditor" of the throwaway store."""
    from bench_page_times import PASSWORD  # here: it imports this module

    from sgaudit.access import LOCAL_ADMIN
    from sgaudit.store.accounts import add_user
    from sgaudit.store.db import session_scope
    from sgaudit.store.models import User
    from sgaudit.store.scope import set_principal

    with session_scope(url) as session:
        set_principal(session, LOCAL_ADMIN, "")
        if session.query(User.id).filter(User.username == "auditor").first() is None:
            add_user(session, "auditor", PASSWORD, is_admin=True)
            session.commit()


def browser_reruns(
    url: str, audit_id: int, interview_id: int, answers: int, tmp: Path
) -> list[float]:
    """Server milliseconds per answer clicked in chromium: the runs that were fragment reruns."""
    import os

    from _app import CHROMIUM, launch_chromium, timed_app
    from bench_page_times import sign_in  # here: it imports this module
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        return []
    _bench_admin(url)
    log = tmp / "runs.log"
    with timed_app(url, log) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/interview?audit={audit_id}&interview={interview_id}")
            sign_in(page)
            groups = page.locator("[data-testid=stMain] [data-testid=stRadioGroup]")
            groups.first.wait_for(timeout=60_000)
            _idle(page)
            log.write_text("")  # only the answers from here on
            count = min(groups.count(), 6)
            for i in range(answers):
                options = groups.nth(i % count).locator("[data-testid=stRadioOption]")
                # Each visit to a question picks its next option: always a change.
                options.nth((i // count) % options.count()).click()
                _idle(page)
        finally:
            browser.close()
    runs = [line.split() for line in log.read_text().splitlines() if line.strip()]
    return [float(ms) for ms, fragment in runs if fragment == "1"]


def _idle(page, limit_ms: int = 20_000) -> None:
    """Wait (bounded) for the app to finish its run."""
    page.wait_for_timeout(50)
    waited = 50
    while waited < limit_ms:
        state = page.evaluate(
            "() => { const a = document.querySelector('[data-testid=stApp]');"
            " return a ? a.getAttribute('data-test-script-state') : null }"
        )
        if state == "notRunning":
            return
        page.wait_for_timeout(25)
        waited += 25
    raise RuntimeError(f"the app was still running after {limit_ms} ms")


def page_reruns(
    url: str, audit_id: int, interview_id: int, answers: int
) -> tuple[list[float], list[float]]:
    """Server milliseconds per answer picked on the Interview page, and per full rerun,
    driven by AppTest and timed inside Streamlit's script thread."""
    import os

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    durations: list[float] = []
    run_script = script_runner.ScriptRunner._run_script

    def timed(self, rerun_data):
        start = time.perf_counter()
        try:
            return run_script(self, rerun_data)
        finally:
            durations.append((time.perf_counter() - start) * 1000)

    os.environ["SGAUDIT_DATABASE_URL"] = url
    _bench_admin(url)
    script_runner.ScriptRunner._run_script = timed
    try:
        app = Path(__file__).resolve().parents[1] / "audit_app.py"
        at = AppTest.from_file(str(app), default_timeout=60)
        # signed in as the bench's admin, as the sign-in form leaves a session
        at.session_state["sg_user"] = "auditor"
        at.session_state["sg_last_seen"] = datetime.now(UTC).replace(tzinfo=None)
        at.session_state["audit"] = audit_id
        at.session_state["interview"] = interview_id
        at.run()
        at.switch_page("app_pages/interview.py")
        at.run()
        if at.exception:
            raise RuntimeError(f"the Interview page failed: {at.exception[0].message}")
        question_set = load_question_set()
        rng = random.Random(5)
        for i in range(answers + 3):
            if i == 3:
                durations.clear()  # the first reruns warm caches up
            # After an answer AppTest holds only the redrawn fragments: that question.
            radio = [r for r in at.radio if r.key and r.key.startswith("answer:")][0]
            question_id = radio.key.rsplit(":", 1)[1]
            choices = [a for a in question_set.allowed_answers(question_id) if a != radio.value]
            radio.set_value(rng.choice(choices))
            at.run()
        answer_times = list(durations)
        durations.clear()
        for _ in range(10):
            at.run()  # nothing changed: the whole script runs
        full_times = list(durations)
    finally:
        script_runner.ScriptRunner._run_script = run_script
    return answer_times, full_times


if __name__ == "__main__":
    sys.exit(main())
