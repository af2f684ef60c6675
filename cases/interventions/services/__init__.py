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

__all__ = [
    "cp_breach_record",
    "cp_condition_add",
    "cp_condition_remove",
    "cp_create",
    "cp_decide",
    "cp_issue",
    "cp_serve",
    "cp_submit",
    "supervises_case",
]
