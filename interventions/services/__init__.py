from .ccepo import (
    ccepo_breach_add,
    ccepo_condition_add,
    ccepo_create,
    ccepo_evidence_add,
    ccepo_order_record,
    ccepo_variation_add,
)
from .community_protection import (
    cp_breach_record,
    cp_condition_add,
    cp_condition_remove,
    cp_create,
    cp_decide,
    cp_issue,
    cp_serve,
    cp_submit,
    supervises_case,
)
from .handover import (
    handover_acceptance_record,
    handover_create,
    handover_disclose,
    handover_outcome_record,
)

__all__ = [
    "ccepo_breach_add",
    "ccepo_condition_add",
    "ccepo_create",
    "ccepo_evidence_add",
    "ccepo_order_record",
    "ccepo_variation_add",
    "cp_breach_record",
    "cp_condition_add",
    "cp_condition_remove",
    "cp_create",
    "cp_decide",
    "cp_issue",
    "cp_serve",
    "cp_submit",
    "handover_acceptance_record",
    "handover_create",
    "handover_disclose",
    "handover_outcome_record",
    "supervises_case",
]
