"""The 48-hour clock in a real browser: an officer records a release on the custody
event form, sees the clock running on the case, works through the
team clocks page (overdue in red), marks an item done; axe checks every page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from custody.clock.selectors import countdown_text
from custody.models import Checklist, ItemStatus
from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.custody.clock.helpers import make_case

pytestmark = pytest.mark.browser


def local(dt) -> str:
    """What a datetime-local input holds: UK wall-clock time."""
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def countdowns_between(due: datetime, start: datetime, end: datetime) -> set[str]:
    """Every text the countdown to `due` shows at some moment from `start` to `end`."""
    texts = {countdown_text(due, end)}
    moment = start
    while moment < end:  # the minutes left go down by one a minute: one sample per minute
        texts.add(countdown_text(due, moment))
        moment += timedelta(minutes=1)
    return texts


def test_officer_records_a_release_and_sees_the_running_clock(page: Page, personas):
    case = make_case(owner=personas.officer_a)
    now = timezone.now().replace(second=0, microsecond=0)
    released = now - timedelta(minutes=30)

    sign_in(page, personas.officer_a)
    visit(page, reverse("custody:event_create", args=[case.pk]))
    page.get_by_label("Custody number").fill("WS/04321/25")
    page.get_by_label("Arrest time").fill(local(now - timedelta(hours=7)))
    page.get_by_label("Outcome").select_option("rui")
    page.get_by_label("Release time").fill(local(released))
    page.get_by_role("button", name="Record custody event").click()
    expect(page.get_by_text("Custody event recorded.")).to_be_visible()
    assert_accessible(page)

    checklist = Checklist.objects.get(case=case)
    assert checklist.started_at == released

    # The case page: the clock is running, the countdown ticks (JavaScript keeps the server's text current).
    opened = timezone.now()
    visit(page, reverse("cases:case_detail", args=[case.pk]))
    running = page.locator("#clock-running")
    expect(running).to_contain_text("Clock running")
    first_countdown = page.locator("[data-countdown-due]").first
    expect(first_countdown).to_have_text(re.compile(r"^\d+ h \d{2} min left$"))
    shown = first_countdown.text_content()
    read = timezone.now()
    # The right countdown: to the first item due, four hours after the release.
    due = datetime.fromisoformat(first_countdown.get_attribute("data-countdown-due"))
    first_due = checklist.items.filter(status=ItemStatus.PENDING).order_by("due_at").first().due_at
    assert due == first_due == released + timedelta(hours=4)
    # The right time left: what the page said at some moment between asking for it and reading
    # it (server render or a JavaScript tick), whatever minute boundaries passed meanwhile.
    assert shown in countdowns_between(due, opened, read), (shown, opened, read)

    # One item has slipped past its deadline: the team clocks page shows it in red.
    slipped = checklist.items.filter(status=ItemStatus.PENDING).order_by("position").first()
    slipped.due_at = now - timedelta(minutes=15)
    slipped.save(update_fields=["due_at"])
    opened = timezone.now()
    page.get_by_role("link", name="Clocks", exact=True).click()
    expect(page).to_have_url(re.compile(r"/custody/clocks/$"))
    assert_accessible(page)
    overdue = page.locator("#overdue")
    expect(overdue.locator(".govuk-tag--red").first).to_have_text("Overdue")
    expect(overdue).to_contain_text(slipped.title)
    late = overdue.locator("[data-countdown-due]").first
    expect(late).to_have_text(re.compile(r"^overdue by \d+ min$"))
    shown = late.text_content()
    read = timezone.now()
    assert datetime.fromisoformat(late.get_attribute("data-countdown-due")) == slipped.due_at
    assert shown in countdowns_between(slipped.due_at, opened, read), (shown, opened, read)
    expect(page.locator("#due-soon")).to_contain_text(case.reference)

    # Open the overdue item's checklist and mark the item done with a note.
    overdue.get_by_role("link", name=slipped.title).click()
    assert_accessible(page)
    page.locator(f"#item-{slipped.pk}").get_by_role("link", name=f"Done – {slipped.title}").click()
    assert_accessible(page)
    page.get_by_label("What was done (optional)").fill("Called the duty social worker.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text(f"Done: {slipped.title}")).to_be_visible()
    assert_accessible(page)
    expect(page.locator(f"#item-{slipped.pk}")).to_contain_text("Done by Alice Officer")
    slipped.refresh_from_db()
    assert slipped.status == ItemStatus.DONE
