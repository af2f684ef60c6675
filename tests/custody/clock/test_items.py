"""Resolving checklist items: done (who, when, note), not applicable (reason required),
reassignment by a supervisor, compliance for late work, the chronology."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases import chronology
from cases.signals import case_reassigned
from custody.clock import services
from custody.models import Checklist, ComplianceRecord, ItemStatus
from safeguarding.audit.models import AuditEvent
from tests.custody.clock.helpers import make_case, start_checklist

pytestmark = pytest.mark.django_db

RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def checklist(personas):
    case = make_case(owner=personas.officer_a)
    return start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)


def test_done_records_who_when_and_the_note_and_is_audited(personas, checklist):
    item = checklist.items.get(position=2)
    with time_machine.travel(RELEASED + timedelta(hours=1), tick=False):
        services.item_mark_done(actor=personas.officer_a2, item=item, note="Going to grandmother's; plan agreed.")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.resolved_by == personas.officer_a2
    assert item.resolved_at == RELEASED + timedelta(hours=1)
    assert item.note == "Going to grandmother's; plan agreed."
    assert not ComplianceRecord.objects.filter(item=item).exists()
    assert AuditEvent.objects.filter(
        action="update", object_type="custody.checklistitem", object_id=str(item.pk)
    ).exists()


def test_an_item_cannot_be_resolved_twice(personas, checklist):
    item = checklist.items.get(position=1)
    services.item_mark_done(actor=personas.officer_a, item=item)
    with pytest.raises(services.ChecklistError):
        services.item_mark_done(actor=personas.officer_a, item=item)
    with pytest.raises(services.ChecklistError):
        services.item_mark_not_applicable(actor=personas.officer_a, item=item, reason="x")


def test_not_applicable_needs_a_reason(personas, checklist):
    item = checklist.items.get(position=5)
    with pytest.raises(ValidationError):
        services.item_mark_not_applicable(actor=personas.officer_a, item=item, reason="   ")
    services.item_mark_not_applicable(
        actor=personas.officer_a, item=item, reason="Open to children's services already."
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_APPLICABLE
    assert item.not_applicable_reason == "Open to children's services already."
    assert item.resolved_by == personas.officer_a


def test_the_force_lead_reads_but_cannot_resolve(personas, checklist):
    with pytest.raises(PermissionDenied):
        services.item_mark_done(actor=personas.force_lead, item=checklist.items.get(position=1))


def test_done_exactly_at_the_due_time_is_on_time(personas, checklist):
    item = checklist.items.get(position=1)
    with time_machine.travel(item.due_at, tick=False):
        services.item_mark_done(actor=personas.officer_a, item=item)
    assert not ComplianceRecord.objects.filter(item=item).exists()


def test_done_after_the_due_time_is_a_compliance_record_with_the_time_of_the_work(personas, checklist):
    item = checklist.items.get(position=1)
    done_at = item.due_at + timedelta(minutes=1)
    with time_machine.travel(done_at, tick=False):
        services.item_mark_done(actor=personas.officer_a, item=item)
    record = ComplianceRecord.objects.get(item=item)
    assert record.due_at == item.due_at
    assert record.resolved_at == done_at
    assert record.resolution == ItemStatus.DONE
    assert record.lateness == timedelta(minutes=1)


def test_the_checklist_completes_when_no_item_is_left_open(personas, checklist):
    for item in checklist.items.filter(status=ItemStatus.PENDING):
        services.item_mark_done(actor=personas.officer_a, item=item)
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.COMPLETE
    assert checklist.completed_at is not None


def test_a_supervisor_reassigns_an_open_item_within_the_team(personas, checklist):
    item = checklist.items.get(position=3)
    services.item_reassign(actor=personas.supervisor, item=item, owner=personas.officer_a2, reason="Alice on leave")
    item.refresh_from_db()
    assert item.owner == personas.officer_a2
    assert AuditEvent.objects.filter(
        object_type="custody.checklistitem", object_id=str(item.pk), detail__to_owner=personas.officer_a2.pk
    ).exists()


def test_only_a_supervisor_of_the_team_reassigns_and_only_to_the_team(personas, checklist):
    item = checklist.items.get(position=3)
    with pytest.raises(PermissionDenied):
        services.item_reassign(actor=personas.officer_a, item=item, owner=personas.officer_a2)
    with pytest.raises(ValidationError):
        services.item_reassign(actor=personas.supervisor, item=item, owner=personas.officer_b)
    done = checklist.items.get(position=1)
    services.item_mark_done(actor=personas.officer_a, item=done)
    with pytest.raises(services.ChecklistError):
        services.item_reassign(actor=personas.supervisor, item=done, owner=personas.officer_a2)


def test_open_items_follow_the_case_to_its_new_owner(personas, checklist):
    case = checklist.case
    case_reassigned.send(
        sender=type(case),
        case=case,
        from_owner=personas.officer_a,
        to_owner=personas.officer_a2,
        actor=personas.supervisor,
    )
    pending = checklist.items.filter(status=ItemStatus.PENDING)
    owners = {i.template_item.code: i.owner_id for i in pending.select_related("template_item")}
    assert owners.pop("supervisor_review") == personas.supervisor.pk
    assert set(owners.values()) == {personas.officer_a2.pk}


def test_done_items_appear_in_the_chronology(personas, checklist):
    item = checklist.items.get(position=2)
    services.item_mark_done(actor=personas.officer_a, item=item, note="Plan agreed with mum.")
    person = checklist.case.person
    timeline = chronology.chronology_for(person=person, user=personas.officer_a, types=["checklist"])
    titles = [e.title for e in timeline.entries]
    assert f"Checklist: {item.title}" in titles
    assert "48-hour safeguarding clock started" in titles
    assert not chronology.chronology_for(person=person, user=personas.officer_b, types=["checklist"]).entries
