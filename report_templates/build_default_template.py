"""Build report_templates/default.docx: the default board-report template.

    python report_templates/build_default_template.py [OUT.docx]

The template is made by `sgaudit.report.template_build` (its docstring gives the tag
conventions an organisation editing its copy in Word should keep); run this after
changing it, and commit the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sgaudit.report.template_build import build as build_template

OUT = Path(__file__).resolve().parent / "default.docx"


def build(out: Path = OUT) -> Path:
    return build_template(out)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
