"""Young people and cases in a real browser: an officer adds a young person with a street
name, opens a case, writes a chronology entry, and later finds the young person by a
misspelled street name. axe-core checks every page (zero violations)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, ManualChronologyEntry, YoungPerson
from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.dates import born_years_ago

pytestmark = pytest.mark.browser


def test_officer_creates_a_person_and_case_adds_an_entry_and_finds_them_by_a_misspelled_alias(page: Page, personas):
    sign_in(page, personas.officer_a)

    # Add the young person (the search page links to the form).
    page.get_by_role("navigation", name="Primary navigation").get_by_role("link", name="Find a young person").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a young person").first.click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Rio")
    page.get_by_label("Last name").fill("Browsertest")
    page.get_by_label("Other names, aliases or street names (optional)").fill("Smokey")
    page.get_by_label("Estimated age, if the date of birth is not known").fill("15")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Home local authority").fill("Testshire County Council")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1, name="Rio Browsertest")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Age about 15 (estimated)")).to_be_visible()
    person = YoungPerson.objects.get(family_name="Browsertest")

    # Open a case for them.
    page.get_by_role("link", name="Open a case").first.click()
    assert_accessible(page)
    page.get_by_label("Child criminal exploitation").check()
    page.get_by_label("County lines").check()
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Why this risk level").fill("Found 60 miles from home with two phones and cash.")
    page.get_by_label("Custody review").check()
    page.get_by_role("button", name="Open case").click()
    expect(page.get_by_text(re.compile(r"Case SG\d{6} opened\."))).to_be_visible()
    assert_accessible(page)
    case = Case.objects.get(person=person)
    assert case.owner == personas.officer_a and case.team == personas.team_a

    # Write a chronology entry on the case.
    page.get_by_role("link", name="Add a chronology entry").click()
    assert_accessible(page)
    page.get_by_label("Home visit").check()
    when = timezone.localtime().replace(second=0, microsecond=0)
    page.get_by_label("When it happened").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("What happened").fill("Visited at home with mum; agreed a safety plan for the weekend.")
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("Chronology entry added.")).to_be_visible()
    assert_accessible(page)
    assert ManualChronologyEntry.objects.filter(case=case).count() == 1

    # The person's chronology shows the entry and the case opening (MoJ timeline).
    visit(page, reverse("cases:person_chronology", args=[person.pk]))
    timeline = page.locator(".moj-timeline")
    expect(timeline).to_contain_text("Visited at home with mum; agreed a safety plan for the weekend.")
    expect(timeline).to_contain_text(f"Case {case.reference} opened")
    visit(page, reverse("cases:person_chronology_print", args=[person.pk]))
    expect(page.get_by_text("Visited at home with mum")).to_be_visible()

    # Later: find them by a misspelled street name. The search posts: no name in the URL.
    visit(page, reverse("cases:search"))
    page.get_by_label("Name, alias or street name").fill("Smokie")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    assert_accessible(page)
    assert "Smok" not in page.url
    expect(page.get_by_text("Alias or street name (Smokey)")).to_be_visible()
    page.get_by_role("link", name="Rio Browsertest").click()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/$"))
    assert_accessible(page)
    expect(page.get_by_role("table").get_by_role("link", name=case.reference)).to_be_visible()


def test_other_team_sees_only_who_to_contact_and_case_pages_pass_axe(page: Page, personas):
    from tests.factories.cases import AliasFactory, CaseFactory, ManualEntryFactory, MissingEpisodeFactory, TaskFactory

    case = CaseFactory(owner=personas.officer_a)
    AliasFactory(person=case.person, name="Ghost")
    ManualEntryFactory(case=case)
    MissingEpisodeFactory(case=case)
    TaskFactory(case=case)
    sign_in(page, personas.officer_b)
    visit(page, reverse("cases:search"))
    page.get_by_label("Name, alias or street name").fill("Gohst")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Known — record held by another team")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("main")).not_to_contain_text(case.person.family_name)
    page.get_by_role("link", name=re.compile("Request urgent access")).click()
    assert_accessible(page)
    page.get_by_label("Why do you need to see this record?").fill(
        "Arrested overnight in our area; need the history before interview."
    )
    page.get_by_role("button", name="Break glass and open the record").click()
    expect(page.get_by_role("heading", level=1, name=case.person.full_name)).to_be_visible()
    assert_accessible(page)
    for path in (
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_edit", args=[case.pk]),
        reverse("cases:case_status", args=[case.pk]),
        reverse("cases:person_edit", args=[case.person.pk]),
        reverse("cases:person_aliases", args=[case.person.pk]),
        reverse("cases:person_changes", args=[case.person.pk]),
        reverse("cases:case_list"),
        reverse("cases:task_add", args=[case.pk]),
        reverse("cases:missing_add", args=[case.pk]),
        reverse("cases:voice_add", args=[case.pk]),
        reverse("cases:case_links", args=[case.pk]),
        reverse("cases:associate_add", args=[case.pk]),
        reverse("cases:philomena_edit", args=[case.person.pk]),
        reverse("core:home"),
    ):
        visit(page, path)


def test_supervisor_pages_merge_and_an_edit_conflict_pass_axe(page: Page, personas):
    from cases import services
    from tests.factories.cases import CaseFactory, YoungPersonFactory

    born = born_years_ago(15, days_since_birthday=0)
    survivor = CaseFactory(
        owner=personas.officer_a,
        person=YoungPersonFactory(given_name="Danny", family_name="Axetest", date_of_birth=born),
    ).person
    duplicate = CaseFactory(
        owner=personas.officer_a2,
        person=YoungPersonFactory(given_name="Daniel", family_name="Axetest", date_of_birth=born),
    ).person
    services.break_glass_grant(
        actor=personas.officer_b, person=survivor, justification="In custody overnight; need history before interview."
    )
    sign_in(page, personas.supervisor)
    visit(page, reverse("cases:break_glass_review"))
    page.get_by_role("button", name=re.compile("Mark reviewed")).click()
    expect(page.get_by_text("marked as reviewed")).to_be_visible()
    assert_accessible(page)
    visit(page, reverse("cases:person_viewers", args=[survivor.pk]))

    # Merge the duplicate, starting from the suggestion on the merge page.
    visit(page, reverse("cases:person_merge", args=[survivor.pk]))
    page.get_by_role("button", name=f"Compare with {duplicate.reference}").click()
    expect(page.get_by_role("heading", level=1, name="Are these the same young person?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(f"Danny Axetest ({survivor.reference})").check()
    page.get_by_label("Why are these the same young person?").fill("Same date of birth, school and photo.")
    page.get_by_role("button", name="Merge the records").click()
    expect(page.get_by_text(f"{duplicate.reference} was merged into {survivor.reference}")).to_be_visible()
    assert_accessible(page)

    # Someone else saves while the supervisor edits: the conflict page shows both versions.
    visit(page, reverse("cases:person_edit", args=[survivor.pk]))
    survivor.refresh_from_db()
    services.person_update(
        actor=personas.officer_a, person=survivor, data={"nationality": "Irish"}, expected_version=survivor.version
    )
    page.get_by_label("Nationality").fill("British")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your changes have not been saved yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save my version").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    assert_accessible(page)
    survivor.refresh_from_db()
    assert survivor.nationality == "British"
