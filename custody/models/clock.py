"""The 48-hour post-custody checklist and its enforcement.

* ChecklistTemplate / ChecklistTemplateItem: the checklist as data, versioned by
  admins. A version that has started a checklist is never changed again: a change
  is a new version, and a running checklist keeps the version it started with.
* Checklist / ChecklistItem: one checklist per release (or identification), one
  item per template item, each with its own due time and owner.
* ChecklistOutbox: one row per (item, kind) of message the clock must send — the
  UNIQUE constraint is what makes each reminder and escalation exactly once.
* ComplianceRecord: one row per item missed at its deadline.

Deadlines live here, in PostgreSQL; the Celery sweep (custody.clock.services.
checklist_sweep) only reads them. Datetimes are stored in UTC and shown in UK time.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguarding.core.db import choice_in
from safeguarding.notifications.models import OutboxDelivery

from .deadlines import DeadlineMixin, DeadlineQuerySet

__all__ = [
    "Checklist",
    "ChecklistItem",
    "ChecklistOutbox",
    "ChecklistStatus",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "ComplianceRecord",
    "ItemCondition",
    "ItemStatus",
    "OutboxKind",
    "OwnerRule",
    "StartBasis",
]


class OwnerRule(models.TextChoices):
    CASE_OWNER = "case_owner", "The case owner"
    TEAM_SUPERVISOR = "team_supervisor", "A supervisor of the case's team"


class ItemCondition(models.TextChoices):
    ALWAYS = "always", "Always"
    LOOKED_AFTER = "looked_after", "Only for looked-after children"
    OUT_OF_AREA = "out_of_area", "Only for young people from out of the force area"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "To do"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class OutboxKind(models.TextChoices):
    REMINDER = "reminder", "Reminder to the owner"
    ESCALATION = "escalation", "Escalation to the supervisor"


# ---------------------------------------------------------------------------
# Templates (configuration, edited by admins as versions)
# ---------------------------------------------------------------------------


class ChecklistTemplate(models.Model):
    """One version of the post-custody checklist. At most one version is active:
    new checklists use it; running checklists keep the version they started with."""

    name = models.CharField(max_length=120, default="48-hour post-custody safeguarding checklist")
    version = models.PositiveIntegerField(unique=True)
    is_active = models.BooleanField(default=False)
    notes = models.TextField(blank=True, help_text="What changed in this version and why.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            # Exactly one version starts new checklists.
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="checklisttemplate_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}{' (active)' if self.is_active else ''}"

    @property
    def is_in_use(self) -> bool:
        """A version that has started a checklist is frozen."""
        return self.checklists.exists()


class ChecklistTemplateItem(models.Model):
    Condition = ItemCondition
    OwnerRule = OwnerRule

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=60, help_text="A stable name for the item across versions.")
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    due_offset_minutes = models.PositiveIntegerField(help_text="Due this many minutes after the clock starts.")
    owner_rule = models.CharField(max_length=20, choices=OwnerRule.choices, default=OwnerRule.CASE_OWNER)
    condition = models.CharField(max_length=20, choices=ItemCondition.choices, default=ItemCondition.ALWAYS)
    not_applicable_reason = models.CharField(
        max_length=200, blank=True, help_text="Recorded on the item when its condition is false."
    )

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="checklisttemplateitem_code_unique"),
            models.UniqueConstraint(fields=["template", "position"], name="checklisttemplateitem_position_unique"),
            models.CheckConstraint(
                condition=choice_in("owner_rule", OwnerRule), name="checklisttemplateitem_owner_valid"
            ),
            models.CheckConstraint(
                condition=choice_in("condition", ItemCondition), name="checklisttemplateitem_condition_valid"
            ),
            models.CheckConstraint(
                condition=Q(condition="always") | ~Q(not_applicable_reason=""),
                name="checklisttemplateitem_conditional_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (+{self.due_offset})"

    @property
    def due_offset(self) -> timedelta:
        return timedelta(minutes=self.due_offset_minutes)


# ---------------------------------------------------------------------------
# Running checklists
# ---------------------------------------------------------------------------


class StartBasis(models.TextChoices):
    RELEASE = "release", "Release from custody"
    IDENTIFICATION = "identification", "Identification after release"


class ChecklistStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETE = "complete", "Complete"
    SUPERSEDED = "superseded", "Superseded by a re-arrest"
    STOPPED = "stopped", "Stopped: the release time was removed"


class ChecklistQuerySet(models.QuerySet["Checklist"]):
    def running(self) -> ChecklistQuerySet:
        return self.filter(status=ChecklistStatus.RUNNING)


class Checklist(models.Model):
    StartBasis = StartBasis
    Status = ChecklistStatus

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="checklists")
    custody_event = models.ForeignKey(
        "custody.CustodyEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="checklists"
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="checklists")
    started_at = models.DateTimeField(help_text="When the clock started (UTC).")
    start_basis = models.CharField(max_length=16, choices=StartBasis.choices, default=StartBasis.RELEASE)
    status = models.CharField(max_length=12, choices=ChecklistStatus.choices, default=ChecklistStatus.RUNNING)
    completed_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The last correction of the start (a release time edited after the clock started):
    # when it was made and the start it replaced. Every correction is also in the audit log.
    start_corrected_at = models.DateTimeField(null=True, blank=True)
    start_corrected_from = models.DateTimeField(null=True, blank=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=choice_in("status", ChecklistStatus), name="checklist_status_valid"),
            models.CheckConstraint(condition=choice_in("start_basis", StartBasis), name="checklist_start_basis_valid"),
            # One checklist per custody event: starting it twice returns the first.
            models.UniqueConstraint(
                fields=["custody_event"], condition=Q(custody_event__isnull=False), name="checklist_one_per_event"
            ),
            models.CheckConstraint(
                condition=Q(status="running") | Q(completed_at__isnull=False), name="checklist_ended_has_time"
            ),
        ]
        indexes = [
            # The case page: a case's checklists, newest first; the running one for re-arrest.
            models.Index(fields=["case", "-started_at"], name="checklist_case_started_idx"),
            # The Clocks page and the home panels: open items belong to running checklists
            # only (supersede, stop and completion resolve them all), a few hundred among
            # every checklist ever started; partial, so it stays that small.
            models.Index(fields=["case"], condition=Q(status="running"), name="checklist_running_case_idx"),
        ]

    def __str__(self) -> str:
        return f"Checklist {self.pk} on case {self.case_id} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("custody:checklist_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING


class ChecklistItemQuerySet(DeadlineQuerySet["ChecklistItem"]):
    """pending(), overdue(now), due_soon(now, window), due_by(moment), due_for_reminder(now,
    lead), due_for_escalation(now) (see deadlines.py), and:"""

    def on_running_checklists(self) -> ChecklistItemQuerySet:
        # Open items belong to running checklists only (supersede, stop and completion
        # resolve them all); this says so where the query must not rely on it.
        return self.filter(checklist__status=ChecklistStatus.RUNNING)


class ChecklistItem(DeadlineMixin, models.Model):
    Status = ItemStatus

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items")
    template_item = models.ForeignKey(ChecklistTemplateItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    due_at = models.DateTimeField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checklist_items")
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    # Done: who, when, a note. Not applicable: who (none when the condition decided), when, the reason.
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    not_applicable_reason = models.TextField(blank=True)
    # Not columns: what custody.clock.selectors.annotate_item sets for the pages.
    overdue: bool
    due_soon: bool
    countdown: str
    # Set by the sweep in the transaction that writes the outbox row (never by hand).
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=choice_in("status", ItemStatus), name="checklistitem_status_valid"),
            models.CheckConstraint(
                condition=Q(status="pending", resolved_at__isnull=True)
                | (~Q(status="pending") & Q(resolved_at__isnull=False)),
                name="checklistitem_resolved_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(resolved_by__isnull=False), name="checklistitem_done_has_who"
            ),
            models.CheckConstraint(
                condition=~Q(status="not_applicable") | ~Q(not_applicable_reason=""),
                name="checklistitem_not_applicable_has_reason",
            ),
            models.UniqueConstraint(fields=["checklist", "position"], name="checklistitem_position_unique"),
        ]
        indexes = [
            # The sweep, reminders: pending items not yet reminded, by due time
            # (WHERE due_at <= now + lead). Partial, so the index holds only work still to do
            # and the sweep's cost follows the due items, not the size of the table.
            models.Index(
                fields=["due_at"],
                condition=Q(status="pending", reminder_queued_at__isnull=True),
                name="checkitem_remind_due_idx",
            ),
            # The sweep, escalations: pending items not yet escalated, by due time (WHERE due_at < now).
            # Partial for the same reason: items overdue, escalated and still open are not in it,
            # so they never slow the sweep down. (due_at) alone, like checkitem_open_due_idx, so
            # that the planner prefers this smaller index to that one.
            models.Index(
                fields=["due_at"],
                condition=Q(status="pending", escalated_at__isnull=True),
                name="checkitem_escalate_due_idx",
            ),
            # The team clocks page and home panels: open items by due time (partial: open items only).
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="checkitem_open_due_idx"),
            # "My open items" on the officer's home page.
            models.Index(fields=["owner", "due_at"], condition=Q(status="pending"), name="checkitem_owner_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (checklist {self.checklist_id}, {self.status})"

    # is_pending, is_overdue(now) and is_due_soon(now, window): DeadlineMixin.

    @property
    def was_late(self) -> bool:
        return self.status == ItemStatus.DONE and self.resolved_at is not None and self.resolved_at > self.due_at


class ChecklistOutbox(OutboxDelivery):
    """A message the clock must send, written in the same transaction as the decision to send it.

    UNIQUE (item, kind): a second sweep, a second beat or a redelivered task cannot
    queue the same reminder or escalation twice. The sweep delivers rows still
    undelivered, claiming each with SELECT … FOR UPDATE SKIP LOCKED.
    """

    Kind = OutboxKind

    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="outbox")
    kind = models.CharField(max_length=12, choices=OutboxKind.choices)

    class Meta:
        verbose_name_plural = "checklist outbox"
        constraints = [
            models.CheckConstraint(condition=choice_in("kind", OutboxKind), name="checklistoutbox_kind_valid"),
            models.UniqueConstraint(fields=["item", "kind"], name="checklistoutbox_item_kind_unique"),
        ]
        indexes = [
            # The sweep's delivery step: rows still to deliver, oldest first. Partial, so
            # delivered history (most of the table) costs nothing.
            models.Index(fields=["id"], condition=Q(delivered_at__isnull=True), name="checkoutbox_undelivered_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for item {self.item_id}"


class ComplianceRecord(models.Model):
    """An item missed at its deadline: still pending at its due time, whenever anyone noticed.

    Written by the sweep when it finds the item overdue, or by the service that
    resolves the item after its due time (whichever comes first; one per item).
    Lateness is resolved_at − due_at: the time the work was done, never the sweep's.
    """

    item = models.OneToOneField(ChecklistItem, on_delete=models.PROTECT, related_name="compliance")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    detected_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=16, choices=ItemStatus.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=choice_in("resolution", ItemStatus, blank=True), name="compliance_resolution_valid"
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gt=models.F("due_at")),
                name="compliance_resolved_after_due",
            ),
        ]
        indexes = [
            # Compliance reports by period (dashboards): missed deadlines in a date range.
            models.Index(fields=["due_at"], name="compliance_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Missed deadline of item {self.item_id}"

    @property
    def lateness(self) -> timedelta | None:
        return self.resolved_at - self.due_at if self.resolved_at else None
