"""A supervisor merges two records: everything moves, history is kept, the merge is audited."""

import pytest
from django.urls import reverse

from cases import chronology, services
from cases.models import Alias, BreakGlassAccess, Case, PersonMerge, PhilomenaProfile, YoungPerson
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import (
    AliasFactory,
    CaseFactory,
    ManualEntryFactory,
    MissingEpisodeFactory,
    VoiceEntryFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(personas):
    survivor = CaseFactory(
        owner=personas.officer_a, person=YoungPersonFactory(given_name="Danny", family_name="Testwood", nationality="")
    ).person
    merged_case = CaseFactory(
        owner=personas.officer_a2,
        person=YoungPersonFactory(
            given_name="Daniel", family_name="Testwood", nationality="British", warning_markers=["weapons"]
        ),
    )
    merged = merged_case.person
    AliasFactory(person=merged, name="Ghost")
    ManualEntryFactory(case=merged_case, text="Entry written on the duplicate record.")
    MissingEpisodeFactory(case=merged_case)
    VoiceEntryFactory(case=merged_case, account="I just want it to stop.")
    PhilomenaProfile.objects.create(person=merged, physical_description="Tall, scar on left hand.")
    return survivor, merged, merged_case


def test_merge_moves_everything_and_keeps_history(personas, pair):
    survivor, merged, merged_case = pair
    history_before = merged.history.count()
    record = services.person_merge(
        actor=personas.supervisor, survivor=survivor, merged=merged, reason="Same DOB and photo."
    )
    merged.refresh_from_db()
    survivor.refresh_from_db()
    merged_case.refresh_from_db()
    assert merged.merged_into == survivor and merged.merged_at is not None
    assert merged_case.person == survivor
    assert set(survivor.aliases.values_list("name", flat=True)) == {"Ghost", "Daniel Testwood"}
    assert PhilomenaProfile.objects.get(person=survivor).physical_description == "Tall, scar on left hand."
    # Blank details filled from the merged record, lists combined.
    assert survivor.nationality == "British"
    assert survivor.warning_markers == ["weapons"]
    # History kept on both, and the case's history still shows it was on the other record.
    assert merged.history.count() == history_before + 1
    assert set(Case.history.filter(id=merged_case.pk).values_list("person_id", flat=True)) == {merged.pk, survivor.pk}
    assert record.detail["moved"]["cases"] == 1
    assert PersonMerge.objects.get(merged=merged).merged_by == personas.supervisor
    audits = AuditEvent.objects.filter(action="merge")
    assert {(e.object_type, e.object_id) for e in audits} == {
        ("cases.youngperson", str(survivor.pk)),
        ("cases.youngperson", str(merged.pk)),
    }
    assert all(e.justification == "Same DOB and photo." for e in audits)


def test_merged_chronology_is_complete_on_the_survivor(personas, pair):
    survivor, merged, _ = pair
    before = {e.title for e in chronology.chronology_for(person=merged, user=personas.supervisor).entries}
    services.person_merge(actor=personas.supervisor, survivor=survivor, merged=merged, reason="Same young person.")
    after = chronology.chronology_for(person=survivor, user=personas.supervisor)
    assert before <= {e.title for e in after.entries}
    assert any(e.text == "Entry written on the duplicate record." for e in after.entries)
    assert any(e.type == "voice" for e in after.entries)


def test_tombstone_sends_people_to_the_survivor(personas, pair):
    survivor, merged, _ = pair
    services.person_merge(actor=personas.supervisor, survivor=survivor, merged=merged, reason="Same young person.")
    client = personas.client("officer_a")
    response = client.get(reverse("cases:person_detail", args=[merged.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[survivor.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"Record {merged.reference} was merged into {survivor.reference}" in page
    # Someone who cannot see the survivor gets 404 for the tombstone too.
    assert personas.client("officer_b").get(reverse("cases:person_detail", args=[merged.pk])).status_code == 404


def test_break_glass_grants_and_later_merges_follow_the_survivor(personas, pair):
    survivor, merged, _ = pair
    third = CaseFactory(owner=personas.officer_a).person
    access = services.break_glass_grant(
        actor=personas.officer_b, person=merged, justification="In custody tonight, need the safeguarding history."
    )
    services.person_merge(actor=personas.supervisor, survivor=survivor, merged=merged, reason="Same young person.")
    access.refresh_from_db()
    assert access.person == survivor
    services.person_merge(actor=personas.supervisor, survivor=third, merged=survivor, reason="Same young person again.")
    merged.refresh_from_db()
    assert merged.merged_into == third  # chains are flattened
    assert BreakGlassAccess.objects.get(pk=access.pk).person == third


def test_merge_through_the_pages(personas, pair):
    survivor, merged, _ = pair
    client = personas.client("supervisor")
    url = reverse("cases:person_merge", args=[survivor.pk])
    step1 = client.post(url, {"other": merged.reference})
    assert step1.status_code == 200
    assert "Are these the same young person?" in step1.content.decode()
    step2 = client.post(url, {"other_pk": merged.pk, "survivor": str(survivor.pk), "reason": "Same DOB and school."})
    assert step2.status_code == 302
    assert YoungPerson.objects.get(pk=merged.pk).merged_into_id == survivor.pk


def test_merge_needs_a_reason_and_a_visible_record(personas, pair):
    survivor, merged, _ = pair
    client = personas.client("supervisor")
    url = reverse("cases:person_merge", args=[survivor.pk])
    response = client.post(url, {"other_pk": merged.pk, "survivor": str(survivor.pk), "reason": ""})
    assert "Give the reason these are the same young person" in response.content.decode()
    outsider = CaseFactory(owner=personas.officer_b).person
    response = client.post(url, {"other": outsider.reference})
    assert "You cannot see a live record with that number" in response.content.decode()
    assert not YoungPerson.objects.filter(merged_into__isnull=False).exists()


def test_officers_cannot_merge(personas, pair):
    survivor, merged, _ = pair
    response = personas.client("officer_a").post(
        reverse("cases:person_merge", args=[survivor.pk]),
        {"other_pk": merged.pk, "survivor": survivor.pk, "reason": "x"},
    )
    assert response.status_code == 403
    with pytest.raises(Exception, match="Only a supervisor"):
        services.person_merge(actor=personas.officer_a, survivor=survivor, merged=merged, reason="x")
    assert Alias.objects.get(name="Ghost").person == merged


def test_merge_page_suggests_likely_duplicates_the_supervisor_can_see(personas, pair):
    survivor, merged, _ = pair
    survivor.date_of_birth = merged.date_of_birth
    survivor.save()
    response = personas.client("supervisor").get(reverse("cases:person_merge", args=[survivor.pk]))
    assert [s.person.pk for s in response.context["suggestions"]] == [merged.pk]
    assert "Likely duplicates you can see" in response.content.decode()


def test_confirming_a_merge_with_a_record_outside_scope_is_not_found_and_audited(personas, pair):
    survivor, _, _ = pair
    outsider = CaseFactory(owner=personas.officer_b).person
    response = personas.client("supervisor").post(
        reverse("cases:person_merge", args=[survivor.pk]),
        {"other_pk": outsider.pk, "survivor": str(outsider.pk), "reason": "Crafted to reach another team."},
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access_denied", object_id=str(outsider.pk)).exists()
    assert not YoungPerson.objects.filter(merged_into__isnull=False).exists()
