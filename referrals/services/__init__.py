"""Writes of referrals and NRM notifications: keyword-only, atomic, each with its audit row."""

from .common import ReferralError
from .nrm import (
    childrens_referrals,
    nrm_create,
    nrm_decision_record,
    nrm_reconsideration_add,
    nrm_reconsideration_decide,
)
from .referrals import (
    default_share_expiry_date,
    referral_close,
    referral_create,
    referral_message_add,
    referral_partner_decide,
    referral_revoke,
    referral_send,
    share_expiry,
)
from .sweep import nrm_sweep, rg_due_on

__all__ = [
    "ReferralError",
    "childrens_referrals",
    "default_share_expiry_date",
    "nrm_create",
    "nrm_decision_record",
    "nrm_reconsideration_add",
    "nrm_reconsideration_decide",
    "nrm_sweep",
    "referral_close",
    "referral_create",
    "referral_message_add",
    "referral_partner_decide",
    "referral_revoke",
    "referral_send",
    "rg_due_on",
    "share_expiry",
]
