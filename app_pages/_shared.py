"""What every page shares: the store, cached analysis, errors and uploads, user text.

The chosen audit and interview, and who is working, are `_audit_choice`'s. The pages
stay thin: they call `sgaudit` and show what it returns; nothing here knows how to
score or store an answer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from sgaudit import printed
from sgaudit.analysis import analyse, compare_audits
from sgaudit.errors import ImportError_, QuestionnaireError, SgauditError
from sgaudit.store import db as store_db
from sgaudit.store import repo
from sgaudit.store.capture import audit_revision
from sgaudit.store.evidence import audit_evidence
from sgaudit.store.frames import analysis_view, load_audit_data
from sgaudit.vocab import MODE_LABELS
from sgaudit.vocab import tier_label as _tier_label

# Each upload is checked against its own limit (the server's maxUploadSize in
# .streamlit/config.toml is the hard ceiling for all of them).
UPLOAD_LIMITS_MB = {"template": 10, "sheet": 20, "register": 20}

PAGES_DIR = Path(__file__).resolve().parent


# Fixed CSS, no user text: captions dark enough for 4.5:1 contrast (Streamlit draws them
# at 60% opacity, about 3:1), and a focus ring that is clearly visible on every control.
PAGE_STYLE = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #4f525c; }
:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
</style>"""


def page_style() -> None:
    st.html(PAGE_STYLE)


# ---- the store -----------------------------------------------------------------------
def database_url() -> str:
    return store_db.database_url()


def db():
    """A session on the store for the signed-in person: committed when the block
    succeeds, rolled back otherwise. Every read and write in it is checked against
    that person's roles by the store itself."""
    from app_pages._account import client_address, current_principal

    return store_db.session_scope(
        database_url(), principal=current_principal(), address=client_address()
    )


# ---- analysis, cached until an answer or register changes -----------------------------
def analysis_stamp(audit_id: int) -> tuple:
    """What invalidates an audit's cached analysis: its interviews, answers and registers,
    and the view the signed-in person may have of it (checked here, before any cache)."""
    with db() as session:
        return (analysis_view(session, audit_id), *audit_revision(session, audit_id))


@st.cache_data(show_spinner="Analysing the audit…", max_entries=64)
def _cached_results(url: str, audit_id: int, stamp: tuple):
    from sgaudit.analysis.scores import ScoreTables
    from sgaudit.report.unsettled import fieldwork_notes

    with db() as session:
        data = load_audit_data(session, audit_id)
        tables = ScoreTables.build(data)  # one build for the evidence gaps and the analysis
        evidence = audit_evidence(session, repo.get_audit(session, audit_id), data, tables)
        analysis = analyse(data, evidence.findings if evidence else (), tables=tables)
        # the report's words for each tier heard in fewer voices than the fieldwork guide
        return analysis, evidence, fieldwork_notes(analysis, data.responses)


def results(audit_id: int):
    """(AuditAnalysis, StoredEvidence or None) of the audit, as the CLI and report see them.

    Recomputed only when the audit's answers, interviews or registers change.
    """
    return _cached_results(database_url(), audit_id, analysis_stamp(audit_id))[:2]


def fieldwork_shortfalls(audit_id: int) -> list[str]:
    """Each tier heard in fewer voices than the fieldwork guide, as the report's "What the
    analysis could not settle" says it (cached with the analysis)."""
    return _cached_results(database_url(), audit_id, analysis_stamp(audit_id))[2]


def analysis(audit_id: int):
    """The audit's AuditAnalysis, evidence gaps from its registers included."""
    return results(audit_id)[0]


@st.cache_data(show_spinner="Comparing the audits…", max_entries=32)
def _cached_comparison(url: str, old_id: int, new_id: int, stamps: tuple):
    with db() as session:
        old, new = load_audit_data(session, old_id), load_audit_data(session, new_id)
        old_evidence = audit_evidence(session, repo.get_audit(session, old_id), old)
        new_evidence = audit_evidence(session, repo.get_audit(session, new_id), new)
        return compare_audits(
            old,
            new,
            old_evidence.findings if old_evidence else (),
            new_evidence.findings if new_evidence else (),
        )


def comparison(old_id: int, new_id: int):
    stamps = (analysis_stamp(old_id), analysis_stamp(new_id))
    return _cached_comparison(database_url(), old_id, new_id, stamps)


