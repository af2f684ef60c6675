"""Starting the 48-hour checklist: version, due times, owners, conditional items,
remand ("clock not started"), identification after release, re-arrest."""

from datetime import UTC, datetime, timedelta

import pytest

from custody.clock import selectors, services
from custody.models import Checklist, ChecklistTemplate, ItemStatus
from safeguarding.audit.models import AuditEvent
from tests.custody.clock.helpers import make_case, make_event, start_checklist

pytestmark = pytest.mark.django_db

RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def _offsets(checklist):
    return [(i.position, i.due_at - checklist.started_at) for i in checklist.items.order_by("position")]


def test_release_starts_the_active_version_with_due_times_from_release(personas):
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)

    assert checklist.template == ChecklistTemplate.objects.get(is_active=True)
    assert checklist.template.version == 1
    assert checklist.started_at == RELEASED
    assert checklist.start_basis == Checklist.StartBasis.RELEASE
    hours = [offset / timedelta(hours=1) for _, offset in _offsets(checklist)]
    assert hours == [4, 4, 4, 24, 24, 24, 24, 48, 48, 48, 48, 48]
    assert AuditEvent.objects.filter(
        action="create", object_type="custody.checklist", object_id=str(checklist.pk)
    ).exists()


def test_items_belong_to_the_case_owner_and_the_review_to_the_supervisor(personas):
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    owners = {i.template_item.code: i.owner for i in checklist.items.select_related("template_item", "owner")}
    assert owners.pop("supervisor_review") == personas.supervisor
    assert set(owners.values()) == {personas.officer_a}


def test_supervisor_review_falls_back_to_the_case_owner_when_the_team_has_no_supervisor(personas):
    case = make_case(owner=personas.officer_b)
    checklist = start_checklist(case=case, by=personas.officer_b, released_at=RELEASED)
    assert checklist.items.get(template_item__code="supervisor_review").owner == personas.officer_b


def test_conditional_items_start_not_applicable_with_the_reason_when_the_condition_is_false(personas):
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    philomena = checklist.items.get(template_item__code="philomena_profile")
    handover = checklist.items.get(template_item__code="home_area_handover")
    for item in (philomena, handover):
        assert item.status == ItemStatus.NOT_APPLICABLE
        assert item.resolved_at is not None
        assert item.not_applicable_reason
    assert "looked-after" in philomena.not_applicable_reason
    assert checklist.items.filter(status=ItemStatus.PENDING).count() == 10


def test_conditional_items_are_pending_for_a_looked_after_child_from_out_of_area(personas):
    case = make_case(owner=personas.officer_a, looked_after=True, out_of_area=True)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    assert checklist.items.filter(status=ItemStatus.PENDING).count() == 12


def test_a_running_checklist_keeps_its_version_when_a_new_one_is_activated(personas):
    case = make_case(owner=personas.officer_a)
    first = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)

    v2 = services.template_new_version(actor=personas.admin, source=first.template)
    v2.items.filter(code="release_safety_plan").update(due_offset_minutes=2 * 60)
    services.template_activate(actor=personas.admin, template=v2)

    first.refresh_from_db()
    assert first.template.version == 1
    assert first.items.get(template_item__code="release_safety_plan").due_at == RELEASED + timedelta(hours=4)

    other = make_case(owner=personas.officer_a, given="Other")
    second = start_checklist(case=other, by=personas.officer_a, released_at=RELEASED)
    assert second.template == v2
    assert second.items.get(template_item__code="release_safety_plan").due_at == RELEASED + timedelta(hours=2)
    assert list(ChecklistTemplate.objects.filter(is_active=True)) == [v2]


def test_remand_means_clock_not_started_until_a_release_is_recorded(personas):
    case = make_case(owner=personas.officer_a)
    event = make_event(
        case=case,
        by=personas.officer_a,
        arrested_at=RELEASED - timedelta(hours=20),
        released_at=None,
        outcome="remanded",
    )
    assert services.checklist_follow_release(actor=personas.officer_a, event=event) is None
    clock = selectors.case_clock(case)
    assert clock["running"] is None
    assert clock["waiting"] == [event]

    event.released_at = RELEASED
    event.save(update_fields=["released_at"])
    checklist = services.checklist_follow_release(actor=personas.officer_a, event=event)
    assert checklist.started_at == RELEASED
    assert selectors.case_clock(case)["running"] == checklist


