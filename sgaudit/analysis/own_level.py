"""Each respondent against their own level: the golden thread beyond how people rate in general.

Some people rate everything generously and some harshly. Three trustees who happen to
be generous raters lift every theme's board score, so a board's score on one theme
wanders with who sat on the board that year: most of the noise of a small group's
score is the people, not the theme. But a generous rater is generous on every theme.
Set each respondent's score on a theme against their own scores on the *other* themes
of the same comparison, and the person drops out: what is left is how they see this
theme compared with how they see the rest.

`centre` makes those scores from the thread's respondent rows
(`like_with_like.thread_respondents`; `own_level_respondents` gives them back as such
rows): for each respondent and theme,

    centred = (y - theme mean) - mean over their other themes of (y - theme mean)

(the theme means, taken over both sides of the comparison, keep a respondent who
answered a different set of themes from being judged by which themes those were). The
difference of the two sides' centred scores is then the gap on this theme *beyond*
the two tiers' usual gap on the others. Its variance is the answer noise of this theme
and of the other themes' mean (`inv_k`, `item_var` carry both), with no person part:
that is where its power comes from.

It answers a narrower question than the plain gap: a board that rates every theme 25
points above its staff has no theme beyond its usual gap, and the plain comparison
(`thread.thread_comparisons` makes both) is what finds it. A view planted on a few
themes leaks into the others' comparison by the gap divided by the other themes
counted: a comparison is read this way only when every respondent in it has at least
`thread_own_level_themes` of its themes (4: people who use services answer four themes
of the core set); where fewer than six themes are counted, a theme that stands out is
left out of everyone's usual level (`outstanding`; `detect.settle_usual_level` reads
the gaps again without it), so a view of one theme does not show up as the opposite
view of the others.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sgaudit.analysis.codes import first_of_each
from sgaudit.analysis.like_with_like import CODE_COLUMNS


@dataclass(frozen=True, eq=False)
class RespondentCodes:
    """The thread's respondent rows as integers, made once for both readings of a gap."""

    pair: np.ndarray  # each row's base x group
    n_pair: int
    interview: np.ndarray
    n_interview: int
    cell: np.ndarray  # each row's base x group x theme, 0, 1, ... as `names`
    names: pd.DataFrame  # base, group, theme of each cell
    side_a: np.ndarray


@dataclass(frozen=True, eq=False)
class Centred:
    """The centred rows of a thread's respondents, ready for `sides.compare_cells` with
    their `RespondentCodes.names`."""

    rows: np.ndarray  # positions in the respondent rows
    values: pd.DataFrame  # y (centred), w, people, inv_k, noise, item_var
    cell: np.ndarray  # each row's cell, as `RespondentCodes.cell`
    side_a: np.ndarray


def _codes(column: pd.Series) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(column, sort=False)
    return codes.astype(np.int64), len(uniques)


def respondent_codes(resp: pd.DataFrame) -> RespondentCodes:
    """Each row's comparison, theme cell, interview and side as integers.

    From `thread_respondents`' integer columns (`CODE_COLUMNS`) when it made them, else
    (respondent rows built by hand) factorized from the labels.
    """
    if set(CODE_COLUMNS) <= set(resp.columns):
        (pair, n_pair), (theme, n_theme), (interview, n_interview) = (
            _counted(resp[c].to_numpy(dtype=np.int64)) for c in CODE_COLUMNS
        )
    else:
        (b, nb), (g, ng) = _codes(resp["base"]), _codes(resp["group"])
        pair, n_pair = b * ng + g, nb * ng
        (theme, n_theme), (interview, n_interview) = (
            _codes(resp["theme"]),
            _codes(resp["interview_id"]),
        )
    cell, cells = pd.factorize(pair * n_theme + theme, sort=False)
    first = first_of_each(cell, len(cells))
    names = resp[["base", "group", "theme"]].iloc[first].reset_index(drop=True).astype("str")
    side_a = (resp["side"] == "a").to_numpy(dtype=bool)
    return RespondentCodes(pair, n_pair, interview, n_interview, cell, names, side_a)