# ---- showing errors and checking uploads ----------------------------------------------
def _as_uploaded(text: str, saved_as: Path | None, name: str) -> str:
    """`text` with the server's temporary copy of an upload named as the user's file."""
    if saved_as is None:
        return text
    return text.replace(str(saved_as), name).replace(str(saved_as.parent) + "/", "")


def show_error(exc: SgauditError, *, saved_as: Path | None = None, name: str = "") -> None:
    """A library error in plain words; for a refused import, every problem in a table.

    For an upload, `saved_as` is where the server kept its copy and `name` the file's own
    name: messages name the file as the user knows it, never a path on the server.
    """
    from app_pages import _tables  # it draws with `literal` from here

    name = name or (saved_as.name if saved_as else "")
    if isinstance(exc, ImportError_):
        st.error(
            f"The file was refused: {printed.count(exc.count, 'problem')}. Nothing was changed."
        )
        problems = pd.DataFrame(
            [
                {
                    # in words: a whole-column or whole-file problem has no row
                    "row": p.place,
                    "column": p.column or "",
                    "problem": _as_uploaded(p.message, saved_as, name),
                    "file": _as_uploaded(p.file, saved_as, name),
                }
                for p in exc.problems
            ]
        )
        if len(problems) <= _tables.SHORT_TABLE_ROWS:
            # A few problems are read in full: each message wraps, none is cut off.
            _tables.static_table(problems)
        else:
            st.caption("Each problem in full: hover over it, or widen its column.")
            st.dataframe(problems, hide_index=True, width="stretch")
    elif isinstance(exc, QuestionnaireError):
        st.error("The question set has problems. Nothing was changed.")
        st.dataframe(
            pd.DataFrame({"problem": exc.problems}),
            hide_index=True,
            width="stretch",
            height=_tables.table_height(len(exc.problems)),
        )
    else:
        st.error(_as_uploaded(str(exc), saved_as, name))


def checked_upload(uploaded, kind: str, suffixes: tuple[str, ...]) -> bytes | None:
    """The uploaded file's bytes, or None after telling the user why it was refused."""
    if uploaded is None:
        return None
    limit = UPLOAD_LIMITS_MB[kind]
    name = uploaded.name or ""
    if not name.lower().endswith(suffixes):
        st.error(f"'{name}' is not a {' or '.join(suffixes)} file. Nothing was changed.")
        return None
    if uploaded.size > limit * 1024 * 1024:
        st.error(
            f"'{name}' is {uploaded.size / 1024 / 1024:.1f} MB; the limit is {limit} MB. "
            "Nothing was changed."
        )
        return None
    return uploaded.getvalue()


# ---- downloads ---------------------------------------------------------------------------
def example_register_csv(kind: str) -> str:
    """An example file of a register, formula-safe like every download the app offers."""
    from sgaudit.registers import columns_of
    from sgaudit.safe_csv import neutralise_frame

    columns = columns_of(kind)
    example = pd.DataFrame([[c.example for c in columns]], columns=[c.name for c in columns])
    return neutralise_frame(example).to_csv(index=False, lineterminator="\r\n")


# ---- labels ----------------------------------------------------------------------------
_MARKDOWN_SPECIALS = ("\\", "*", "_", "$", "`", "[", "]", "<", ">", "#", "~", "|")


def literal(text: str) -> str:
    """User text (notes, wording, names) for st.markdown: shown as typed, never as markup."""
    for ch in _MARKDOWN_SPECIALS:
        text = text.replace(ch, "\\" + ch)
    return text


def tier_label(tier: str) -> str:
    return _tier_label(tier)


def mode_label(mode: str) -> str:
    return MODE_LABELS.get(mode, mode)


# ---- messages that survive the rerun after an action ----------------------------------
def flash(message: str) -> None:
    """Show `message` as a success note at the top of the next run (after st.rerun)."""
    st.session_state["sg_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("sg_flash", None)
    if message:
        st.success(message)


# ---- the trail of reads ------------------------------------------------------------------
def record_read(action: str, audit_id: int) -> None:
    """Record once per browser session that the signed-in person opened `action` of an
    audit (the store checks they may, and writes one event)."""
    from sgaudit.store.trail import open_for

    seen = st.session_state.setdefault("sg_recorded_reads", set())
    if (action, audit_id) in seen:
        return
    with db() as session:
        open_for(session, action, audit_id)
    seen.add((action, audit_id))
