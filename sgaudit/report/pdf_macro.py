"""The LibreOffice Basic macro that prints a report: indexes updated, then a tagged PDF.

`soffice --convert-to pdf` prints the contents page as the .docx carries it, without
page numbers (only Word knows them), and untagged. Instead the conversion opens the
report in a throwaway LibreOffice profile whose Standard library holds this macro: it
updates every index (so the contents page gets its page numbers from LibreOffice's own
layout), exports with `writer_pdf_Export` and UseTaggedPDF (a PDF screen readers can
navigate) and quits LibreOffice.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

MACRO_NAME = "Standard.SgauditPdf.Export"

_BASIC = """REM sgaudit: update the indexes, export a tagged PDF, quit
Sub Export(source As String, target As String)
  On Error GoTo Failed
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden"
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(source, "_blank", 0, load())
  indexes = doc.getDocumentIndexes()
  REM twice: filling the contents page can move the headings after it
  For pass = 1 To 2
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next i
  Next pass
  Dim options(0) As New com.sun.star.beans.PropertyValue
  options(0).Name = "UseTaggedPDF"
  options(0).Value = True
  Dim store(1) As New com.sun.star.beans.PropertyValue
  store(0).Name = "FilterName"
  store(0).Value = "writer_pdf_Export"
  store(1).Name = "FilterData"
  store(1).Value = options()
  doc.storeToURL(target, store())
  doc.close(True)
Failed:
  StarDesktop.terminate()
End Sub
"""

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {kind} PUBLIC '
    '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">\n'
)
_LIBRARIES = (
    _HEAD.format(kind="library:libraries", dtd="libraries.dtd")
    + '<library:libraries xmlns:library="http://openoffice.org/2000/library" '
    'xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<library:library library:name="Standard" library:link="false"/>'
    "</library:libraries>\n"
)
_LIBRARY = (
    _HEAD.format(kind="library:library", dtd="library.dtd")
    + '<library:library xmlns:library="http://openoffice.org/2000/library" '
    'library:name="Standard" library:readonly="false" '
    'library:passwordprotected="false">{elements}</library:library>\n'
)
_MODULE = (
    _HEAD.format(kind="script:module", dtd="module.dtd")
    + '<script:module xmlns:script="http://openoffice.org/2000/script" '
    'script:name="SgauditPdf" script:language="StarBasic">{code}</script:module>\n'
)


def install_macro(profile_dir: Path) -> None:
    """Write the macro into a fresh LibreOffice profile's Standard Basic library."""
    basic = profile_dir / "user" / "basic"
    standard = basic / "Standard"
    standard.mkdir(parents=True, exist_ok=True)
    (basic / "script.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "dialog.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (standard / "script.xlb").write_text(
        _LIBRARY.format(elements='<library:element library:name="SgauditPdf"/>'), encoding="utf-8"
    )
    (standard / "dialog.xlb").write_text(_LIBRARY.format(elements=""), encoding="utf-8")
    (standard / "SgauditPdf.xba").write_text(_MODULE.format(code=escape(_BASIC)), encoding="utf-8")


def macro_url(source: Path, target: Path) -> str:
    """The macro:/// URL that runs the export of `source` to `target`."""

    def quoted(path: Path) -> str:
        return '"' + path.as_uri().replace('"', "%22") + '"'

    return f"macro:///{MACRO_NAME}({quoted(source)},{quoted(target)})"
