"""Merging two records of the same young person."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record

from .. import names
from ..models import (
    Alias,
    AliasKind,
    Case,
    LookedAfterStatus,
    PersonMerge,
    PhilomenaProfile,
    YoungPerson,
)
from ..signals import person_merged
from ._common import Action, stamp_history
from .people import PHILOMENA_FIELDS

_UNION_LISTS = ("adverse_experiences", "vulnerabilities", "warning_markers")


_JOIN_NOTES = ("adverse_experiences_notes", "vulnerabilities_notes", "warning_markers_notes")


# The survivor keeps its own names; the age, the interpreter flag, the lists and the notes
# are combined by their own rules below. Every other recorded field of the merged record is
# copied onto the survivor where the survivor's is empty.
_COMBINED_APART = (
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "estimated_age",
    "interpreter_needed",
    *_UNION_LISTS,
    *_JOIN_NOTES,
)
_FILL_IF_EMPTY = tuple(field for field in YoungPerson.RECORDED_FIELDS if field not in _COMBINED_APART)


_EMPTY = ("", None, YoungPerson.Gender.NOT_KNOWN, LookedAfterStatus.NOT_KNOWN, YoungPerson.EducationStatus.NOT_KNOWN)


def _combine_people(survivor: YoungPerson, merged: YoungPerson) -> list[str]:
    filled = []
    if survivor.date_of_birth is None and merged.date_of_birth is not None:
        survivor.date_of_birth = merged.date_of_birth
        survivor.estimated_age = None
        survivor.estimated_age_on = None
        filled.append("date_of_birth")
    for field in _FILL_IF_EMPTY:
        if getattr(survivor, field) in _EMPTY and getattr(merged, field) not in _EMPTY:
            setattr(survivor, field, getattr(merged, field))
            filled.append(field)
    if merged.interpreter_needed and not survivor.interpreter_needed:
        survivor.interpreter_needed = True
        filled.append("interpreter_needed")
    for field in _UNION_LISTS:
        union = list(dict.fromkeys([*getattr(survivor, field), *getattr(merged, field)]))
        if union != getattr(survivor, field):
            setattr(survivor, field, union)
            filled.append(field)
    for field in _JOIN_NOTES:
        mine, theirs = getattr(survivor, field).strip(), getattr(merged, field).strip()
        if theirs and theirs not in mine:
            setattr(survivor, field, f"{mine}\n\nFrom merged record {merged.reference}: {theirs}".strip())
            filled.append(field)
    return filled


def _combine_philomena(survivor: YoungPerson, merged: YoungPerson, actor: User) -> str:
    theirs = PhilomenaProfile.objects.filter(person=merged).first()
    if theirs is None:
        return ""
    mine = PhilomenaProfile.objects.filter(person=survivor).first()
    if mine is None:
        theirs.person = survivor
        stamp_history(theirs, actor, f"Moved from merged record {merged.reference}")
        theirs.save()
        return "moved"
    for field in PHILOMENA_FIELDS:
        a, b = getattr(mine, field).strip(), getattr(theirs, field).strip()
        if b and b not in a:
            setattr(mine, field, f"{a}\n\nFrom merged record {merged.reference}: {b}".strip())
    mine.updated_at = timezone.now()
    mine.updated_by = actor
    stamp_history(mine, actor, f"Combined with merged record {merged.reference}")
    mine.save()
    return "combined"


# Relations moved explicitly above; every other foreign key to YoungPerson (other apps') is moved generically.
_HANDLED = {"cases.case", "cases.alias", "cases.philomenaprofile", "cases.personmerge", "cases.youngperson"}


def _move_cases_and_names(survivor: YoungPerson, merged: YoungPerson, actor: User) -> dict[str, int]:
    """The merged record's cases and aliases move; its own name stays findable as an alias."""
    moved: dict[str, int] = {}
    cases = list(Case.objects.select_for_update().filter(person=merged))
    for case in cases:
        case.person = survivor
        case.version += 1
        case.updated_at = timezone.now()
        stamp_history(case, actor, f"Moved from merged record {merged.reference}")
        case.save(update_fields=["person", "version", "updated_at"])
    moved["cases"] = len(cases)
    moved["aliases"] = Alias.objects.filter(person=merged).update(person=survivor)
    merged_name = names.normalise(merged.full_name)
    known = {names.normalise(survivor.full_name), *survivor.aliases.values_list("name_norm", flat=True)}
    if merged_name and merged_name not in known:
        Alias.objects.create(
            person=survivor,
            name=merged.full_name,
            kind=AliasKind.SPELLING,
            notes=f"Name on merged record {merged.reference}",
            created_by=actor,
        )
        moved["names_kept_as_alias"] = 1
    return moved


