"""Which differences are findings: one decision over every comparison of the audit.

All comparisons (thread, don't know, localised, area-wide, systemic, paper/practice)
are gathered in one table and put through the false-flag control together
(`flags.decide`, over `uncertainty.false_flag_control`). Then, for each:

- **finding**: the difference is at least the set's threshold in the direction that
  matters, and clear of the noise (its interval excludes zero);
- **worth exploring**: as large, but not clear ("too few people to be sure"), or a
  systemic call within the borderline band;
- nothing otherwise.

Then the domain rules, one module per seam: where a weakness sits
(`scope_findings`: a systemic theme has no localised finding), the golden thread
(`thread_findings`: a thread break that comes from one area's front line says "not
sighted on" that area and folds into the area's localised finding when there is one;
tiers too few to show are pooled or noted as not assessable), and paper against
practice (below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sgaudit.analysis.alongside import alongside
from sgaudit.analysis.assessment_notes import AssessmentNote, assessment_notes, not_heard_notes
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import (
    Finding,
    _num,
    _one,
    quotable_notes,
    severity_from_ratio,
    sort_findings,
)
from sgaudit.analysis.flags import (
    BORDERLINE,
    FINDING,
    TOO_FEW,
    WORTH,
    FindingMaker,
    certainty,
    decide,
    how_sure,
)
from sgaudit.analysis.own_level import few_themes, respondent_codes
from sgaudit.analysis.paper_practice import paper_practice_comparisons, question_pull
from sgaudit.analysis.reach import (
    AreaReach,
    OrganisationReach,
    ThreadReach,
    area_reach,
    organisation_reach,
    thread_reach,
)
from sgaudit.analysis.scope import (
    area_candidates,
    area_levels,
    area_wide_comparisons,
    localised_of,
    operational_respondents,
    systemic_comparisons,
)
from sgaudit.analysis.scope_findings import (
    area_wide_findings,
    localised_findings,
    systemic_findings,
)
from sgaudit.analysis.scores import ScoreTables
from sgaudit.analysis.scoring import theme_titles
from sgaudit.analysis.thread import (
    BEYOND,
    COMPARISON_COLUMNS,
    THREAD_KINDS,
    beyond_usual_comparisons,
    dont_know_comparisons,
    thread_comparisons,
    thread_groups,
    thread_pairs,
    thread_respondents,
)
from sgaudit.analysis.thread_findings import (
    group_noun,
    knowledge_gap_findings,
    thread_break_findings,
)

# Fewer themes than this and a view of one theme leaks a fifth or more into each other
# theme's reading beyond the usual gap (`settle_usual_level`).
FEW_THEMES = 6

__all__ = [
    "BORDERLINE",
    "FINDING",
    "TOO_FEW",
    "WORTH",
    "AssessmentNote",
    "Detection",
    "all_comparisons",
    "decide",
    "detect",
    "group_noun",
]


@dataclass(frozen=True, eq=False)
class Detection:
    findings: list[Finding]
    worth_exploring: list[Finding]
    not_assessable: list[AssessmentNote]
    pooled: list[AssessmentNote]
    reach: list[ThreadReach]  # how large a thread gap had to be to show (`reach`)
    area_reach: list[AreaReach]  # how far below the others an area had to fall to show
    comparisons: pd.DataFrame  # every comparison made, with q, interval and status
    # how far below the weak score a theme had to fall, across the organisation, to show
    organisation_reach: OrganisationReach | None = None


def all_comparisons(tables: ScoreTables):
    """Every comparison of the audit, before the false-flag control; and the inputs kept."""
    s = tables.settings
    groups = thread_groups(tables.by_tier, s)
    pairs = thread_pairs(tables.by_tier, groups, s)
    # The golden thread on a second thread for a large audit, while this one makes the
    # other comparisons (`alongside`).
    golden = alongside(len(tables.scored), _thread_part, tables, pairs)
    ops, others, candidates = _other_parts(tables, groups)
    resp, thread = golden.result()
    parts = [p for p in (thread, *others) if len(p)]
    comps = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=list(COMPARISON_COLUMNS))
    )
    return comps, (groups, pairs), resp, ops, candidates


def _thread_part(tables: ScoreTables, pairs: pd.DataFrame):
    """The golden thread: respondents like with like, and their comparisons."""
    resp = thread_respondents(tables.scored, pairs, tables.thread_answers())
    return resp, thread_comparisons(resp, tables.settings)


def _other_parts(tables: ScoreTables, groups):
    """Don't know, localised, area-wide, systemic and paper/practice comparisons; and
    every area's comparison with the others (`area_candidates`), for its reach."""
    s = tables.settings
    ops = operational_respondents(tables.theme_interview, s)
    candidates = area_candidates(ops, tables.theme_interview, s)
    return (
        ops,
        [
            dont_know_comparisons(tables.theme_interview, groups, s),
            localised_of(candidates, s),
            area_wide_comparisons(ops, tables.theme_interview, s),
            systemic_comparisons(ops, s),
            _shown_aspects(_paper_practice(tables), tables),
        ],
        candidates,
    )


