"""Convert a report to a tagged PDF with LibreOffice, contents page numbered.

LibreOffice runs the macro of `pdf_macro` (update the indexes, export with
UseTaggedPDF); if that yields nothing, `soffice --convert-to` with the same tagged
export options is the fallback (a tagged PDF whose contents page has no page numbers).

LibreOffice is optional: without it `convert_to_pdf` raises a ReportError saying how
to get it. Each conversion runs with its own throwaway LibreOffice profile, so it
neither disturbs nor waits for a LibreOffice the user has open, and two conversions
can run side by side.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sgaudit.errors import ReportError
from sgaudit.report.pdf_macro import install_macro, macro_url

TIMEOUT_SECONDS = 180
_CANDIDATES = ("soffice", "libreoffice")
_MAC_APP = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
TAGGED_PDF_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {"UseTaggedPDF": {"type": "boolean", "value": "true"}}
)


def find_soffice() -> str | None:
    """The LibreOffice executable: $SGAUDIT_SOFFICE, else soffice/libreoffice on PATH."""
    configured = os.environ.get("SGAUDIT_SOFFICE")
    if configured:
        return configured if Path(configured).exists() or shutil.which(configured) else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return _MAC_APP if Path(_MAC_APP).exists() else None


def convert_to_pdf(
    docx_path: str | Path, pdf_path: str | Path | None = None, timeout: float = TIMEOUT_SECONDS
) -> Path:
    """Write a PDF of `docx_path` (default: beside it, same name) and return its path."""
    source = Path(docx_path).resolve()
    target = Path(pdf_path).resolve() if pdf_path else source.with_suffix(".pdf")
    if not source.is_file():
        raise ReportError(f"cannot convert {source}: the file does not exist")
    soffice = find_soffice()
    if soffice is None:
        raise ReportError(
            "PDF conversion needs LibreOffice, which is not installed here. Install it "
            "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS/Windows: "
            "libreoffice.org) or open the .docx in Word and save it as PDF. The Word "
            f"report was written to {source}."
        )
    with tempfile.TemporaryDirectory(prefix="sgaudit-pdf-") as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        base = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
        ]
        produced = work_dir / (source.stem + ".pdf")
        # The first start fills the profile; the macro goes in after, or it is overwritten.
        _run(base + ["--terminate_after_init"], source, soffice, timeout)
        install_macro(profile)
        done = _run(base + [macro_url(source, produced)], source, soffice, timeout)
        if not produced.is_file():
            done = _run(
                base + ["--convert-to", TAGGED_PDF_FILTER, "--outdir", str(work_dir), str(source)],
                source,
                soffice,
                timeout,
            )
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout or "").strip().splitlines()[-3:]
            raise ReportError(
                f"LibreOffice could not convert {source.name} to PDF"
                + (": " + " ".join(detail) if detail else "")
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), target)
        except OSError as exc:
            raise ReportError(f"could not write {target}: {exc.strerror or exc}") from None
    return target


def _run(cmd: list[str], source: Path, soffice: str, timeout: float):
    try:
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        raise ReportError(
            f"LibreOffice did not finish converting {source.name} to PDF within "
            f"{int(timeout)} seconds"
        ) from None
    except OSError as exc:
        raise ReportError(f"could not run LibreOffice ({soffice}): {exc}") from None
