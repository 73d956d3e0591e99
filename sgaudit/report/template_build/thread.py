"""The golden thread and the analysis around it: the tier x theme table and chart, where
the thread breaks, localised and systemic issues with the theme x service-area table,
and what the analysis could not settle."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from sgaudit.report.template_build.blocks import (
    bullets,
    cant_split,
    cell_margins,
    figure,
    heading,
    para,
    repeat_header,
    set_cell,
    shade,
    table,
    table_caption,
    tag,
)
from sgaudit.report.template_build.styles import HEADER_FILL, TEXT_WIDTH_CM
from sgaudit.vocab import TIER_SHORT_LABELS, TIERS

THEME_COLUMN_CM = 3.0  # the golden thread table's theme column; the tiers share the rest


def thread(doc):
    heading(doc, "The golden thread", 1)
    intro = para(
        doc,
        "The table shows how each group rates each theme, from the people who use "
        "services on the left up to the board on the right. Scores run from 0 (weakest) to "
        "100 (strongest) and every cell names its rating in words as well as colour: "
        "{% for k in thread.key %}{{ k.label }} {{ k.range }}{% if not loop.last %}; "
        "{% endif %}{% endfor %}.",
    )
    intro.paragraph_format.keep_with_next = True  # the key stays with the table it reads
    cell = "{% cellbg row.tier.TIER.fill %}{{ row.tier.TIER.text }}"
    tiers = list(TIERS)
    headers = ["Theme", "Overall", *(TIER_SHORT_LABELS[t] for t in TIERS)]
    body = [
        "{{ row.theme }}",
        "{% cellbg row.overall.fill %}{{ row.overall.text }}",
        *[cell.replace("TIER", t) for t in tiers],
    ]
    # Tier columns wide enough for "Managers" in bold and "Suppressed" on one line, even
    # in DejaVu Sans (LibreOffice's stand-in for Arial where Liberation Sans is missing).
    thread_table = table(
        doc,
        headers,
        [THEME_COLUMN_CM, *[(TEXT_WIDTH_CM - THEME_COLUMN_CM) / 7] * 7],
        [body],
        "Each theme's score at each tier of the golden thread",
        loop="row in thread.rows",
    )
    cell_margins(thread_table, left=30, right=30)
    figure(doc, "thread.chart")
    heading(doc, "Where the thread breaks", 2)
    bullets(doc, "thread.breaks")
    tag(doc, "{%p if not thread.breaks %}")
    bullets(doc, "thread.no_breaks")
    tag(doc, "{%p endif %}")
    heading(doc, "Where leaders do not know", 2)
    bullets(doc, "thread.knowledge_gaps")
    tag(doc, "{%p if not thread.knowledge_gaps %}")
    bullets(doc, "thread.no_knowledge_gaps")
    tag(doc, "{%p endif %}")


def scope(doc):
    # Short, so it follows the golden thread on the same page rather than alone.
    heading(doc, "Localised and systemic issues", 1)
    para(doc, "{{ localised_systemic.summary }}", "Lead")
    para(
        doc,
        "A systemic issue runs across most of the organisation and needs an "
        "organisation-wide response. A localised issue belongs to particular service areas "
        "and can be tackled there, though the board should ask why it arose.",
    )
    area_table(doc)
    heading(doc, "Across the organisation", 2)
    bullets(
        doc,
        "localised_systemic.systemic",
        "{{ x.summary }}",
        empty="{{ localised_systemic.systemic_none }}",
    )
    tag(doc, "{%p if localised_systemic.open_weak %}")
    para(doc, "{{ localised_systemic.open_weak }}")
    tag(doc, "{%p endif %}")
    heading(doc, "In particular service areas", 2)
    tag(doc, "{%p for g in localised_systemic.localised %}")
    heading(doc, "{{ g.area }}", 3)
    tag(doc, "{%p for x in g.findings %}")
    para(doc, "{{ x.summary }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not localised_systemic.localised %}")
    para(doc, "No service area stands out as weaker than the others.")
    tag(doc, "{%p endif %}")


def reach_table(doc, names, rows, title):
    """A reach table (`ReachRow`s): who, the people heard, the themes, the smallest
    difference that could show and its range; `names` head the first and fourth columns."""
    who, smallest = names
    table(
        doc,
        [who, "People heard", "Themes", smallest, "By theme"],
        [6.4, 2.6, 1.8, 3.2, 3.0],
        [
            [
                "{{ r.pair }}",
                "{{ r.people }}",
                "{{ r.themes }}",
                "{{ r.smallest }}",
                "{{ r.by_theme }}",
            ]
        ],
        title,
        loop=f"r in {rows}",
        centre_from=1,
    )


def unsettled(doc):
    """What the analysis could not settle: worth exploring, who could not be assessed,
    and how large a golden-thread difference had to be to show."""
    heading(doc, "What the analysis could not settle", 1)
    para(
        doc,
        "A finding needs a difference large enough to matter and clear of the chance of "
        "who happened to be asked. This section says where the people we heard could not "
        "settle the question either way, so that no silence in this report is read as "
        "all being well.",
    )
    heading(doc, "Worth exploring", 2)
    tag(doc, "{%p if unsettled.worth_exploring %}")
    para(
        doc,
        "Each of these differences is as large as a finding, but too few people were heard "
        "to be sure of it; or it is a call close to the line: a theme scoring near the weak "
        "score, or weak in about as many service areas as make a weakness organisation-wide. "
        "They are not findings; they are questions for the organisation to look into.",
    )
    tag(doc, "{%p endif %}")
    bullets(
        doc,
        "unsettled.worth_exploring",
        "{{ x.theme }}: {{ x.summary }}"
        "{% if x.doubt %} Why it is not a finding: {{ x.doubt }}.{% endif %}",
        empty="{{ unsettled.worth_exploring_none }}",
    )
    tag(doc, "{%p if unsettled.notes %}")
    heading(doc, "Groups heard too few, or assessed together", 2)
    bullets(doc, "unsettled.notes")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unsettled.reach %}")
    heading(doc, "How large a difference had to be to show", 2)
    para(doc, "{{ unsettled.reach_intro }}").paragraph_format.keep_with_next = True
    reach_table(
        doc,
        ("Set against each other", "Smallest difference"),
        "unsettled.reach",
        "The smallest difference on one theme that could show as a finding, pair by pair "
        "of the golden thread",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unsettled.area_reach %}")
    para(doc, "{{ unsettled.area_intro }}").paragraph_format.keep_with_next = True
    reach_table(
        doc,
        ("Service area", "Smallest gap"),
        "unsettled.area_reach",
        "The smallest gap below the other service areas that could show as localised, area by area",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unsettled.organisation_reach %}")
    para(doc, "{{ unsettled.organisation_reach }}")
    tag(doc, "{%p endif %}")


# The theme x area table; sgaudit.report.pagination.AREA_TABLE_CAPTION finds it by this.
AREA_TABLE_CAPTION = "Each theme's score in each service area"


def area_table(doc):
    """Every theme in every service area: columns repeat per area (docxtpl `{%tc %}`)."""
    tag(doc, "{%p if areas.areas %}")
    heading(doc, "Each theme in each service area", 2)
    para(
        doc,
        "Each cell gives the score, its rating and the number of people behind it (n). "
        "\u201cSuppressed\u201d marks a group too small to show without identifying "
        "someone, or one hidden so that another small group cannot be worked out.",
    )
    t = doc.add_table(rows=4, cols=4)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    cell_margins(t, left=40, right=40)  # narrow margins: area names stay whole
    table_caption(t, AREA_TABLE_CAPTION)
    widths = (2.7, 4.77, 4.77, 4.76)
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
        for cell in t.columns[i].cells:
            cell.width = Cm(w)
    head = t.rows[0]
    repeat_header(head)
    for i, text in enumerate(
        ("Theme", "{%tc for a in areas.areas %}", "{{ a }}", "{%tc endfor %}")
    ):
        set_cell(head.cells[i], text, "Table Heading", WD_ALIGN_PARAGRAPH.CENTER if i else None)
        for run in head.cells[i].paragraphs[0].runs:
            run.font.size = Pt(8)  # a column per area: room for "Opportunities" at 8 pt
        shade(head.cells[i], HEADER_FILL)
    set_cell(t.rows[1].cells[0], "{%tr for row in areas.rows %}")
    body = (
        "{{ row.theme }}",
        "{%tc for c in row.cells %}",
        "{% cellbg c.fill %}{{ c.text }}{% if c.n %} (n={{ c.n }}){% endif %}",
        "{%tc endfor %}",
    )
    for i, text in enumerate(body):
        set_cell(t.rows[2].cells[i], text, "Table Text", WD_ALIGN_PARAGRAPH.CENTER if i else None)
    set_cell(t.rows[3].cells[0], "{%tr endfor %}")
    for row in t.rows[1:]:
        cant_split(row)
    para(doc, AREA_TABLE_CAPTION, "Caption")
    tag(doc, "{%p endif %}")
