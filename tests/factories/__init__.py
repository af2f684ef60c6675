"""Builders for the tests, one module per app: accounts (agencies, teams, users with a
confirmed authenticator), cases (young people, cases and what hangs off them) and custody
(custody lists, rows, events). Every name in them is invented.

The accounts builders are also importable from `tests.factories` itself."""

from .accounts import (
    TEST_PASSWORD,
    AgencyFactory,
    PartnerAgencyFactory,
    PoliceForceFactory,
    TeamFactory,
    UserFactory,
    totp_code,
)

__all__ = [
    "TEST_PASSWORD",
    "AgencyFactory",
    "PartnerAgencyFactory",
    "PoliceForceFactory",
    "TeamFactory",
    "UserFactory",
    "totp_code",
]
