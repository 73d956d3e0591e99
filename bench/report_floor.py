"""The floor for a board report: a Word file of the same size, charts drawn the same way.

    .venv/bin/python bench/report_floor.py OUT.docx --paragraphs 592 --tables 39 \
        --cells 1433 --panels 11

Run as its own process by `bench_report_cli.py` (so its CPU time includes start-up and
imports, like the command it is set beside). It does what no report can avoid and
nothing of sgaudit's own: it imports the libraries the report is built with (pandas
and SQLAlchemy to read and shape an audit, matplotlib to draw, docxtpl to write Word),
draws a grid of small line panels with a key at the report chart's printed width and
resolution (matplotlib's Agg, fixed margins), and renders a docxtpl template holding
as many paragraphs, tables and table cells as the real report, with the picture in it.
"""

from __future__ import annotations

import argparse
import io
import math
import sys


def chart(panels: int) -> io.BytesIO:
    """`panels` small line charts, three across, plus a key: as the report's thread chart."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    cm = 1 / 2.54
    rows = math.ceil((panels + 1) / 3)
    fig, axes = plt.subplots(rows, 3, figsize=(16.5 * cm, rows * 4.4 * cm), squeeze=False)
    fig.subplots_adjust(left=0.06, right=0.97, bottom=0.1, top=0.9, wspace=0.22, hspace=1.05)
    tiers = list(range(6))
    for i, ax in enumerate(axes.flat):
        if i >= panels:
            ax.set_visible(False)
            continue
        ax.axhspan(0, 50, color="#f4cccc")
        ax.axhspan(50, 75, color="#fff2cc")
        ax.axhspan(75, 100, color="#d9ead3")
        ax.plot(tiers, [40 + 5 * ((i + t) % 7) for t in tiers], marker="o", color="#0072B2")
        ax.plot(tiers, [35 + 6 * ((i * 2 + t) % 5) for t in tiers], marker="s", color="#E69F00")
        ax.set_ylim(0, 100)
        ax.set_xticks(tiers, ["FL", "MG", "DSL", "SL", "BD", "SU"], fontsize=6)
        ax.set_title(f"Theme {i + 1}", fontsize=8)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=200)
    plt.close(fig)
    out.seek(0)
    return out


def template(tables: int, columns: int) -> io.BytesIO:
    """A docxtpl template: a loop of paragraphs, the picture, `tables` row-looped tables."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("{%p for p in paragraphs %}")
    doc.add_paragraph("{{ p }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{ picture }}")
    for t in range(tables):
        table = doc.add_table(rows=4, cols=columns)
        table.style = "Table Grid"
        for c in range(columns):
            table.cell(0, c).text = f"Heading {c + 1}"
        table.cell(1, 0).text = f"{{%tr for row in tables[{t}] %}}"
        for c in range(columns):
            table.cell(2, c).text = f"{{{{ row[{c}] }}}}"
        table.cell(3, 0).text = "{%tr endfor %}"
        doc.add_paragraph(f"Table {t + 1}")
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--paragraphs", type=int, default=592)
    ap.add_argument("--tables", type=int, default=39)
    ap.add_argument("--cells", type=int, default=1433)
    ap.add_argument("--panels", type=int, default=11)
    args = ap.parse_args(argv)

    import pandas  # noqa: F401  (reading and shaping an audit)
    import sqlalchemy  # noqa: F401  (the store)
    from docx.shared import Cm
    from docxtpl import DocxTemplate, InlineImage

    columns = 4
    rows_per_table = max(1, args.cells // max(args.tables, 1) // columns - 1)
    text = "A sentence of the report, about as long as one of its findings or notes. " * 2
    doc = DocxTemplate(template(args.tables, columns))
    doc.render(
        {
            "paragraphs": [f"{i}. {text}" for i in range(args.paragraphs)],
            "picture": InlineImage(doc, chart(args.panels), width=Cm(16.5)),
            "tables": [
                [[f"cell {t}.{r}.{c}" for c in range(columns)] for r in range(rows_per_table)]
                for t in range(args.tables)
            ],
        }
    )
    doc.save(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