def _paper_practice(tables: ScoreTables) -> pd.DataFrame:
    """Paper against practice, the questions' own pull counted (`question_pull`)."""
    aspects = list(tables.scored["aspect"].cat.categories)
    pull = question_pull(tables.thread_answers(), aspects)
    return paper_practice_comparisons(tables.totals, tables.settings, pull)


def _shown_aspects(comps: pd.DataFrame, tables: ScoreTables) -> pd.DataFrame:
    """Paper/practice comparisons of themes whose paper and practice scores may be shown."""
    hidden = set(tables.decision.hidden_aspects) | set(
        tables.aspects.loc[tables.aspects["paper_score"].isna(), "theme"].astype(str)
    )
    return comps[~comps["theme"].isin(hidden)]


def detect(data: AuditData, tables: ScoreTables | None = None) -> Detection:
    """Findings, things worth exploring and assessment notes of one audit."""
    tables = tables or ScoreTables.build(data)
    s = data.settings
    titles = theme_titles(data)
    make = FindingMaker(quotable_notes(tables), data.questions_to_consider)
    comps, (groups, pairs), resp, ops, candidates = all_comparisons(tables)
    comps = settle_usual_level(comps, resp, s)
    flagged = comps[comps["status"] != ""]

    levels = area_levels(ops, tables.theme_interview, s) if len(ops) else pd.DataFrame()
    found, systemic_themes = systemic_findings(flagged, levels, s, titles, make)
    localised, localised_at = localised_findings(flagged, levels, systemic_themes, s, titles, make)
    localised_by_theme = {theme: len(found) + i for theme, i in localised_at.items()}
    found += localised
    found += area_wide_findings(flagged, s, make)
    found += thread_break_findings(flagged, resp, found, localised_by_theme, s, titles, make)
    found += knowledge_gap_findings(flagged, s, titles, make)
    found += paper_practice_findings(flagged, s, titles, make)

    order = list(titles)
    sure = sort_findings([f for f in found if f.certainty == FINDING], order)
    maybe = sort_findings([f for f in found if f.certainty == WORTH], order)
    # the pairs with enough questions on both sides
    compared = resp[["theme", "base", "group"]].drop_duplicates().astype("str")
    not_assessable, pooled = assessment_notes(groups, pairs.merge(compared), s, titles)
    heard = set(data.responses["tier"].astype(str))
    not_assessable += not_heard_notes(heard, data.asked_tiers, s)
    reach = thread_reach(comps, s)
    areas = area_reach(candidates, comps, s)
    whole = organisation_reach(comps, s)
    return Detection(sure, maybe, not_assessable, pooled, reach, areas, comps, whole)


