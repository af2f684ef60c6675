"""The break-glass page is reached through a signed, short-lived reference handed out
with a search result, never a bare record number: walking numbers must not reveal who
holds which young person. The reference names the person and the user it was issued
to, so a copied link is no use to anyone else, and it expires."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from safeguarding.accounts.models import User

SALT = "cases.break_glass"


def break_glass_reference(user: User, person_pk: int) -> str:
    return signing.dumps([int(person_pk), user.pk], salt=SALT, compress=True)


def break_glass_person_pk(user: User, reference: str) -> int | None:
    """The person the reference was issued for, if it was issued to this user and is
    still fresh; else None (bare, forged, someone else's or expired)."""
    try:
        value = signing.loads(reference, salt=SALT, max_age=settings.BREAK_GLASS_REFERENCE_MINUTES * 60)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not (isinstance(value, list) and len(value) == 2 and value[1] == user.pk and isinstance(value[0], int)):
        return None
    return value[0]
