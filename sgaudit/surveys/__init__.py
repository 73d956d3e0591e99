"""Survey exports in and survey forms out.

- `detect`: which tool wrote an export (Microsoft Forms, Google Forms, SurveyMonkey,
  ODK Central, KoboToolbox, or a plain wide sheet), from its header.
- `matching`: which column holds which question, by id or by wording.
- `by_answers`: the tier and service area columns found by their answers; free-text
  columns no question asks left out.
- `options`: the user's choices, and how the shell (CLI or app) names each in messages.
- `maps`: the user's tier, area and column maps.
- `respondents`: response keys and random pseudonymous codes.
- `files`: the one entry point: long answer sheets to `sheets`, the rest here.
- `importing`: the export as the canonical wide frame, validated and written by the
  answer-sheet path (`sgaudit.sheets`), all or nothing.

The formats are documented in docs/formats.md.
"""

from sgaudit.surveys.files import import_file
from sgaudit.surveys.importing import SurveyImport, SurveyOptions, import_survey, read_export

__all__ = ["SurveyImport", "SurveyOptions", "import_file", "import_survey", "read_export"]
