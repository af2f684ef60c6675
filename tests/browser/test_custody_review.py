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

    # A file without the needed columns is not imported: the uploader is asked which column
    # holds what, and cannot go on without them.
    page.get_by_role("button", name="Upload a custody list").click()
    assert_accessible(page)
    page.get_by_label("Custody list (CSV file)").set_input_files(
        csv_file(b"custody_number,surname\r\nWS/1,Testwood\r\n", name="wrong.csv")
    )
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.get_by_role("heading", level=1, name="Match the columns of the list")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import with these columns").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Choose the column that holds the forenames and the date of birth and the date and time of arrest"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Back to the upload").click()
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
    expect(page.locator("#clock-start")).to_contain_text("The 48-hour checklist starts now")
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


def tab_to(page: Page, description: str, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes `test` (a JavaScript predicate on it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({test})(el); }}"):
            return
    raise AssertionError(f"Tab never reached {description}")


def test_a_list_from_another_custody_system_is_matched_and_reviewed_with_the_keyboard_only(page: Page, personas):
    arrested = arrest_time(days_ago=1, hour=22, minute=40)
    other_system = (
        "Ref,Family Name,Given Names,Born,Nicked,Date/Time Released,Force/LA of residence,Disposal,Offence(s)\r\n"
        f"WS/7/25,Testwood,Jaylen,{born_aged(16):%d/%m/%Y},{uk(arrested)},,Leeds,Charged and remanded,"
        "Being concerned in the supply of heroin\r\n"
        f"WS/8/25,Adultson,Sam,{born_aged(40):%d/%m/%Y},{uk(arrested)},,Westshire,Released - NFA,Theft\r\n"
        f"WS/9/25,Otherly,Kai,{born_aged(15):%d/%m/%Y},{uk(arrested)},,Westshire,Bailed to return,Theft\r\n"
    ).encode()
    sign_in(page, personas.officer_a)
    page.goto(reverse("custody:import_upload"))
    assert_accessible(page)
    page.get_by_label("Custody list (CSV file)").set_input_files(csv_file(other_system, name="other.csv"))
    tab_to(page, "the upload button", "el => el.textContent.trim() === 'Upload and screen'")
    page.keyboard.press("Enter")

    # The column-matching step: the file's headings beside the fields, with examples.
    expect(page.get_by_role("heading", level=1, name="Match the columns of the list")).to_be_visible()
    expect(page.locator(".app-column-mapping")).to_contain_text("WS/7/25")
    assert_accessible(page)
    tab_to(page, "the choice for Ref", "el => el.id === 'id_column_0'")
    page.keyboard.press("c")  # "Custody number" (select options answer typed letters)
    expect(page.locator("#id_column_0")).to_have_value("custody_number")
    tab_to(page, "the choice for Nicked", "el => el.id === 'id_column_4'")
    for _ in range(20):
        page.keyboard.press("ArrowDown")
        if page.locator("#id_column_4").input_value() == "arrest_datetime":
            break
    expect(page.locator("#id_column_4")).to_have_value("arrest_datetime")
    tab_to(page, "the import button", "el => el.textContent.trim() === 'Import with these columns'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="other.csv")).to_be_visible()
    assert_accessible(page)

    # The queue: offence, markers, remanded; two rows recorded not at risk in one go.
    page.goto(reverse("custody:review"))
    queue = page.locator(".app-custody-queue tbody tr")
    expect(queue.first).to_contain_text("Being concerned in the supply of heroin")
    expect(queue.first).to_contain_text("Supplying Class A")
    expect(queue.first).to_contain_text("Remanded")
    assert_accessible(page)
    kai = CustodyImportRow.objects.get(custody_number="WS/9/25")
    tab_to(page, "Kai's checkbox", f"el => el.id === 'select-{kai.pk}'")
    page.keyboard.press("Space")
    tab_to(page, "Not at risk", "el => el.id === 'bulk-not-at-risk'")
    page.keyboard.press("Space")
    tab_to(page, "the reason", "el => el.id === 'bulk-reason'")
    page.keyboard.type("Known to the local youth team; theft only.")
    tab_to(page, "the bulk button", "el => el.textContent.trim() === 'Record for the selected rows'")
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 row recorded as not at risk.")).to_be_visible()
    assert_accessible(page)
    assert CustodyImportRow.objects.get(pk=kai.pk).state == RowState.NOT_AT_RISK

    # A row and its decision, by the keyboard.
    tab_to(page, "Jaylen's review link", "el => el.textContent.includes('Review') && el.textContent.includes('Jaylen')")
    page.keyboard.press("Enter")
    expect(page.locator("#row-summary")).to_contain_text("WS/7/25")
    assert_accessible(page)
    tab_to(page, "Safeguard", "el => el.textContent.trim() === 'Safeguard'")
    page.keyboard.press("Enter")
    expect(page.locator("#clock-start")).to_contain_text("Remanded")
    assert_accessible(page)
    tab_to(page, "the first risk level", "el => el.name === 'risk_level'")
    tab_to(page, "the submit button", "el => el.textContent.trim() === 'Open case and record custody'")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Case SG\d{6} opened for Jaylen Testwood"))).to_be_visible()
    assert_accessible(page)
    assert Case.objects.count() == 1
