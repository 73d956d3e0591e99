"""Answer sheets: the blank template, long and wide imports, and the long export.

- `template`: a blank answer sheet for an audit (CSV or XLSX).
- `reading`: reads a CSV or XLSX file into text cells, reporting unreadable files.
- `importer`: validates a long or wide answer file completely, then writes it in
  one transaction (or nothing at all).
- `export`: an audit's answers in the long import format (for spreadsheets).

The file formats are documented in docs/formats.md.
"""

from sgaudit.sheets.export import export_answers
from sgaudit.sheets.importer import ImportSummary, import_answers
from sgaudit.sheets.template import TEMPLATE_COLUMNS, template_frame, write_template

__all__ = [
    "TEMPLATE_COLUMNS",
    "ImportSummary",
    "export_answers",
    "import_answers",
    "template_frame",
    "write_template",
]
