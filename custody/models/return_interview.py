"""The return home interview clock: after a missing young person returns, an
independent interview is due within 72 hours (RETURN_INTERVIEW_DUE_HOURS).

It runs on the 48-hour clock's machinery (docs/adr/0001): the same sweep
(custody.clock.services.checklist_sweep) claims interviews due for a reminder or
past their deadline with SELECT … FOR UPDATE SKIP LOCKED and writes one
ReturnInterviewOutbox row per (interview, kind) — UNIQUE, inserted with ON CONFLICT
DO NOTHING — and the core's notifications_deliver sends each exactly once in-app.

One interview per missing episode, started, moved or cancelled when the episode's
return is recorded, corrected or removed (cases.signals.missing_episode_returned).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguarding.core.db import choice_in
from safeguarding.notifications.models import OutboxDelivery

from .clock import OutboxKind
from .deadlines import DeadlineMixin, DeadlineQuerySet

__all__ = ["ReturnInterview", "ReturnInterviewOutbox", "ReturnInterviewStatus"]


class ReturnInterviewStatus(models.TextChoices):
    PENDING = "pending", "To do"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled: the return was removed"


class ReturnInterviewQuerySet(DeadlineQuerySet["ReturnInterview"]):
    """pending(), overdue(now), due_soon(now, window), due_for_reminder(now, lead),
    due_for_escalation(now): the checklist items' rules (deadlines.py)."""


class ReturnInterview(DeadlineMixin, models.Model):
    Status = ReturnInterviewStatus
    PERSONAL_DATA_FIELDS = ("conducted_by", "summary")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="return_interviews")
    episode = models.OneToOneField("cases.MissingEpisode", on_delete=models.PROTECT, related_name="return_interview")
    returned_at = models.DateTimeField(help_text="When the young person was found or returned (UTC).")
    due_at = models.DateTimeField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_interviews")
    status = models.CharField(
        max_length=12, choices=ReturnInterviewStatus.choices, default=ReturnInterviewStatus.PENDING
    )
    # Done: when the interview took place, who held it (often an independent provider), what it found.
    conducted_at = models.DateTimeField("When the interview took place", null=True, blank=True)
    conducted_by = models.CharField("Who held the interview", max_length=200, blank=True)
    summary = models.TextField("What the young person said and what happens next", blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the sweep in the transaction that writes the outbox row (never by hand).
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    # Not columns: what custody.clock.selectors.annotate_item sets for the pages.
    overdue: bool
    due_soon: bool
    countdown: str

    objects = ReturnInterviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choice_in("status", ReturnInterviewStatus), name="returninterview_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="done")
                | Q(conducted_at__isnull=False, recorded_at__isnull=False, recorded_by__isnull=False),
                name="returninterview_done_has_who_and_when",
            ),
        ]
        indexes = [
            # The sweep: pending interviews not yet reminded / escalated, by due time (partial,
            # so its cost follows the work still to do, as for checklist items).
            models.Index(
                fields=["due_at"],
                condition=Q(status="pending", reminder_queued_at__isnull=True),
                name="rhi_remind_due_idx",
            ),
            models.Index(
                fields=["due_at"], condition=Q(status="pending", escalated_at__isnull=True), name="rhi_escalate_due_idx"
            ),
            # The clocks page and the case page: open interviews by due time.
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="rhi_open_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Return home interview for case {self.case_id} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("custody:return_interview", args=[self.pk])

    @property
    def title(self) -> str:
        return "Return home interview"

    @property
    def was_late(self) -> bool:
        return (
            self.status == ReturnInterviewStatus.DONE
            and self.conducted_at is not None
            and self.conducted_at > self.due_at
        )


class ReturnInterviewOutbox(OutboxDelivery):
    """A reminder or escalation of a return home interview, decided once: UNIQUE
    (interview, kind), delivered by safeguarding.notifications.delivery."""

    Kind = OutboxKind

    interview = models.ForeignKey(ReturnInterview, on_delete=models.PROTECT, related_name="outbox")
    kind = models.CharField(max_length=12, choices=OutboxKind.choices)

    class Meta:
        verbose_name_plural = "return interview outbox"
        constraints = [
            models.CheckConstraint(condition=choice_in("kind", OutboxKind), name="rhioutbox_kind_valid"),
            models.UniqueConstraint(fields=["interview", "kind"], name="rhioutbox_interview_kind_unique"),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(delivered_at__isnull=True), name="rhioutbox_undelivered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for return interview {self.interview_id}"
