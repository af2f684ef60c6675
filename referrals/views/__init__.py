from .nrm import (
    nrm_create,
    nrm_decision,
    nrm_detail,
    nrm_reconsideration,
    nrm_reconsideration_outcome,
    nrm_summary,
    nrm_summary_print,
)
from .officer import referral_answer, referral_close, referral_create, referral_detail, referral_revoke, referral_send
from .partner import partner_act, partner_detail, partner_list

__all__ = [
    "nrm_create",
    "nrm_decision",
    "nrm_detail",
    "nrm_reconsideration",
    "nrm_reconsideration_outcome",
    "nrm_summary",
    "nrm_summary_print",
    "partner_act",
    "partner_detail",
    "partner_list",
    "referral_answer",
    "referral_close",
    "referral_create",
    "referral_detail",
    "referral_revoke",
    "referral_send",
]
