"""The clock's pages: who may use them, what they show (without JavaScript), and the item forms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from custody.models import Checklist, ItemStatus
from safeguarding.audit.models import AuditEvent
from tests.custody.clock.helpers import make_case, make_event, start_checklist

pytestmark = pytest.mark.django_db

READERS = ["officer_a", "supervisor", "force_lead"]
REFUSED = ["partner", "admin"]


@pytest.fixture
def checklist(personas):
    case = make_case(owner=personas.officer_a)
    return start_checklist(
        case=case, by=personas.officer_a, released_at=timezone.now() - timedelta(hours=3, minutes=30)
    )


def item_url(name, item):
    return reverse(f"custody:checklist_item_{name}", args=[item.pk])


# --- Roles ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_readers_in_scope_see_the_checklist_and_the_case_clock(personas, checklist, persona):
    client = personas.client(persona)
    assert client.get(reverse("custody:checklist_detail", args=[checklist.pk])).status_code == 200
    assert client.get(reverse("custody:case_clock", args=[checklist.case_id])).status_code == 200
    assert client.get(reverse("custody:clocks")).status_code == 200


def test_an_officer_of_another_team_gets_404_for_everything(personas, checklist):
    client = personas.client("officer_b")
    item = checklist.items.filter(status=ItemStatus.PENDING).first()
    assert client.get(reverse("custody:checklist_detail", args=[checklist.pk])).status_code == 404
    assert client.get(reverse("custody:case_clock", args=[checklist.case_id])).status_code == 404
    assert client.get(item_url("done", item)).status_code == 404
    assert client.post(item_url("done", item), {"note": "x"}).status_code == 404
    assert client.post(item_url("not_applicable", item), {"reason": "x"}).status_code == 404
    item.refresh_from_db()
    assert item.is_pending
    assert AuditEvent.objects.filter(action="access_denied", object_type="custody.checklistitem").exists()
    # Their clocks page lists nothing of team A.
    page = client.get(reverse("custody:clocks")).content.decode()
    assert checklist.case.reference not in page


def test_the_force_lead_reads_but_cannot_change(personas, checklist):
    client = personas.client("force_lead")
    item = checklist.items.filter(status=ItemStatus.PENDING).first()
    page = client.get(reverse("custody:checklist_detail", args=[checklist.pk])).content.decode()
    assert item_url("done", item) not in page
    assert client.post(item_url("done", item), {"note": "x"}).status_code == 403
    assert client.post(item_url("not_applicable", item), {"reason": "x"}).status_code == 403
    assert client.post(item_url("reassign", item), {"owner": personas.officer_a2.pk}).status_code == 403
    item.refresh_from_db()
    assert item.is_pending


@pytest.mark.parametrize("persona", REFUSED)
def test_partner_and_admin_are_refused(personas, checklist, persona):
    client = personas.client(persona)
    item = checklist.items.filter(status=ItemStatus.PENDING).first()
    assert client.get(reverse("custody:clocks")).status_code == 403
    assert client.get(reverse("custody:checklist_detail", args=[checklist.pk])).status_code == 403
    assert client.post(item_url("done", item), {"note": "x"}).status_code == 403


def test_only_a_supervisor_reassigns(personas, checklist):
    item = checklist.items.filter(status=ItemStatus.PENDING).first()
    assert (
        personas.client("officer_a").post(item_url("reassign", item), {"owner": personas.officer_a2.pk}).status_code
        == 403
    )
    response = personas.client("supervisor").post(item_url("reassign", item), {"owner": personas.officer_a2.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner == personas.officer_a2


# --- Forms ---------------------------------------------------------------------------


def test_an_officer_marks_an_item_done_with_a_note(personas, checklist):
    item = checklist.items.filter(status=ItemStatus.PENDING).first()
    client = personas.client("officer_a")
    assert client.get(item_url("done", item)).status_code == 200
    response = client.post(item_url("done", item), {"note": "Spoke to the duty social worker."})
    assert response.status_code == 302
    assert response["Location"] == reverse("custody:checklist_detail", args=[checklist.pk])
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.resolved_by == personas.officer_a
    assert item.note == "Spoke to the duty social worker."
    page = client.get(response["Location"]).content.decode()
    assert "Done by Alice Officer" in page


def test_not_applicable_without_a_reason_is_refused_with_an_error_summary(personas, checklist):
    item = checklist.items.filter(status=ItemStatus.PENDING).first()
    client = personas.client("supervisor")
    response = client.post(item_url("not_applicable", item), {"reason": "  "})
    assert response.status_code == 400
    assert "Give the reason this item does not apply" in response.content.decode()
    item.refresh_from_db()
    assert item.is_pending
    assert client.post(item_url("not_applicable", item), {"reason": "Already open to the MASH."}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_APPLICABLE


def test_a_resolved_item_sends_the_user_back_to_the_checklist(personas, checklist):
    item = checklist.items.filter(status=ItemStatus.NOT_APPLICABLE).first()
    response = personas.client("officer_a").get(item_url("done", item))
    assert response.status_code == 302


# --- What the pages show -------------------------------------------------------------


def test_the_clocks_page_shows_overdue_in_red_and_due_soon_without_javascript(
    personas, checklist, django_assert_max_num_queries
):
    # Released 3 h 30 ago: the 4-hour items are due soon. Make one overdue.
    overdue = checklist.items.get(position=1)
    overdue.due_at = timezone.now() - timedelta(minutes=20)
    overdue.save(update_fields=["due_at"])
    for n in range(3):  # more checklists must not mean more queries
        start_checklist(case=make_case(owner=personas.officer_a, given=f"Extra{n}"), by=personas.officer_a)
    client = personas.client("officer_a")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("custody:clocks"))
    page = response.content.decode()
    overdue_section = page[page.index('id="overdue"') : page.index('id="due-soon"')]
    assert "govuk-tag--red" in overdue_section
    assert escape(overdue.title) in overdue_section
    assert "overdue by 20 min" in overdue_section or "overdue by 19 min" in overdue_section
    due_soon_section = page[page.index('id="due-soon"') :]
    assert "govuk-tag--yellow" in due_soon_section
    assert "min left" in due_soon_section
    assert 'data-countdown-due="' in page
    assert AuditEvent.objects.filter(
        action="list", object_type="custody.checklistitem", actor_id=personas.officer_a.pk
    ).exists()


def test_the_supervisor_clocks_page_can_pick_a_team(personas, checklist):
    response = personas.client("force_lead").get(reverse("custody:clocks"), {"team": personas.team_a.pk})
    assert response.status_code == 200
    assert checklist.case.reference in response.content.decode()
    response = personas.client("force_lead").get(reverse("custody:clocks"), {"team": personas.team_b.pk})
    assert checklist.case.reference not in response.content.decode()


def test_the_case_page_shows_the_running_clock(personas, checklist):
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[checklist.case_id])).content.decode()
    assert "48-hour safeguarding clock" in page
    assert 'id="clock-running"' in page
    assert "min left" in page
    assert reverse("custody:checklist_detail", args=[checklist.pk]) in page


def test_a_remanded_young_person_shows_clock_not_started(personas):
    case = make_case(owner=personas.officer_a)
    make_event(
        case=case,
        by=personas.officer_a,
        arrested_at=timezone.now() - timedelta(hours=8),
        released_at=None,
        outcome="remanded",
    )
    page = personas.client("officer_a").get(reverse("custody:case_clock", args=[case.pk])).content.decode()
    assert "Clock not started." in page
    assert "Remanded" in page
    case_page = personas.client("officer_a").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'id="clock-not-started"' in case_page


def test_home_panels_show_items_due_soon_and_overdue(personas, checklist):
    officer_home = personas.client("officer_a").get(reverse("core:home")).content.decode()
    assert "Your 48-hour checklist items" in officer_home
    assert escape(checklist.items.get(position=1).title) in officer_home
    supervisor_home = personas.client("supervisor").get(reverse("core:home")).content.decode()
    assert "48-hour clocks in your teams" in supervisor_home
    assert checklist.case.reference in supervisor_home
    other_home = personas.client("officer_b").get(reverse("core:home")).content.decode()
    assert checklist.case.reference not in other_home


def test_the_navigation_has_clocks_for_police_roles_only(personas):
    assert ">Clocks<" in personas.client("officer_a").get(reverse("core:home")).content.decode()
    assert ">Clocks<" not in personas.client("partner").get(reverse("core:home")).content.decode()


def test_the_running_clock_comes_right_after_the_case_summary(personas, checklist):
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[checklist.case_id])).content.decode()
    clock = page.index('id="section-clock"')
    assert page.index("Changes to this case") < clock < page.index(">Tasks</h2>")
    assert clock < page.index('id="section-custody_events"')


def test_an_ended_clock_goes_back_among_the_other_records(personas, checklist):
    Checklist.objects.filter(pk=checklist.pk).update(status=Checklist.Status.COMPLETE, completed_at=timezone.now())
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[checklist.case_id])).content.decode()
    assert page.index(">Tasks</h2>") < page.index('id="section-custody_events"') < page.index('id="section-clock"')
