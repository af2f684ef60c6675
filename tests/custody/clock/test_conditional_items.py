"""Items that depend on the young person (looked-after; out of area) follow an edit of
the person while the checklist runs (cases.signals.person_updated)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cases import services as case_services
from cases.models import LookedAfterStatus
from custody.clock import services
from custody.models import Checklist, ItemStatus
from safeguarding.audit.models import AuditEvent
from tests.custody.clock.helpers import make_case, start_checklist

pytestmark = pytest.mark.django_db

RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def _edit(personas, person, **data):
    person.refresh_from_db()
    return case_services.person_update(
        actor=personas.officer_a, person=person, data=data, expected_version=person.version
    )


def _item(checklist, code):
    return checklist.items.get(template_item__code=code)


def test_a_child_found_to_be_looked_after_gets_the_philomena_item_back_with_its_due_time(personas):
    case = make_case(owner=personas.officer_a)
    with time_machine.travel(RELEASED + timedelta(hours=2), tick=False):
        checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
        assert _item(checklist, "philomena_profile").status == ItemStatus.NOT_APPLICABLE
        _edit(personas, case.person, looked_after_status=LookedAfterStatus.CARE_ORDER)
    item = _item(checklist, "philomena_profile")
    assert item.status == ItemStatus.PENDING
    assert item.due_at == RELEASED + timedelta(hours=24)
    assert item.resolved_at is None and item.not_applicable_reason == ""
    assert _item(checklist, "home_area_handover").status == ItemStatus.NOT_APPLICABLE
    assert AuditEvent.objects.filter(object_type="custody.checklistitem", object_id=str(item.pk)).exists()


def test_a_young_person_found_to_be_from_out_of_area_gets_the_handover_item_back(personas):
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    _edit(personas, case.person, home_police_force="Merseyside Police")
    item = _item(checklist, "home_area_handover")
    assert item.status == ItemStatus.PENDING
    assert item.due_at == RELEASED + timedelta(hours=48)


def test_a_pending_conditional_item_whose_condition_becomes_false_no_longer_applies(personas):
    case = make_case(owner=personas.officer_a, looked_after=True, out_of_area=True)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    handover = _item(checklist, "home_area_handover")
    services.item_mark_done(actor=personas.officer_a, item=handover, note="Handed over to Merseyside.")
    _edit(personas, case.person, looked_after_status=LookedAfterStatus.NO, home_police_force="")
    philomena = _item(checklist, "philomena_profile")
    assert philomena.status == ItemStatus.NOT_APPLICABLE
    assert philomena.not_applicable_reason == philomena.template_item.not_applicable_reason
    assert philomena.resolved_by is None
    assert _item(checklist, "home_area_handover").status == ItemStatus.DONE


def test_an_item_a_person_marked_not_applicable_stays_so(personas):
    case = make_case(owner=personas.officer_a, looked_after=True)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    philomena = _item(checklist, "philomena_profile")
    services.item_mark_not_applicable(actor=personas.officer_a, item=philomena, reason="Profile held by Lancashire.")
    _edit(personas, case.person, looked_after_status=LookedAfterStatus.NO)
    _edit(personas, case.person, looked_after_status=LookedAfterStatus.SECTION_20)
    philomena.refresh_from_db()
    assert philomena.status == ItemStatus.NOT_APPLICABLE
    assert philomena.not_applicable_reason == "Profile held by Lancashire."


def test_an_ended_checklist_is_not_changed(personas):
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    Checklist.objects.filter(pk=checklist.pk).update(status=Checklist.Status.COMPLETE, completed_at=RELEASED)
    _edit(personas, case.person, looked_after_status=LookedAfterStatus.CARE_ORDER)
    assert _item(checklist, "philomena_profile").status == ItemStatus.NOT_APPLICABLE


def test_an_edit_that_leaves_the_conditions_alone_changes_no_item(personas):
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    before = {i.pk: (i.status, i.version) for i in checklist.items.all()}
    _edit(personas, case.person, nationality="Irish")
    assert {i.pk: (i.status, i.version) for i in checklist.items.all()} == before