def settle_usual_level(comps: pd.DataFrame, resp: pd.DataFrame, s) -> pd.DataFrame:
    """The false-flag control over every comparison, with the golden thread's usual level
    read without the themes that stand out from it.

    A gap beyond the two tiers' usual gap (`own_level.py`) sets each theme against the
    respondents' other themes; a theme they see very differently pulls that usual level
    and leaks into every other theme's reading, by its gap over the other themes
    counted: a third of it for people who use services, who answer four themes, a
    tenth for staff who answer eleven. So the control runs once; where some
    respondent of a ground tier's comparisons answered fewer than `FEW_THEMES` themes
    (a fifth or more leaks), the themes that stand out (`standing_out`) are left out of
    the usual level, that ground tier's readings beyond it are made again (each ground
    tier's are pooled on their own, so the others' stay as they were) and the control
    runs again on all comparisons. Twice at most: the second control is the one kept.
    """
    decided = decide(comps, s.false_flag_rate, s.false_flag_method)
    outstanding = standing_out(decided, s.thread_break_points)
    if not outstanding:
        return decided
    codes = respondent_codes(resp)
    cell_base = codes.names["base"]  # per cell: a few dozen, not per respondent row
    few_cells = np.unique(codes.cell[few_themes(codes, FEW_THEMES)])
    few = set(cell_base.iloc[few_cells]) & {k[0] for k in outstanding}
    if not few:
        return decided
    remade = cell_base.isin(few).to_numpy()[codes.cell]
    plain = comps[comps["kind"] == "thread_break"]
    again = beyond_usual_comparisons(resp[remade], s, plain, outstanding)
    beyond = comps[(comps["kind"] == BEYOND) & ~comps["base"].isin(few)]
    beyond = pd.concat([beyond, again], ignore_index=True)
    beyond = beyond.sort_values(["base", "tier", "theme"], kind="stable")  # as compared
    rest = comps[~comps["kind"].isin(THREAD_KINDS)]
    comps = pd.concat([plain, beyond, rest], ignore_index=True)  # as all_comparisons
    return decide(comps, s.false_flag_rate, s.false_flag_method)


def standing_out(decided: pd.DataFrame, threshold: float) -> set[tuple[str, str, str]]:
    """(base, group, theme) of the thread gaps that stand out from the usual level.

    A gap stands out when its reading beyond the usual gap is a finding; or when its
    plain gap is a finding and the reading beyond the usual points the same way by at
    least half the threshold (a gap the theme's own pull on the usual level has kept
    below it). A board that rates every theme 25 points above its staff has plain
    findings everywhere and nothing beyond its usual gap: nothing of it stands out.
    """
    thread = decided[decided["kind"].isin(THREAD_KINDS)]  # every reading beyond has a plain one
    keys = ["base", "tier", "theme"]
    beyond = thread[thread["kind"] == BEYOND].set_index(keys)
    plain = thread[thread["kind"] == "thread_break"].set_index(keys)
    beyond = beyond[["diff", "status"]].add_suffix("_b")
    both = plain[["diff", "status"]].join(beyond, how="inner")
    agrees = np.sign(both["diff"]) * both["diff_b"] >= threshold / 2
    stand = (both["status_b"] == FINDING) | ((both["status"] == FINDING) & agrees)
    return {tuple(str(v) for v in k) for k in both.index[stand.to_numpy()]}


def paper_practice_findings(
    flagged: pd.DataFrame, s, titles: dict[str, str], make: FindingMaker
) -> list[Finding]:
    """What the documents say scoring markedly above what happens."""
    out: list[Finding] = []
    for row in flagged[flagged["kind"] == "paper_practice_gap"].itertuples(index=False):
        title = titles.get(row.theme, row.theme)
        summary = (
            f"{title} scores {_num(row.score_a)} on paper but {_num(row.score_b)} in practice: "
            f"what the documents say is {_num(row.score_a) - _num(row.score_b)} points ahead of "
            f"what happens ({how_sure(row)})."
        )
        out.append(
            make(
                "paper_practice_gap",
                row.theme,
                severity_from_ratio(row.diff, s.paper_practice_gap_points),
                summary,
                {
                    "paper_score": _one(row.score_a),
                    "practice_score": _one(row.score_b),
                    "gap": _one(row.diff),
                    "paper_n": int(row.n_a),
                    "practice_n": int(row.n_b),
                },
                **certainty(row),
                compared_with="practice",
            )
        )
    return out
