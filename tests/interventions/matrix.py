"""Who may GET which interventions URL (see tests/access_matrix.py).

Case readers, scoped to the case (officer_b: another team, 404); the force lead reads and
changes nothing (403 on forms); partners and administrators never use these pages (403).
Approving is for supervisors only; POST-only URLs answer 405.
"""

from __future__ import annotations

from tests.access_matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, everyone, only

READ = {
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "supervisor": OK,
    "force_lead": OK,
    "partner": FORBIDDEN,
    "admin": FORBIDDEN,
}
CHANGE = {**READ, "force_lead": FORBIDDEN}

MATRIX: dict[str, dict[str, int]] = {
    "interventions:cp_warning_create": CHANGE,
    "interventions:cp_notice_create": CHANGE,
    "interventions:cp_approvals": only(["supervisor"]),
    "interventions:cp_detail": READ,
    "interventions:cp_condition_add": CHANGE,
    "interventions:cp_condition_remove": everyone(NOT_ALLOWED),
    "interventions:cp_submit": everyone(NOT_ALLOWED),
    "interventions:cp_decide": only(["supervisor"]),
    "interventions:cp_issue": CHANGE,
    "interventions:cp_serve": CHANGE,
    "interventions:cp_breach_add": CHANGE,
    "interventions:cp_letter": READ,
    "interventions:cp_letter_pdf": READ,
    "interventions:ccepo_create": CHANGE,
    "interventions:ccepo_register": {**READ, "officer_b": OK},
    "interventions:ccepo_detail": READ,
    "interventions:ccepo_evidence_add": CHANGE,
    "interventions:ccepo_condition_add": CHANGE,
    "interventions:ccepo_order_record": CHANGE,
    "interventions:ccepo_variation_add": CHANGE,
    "interventions:ccepo_breach_add": CHANGE,
    "interventions:ccepo_pack": READ,
    "interventions:ccepo_pack_pdf": READ,
    "interventions:handover_create": CHANGE,
    "interventions:handover_detail": READ,
    "interventions:handover_disclose": CHANGE,
    "interventions:handover_outcome": CHANGE,
    "interventions:handover_acceptance": CHANGE,
    "interventions:handover_pack": READ,
    "interventions:handover_pack_pdf": READ,
}


def url_kwargs(personas) -> dict[str, dict]:
    from tests.interventions.helpers import ccepo_order, draft_notice, make_handover, served_warning

    warning = served_warning(personas.officer_a, personas.supervisor)
    notice = draft_notice(personas.officer_a, warning)
    on_warning = {"pk": warning.pk}
    on_order = {"pk": ccepo_order(personas.officer_a).pk}
    on_handover = {"pk": make_handover(personas.officer_a, warning.case).pk}
    return {
        "interventions:handover_create": {"pk": warning.case_id},
        "interventions:handover_detail": on_handover,
        "interventions:handover_disclose": on_handover,
        "interventions:handover_outcome": on_handover,
        "interventions:handover_acceptance": on_handover,
        "interventions:handover_pack": on_handover,
        "interventions:handover_pack_pdf": on_handover,
        "interventions:ccepo_create": {"pk": warning.case_id},
        "interventions:ccepo_detail": on_order,
        "interventions:ccepo_evidence_add": on_order,
        "interventions:ccepo_condition_add": on_order,
        "interventions:ccepo_order_record": on_order,
        "interventions:ccepo_variation_add": on_order,
        "interventions:ccepo_breach_add": on_order,
        "interventions:ccepo_pack": on_order,
        "interventions:ccepo_pack_pdf": on_order,
        "interventions:cp_warning_create": {"pk": warning.case_id},
        "interventions:cp_notice_create": {"pk": warning.case_id},
        "interventions:cp_detail": on_warning,
        "interventions:cp_condition_add": {"pk": notice.pk},
        "interventions:cp_condition_remove": {"pk": notice.pk, "condition_pk": notice.conditions.first().pk},
        "interventions:cp_submit": {"pk": notice.pk},
        "interventions:cp_decide": {"pk": notice.pk},
        "interventions:cp_issue": {"pk": notice.pk},
        "interventions:cp_serve": {"pk": notice.pk},
        "interventions:cp_breach_add": on_warning,
        "interventions:cp_letter": on_warning,
        "interventions:cp_letter_pdf": on_warning,
    }
