"""Writes to young people: create, edit (optimistic locking), names and the Philomena profile."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.accounts.models import Team, User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.db import apply_versioned_edit, changed_fields

from ..models import (
    Alias,
    AliasKind,
    PhilomenaProfile,
    YoungPerson,
)
from ..selectors import teams_of
from ..signals import person_updated
from ._common import Action, stamp_history, validate

PERSON_FIELDS = YoungPerson.RECORDED_FIELDS


PHILOMENA_FIELDS = PhilomenaProfile.PERSONAL_DATA_FIELDS


def _home_team(actor: User) -> Team | None:
    if actor.team_id:
        return actor.team
    return teams_of(actor).order_by("name").first()


def _apply_age(person: YoungPerson, *, age_changed: bool) -> None:
    """A date of birth wins over an estimate; an estimate is dated when it is made."""
    if person.date_of_birth:
        person.estimated_age = None
        person.estimated_age_on = None
    elif age_changed or person.estimated_age_on is None:
        person.estimated_age_on = timezone.localdate()


@transaction.atomic
def person_create(
    *, actor: User, data: dict[str, Any], aliases: list[str] | None = None, request: HttpRequest | None = None
) -> YoungPerson:
    require_editor(actor)
    person = YoungPerson(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person.created_by = actor
    person.created_by_team = _home_team(actor)
    _apply_age(person, age_changed=True)
    validate(person, exclude=["created_by", "created_by_team", "merged_into"])
    stamp_history(person, actor, "Record created")
    person.save()
    for name in aliases or []:
        if name.strip():
            Alias.objects.create(person=person, name=name.strip(), kind=AliasKind.ALIAS, created_by=actor)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"Young person {person.reference} created",
        detail={"aliases": len([a for a in aliases or [] if a.strip()])},
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: YoungPerson,
    data: dict[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> YoungPerson:
    require_editor(actor)

    def prepare(current: YoungPerson, changed: list[str]) -> None:
        _apply_age(current, age_changed=bool({"estimated_age", "date_of_birth"} & set(changed)))
        validate(current, exclude=["created_by", "created_by_team", "merged_into"])
        stamp_history(current, actor)

    current, changed = apply_versioned_edit(
        person, data=data, fields=PERSON_FIELDS, expected_version=expected_version, prepare=prepare
    )
    if not changed:
        return current
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Young person {current.reference} updated",
        detail={"fields": changed},
    )
    person_updated.send(sender=YoungPerson, person=current, changed=changed, actor=actor)
    return current


@transaction.atomic
def alias_add(
    *, actor: User, person: YoungPerson, name: str, kind: str, notes: str = "", request: HttpRequest | None = None
) -> Alias:
    require_editor(actor)
    alias = Alias(person=person, name=name.strip(), kind=kind, notes=notes, created_by=actor)
    validate(alias, exclude=["person", "created_by"])
    alias.save()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"{alias.get_kind_display()} added to {person.reference}",
        detail={"alias_added": alias.pk},
    )
    return alias


@transaction.atomic
def alias_remove(*, actor: User, alias: Alias, request: HttpRequest | None = None) -> None:
    require_editor(actor)
    person = alias.person
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"{alias.get_kind_display()} removed from {person.reference}",
        detail={"alias_removed": alias.pk, "kind": alias.kind},
    )
    alias.delete()


@transaction.atomic
def philomena_update(
    *, actor: User, person: YoungPerson, data: dict[str, Any], request: HttpRequest | None = None
) -> PhilomenaProfile:
    require_editor(actor)
    profile, created = PhilomenaProfile.objects.select_for_update().get_or_create(person=person)
    changed = changed_fields(profile, data, PHILOMENA_FIELDS)
    for field in changed:
        setattr(profile, field, data[field])
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    stamp_history(profile, actor)
    profile.save()
    audit_record(
        action=Action.CREATE if created else Action.UPDATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"Philomena profile of {person.reference} {'created' if created else 'updated'}",
        detail={"fields": changed},
    )
    return profile
