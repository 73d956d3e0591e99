"""Report context: score cells, the golden-thread table and its charts (see `sgaudit.report.context`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScoreCell(_Model):
    """One score as the report shows it: a whole number with its RAG label, or why not."""

    text: str = Field(
        description='What the cell says: "72 Green", "Suppressed", "Not heard" (asked, '
        'nobody of the tier answered), "Not asked" or "No score".'
    )
    number: str = Field(
        "",
        description='The score as printed: the whole points reached, "69" for 69.8 '
        '(sgaudit.printed; "" when there is none).',
    )
    score: int | None = Field(
        None, description="The score 0-100 as printed, a whole number (None when there is none)."
    )
    rag: str = Field("", description='RAG label, e.g. "Green" ("" when there is no score).')
    fill: str = Field(
        "FFFFFF", description="Cell shading as hex without '#', for `{% cellbg cell.fill %}`."
    )
    status: Literal["scored", "suppressed", "not_heard", "not_asked", "no_score"] = Field(
        "scored",
        description="scored | suppressed (group below the minimum size) | not_heard (asked, "
        "nobody answered) | not_asked | no_score.",
    )
    n: int | None = Field(
        None, description="People behind the score (None when suppressed or not asked)."
    )


class ScoreRow(_Model):
    """A labelled score: one tier or one service area of a theme."""

    label: str = Field(description="The tier or service area.")
    cell: ScoreCell = Field(description="Its score.")
    dont_know: str = Field("", description='Share of "don\'t know" answers, e.g. "15%".')


class TierColumn(_Model):
    """A tier of the golden thread, as a table column."""

    id: str = Field(description="Tier id, e.g. front_line.")
    label: str = Field(description='Full name, e.g. "Front-line staff and volunteers".')
    short: str = Field(description='Column heading, e.g. "Front line".')


class ChartSeries(_Model):
    """One line of a chart: a value per category (None where nothing may be drawn)."""

    label: str = Field(description='Legend label, e.g. "This audit".')
    values: list[float | None] = Field(description="One value per category; None = not drawn.")


class Chart(_Model):
    """A chart drawn at render time, with its alt text for screen readers."""

    id: str = Field(description='Stable name of the chart, e.g. "thread".')
    title: str = Field(description="Caption text.")
    alt_text: str = Field(
        description="Alt text set on the picture (Word's Alt Text); never a suppressed number."
    )
    image: Any = Field(
        None,
        description="The picture itself, filled by render_report: write `{{ chart.image }}` "
        "in a paragraph of its own.",
    )


class ThreadChart(Chart):
    """A golden-thread chart: scores by tier, one panel per theme."""

    categories: list[str] = Field(description="Tier labels, ground to board.")
    panels: list[ThreadPanel] = Field(description="One panel per theme.")


class ThreadPanel(_Model):
    """The data of one theme's panel in a golden-thread chart."""

    title: str = Field(description="Theme title.")
    series: list[ChartSeries] = Field(description="This audit, and the previous one if compared.")
    gaps: list[str] = Field(
        description='Why a category of this audit has no point: "suppressed", "not asked" or "".'
    )


class ThreadRow(_Model):
    """One theme's row of the golden-thread table."""

    theme_id: str = Field(description="Theme id.")
    theme: str = Field(description="Theme title.")
    overall: ScoreCell = Field(description="The theme's organisation-wide score.")
    tier: dict[str, ScoreCell] = Field(
        description="Score per tier id: `row.tier.board.text`, `row.tier.front_line.fill`."
    )
    cells: list[ScoreCell] = Field(description="The same cells in the order of `thread.tiers`.")


class RagKey(_Model):
    """A RAG band as the key explains it."""

    label: str = Field(description='e.g. "Green".')
    range: str = Field(description='e.g. "70 to 100".')
    min: float = Field(description="The lowest score in the band.")
    fill: str = Field(description="Cell shading, hex without '#'.")


class ThreadOverview(_Model):
    """The golden thread: every theme scored at every tier."""

    tiers: list[TierColumn] = Field(description="The six tiers, ground to board.")
    rows: list[ThreadRow] = Field(description="One row per theme, in the set's order.")
    breaks: list[str] = Field(
        description="Sentences naming where the thread breaks (tier far from the front line)."
    )
    knowledge_gaps: list[str] = Field(
        description="Sentences naming where the top of the organisation does not know."
    )
    no_breaks: list[str] = Field(
        description="What to say when `breaks` is empty: who was compared, who was too few."
    )
    no_knowledge_gaps: list[str] = Field(
        description="What to say when `knowledge_gaps` is empty, in the same way."
    )
    key: list[RagKey] = Field(description="The RAG bands, lowest first.")
    chart: ThreadChart | None = Field(
        None,
        description="All themes' threads as small multiples, with the last audit's as a "
        "dashed line when compared (None if nothing can be drawn, or charts are off).",
    )
