"""What an audit's fieldwork adds up to: one count, under one name, wherever it is shown.

The Dashboard, the Organisations & audits list, the Interview page, the report's
fieldwork table and `sgaudit analyse` all count through `count_fieldwork`, so none
can say 60 where another says 61 or 112 where another says 110. The rules:

- **sessions**: the interviews, focus groups, surveys and document reviews of the
  golden thread's tiers (a focus group is one session, whoever came).
- **people heard**: everyone in those interviews, focus groups and surveys (a focus
  group counts everyone present). A document review hears nobody: it adds a
  session, not a person, and is said separately. The rule is `vocab.HEARS_NOBODY`,
  the one the analysis counts a score's n by, so a finding's "people heard" is this.
- **the self-assessment** (tier `self_assessment`) is the organisation's own
  statement: kept out of every score, so counted apart, never as a session.

Which records are counted is the caller's: the store counts those the analysis and
the report read (consent standing, at least one answer) and says how many others the
audit holds (`not_counted`), so a list of every record can say why it is longer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sgaudit.vocab import HEARS_NOBODY, SELF_ASSESSMENT

DOCUMENT_REVIEW = "document_review"
_MODE_FIELDS = {
    "interview": "interviews",
    "focus_group": "focus_groups",
    "survey": "surveys",
    DOCUMENT_REVIEW: "document_reviews",
}
SESSIONS_NAME = "interviews, focus groups, surveys and document reviews"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class Fieldwork:
    """Counts of an audit's fieldwork (counts, not scores: shown even when small)."""

    interviews: int = 0
    focus_groups: int = 0
    surveys: int = 0
    document_reviews: int = 0
    people: int = 0  # heard: everyone in the interviews, focus groups and surveys
    self_assessment: int = 0  # the organisation's own answers, never a session
    not_counted: int = 0  # records held besides: no answers yet, or consent withdrawn

    @property
    def sessions(self) -> int:
        """Interviews, focus groups, surveys and document reviews."""
        return self.interviews + self.focus_groups + self.surveys + self.document_reviews

    @property
    def records(self) -> int:
        """Every record of the audit: the sessions, the self-assessment, the rest."""
        return self.sessions + self.self_assessment + self.not_counted

    def summary(self) -> str:
        """The counts in words, e.g. "60 interviews, focus groups, surveys and document
        reviews (2 of them document reviews), with 110 people heard; plus the
        organisation's self-assessment, kept out of every score"."""
        text = _plural(
            self.sessions, "interview, focus group, survey or document review", SESSIONS_NAME
        )
        if self.document_reviews:
            what = "a document review" if self.document_reviews == 1 else "document reviews"
            of_them = "" if self.sessions == 1 else f"{self.document_reviews} of them "
            text += f" ({of_them}{what})"
        text += f", with {_plural(self.people, 'person', 'people')} heard"
        if self.self_assessment:
            own = (
                "the organisation's self-assessment"
                if self.self_assessment == 1
                else f"{self.self_assessment} self-assessments by the organisation"
            )
            text += f"; plus {own}, kept out of every score"
        return text

    def records_summary(self) -> str:
        """Every record in words, for a list that shows them all: "61 records: 60
        interviews, ... ; plus the organisation's self-assessment, kept out of every
        score; and 1 not counted yet (no answers, or consent withdrawn)"."""
        text = f"{_plural(self.records, 'record', 'records')}: {self.summary()}"
        if self.not_counted:
            text += f"; and {self.not_counted} not counted (no answers yet, or consent withdrawn)"
        return text


def count_fieldwork(
    groups: Iterable[tuple[str, str, int, int]], *, not_counted: int = 0
) -> Fieldwork:
    """The fieldwork of `groups`: (tier, mode, records, people in them) each, a group
    per record or per tier x mode as the caller has them.

    A self-assessment counts apart; a document review is a session but no one heard.
    """
    counts = dict.fromkeys(_MODE_FIELDS.values(), 0)
    people = own = 0
    for tier, mode, records, heads in groups:
        if tier == SELF_ASSESSMENT:
            own += int(records)
            continue
        counts[_MODE_FIELDS.get(str(mode), "interviews")] += int(records)
        if mode not in HEARS_NOBODY:  # the rule the analysis counts a cell's n by
            people += int(heads)
    return Fieldwork(**counts, people=people, self_assessment=own, not_counted=not_counted)
