"""Checklist templates: the active version, and new versions drafted and activated by an administrator."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from custody.models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
)
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record

from .common import Action, ChecklistError


def active_template() -> ChecklistTemplate:
    """The version new checklists use. Version 1 is created by a data migration; an
    administrator may activate another, never none."""
    template = ChecklistTemplate.objects.filter(is_active=True).first()
    if template is None:
        raise ChecklistError("No checklist template is active: an administrator must activate one.")
    return template


@transaction.atomic
def template_new_version(*, actor: User, source: ChecklistTemplate, notes: str = "") -> ChecklistTemplate:
    """A copy of ``source`` as the next version, inactive, ready to edit."""
    latest = ChecklistTemplate.objects.select_for_update().order_by("-version").first()
    new = ChecklistTemplate.objects.create(
        name=source.name,
        version=(latest.version if latest else 0) + 1,
        is_active=False,
        notes=notes or f"Copied from version {source.version}.",
        created_by=actor,
    )
    ChecklistTemplateItem.objects.bulk_create(
        [
            ChecklistTemplateItem(
                template=new,
                position=i.position,
                code=i.code,
                title=i.title,
                guidance=i.guidance,
                due_offset_minutes=i.due_offset_minutes,
                owner_rule=i.owner_rule,
                condition=i.condition,
                not_applicable_reason=i.not_applicable_reason,
            )
            for i in source.items.all()
        ]
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        obj=new,
        summary=f"Checklist template version {new.version} drafted from version {source.version}",
    )
    return new


@transaction.atomic
def template_activate(*, actor: User, template: ChecklistTemplate) -> ChecklistTemplate:
    """New checklists use this version from now on; running ones keep theirs."""
    if not template.items.exists():
        raise ChecklistError("A template version needs at least one item before it can be activated.")
    ChecklistTemplate.objects.select_for_update().filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
    ChecklistTemplate.objects.filter(pk=template.pk).update(is_active=True, activated_at=timezone.now())
    template.refresh_from_db()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=template,
        summary=f"Checklist template version {template.version} activated",
    )
    return template
