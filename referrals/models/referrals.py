"""A referral from a case to a partner agency: what is shared with it, for how long, and the thread."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.db import choice_in

from .choices import MessageKind, ReferralStatus, ReferralType, Section, Urgency

# Sent or acknowledged: the agency's answer (accept or decline) is still awaited.
AWAITING_ANSWER = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)


def awaiting_answer_q() -> Q:
    return Q(status__in=AWAITING_ANSWER)


def answer_overdue_q(today) -> Q:
    """Still awaiting the answer after the day it was due."""
    return awaiting_answer_q() & Q(response_due_on__lt=today)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def awaiting_answer(self) -> ReferralQuerySet:
        return self.filter(awaiting_answer_q())

    def answer_overdue(self, today) -> ReferralQuerySet:
        return self.filter(answer_overdue_q(today))


class Referral(models.Model):
    Type = ReferralType
    Status = ReferralStatus
    Urgency = Urgency

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals")
    referral_type = models.CharField("Type of referral", max_length=24, choices=ReferralType.choices)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE)
    reason = models.TextField("Why you are referring")
    ask = models.TextField("What you are asking them to do")
    # The share: which sections, a chronology extract's range and entry types, why a
    # restricted section is shared, until when, and whether it was revoked.
    sections = models.JSONField(default=list, blank=True)
    chronology_from = models.DateField(null=True, blank=True)
    chronology_to = models.DateField(null=True, blank=True)
    chronology_types = models.JSONField(default=list, blank=True)
    restricted_justification = models.TextField(blank=True)
    share_expires_at = models.DateTimeField()
    share_revoked_at = models.DateTimeField(null=True, blank=True)
    share_revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    response_target_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("status", ReferralStatus), name="referral_status_valid"),
            models.CheckConstraint(condition=choice_in("urgency", Urgency), name="referral_urgency_valid"),
            models.CheckConstraint(condition=choice_in("referral_type", ReferralType), name="referral_type_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(sent_at__isnull=False), name="referral_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="referral_declined_has_reason"
            ),
        ]
        indexes = [
            # A partner's home: the referrals of their agency.
            models.Index(fields=["agency", "status"], name="referral_agency_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("referrals:referral_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"RF{self.pk:06d}" if self.pk else "RF (new)"

    def get_partner_url(self) -> str:
        return reverse("referrals:partner_detail", args=[self.pk])

    @property
    def share_is_live(self) -> bool:
        return (
            self.status != ReferralStatus.DRAFT
            and self.share_revoked_at is None
            and self.share_expires_at > timezone.now()
        )

    def shares(self, section: str) -> bool:
        return section in self.sections

    def get_sections_display(self) -> list[str]:
        return [Section(s).label for s in self.sections if s in Section.values]

    @property
    def awaiting_partner(self) -> bool:
        return self.status in AWAITING_ANSWER


class ReferralMessage(models.Model):
    """One entry in a referral's thread: a partner's question or update, an officer's
    answer, or a status change (acknowledged, accepted, declined) with its words."""

    Kind = MessageKind

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("kind", MessageKind), name="referralmessage_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on referral {self.referral_id}"
