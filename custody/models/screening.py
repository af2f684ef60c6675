"""What the import and screening know, kept as data admins edit: controlled drugs with
their class and the offence codes custody systems write (both loaded from the files in
custody/data/ by migrations, which state their sources), and the column matchings teams
saved for the lists their custody systems write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["ColumnMapping", "ControlledDrug", "OffenceCode"]


class ControlledDrug(models.Model):
    """A controlled drug and its class (Misuse of Drugs Act 1971, Schedule 2), under every
    name a custody record may give it."""

    class DrugClass(models.TextChoices):
        A = "A", "Class A"
        B = "B", "Class B"
        C = "C", "Class C"

    name = models.CharField(max_length=80, unique=True)
    drug_class = models.CharField("class", max_length=1, choices=DrugClass.choices)
    other_names = models.TextField(
        blank=True, help_text="One name per line: other and street names custody records use for it."
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the class comes from.")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["drug_class", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(drug_class__in=["A", "B", "C"]), name="controlleddrug_class_abc")
        ]

    def __str__(self) -> str:
        return f"{self.name} (Class {self.drug_class})"

    def names(self) -> list[str]:
        return [self.name, *(n.strip() for n in self.other_names.splitlines() if n.strip())]


class OffenceCode(models.Model):
    """An offence code (Home Office classification or CJS offence code) and the screening
    marker it gives; a code ending in * matches every code it starts."""

    code = models.CharField(max_length=20, unique=True, help_text="Exact, or a prefix ending in *, e.g. MS15*.")
    marker = models.CharField(
        max_length=80,
        help_text='A screening marker: "Drug supply", "Drug possession", or the label of a screening offence.',
    )
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.marker}"


class ColumnMapping(models.Model):
    """Which column holds which field, for lists with these headings, as a team matched
    them: applied to the next list its members upload with the same headings."""

    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64, help_text="Fingerprint of the file's headings, in order.")
    headings = models.JSONField(default=list, help_text="The file's column headings, in order.")
    mapping = models.JSONField(default=dict, help_text='Field -> column number from 0, e.g. {"surname": 1}.')
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["team", "signature"], name="columnmapping_team_signature_unique"),
            models.UniqueConstraint(
                fields=["signature"], condition=models.Q(team__isnull=True), name="columnmapping_force_signature_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team or 'Force-wide'}: {', '.join(self.headings)[:80]}"
