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

__all__ = [
    "BreachAction",
    "CPBreach",
    "CPCondition",
    "CPKind",
    "CPStatus",
    "CommunityProtection",
    "ConditionKind",
    "ServiceMethod",
]