def test_starting_twice_for_the_same_event_returns_the_same_checklist(personas):
    case = make_case(owner=personas.officer_a)
    event = make_event(
        case=case, by=personas.officer_a, arrested_at=RELEASED - timedelta(hours=3), released_at=RELEASED
    )
    first = services.checklist_follow_release(actor=personas.officer_a, event=event)
    again = services.checklist_follow_release(actor=personas.officer_a, event=event)
    assert first == again
    assert Checklist.objects.count() == 1


def test_identified_after_release_the_clock_starts_at_identification(personas):
    case = make_case(owner=personas.officer_a)
    identified = RELEASED + timedelta(hours=10)
    event = make_event(
        case=case,
        by=personas.officer_a,
        arrested_at=RELEASED - timedelta(hours=5),
        released_at=RELEASED,
        source="custody_review",
        created_at=identified,
    )
    checklist = services.checklist_follow_release(actor=personas.officer_a, event=event)
    assert checklist.started_at == identified
    assert checklist.start_basis == Checklist.StartBasis.IDENTIFICATION
    assert checklist.items.get(position=1).due_at == identified + timedelta(hours=4)


def test_an_event_entered_by_hand_after_release_still_runs_from_release(personas):
    case = make_case(owner=personas.officer_a)
    event = make_event(
        case=case,
        by=personas.officer_a,
        arrested_at=RELEASED - timedelta(hours=5),
        released_at=RELEASED,
        created_at=RELEASED + timedelta(hours=3),
    )
    checklist = services.checklist_follow_release(actor=personas.officer_a, event=event)
    assert checklist.started_at == RELEASED


def test_a_re_arrest_starts_a_new_checklist_and_supersedes_the_running_one(personas):
    case = make_case(owner=personas.officer_a)
    first = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    done = first.items.get(position=1)
    services.item_mark_done(actor=personas.officer_a, item=done, note="Called the MASH.")

    second = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED + timedelta(hours=20))

    first.refresh_from_db()
    assert first.status == Checklist.Status.SUPERSEDED
    assert first.superseded_by == second
    assert first.completed_at is not None
    assert first.items.get(position=1).status == ItemStatus.DONE
    assert not first.items.filter(status=ItemStatus.PENDING).exists()
    superseded = first.items.get(position=4)
    assert superseded.status == ItemStatus.NOT_APPLICABLE
    assert superseded.not_applicable_reason.startswith("Superseded: re-arrested")
    assert second.is_running
    assert second.items.filter(status=ItemStatus.PENDING).count() == 10
    assert selectors.case_clock(case)["running"] == second


def test_an_older_event_recorded_late_does_not_replace_the_running_checklist(personas):
    case = make_case(owner=personas.officer_a)
    newer = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    older = make_event(
        case=case,
        by=personas.officer_a,
        arrested_at=RELEASED - timedelta(days=3),
        released_at=RELEASED - timedelta(days=2),
        number="C-OLD",
    )
    assert services.checklist_follow_release(actor=personas.officer_a, event=older) is None
    newer.refresh_from_db()
    assert newer.is_running


def test_a_re_arrest_in_custody_shows_clock_not_started_beside_the_running_checklist(personas):
    case = make_case(owner=personas.officer_a)
    running = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    again = make_event(
        case=case,
        by=personas.officer_a,
        arrested_at=RELEASED + timedelta(hours=30),
        released_at=None,
        outcome="remanded",
        number="C-AGAIN",
    )
    clock = selectors.case_clock(case)
    assert clock["running"] == running
    assert clock["waiting"] == [again]


def test_reading_the_active_template_never_creates_one():
    ChecklistTemplate.objects.update(is_active=False)
    with pytest.raises(services.ChecklistError):
        services.active_template()
    assert not ChecklistTemplate.objects.filter(is_active=True).exists()
    assert ChecklistTemplate.objects.count() == 1
