"""Who was heard at each audit of a comparison, tier by tier, and why a change is Unsure.

A re-audit's change in one tier's view is read on the respondents heard at both audits
(`change_certainty`), so it can be no surer than the thinner of the two. When a tier's
changes come out "unsure", the reader needs to know whether that is because too few of
them were heard at one audit (against the question set's `fieldwork_guide`), which the
auditors can put right next time, or because the tier is small by nature (a handful of
senior leaders), where only a large change is clear of chance.

`tier_voices` counts the voices (an interview, survey return or focus group is one; a
document review is none: `fieldwork_guide.voices_heard`) each tier had at each audit and
whether either fell short of that audit's guide; `unsure_reasons` says it in a sentence
per tier with an unsure change, for the report, the app and `sgaudit compare`. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from sgaudit import printed
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.findings import _and
from sgaudit.fieldwork_guide import guide_cells, voices_heard
from sgaudit.vocab import TIERS, mid_sentence, tier_label


class TierVoices(BaseModel):
    """One tier's voices at the previous (`before`) and current (`after`) audit.

    `needed` is the current audit's fieldwork guide for the tier (0: no guide), per
    service area when `per_area`; `short_before` / `short_after`: that audit heard fewer
    voices than its own guide asked in at least one cell of the tier.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tier: str
    before: int
    after: int
    needed: int = 0
    per_area: bool = False
    short_before: bool = False
    short_after: bool = False


def _heard(data: AuditData) -> tuple[dict[str, int], set[str]]:
    """Voices per tier, and the tiers short of the audit's guide."""
    heard = voices_heard(data.responses)
    totals = {str(t): int(v) for t, v in heard.groupby("tier", sort=False)["voices"].sum().items()}
    guided = guide_cells(heard, data.settings.fieldwork_guide, data.settings.scope_tiers)
    short = set(guided.loc[guided["voices"] < guided["needed"], "tier"].astype(str))
    return totals, short


def tier_voices(old: AuditData, new: AuditData) -> list[TierVoices]:
    """Each tier heard at either audit, in golden-thread order."""
    (then, short_then), (now, short_now) = _heard(old), _heard(new)
    guide = new.settings.fieldwork_guide
    return [
        TierVoices(
            tier=tier,
            before=then.get(tier, 0),
            after=now.get(tier, 0),
            needed=int(guide.get(tier, 0)),
            per_area=tier in new.settings.scope_tiers,
            short_before=tier in short_then,
            short_after=tier in short_now,
        )
        for tier in TIERS
        if tier in then or tier in now
    ]


def unsure_reasons(
    changes: Sequence,
    voices: Sequence[TierVoices],
    name: Callable[[str], str] | None = None,
) -> list[str]:
    """Why some tiers' changes are unsure, for the reader of a comparison.

    `changes` are the comparison's `ThemeChange`s; a tier's own cells (a tier, no service
    area) are read. A sentence for each tier with an unsure change that was heard in fewer
    voices than the fieldwork guide asks at either audit (the auditors can put that
    right), then one sentence for the other tiers with an unsure change (heard as the
    guide asks: the change is within what chance makes of who was heard). `name` puts a tier
    in the reader's words, as a sentence opens with it.
    """
    name = name or tier_label
    by_tier = {v.tier: v for v in voices}
    out: list[str] = []
    enough: list[tuple[TierVoices, int, int]] = []  # (voices, unsure, themes compared)
    for tier in TIERS:
        mine = [
            c
            for c in changes
            if c.tier == tier and c.service_area is None and c.direction != "not_comparable"
        ]
        unsure = sum(c.direction == "unsure" for c in mine)
        v = by_tier.get(tier)
        if not unsure or v is None:
            continue
        if v.short_before or v.short_after:
            out.append(
                _too_few(
                    v, f"{name(tier)} ({unsure} of {printed.count(len(mine), 'theme')} unsure)"
                )
            )
        else:
            enough.append((v, unsure, len(mine)))
    if enough:
        out.append(_as_guided(enough, name))
    return out


def _too_few(v: TierVoices, who: str) -> str:
    """A tier heard in fewer voices than the guide asks at one audit or both."""
    want = printed.count(v.needed, "voice") + (" in each service area" if v.per_area else "")
    if v.short_before and v.short_after:
        return (
            f"{who} were heard in {printed.count(v.before, 'voice')} at the last audit and "
            f"{v.after} this time, both fewer than the fieldwork guide asks ({want})."
        )
    if v.short_before:
        thin, full = f"{printed.count(v.before, 'voice')} at the last audit", f"{v.after} this time"
    else:
        thin, full = f"{printed.count(v.after, 'voice')} this time", f"{v.before} at the last audit"
    return (
        f"{who} were heard in {thin}, fewer than the fieldwork guide asks ({want}), and "
        f"{full}: a change can be no surer than the thinner of the two audits."
    )


def _as_guided(enough: Sequence[tuple[TierVoices, int, int]], name: Callable[[str], str]) -> str:
    """One sentence for the tiers heard as the guide asks whose changes are unsure."""
    named = [
        f"{name(v.tier) if k == 0 else mid_sentence(name(v.tier))} ({unsure} of {of}"
        f"{' themes unsure' if k == 0 else ''})"
        for k, (v, unsure, of) in enumerate(enough)
    ]
    counts = [n for v, *_ in enough for n in (v.before, v.after)]
    span = str(min(counts)) if min(counts) == max(counts) else f"{min(counts)} to {max(counts)}"
    guided = [v.needed > 0 for v, *_ in enough]
    as_asked = (
        ", as many as the fieldwork guide asks" + ("" if all(guided) else " where it sets a number")
        if any(guided)
        else ""
    )
    return (
        f"{_and(named)} were heard in {span} voices at each audit{as_asked}; their "
        "unsure changes are within what chance could make of who happened to be heard."
    )
