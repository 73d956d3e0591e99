"""The demo auditors' own analysis, as data: for every finding of both demo audits,
what we saw, why it happens, the impact on people who use services, and what helps
(each theme's is in `demo_themes`).

Fictional, like the rest of Riverside Community Trust. Written in the systems
approach: the conditions, pressures, culture and systems behind what people do,
without hindsight and without blame. Matched to findings by (audit, kind, theme,
tier or area), so a finding keeps its analysis however its wording is edited.
"""

from __future__ import annotations

from collections.abc import Iterable

# (seen, why, impact, helps)
Analysis = tuple[str, str, str, str]

# Findings: (story or None for both, kind, theme, the tier above the front line for a
# thread break ("service_user" for one set against people who use services) / the area
# for a localised finding / "" otherwise) -> analysis.
FINDINGS: dict[tuple[str | None, ...], Analysis] = {
    (None, "systemic", "complaints"): (
        "In every service people described raising a complaint and hearing nothing back. "
        "Complaints are logged centrally, but the log records receipt and closure, not what "
        "the person was told.",
        "Complaints are handled by the central office, away from the teams who know the "
        "person, and nobody owns keeping in touch with them. Staff assume 'the office' "
        "replies; the office assumes the manager has spoken to them. Complaint themes are "
        "not reported anywhere, so nobody sees the pattern.",
        "People who use services and their families learn that complaining changes "
        "nothing, and some told us they had stopped. Concerns that would have surfaced "
        "as complaints stay unspoken.",
        "Front-line staff take complaints seriously when they hear them, and the "
        "whistleblowing route is known and trusted. The central log is a sound base to "
        "report themes from.",
    ),
    ("reaudit", "paper_practice_gap", "complaints"): (
        "The rewritten procedure has clear stages and time frames, and a new leaflet. "
        "Staff and people who use services describe the same silence after a complaint as "
        "a year ago.",
        "The procedure was rewritten centrally and launched by email. Nobody was given the "
        "task of telling complainants what happened, and teams were not shown how the new "
        "stages apply to them, so practice continued as before.",
        "The written promise of a reply now sets an expectation that is not met, which "
        "some families find worse than having no promise at all.",
        "The procedure itself is good, and the Head of Quality is keen to see it work; "
        "team meetings already carry briefings well (the policies briefings showed this).",
    ),
    ("reaudit", "self_assessment_optimism", "complaints"): (
        "The self-assessment the Trust completed before the re-audit rates complaints "
        "handling as well established. The people we heard, and the complaints log read "
        "against them, describe the same silence after a complaint as a year ago.",
        "The self-assessment was completed by the central office from what it knows best: "
        "the new procedure, the leaflet and the log's closure times. Nobody asked people "
        "who had complained, or the staff who hear complaints first, before answering.",
        "A board that reads the self-assessment believes the problem it was told about last "
        "year is solved, so it stops asking; people who use services keep meeting the "
        "same silence.",
        "The Trust answered every question and attached its procedure, which makes the gap "
        "easy to see and to discuss. Testing the next self-assessment with a few people "
        "who have complained would close it.",
    ),
    ("reaudit", "self_assessment_optimism", "governance"): (
        "The self-assessment rates governance of safeguarding highly, pointing to "
        "safeguarding as a standing board item. Board members and senior leaders could say "
        "less about the safeguarding data behind their decisions.",
        "Having the item on every agenda is treated as oversight in itself. The papers "
        "under it report activity rather than what changed for people, so the board has "
        "little to test its confidence against.",
        "Decisions about safeguarding risk rest on assurance rather than evidence, and a "
        "gap between the board's view and practice can persist unseen.",
        "The standing item gives the board a regular place to ask for better data; the "
        "re-audit's dashboard measures could fill it.",
    ),
    ("reaudit", "evidence_gap", "complaints"): (
        "The complaints log shows most complaints closed within time limits, with a theme "
        "recorded. Interviews rate complaints handling far lower.",
        "The log measures what the office does (acknowledge, close), not what the person "
        "experiences (an answer they understood). Closing a complaint on time has become "
        "the target.",
        "The board is reassured by figures that do not reflect the experience of the "
        "people who complained.",
        "The log is complete and consistently kept; adding one field, 'what the person "
        "was told, and when', would make it measure what matters.",
    ),
    (None, "systemic", "governance"): (
        "Safeguarding appears on the risk register, but board papers give it a line "
        "where finance and health and safety get a page. Front-line staff often could not "
        "say how decisions about safeguarding are made.",
        "Board reporting grew out of the finance and regulatory cycle; safeguarding has "
        "no regular report and no figures, so it is discussed only when something goes "
        "wrong. Information governance rests on goodwill rather than a named owner.",
        "Decisions that affect people's safety (staffing, out-of-hours cover, new "
        "services) are taken without safeguarding information in front of the board.",
        "Senior leaders recognise the imbalance and said so openly; the risk register "
        "already has a safeguarding entry to build on.",
    ),
    (None, "systemic", "culture"): (
        "Staff in most services describe safeguarding as 'our job' at the front line, "
        "with little sense that it is owned higher up. Concerns raised are acknowledged "
        "but rarely followed by feedback.",
        "Safeguarding is spoken about as a priority, but the systems around staff (how "
        "concerns travel, who replies, what the board hears) do not show it. Without "
        "feedback, staff conclude that raising things is a formality.",
        "People who use services rate culture lowest of all groups: they notice when "
        "staff are unsure whether a worry will be acted on.",
        "Staff care deeply and keep raising concerns despite the silence; the DSL is "
        "trusted. Feedback loops, rather than new policy, are what is missing.",
    ),
    (None, "thread_break", "culture", "board"): (
        "Trustees rate the organisation's safeguarding culture far above how front-line "
        "staff and people who use services describe it. One trustee told us the culture "
        "is strong; staff in the same week told us they never hear back.",
        "Trustees see the organisation through reports written for them and through "
        "visits that are arranged in advance. Nothing brings them the front line's "
        "experience directly, so their view is built from the best of what they see.",
        "Where the board believes all is well, it does not ask the questions or fund the "
        "changes that would make people safer.",
        "Trustees are engaged and asked us how to see more; the link-trustee visits "
        "started this year are the right mechanism if they include unannounced time "
        "with staff and people who use services.",
    ),
    (None, "thread_break", "culture", "service_user"): (
        "People who use services rate the culture far below how the organisation's leaders "
        "see it. Several told us they would not know whom to tell if something worried "
        "them, or that telling had made no difference.",
        "Leaders hear about people's experience through complaints figures and managers' "
        "reports, not from people themselves; nobody in the leadership meets people who "
        "use services regularly, so their view of the culture is built from what staff "
        "and papers report.",
        "People who feel unheard stop raising worries, so the concerns that would show "
        "the leadership what is wrong never reach them.",
        "People who use services spoke to us openly and wanted to be asked; a regular "
        "route for leaders to hear from them directly, reported to the board, would "
        "bring this voice in.",
    ),
    (None, "thread_break", "culture", "senior_leader"): (
        "Senior leaders, like trustees, see the culture more favourably than the front line does.",
        "Leaders spend little time in services, and what reaches them is filtered through "
        "managers who are themselves stretched.",
        "Leaders plan on the assumption that concerns are raised and heard, which the "
        "front line does not experience.",
        "Leaders were open to hearing this, and the planned staff survey gives them a "
        "direct route to the front line's view.",
    ),
    (None, "localised", "casework"): (
        "Casework in Domiciliary Care is recorded and escalated less consistently than "
        "elsewhere. Care workers describe worries at weekends being written in visit "
        "notes rather than reported.",
        "Care workers work alone in people's homes, on tight visit schedules, often in "
        "the evening. Referral thresholds out of hours are unclear to them, and the "
        "recording system is built for office-based teams.",
        "Adults receiving care at home may have a concern noticed but not acted on for "
        "days, especially over weekends.",
        "Care workers know the people they visit well and notice change early; their "
        "managers described the four Rs confidently. The on-call rota now gives them "
        "someone to ring.",
    ),
    ("baseline", "localised", "safer_working"): (
        "In Domiciliary Care, evenings and weekends had no senior cover: staff made "
        "safeguarding decisions alone and wrote them up on Monday.",
        "The service grew faster than its management structure; on-call was informal and "
        "relied on one manager's goodwill.",
        "People receiving care out of hours were the least protected by the escalation "
        "routes that the rest of the organisation relies on.",
        "Care workers showed good judgement under pressure and were clear about what "
        "they needed: a named person to call.",
    ),
    (None, "knowledge_gap", "quality_assurance"): (
        "Trustees often answered 'don't know' about how safeguarding quality is checked. "
        "One told us they assumed the data went to the quality committee.",
        "Quality assurance data exists in the services but is not collated or reported "
        "upwards; the board has never asked for it, and nobody has been asked to send it.",
        "The board cannot tell whether safeguarding is getting better or worse, or where "
        "people are at most risk.",
        "Trustees were candid about not knowing, and the planned quarterly dashboard "
        "answers the gap directly.",
    ),
    ("baseline", "thread_break", "leadership", "board"): (
        "Trustees rated leadership of safeguarding far higher than front-line staff, who "
        "said senior managers were rarely seen in services.",
        "Leadership of safeguarding was delegated to the DSL, and senior managers' time "
        "went to growth and contracts; trustees heard about plans rather than practice.",
        "Front-line staff felt alone with difficult decisions.",
        "Senior leaders accepted the finding and committed to regular visits.",
    ),
    ("baseline", "systemic", "leadership"): (
        "Across services, staff could not name who leads safeguarding beyond the DSL.",
        "Named safeguarding roles were never set out below the DSL, so everything "
        "flowed to her and to operational staff.",
        "Decisions waited for one person, and learning stayed inside each service.",
        "The DSL's expertise and reputation are a strong base for a wider network of named leads.",
    ),
    ("baseline", "paper_practice_gap", "policies"): (
        "Policies were up to date and well written, but staff could not say what they "
        "meant for their work; the information-sharing policy was 'on the shared drive "
        "somewhere'.",
        "Policies were written centrally by specialists and published without practice "
        "guidance or briefing; nobody was asked to turn them into everyday steps.",
        "Staff unsure of the rules on sharing information may hold back what another "
        "agency needs to keep someone safe.",
        "The policies are sound; short guidance and team briefings are all that is needed.",
    ),
    ("baseline", "thread_break", "policies", "board"): (
        "Trustees rated policies well above how the front line experiences them.",
        "Trustees approve policies and see them as complete; they do not see whether "
        "they are used.",
        "The board's confidence in policy can hide the gap in practice.",
        "Asking for evidence of use, not only approval, closes this quickly.",
    ),
    ("baseline", "thread_break", "dsl", "dsl"): (
        "The DSL rated the resourcing of her own role far lower than front-line staff, "
        "who value her highly.",
        "She carried a caseload as well as the organisation-wide lead, with no deputy; "
        "the front line sees her responsiveness, not its cost to her.",
        "When she was on leave, nobody covered, so urgent concerns could wait.",
        "The front line's trust in the DSL is a real strength to protect.",
    ),
    ("baseline", "evidence_gap", "dsl"): (
        "Interviews rate the DSL role well, but the records show no deputy cover and "
        "gaps in the DSL's own refresher training.",
        "The role grew around one committed person, and nobody was tracking whether it "
        "was resourced to the standard expected.",
        "Cover for urgent concerns depended on one person being available.",
        "The records are now kept; they make the case for deputies clearly.",
    ),
    ("baseline", "evidence_gap", "training"): (
        "Staff rated their training well, but the training register shows role groups "
        "well short of the framework's requirements.",
        "Staff judge training by what they remember from previous jobs and e-learning; "
        "nobody checked the register against the framework.",
        "Staff may meet situations they have not been prepared for in this organisation's context.",
        "The register is complete enough to plan from, and staff are willing to learn.",
    ),
    ("baseline", "evidence_gap", "recruitment"): (
        "Recruiters described checks as thorough, but the register shows volunteers "
        "checked less fully than paid staff and a DBS certificate with information that "
        "was not risk assessed.",
        "Volunteer recruitment runs through services rather than HR, with a belief that "
        "volunteers 'just need a basic check'.",
        "Volunteers work alongside children and adults at risk with less assurance "
        "about their suitability.",
        "Paid staff recruitment is sound and can be the model for volunteers.",
    ),
    ("baseline", "evidence_gap", "quality_assurance"): (
        "Interviews rate quality assurance well, but the records show concerns data not "
        "collated or reviewed.",
        "Checks happen in each service but are not brought together.",
        "Patterns across services go unseen.",
        "Service managers already keep the raw data.",
    ),
    ("baseline", "systemic", "complaints"): (
        "Complaints handling was weak in every service: no stages, no time frames, no feedback.",
        "The procedure was a single page with no owner for keeping in touch with the "
        "person who complained.",
        "People stopped complaining because nothing seemed to happen.",
        "Whistleblowing works well and shows what a clear route looks like.",
    ),
    ("baseline", "knowledge_gap", "quality_assurance"): (
        "Trustees answered 'don't know' to half of the questions on quality assurance.",
        "No safeguarding data reaches the board.",
        "The board cannot see where people are at most risk.",
        "Trustees asked for a dashboard themselves.",
    ),
    (None, "auditor", "safer_working"): (
        "Staff at Community Hub evening sessions check in with each other by personal "
        "text message; there is no agreed procedure or escalation if a message is missed.",
        "Evening sessions started as a pilot with volunteers and grew without a "
        "lone-working review; the informal system works on good days and nobody has "
        "tested it on a bad one.",
        "Young people attending late sessions depend on staff who may have no help "
        "if something goes wrong.",
        "Staff look out for each other, and the Domiciliary Care on-call rota shows the "
        "organisation can put reliable cover in place.",
    ),
}

