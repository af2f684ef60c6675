"""Access matrix of the integration API (see tests/access_matrix.py).

The API takes a bearer token and nothing else: every persona of the pages, signed in or
not, gets 401 from every endpoint (a session cookie is not a credential there). The
schema and its docs are public, like any published interface; any other path under
/api/v1/ is a 404 problem.
"""

from __future__ import annotations

from tests.access_matrix import NOT_FOUND, OK, public

UNAUTHORIZED = 401

MATRIX: dict[str, dict[str, int]] = {
    "api:schema": public(OK),
    "api:docs": public(OK),
    "api:not_found": public(NOT_FOUND),
    "api:custody_detentions": public(UNAUTHORIZED),
    "api:referral_list": public(UNAUTHORIZED),
    "api:referral_detail": public(UNAUTHORIZED),
    "api:referral_acknowledge": public(UNAUTHORIZED),
    "api:referral_accept": public(UNAUTHORIZED),
    "api:referral_decline": public(UNAUTHORIZED),
    "api:referral_updates": public(UNAUTHORIZED),
}


def url_kwargs(personas) -> dict[str, dict]:
    # Any id: the token check answers before any record is looked up.
    return {
        name: {"pk": 1}
        for name in (
            "api:referral_detail",
            "api:referral_acknowledge",
            "api:referral_accept",
            "api:referral_decline",
            "api:referral_updates",
        )
    }