def _move_other_links(survivor: YoungPerson, merged: YoungPerson) -> dict[str, int]:
    """Every other app's foreign key to the merged record moves to the survivor (a one-to-one
    the survivor already has stays on the merged record), counted by relation."""
    other_links: dict[str, int] = {}
    for relation in YoungPerson._meta.related_objects:
        related_model = cast("type[models.Model]", relation.related_model)  # never "self" on a reverse relation
        label = related_model._meta.label_lower
        if label in _HANDLED or relation.many_to_many:
            continue
        if relation.one_to_one and related_model._base_manager.filter(**{relation.field.name: survivor}).exists():
            other_links[f"{label}.{relation.field.name} (kept on merged record)"] = 0
            continue
        count = related_model._base_manager.filter(**{relation.field.name: merged}).update(
            **{relation.field.name: survivor}
        )
        if count:
            other_links[f"{label}.{relation.field.name}"] = count
    return other_links


@transaction.atomic
def person_merge(
    *, actor: User, survivor: YoungPerson, merged: YoungPerson, reason: str, request: HttpRequest | None = None
) -> PersonMerge:
    """Combine two records of the same young person. Everything on `merged` moves to
    `survivor` (cases with all they hold, aliases, profile, grants, links from other apps);
    blank details are filled from `merged`; `merged` stays as a tombstone pointing at
    `survivor`. History is kept on both, and the merge is audited as a combination."""
    if actor.role != User.Role.SUPERVISOR:
        raise PermissionDenied("Only a supervisor can merge records.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason these are the same young person"})
    if survivor.pk == merged.pk:
        raise ValidationError("Choose two different records.")
    locked = {p.pk: p for p in YoungPerson.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if survivor.is_merged or merged.is_merged:
        raise ValidationError("One of these records has already been merged into another.")

    moved = _move_cases_and_names(survivor, merged, actor)
    philomena = _combine_philomena(survivor, merged, actor)
    other_links = _move_other_links(survivor, merged)

    filled = _combine_people(survivor, merged)
    now = timezone.now()
    survivor.version += 1
    survivor.updated_at = now
    stamp_history(survivor, actor, f"Merged with {merged.reference}")
    survivor.save()
    merged.merged_into = survivor
    merged.merged_at = now
    merged.version += 1
    merged.updated_at = now
    stamp_history(merged, actor, f"Merged into {survivor.reference}")
    merged.save()
    YoungPerson.objects.filter(merged_into=merged).update(merged_into=survivor)

    detail = {
        "survivor": survivor.pk,
        "merged": merged.pk,
        "moved": moved,
        "other_links": other_links,
        "philomena": philomena,
        "fields_filled": filled,
    }
    record = PersonMerge.objects.create(
        survivor=survivor, merged=merged, reason=reason, detail=detail, merged_at=now, merged_by=actor
    )
    for obj, summary in (
        (survivor, f"{merged.reference} merged into {survivor.reference}"),
        (merged, f"Merged into {survivor.reference}"),
    ):
        audit_record(
            action=Action.MERGE,
            actor=actor,
            request=request,
            obj=obj,
            summary=summary,
            justification=reason,
            detail=detail,
        )
    person_merged.send(sender=YoungPerson, survivor=survivor, merged=merged, actor=actor)
    return record