# Findings the registers raise (kind `records`): (story, indicator) -> analysis.
RECORDS: dict[tuple[str, str], Analysis] = {
    ("baseline", "recruitment_dbs_information_risk_assessed"): (
        "Three of the four DBS certificates that showed information have no risk "
        "assessment on file; the people concerned were in post with no recorded decision "
        "on whether the information mattered for their role.",
        "Services recruit their own volunteers and sessional staff, and HR sees only a "
        "certificate's outcome, not what it shows. Nobody owns the decision when a "
        "certificate shows information, and the recruitment checklist has no step for it.",
        "People who use services may be supported by someone whose history was never "
        "weighed against the role, and the organisation could not show that it had "
        "considered the risk.",
        "HR already has a risk-assessment form with a sign-off that it uses for some paid "
        "posts; using it for every certificate is a small step.",
    ),
    ("reaudit", "recruitment_dbs_information_risk_assessed"): (
        "Three of the four certificates that showed information now have a signed risk "
        "assessment; one still has none.",
        "The new step sits in HR's process, but volunteer recruitment in services can "
        "still bypass it when a start date is pressing.",
        "One person is working without the organisation having weighed what their "
        "certificate showed.",
        "The form and the sign-off are in use; a rule that nobody starts before HR has "
        "seen the certificate would close the gap.",
    ),
    ("baseline", "recruitment_volunteer_parity"): (
        "Only a third of volunteers have every required check, against most paid staff; "
        "references and the level of DBS check are the usual gaps.",
        "Volunteers are recruited in each service, outside HR, under a belief that they "
        "'just need a basic check'. Managers are under pressure to fill evening and "
        "weekend sessions quickly.",
        "People supported by volunteers, often at evenings and weekends, have less "
        "assurance about who is with them than people supported by staff.",
        "HR's process for paid staff is sound and could serve volunteers with little change.",
    ),
    ("baseline", "training_role_group_compliance"): (
        "Five of the six role groups are below the framework; the decision-makers "
        "(Group E) and the board and chief executive (Group F) are furthest behind, "
        "mostly on refresher hours and CPD logs.",
        "Services book training for front-line staff; nobody books or tracks the "
        "higher-level training the framework asks of senior roles, and the register had "
        "never been read against the framework.",
        "The people who take final decisions on concerns, and the board that oversees "
        "them, may be working from out-of-date knowledge.",
        "The register is complete enough to plan from, and the DSL has offered group "
        "sessions for senior roles.",
    ),
    ("reaudit", "training_role_group_compliance"): (
        "The decision-makers (Group E) and the board (Group F) have each moved to three "
        "of four meeting the framework; refresher hours are what is still outstanding.",
        "Refresher courses were booked after the last audit, but places for senior roles "
        "are few and easily postponed when diaries fill.",
        "The gap is small, but it sits in the groups that decide on concerns and oversee "
        "safeguarding.",
        "The register is now read against the framework each quarter and shows exactly "
        "who is outstanding.",
    ),
}


def finding_analysis(
    which: str, kind: str, theme: str, tiers: Iterable[str], areas: Iterable[str], key: str = ""
) -> Analysis | None:
    """The demo analysis of one finding of audit `which` (baseline / reaudit), if any.

    A record finding is matched by its indicator, the last part of its key."""
    if kind == "records":
        return RECORDS.get((which, key.rsplit(":", 1)[-1]))
    extras = [t for t in tiers if t != "front_line"] + list(areas)
    for when in (which, None):
        for extra in (*extras, ""):
            key = (when, kind, theme, extra) if extra else (when, kind, theme)
            if key in FINDINGS:
                return FINDINGS[key]
    return None
