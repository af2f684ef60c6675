from .ccepo import (
    CCEPOApplication,
    CCEPOBreach,
    CCEPOCondition,
    CCEPOEvidence,
    CCEPORoute,
    CCEPOStatus,
    CCEPOVariation,
    OrderType,
)
from .community_protection import (
    BreachAction,
    CommunityProtection,
    ConditionKind,
    CPBreach,
    CPCondition,
    CPKind,
    CPStatus,
    ServiceMethod,
)
from .handover import Handover, HandoverOutcome, RiskDisclosure

__all__ = [
    "BreachAction",
    "CCEPOApplication",
    "CCEPOBreach",
    "CCEPOCondition",
    "CCEPOEvidence",
    "CCEPORoute",
    "CCEPOStatus",
    "CCEPOVariation",
    "CPBreach",
    "CPCondition",
    "CPKind",
    "CPStatus",
    "CommunityProtection",
    "ConditionKind",
    "Handover",
    "HandoverOutcome",
    "OrderType",
    "RiskDisclosure",
    "ServiceMethod",
]
