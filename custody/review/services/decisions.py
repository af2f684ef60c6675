"""Review decisions on a custody list row: safeguard, already known, not at risk."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Gender, HowIdentified, YoungPerson
from cases.selectors import case_in_own_scope, cases_visible_to, people_visible_to
from custody.clock.services import checklist_follow_release
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record

from ...models import CustodyEvent, CustodyImportRow, EventSource, RowState
from .. import areas
from .common import Action, DecisionError, require_editor

DECIDABLE = (RowState.TO_REVIEW, RowState.NOT_FLAGGED, RowState.REJECTED)


def _lock_undecided(row: CustodyImportRow) -> CustodyImportRow:
    current = CustodyImportRow.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=row.pk)
    if current.is_purged:
        raise DecisionError("This row's personal data has been removed: it can no longer be reviewed.")
    if current.state not in DECIDABLE:
        who = current.decided_by.full_name if current.decided_by else "someone"
        when = timezone.localtime(current.decided_at).strftime("%d/%m/%Y %H:%M") if current.decided_at else ""
        raise DecisionError(f"{who} already decided this row ({current.get_state_display().lower()}) {when}.".strip())
    return current


def _decide(*, row: CustodyImportRow, actor: User, state: str, reason: str = "", person=None, case=None) -> None:
    row.state = state
    row.decided_at = timezone.now()
    row.decided_by = actor
    row.decision_reason = reason
    row.person = person
    row.case = case
    row.updated_at = row.decided_at
    row.save(update_fields=["state", "decided_at", "decided_by", "decision_reason", "person", "case", "updated_at"])


GENDERS = {
    "m": Gender.MALE,
    "male": Gender.MALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "non binary": Gender.NON_BINARY,
    "nonbinary": Gender.NON_BINARY,
    "x": Gender.OTHER,
}


def person_data_from_row(row: CustodyImportRow) -> dict[str, Any]:
    """What the custody record says about the person, ready for cases.services.person_create."""
    area_reason = areas.areas().get(areas.area_key(row.home_area))
    data = {
        "given_name": (row.forenames.split() or [""])[0][:100],
        "middle_names": " ".join(row.forenames.split()[1:])[:150],
        "family_name": row.surname[:100],
        "date_of_birth": row.date_of_birth,
        "gender": GENDERS.get(" ".join(row.gender.lower().replace("-", " ").split()), Gender.NOT_KNOWN),
        "home_address": row.home_address,
        "home_postcode": row.home_postcode[:10],
    }
    if area_reason is not None and area_reason.kind == "local authority":
        data["home_local_authority"] = area_reason.name
        data["home_police_force"] = area_reason.force
    elif area_reason is not None:
        data["home_police_force"] = area_reason.name
    elif row.home_area:
        data["home_local_authority"] = row.home_area[:120]
    return data


def _event_from_row(*, actor: User, row: CustodyImportRow, case: Case, request: HttpRequest | None) -> CustodyEvent:
    if row.arrested_at is None:
        raise DecisionError(
            "The arrest time on this row could not be read. Enter the custody event by hand on the case instead."
        )
    existing = CustodyEvent.objects.filter(custody_number=row.custody_number, arrested_at=row.arrested_at).first()
    if existing is not None:
        if existing.case_id != case.pk:
            raise DecisionError(
                f"Custody {row.custody_number} is already recorded on case {existing.case.reference}: "
                "choose that case (already known)."
            )
        if existing.source_row_id is None:
            existing.source_row = row
            existing.save(update_fields=["source_row"])
        return existing
    event = CustodyEvent(
        case=case,
        person=case.person,
        source=EventSource.CUSTODY_REVIEW,
        source_row=row,
        custody_number=row.custody_number,
        custody_suite=row.custody_suite,
        arrested_at=row.arrested_at,
        offences=row.offences,
        outcome=row.outcome,
        released_at=row.released_at if row.released_at and row.released_at >= row.arrested_at else None,
        created_by=actor,
    )
    event.full_clean(exclude=["case", "person", "created_by", "source_row"])
    event.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=event,
        summary=f"Custody event recorded on case {case.reference} from the custody review",
        detail={"case": case.pk, "row": row.pk, "batch": row.batch_id},
    )
    return event


def _link_row_to_case(
    *, actor: User, row: CustodyImportRow, case: Case, state: str, summary: str, request: HttpRequest | None
) -> CustodyEvent:
    """The end of both "safeguard" and "already known": the decision, the custody
    event on the case, its audit row, and the 48-hour clock if released."""
    _decide(row=row, actor=actor, state=state, person=case.person, case=case)
    event = _event_from_row(actor=actor, row=row, case=case, request=request)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=row,
        summary=summary,
        detail={"decision": state, "person": case.person_id, "case": case.pk, "event": event.pk},
    )
    checklist_follow_release(actor=actor, event=event)
    return event


@transaction.atomic
def custody_row_safeguard(
    *,
    actor: User,
    row: CustodyImportRow,
    owner: User,
    person: YoungPerson | None = None,
    person_data: dict[str, Any] | None = None,
    case_data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> CustodyEvent:
    """Safeguard: link (``person``) or create (``person_data``) the young person, open a
    case owned by ``owner`` and record the custody event on it."""
    require_editor(actor)
    row = _lock_undecided(row)
    if person is not None:
        if not people_visible_to(actor).filter(pk=person.pk).exists():
            raise DecisionError("You cannot open a case for this record: contact the team that holds it.")
        if person.is_merged:
            person = cast(YoungPerson, person.merged_into)  # is_merged: merged_into is set
    else:
        data = {**person_data_from_row(row), **(person_data or {})}
        person = case_services.person_create(actor=actor, data=data, request=request)
    case = case_services.case_create(
        actor=actor,
        person=person,
        owner=owner,
        data={
            "how_identified": HowIdentified.CUSTODY_REVIEW,
            "how_identified_detail": f"Morning custody review: custody {row.custody_number}",
            **(case_data or {}),
        },
        request=request,
    )
    return _link_row_to_case(
        actor=actor,
        row=row,
        case=case,
        state=RowState.SAFEGUARDED,
        summary=f"Custody review: safeguard, case {case.reference} opened",
        request=request,
    )


@transaction.atomic
def custody_row_already_known(
    *, actor: User, row: CustodyImportRow, case: Case, request: HttpRequest | None = None
) -> CustodyEvent:
    """Already known: link the row to the person's existing case and record the custody event there."""
    require_editor(actor)
    row = _lock_undecided(row)
    if not cases_visible_to(actor).filter(pk=case.pk).exists() or not case_in_own_scope(actor, case):
        # Break glass lets a user read a case, never add to it.
        raise DecisionError("You cannot add to this case: contact the team that holds it.")
    if not case.is_open:
        raise DecisionError(f"Case {case.reference} is closed: reopen it first, or safeguard to open a new case.")
    return _link_row_to_case(
        actor=actor,
        row=row,
        case=case,
        state=RowState.ALREADY_KNOWN,
        summary=f"Custody review: already known, case {case.reference}",
        request=request,
    )


@transaction.atomic
def custody_row_not_at_risk(
    *, actor: User, row: CustodyImportRow, reason: str, request: HttpRequest | None = None
) -> CustodyImportRow:
    require_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason this young person is not at risk"})
    row = _lock_undecided(row)
    _decide(row=row, actor=actor, state=RowState.NOT_AT_RISK, reason=reason)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=row,
        summary="Custody review: not at risk",
        justification=reason,
        detail={"decision": RowState.NOT_AT_RISK},
    )
    return row