def _counted(codes: np.ndarray) -> tuple[np.ndarray, int]:
    return codes, int(codes.max()) + 1 if len(codes) else 0


def centre(
    resp: pd.DataFrame,
    min_themes: int,
    codes: RespondentCodes | None = None,
    outstanding: Collection[tuple[str, str, str]] = (),
) -> Centred | None:
    """Each respondent's score on a theme set against their own level (module docstring).

    `resp` as `thread_respondents` gives it (base, group, theme, interview_id, side, y,
    inv_k, item_var, ...), with its `codes` when the caller has them. Only comparisons
    (base x group) in which every respondent has at least `min_themes` themes are
    centred; None when none is (or `min_themes` < 2). `outstanding` (base, group,
    theme) are themes that stand out from the comparison's usual level: they are left
    out of everyone's usual level, so a view of them leaks into no other theme; a row
    with no other theme left to set it against is not centred. The sums are
    `np.bincount`s on the codes.
    """
    if min_themes < 2 or resp.empty:
        return None
    c = codes if codes is not None else respondent_codes(resp)
    pair, n_pair, ni, theme_cell = c.pair, c.n_pair, c.n_interview, c.cell
    person = pair * ni + c.interview
    y = resp["y"].to_numpy(dtype=float)
    inv_k = resp["inv_k"].to_numpy(dtype=float)
    item = np.nan_to_num(resp["item_var"].to_numpy(dtype=float))

    def per(codes, values, n):
        return np.bincount(codes, values, minlength=n)

    n_t, n_p = len(c.names), n_pair * ni
    with np.errstate(invalid="ignore", divide="ignore"):
        yt = y - (per(theme_cell, y, n_t) / per(theme_cell, None, n_t))[theme_cell]
    themes_of = per(person, None, n_p)  # per respondent of each comparison
    heard = themes_of.reshape(n_pair, ni)
    fewest = np.where(heard > 0, heard, np.inf).min(axis=1)  # per comparison
    rows = np.flatnonzero(fewest[pair] >= min_themes)
    # a respondent's usual level: their themes that do not stand out
    keys = set(outstanding)
    stand_out = np.fromiter(
        (k in keys for k in c.names.itertuples(index=False, name=None)), bool, len(c.names)
    )
    own = (~stand_out[theme_cell]).astype(float)
    counted = per(person, own, n_p)
    others_all = counted[person] - own
    rows = rows[others_all[rows] >= 1]
    if not len(rows):
        return None
    p, own_r = person[rows], own[rows]
    others = others_all[rows]

    def usual_sum(v):  # v summed over the respondent's other usual themes
        return per(person, v * own, n_p)[p] - v[rows] * own_r

    values = pd.DataFrame(
        {
            "y": yt[rows] - usual_sum(yt) / others,
            "w": resp["w"].to_numpy(dtype=float)[rows],
            "people": resp["people"].to_numpy()[rows],
            "inv_k": inv_k[rows] + usual_sum(inv_k) / others**2,
            "noise": resp["noise"].to_numpy(dtype=float)[rows],
            "item_var": item[rows] + usual_sum(item) / others**2,
        }
    )
    return Centred(rows, values, theme_cell[rows], c.side_a[rows])


def few_themes(codes: RespondentCodes, fewer_than: int) -> np.ndarray:
    """Per respondent row: whether its respondent answered fewer than `fewer_than` of
    their comparison's themes."""
    person = codes.pair * codes.n_interview + codes.interview
    themes_of = np.bincount(person, minlength=codes.n_pair * codes.n_interview)
    return themes_of[person] < fewer_than


def own_level_respondents(
    resp: pd.DataFrame, min_themes: int, outstanding: Collection[tuple[str, str, str]] = ()
) -> pd.DataFrame:
    """`resp`'s rows that `centre` keeps, with y, inv_k and item_var centred (an empty
    frame when none is): the centred scores as respondent rows, to read or test."""
    c = centre(resp, min_themes, outstanding=outstanding)
    if c is None:
        return resp.iloc[:0]
    cols = ["y", "inv_k", "item_var"]
    return resp.iloc[c.rows].assign(**{k: c.values[k].to_numpy() for k in cols})
