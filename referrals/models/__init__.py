from .choices import (
    RESTRICTED_SECTIONS,
    TRANSITIONS,
    URGENCY_RANK,
    DecisionMaker,
    DecisionStage,
    MessageKind,
    NRMRoute,
    Outcome,
    ReferralStatus,
    ReferralType,
    Section,
    Urgency,
)
from .nrm import RECOVERY_PERIOD_DAYS, RG_TARGET_WORKING_DAYS, NRMOutbox, NRMReconsideration, NRMReferral
from .referrals import Referral, ReferralMessage

__all__ = [
    "RECOVERY_PERIOD_DAYS",
    "RESTRICTED_SECTIONS",
    "RG_TARGET_WORKING_DAYS",
    "TRANSITIONS",
    "URGENCY_RANK",
    "DecisionMaker",
    "DecisionStage",
    "MessageKind",
    "NRMOutbox",
    "NRMReconsideration",
    "NRMReferral",
    "NRMRoute",
    "Outcome",
    "Referral",
    "ReferralMessage",
    "ReferralStatus",
    "ReferralType",
    "Section",
    "Urgency",
]
