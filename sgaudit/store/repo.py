"""The store's repository functions, gathered in one namespace.

The functions live in modules cut along the domain's seams (organisations, audits,
interviews and answers, reviews and recommendations, register rows, the change
log); this module re-exports them so callers can keep writing `repo.save_answer`.
"""

from __future__ import annotations

from sgaudit.store.auditor_analysis import (  # noqa: F401
    AnalysisText,
    auditor_analyses,
    no_recommendation_reasons,
    save_auditor_analyses,
    save_auditor_analysis,
    set_no_recommendation_reason,
    theme_subject,
)
from sgaudit.store.audits import (  # noqa: F401
    audit_counts,
    audit_fieldwork,
    audit_question_set,
    audit_ref,
    audits_counts,
    audits_fieldwork,
    carry_over_recommendations,
    create_audit,
    get_audit,
    list_audits,
    set_audit_framework,
    set_audit_status,
)
from sgaudit.store.changes import (  # noqa: F401
    _CODE_ALPHABET,
    TIER_CODE_PREFIX,
    log_change,
)
from sgaudit.store.corrections import (  # noqa: F401
    answers_outside_tier,
    correct_interview,
    find_interview,
)
from sgaudit.store.erasure import (  # noqa: F401
    clear_answer,
    erase_audit,
    erase_interview,
    erase_organisation,
    withdraw_consent,
)
from sgaudit.store.fieldwork_plan import (  # noqa: F401
    import_plan,
    planned_people,
    revise_plan,
    set_plan,
    set_planned,
)
from sgaudit.store.interviews import (  # noqa: F401
    check_answer,
    get_interview,
    interview_answers,
    list_interviews,
    new_respondent_code,
    save_answer,
    set_interview_completed,
    start_interview,
    validate_interview_fields,
)
from sgaudit.store.opinion import (  # noqa: F401, E402
    OPINION_LEVELS,
    assurance_opinion,
    confirm_opinion,
)
from sgaudit.store.organisations import (  # noqa: F401
    _clean_areas,
    add_service_areas,
    create_organisation,
    get_organisation,
    list_organisations,
)
from sgaudit.store.register_rows import (  # noqa: F401
    register_records,
    replace_register,
)
from sgaudit.store.reviews import (  # noqa: F401
    REVIEW_STATUSES,
    add_own_finding,
    delete_recommendation,
    finding_reviews,
    list_recommendations,
    review_finding,
    review_recommendation,
    save_recommendation,
)
from sgaudit.store.workflow import (  # noqa: F401
    SentBack,
    issued_version,
    issued_versions,
    reopen,
    review_history,
    review_item,
    review_state,
    sent_back_items,
    submit_for_review,
)
