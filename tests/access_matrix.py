"""Who may use which URL: the declared matrix the URL-walking test checks.

Every URL pattern of the project must be declared here or in an app's matrix module
(``tests/<app>/matrix.py``, listed in APP_MATRICES), else tests/test_access_matrix.py
fails. Each entry maps a URL name to the status code a GET answers for each persona.
Personas not given default to: anonymous → 302 (to sign-in), unverified → 302 (to the
second-factor step), so protected views only list the signed-in personas.

An app's matrix module defines:
    MATRIX: dict[str, dict[str, int]]               # url name -> persona -> expected status
    def url_kwargs(personas) -> dict[str, dict]:    # url name -> kwargs for reverse();
        ...                                         # objects it creates belong to team_a / officer_a
"""

from __future__ import annotations

import importlib

OK = 200
REDIRECT = 302
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405

SIGNED_IN = ["officer_a", "officer_b", "supervisor", "force_lead", "partner", "admin"]
ALL = ["anonymous", "unverified", *SIGNED_IN]


def only(allowed: list[str], status: int = OK, others: int = FORBIDDEN) -> dict[str, int]:
    """`status` for the allowed personas, `others` for every other signed-in persona."""
    return {p: (status if p in allowed else others) for p in SIGNED_IN}


def everyone(status: int = OK) -> dict[str, int]:
    return dict.fromkeys(SIGNED_IN, status)


def public(status: int = OK) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


CORE_MATRIX: dict[str, dict[str, int]] = {
    # Sign-in steps: public. A signed-in, verified user is sent on from the sign-in page.
    "accounts:sign_in": {**public(OK), **dict.fromkeys(SIGNED_IN, REDIRECT)},
    "accounts:verify": {"anonymous": REDIRECT, "unverified": OK, **everyone(REDIRECT)},
    "accounts:sign_out": public(NOT_ALLOWED),
    "accounts:activate": public(NOT_FOUND),  # an unknown token
    "accounts:activation": public(NOT_FOUND),  # no token kept in the session
    "accounts:password_reset": public(OK),
    "accounts:password_reset_done": public(OK),
    "accounts:password_reset_complete": public(OK),
    "accounts:password_reset_confirm": public(OK),  # renders "this link cannot be used"
    "accounts:manage_user_list": only(["admin"]),
    "accounts:manage_user_create": only(["admin"]),
    "accounts:manage_user_detail": only(["admin"]),
    "accounts:manage_user_action": only(["admin"], status=NOT_ALLOWED),
    "core:home": everyone(OK),
    "core:session_keepalive": everyone(NOT_ALLOWED),
    "core:session_status": everyone(OK),
    "core:system_status": only(["admin"]),
    "notifications:list": everyone(OK),
    "notifications:mark_read": everyone(NOT_ALLOWED),
    "notifications:preferences": everyone(OK),
    "audit:search": only(["force_lead"]),
    "audit:misuse": only(["force_lead"]),
}


def core_url_kwargs(personas) -> dict[str, dict]:
    return {
        "accounts:activate": {"token": "not-a-real-token"},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "accounts:manage_user_detail": {"pk": personas.officer_a.pk},
        "accounts:manage_user_action": {"pk": personas.officer_a.pk, "action": "disable"},
    }


# Domain apps add their matrix modules here as they land.
APP_MATRICES: list[str] = [
    "tests.cases.matrix",
    "tests.custody.clock_matrix",
    "tests.custody.matrix",
    "tests.referrals.matrix",
    "tests.interventions.matrix",
    "tests.dashboards.matrix",
    "tests.api.matrix",
]


def full_matrix() -> dict[str, dict[str, int]]:
    matrix = dict(CORE_MATRIX)
    for module_name in APP_MATRICES:
        module = importlib.import_module(module_name)
        overlap = set(matrix) & set(module.MATRIX)
        assert not overlap, f"URL names declared twice: {overlap}"
        matrix.update(module.MATRIX)
    return matrix


def all_url_kwargs(personas) -> dict[str, dict]:
    kwargs = core_url_kwargs(personas)
    for module_name in APP_MATRICES:
        kwargs.update(importlib.import_module(module_name).url_kwargs(personas))
    return kwargs
