"""The morning custody review in a real browser: an officer uploads the overnight list
(after a file with a missing column is refused), reads the import summary with its
per-line problems, works the review queue, records one person as not at risk and
safeguards a 16-year-old, landing on the newly opened case with its custody event.
axe-core checks every page (zero violations)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cases.models import Case
from custody.models import CustodyEvent, CustodyImportRow, RowState
from tests.browser.helpers import assert_accessible, sign_in
from tests.factories.custody import adult_row, arrest_time, born_aged, custody_csv, person_row, uk

pytestmark = pytest.mark.browser


def csv_file(content: bytes, name: str = "custody-list.csv") -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def test_morning_review_from_upload_to_an_opened_case(page: Page, personas):
    arrested = arrest_time(days_ago=1, hour=22, minute=40)
    overnight = custody_csv(
        [
            person_row(
                arrest_datetime=uk(arrested),
                release_datetime=uk(arrested + timedelta(hours=9)),
                outcome="Released under investigation",
            ),
            person_row(
                custody_number="WS/00102/25",
                surname="Examplar",
                forenames="Reece",
                date_of_birth=born_aged(21).strftime("%d/%m/%Y"),
                home_force_or_local_authority="Lambeth",
                offences="Theft from a shop",
            ),
            adult_row(),
            adult_row(number="WS/00901/25", arrest_datetime="32/13/2025 25:99"),
        ],
        bom=True,
    )
    sign_in(page, personas.officer_a)

    # The home panel says what is left; the navigation leads to the review.
    expect(page.get_by_role("heading", name="Today's custody review")).to_be_visible()
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Custody review").click()
    expect(page.get_by_role("heading", level=1, name="Custody review")).to_be_visible()
    assert_accessible(page)

    # A file without the required columns is refused, naming them and the file chosen.
    page.get_by_role("button", name="Upload a custody list").click()
    assert_accessible(page)
    page.get_by_label("Custody list (CSV file)").set_input_files(
        csv_file(b"custody_number,surname\r\nWS/1,Testwood\r\n", name="wrong.csv")
    )
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "missing required columns: forenames, date_of_birth, arrest_datetime"
    )
    expect(page.locator("#chosen-file")).to_contain_text("wrong.csv")
    assert_accessible(page)

    # The overnight list imports: good rows in, the bad line reported with its value.
    page.get_by_label("Custody list (CSV file)").set_input_files(csv_file(overnight))
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.get_by_role("heading", level=1, name="custody-list.csv")).to_be_visible()
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("Rows in the file")
    expect(summary).to_contain_text("Flagged for review")
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("32/13/2025 25:99")
    expect(problems).to_contain_text("is not a real date and time")
    assert_accessible(page)

    # The queue, highest score first, with the reasons as tags.
    page.get_by_role("link", name="go to the review queue").click()
    expect(page.locator("#left-today")).to_contain_text("2 people left to review")
    queue = page.locator(".app-custody-queue tbody tr")
    expect(queue.first).to_contain_text("Jaylen Testwood")
    expect(queue.first).to_contain_text("(juvenile under PACE)")
    expect(queue.first).to_contain_text("Home force North Yorkshire Police")
    expect(queue.first).to_contain_text("PWITS Class A")
    assert_accessible(page)

    # Reece (21, from Lambeth, shoplifting) is judged not at risk, with a reason.
    page.get_by_role("link", name=re.compile(r"Review Reece Examplar")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Not at risk").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record as not at risk").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason this young person is not at risk")
    assert_accessible(page)
    page.get_by_label("Why is this young person not at risk?").fill(
        "Adult, shoplifting only; no markers of exploitation."
    )
    page.get_by_role("button", name="Record as not at risk").click()
    expect(page.locator("#left-today")).to_contain_text("1 person left to review; 1 decided today")
    assert_accessible(page)

    # Jaylen (16, out of area, PWITS Class A) is safeguarded: a case is opened.
    page.get_by_role("link", name=re.compile(r"Review Jaylen Testwood")).click()
    expect(page.locator("#row-summary")).to_contain_text("WS/00101/25")
    assert_accessible(page)
    page.get_by_role("button", name="Safeguard").click()
    assert_accessible(page)
    page.get_by_label("None of these: create a new record from the custody row").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("County lines").check()
    page.get_by_role("button", name="Open case and record custody").click()
    expect(page.get_by_text(re.compile(r"Case SG\d{6} opened for Jaylen Testwood"))).to_be_visible()
    expect(page.locator("#case-custody-events")).to_contain_text("WS/00101/25")
    expect(page.locator("#case-custody-events")).to_contain_text("Released under investigation")
    assert_accessible(page)

    case = Case.objects.get()
    assert (case.owner, case.team, case.risk_level) == (personas.officer_a, personas.team_a, "high")
    event = CustodyEvent.objects.get()
    assert (event.case, event.custody_number, event.outcome) == (case, "WS/00101/25", "rui")
    assert CustodyImportRow.objects.get(custody_number="WS/00101/25").state == RowState.SAFEGUARDED

    # The custody event page, and nothing left in the queue.
    page.locator("#case-custody-events").get_by_role("link").first.click()
    expect(page.locator("#event-summary")).to_contain_text("Westshire Central")
    assert_accessible(page)
    page.goto(reverse("custody:review"))
    expect(page.locator("#left-today")).to_contain_text("Nothing left to review; 2 decided today")
    assert_accessible(page)
