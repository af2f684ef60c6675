"""What the referral writes share: the error of a refused move, and the messages they send."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.emails import email_render, message_id
from safeguarding.notifications.services import notification_send

from ..models import Referral

Action = AuditEvent.Action
logger = logging.getLogger(__name__)


class ReferralError(Exception):
    """A change the rules do not allow (an illegal status move); the message says why."""


def officers_to_tell(referral: Referral) -> list[User]:
    """The referring officer, and the case's officer in charge when that is someone else."""
    people = {referral.created_by_id: referral.created_by, referral.case.owner_id: referral.case.owner}
    return [u for u in people.values() if u.is_active]


def notify_officers(referral: Referral, subject: str, *, kind: str = "referral") -> None:
    for user in officers_to_tell(referral):
        notification_send(user=user, subject=subject[:200], url=referral.get_absolute_url(), kind=kind)


def notify_partners(referral: Referral, subject: str) -> None:
    """In-app, to the agency's active partner users; the link answers 404 once the share ends."""
    for user in User.objects.filter(agency=referral.agency, role=User.Role.PARTNER, is_active=True):
        notification_send(user=user, subject=subject[:200], url=referral.get_partner_url(), kind="referral")


def email_agency_inbox(referral: Referral, *, event: str) -> None:
    """A notice to the agency's referral inbox after the COMMIT: a reference and a link,
    never personal data (the same rule as the 48-hour clock's emails)."""
    address = referral.agency.referral_inbox_email
    if not address:
        return
    context = {
        "event": event,
        "reference": referral.reference,
        "force": settings.FORCE_NAME,
        "urgency": referral.get_urgency_display(),
        "url": f"{settings.SITE_URL}{referral.get_partner_url()}",
    }
    rendered = email_render("referral-notice", context)
    message = EmailMessage(
        subject=rendered.subject,
        body=rendered.body,
        to=[address],
        headers={"Message-ID": message_id(f"referral-{referral.pk}-{event}-{referral.messages.count()}")},
    )

    def send() -> None:
        # After the COMMIT: a mail failure must not undo the referral. The partner's in-app
        # notification is already written; the failure is logged for the administrator.
        try:
            message.send()
        except Exception:  # any mail failure
            logger.exception("Referral notice for %s to the agency inbox failed", referral.reference)

    transaction.on_commit(send)
