"""One chronology per young person, from every source, as the viewer may see it."""

import pytest
from django.urls import reverse

from cases import chronology
from cases.models import Case
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import (
    CaseFactory,
    ManualEntryFactory,
    MissingEpisodeFactory,
    TaskFactory,
    VoiceEntryFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_team_person(personas):
    person = YoungPersonFactory(given_name="Tyler", family_name="Twoteams")
    case_a = CaseFactory(person=person, owner=personas.officer_a)
    case_b = CaseFactory(person=person, owner=personas.officer_b)
    ManualEntryFactory(case=case_a, text="Team A visited the young person at home.")
    ManualEntryFactory(case=case_b, text="Team B met the young person at school.")
    MissingEpisodeFactory(case=case_b, missing_from="Team B's children's home")
    return person, case_a, case_b


def _page(personas, persona, person):
    response = personas.client(persona).get(reverse("cases:person_chronology", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_team_a_sees_its_entries_and_only_a_pointer_to_team_b(personas, two_team_person):
    person, case_a, case_b = two_team_person
    page = _page(personas, "officer_a", person)
    assert "Team A visited the young person at home." in page
    assert "Team B met the young person at school." not in page
    assert "Team B&#x27;s children&#x27;s home" not in page and "children's home" not in page
    assert case_b.reference not in page
    assert "Other records held" in page
    assert "Team B" in page and personas.team_b.contact_email in page and "Bob Officer" in page


def test_team_b_sees_its_entries_and_only_a_pointer_to_team_a(personas, two_team_person):
    person, case_a, case_b = two_team_person
    page = _page(personas, "officer_b", person)
    assert "Team B met the young person at school." in page
    assert "Reported missing from Team B" in page
    assert "Team A visited the young person at home." not in page
    assert case_a.reference not in page
    assert "Other records held" in page and personas.team_a.contact_email in page


def test_supervisor_of_team_a_sees_team_a_only_and_force_lead_sees_both(personas, two_team_person):
    person, _, _ = two_team_person
    page = _page(personas, "supervisor", person)
    assert "Team A visited" in page and "Team B met" not in page and "Other records held" in page
    page = _page(personas, "force_lead", person)
    assert "Team A visited" in page and "Team B met" in page and "Other records held" not in page


def test_every_source_appears_and_filter_by_type(personas):
    case = CaseFactory(owner=personas.officer_a)
    ManualEntryFactory(case=case, entry_type="home_visit", text="Visited at home.")
    MissingEpisodeFactory(case=case, found_at=None)
    VoiceEntryFactory(case=case, account="I want to go back to school.")
    task = TaskFactory(case=case, title="Call the social worker")
    from cases import services

    services.task_complete(actor=personas.officer_a, task=task, note="Left a message.")
    timeline = chronology.chronology_for(person=case.person, user=personas.officer_a)
    types = {e.type for e in timeline.entries}
    assert types == {"case", "entry_home_visit", "missing", "voice", "task"}
    client = personas.client("officer_a")
    url = reverse("cases:person_chronology", args=[case.person.pk])
    page = client.get(url, {"type": ["missing", "voice"]}).content.decode()
    assert "Reported missing from" in page and "I want to go back to school." in page
    assert "Visited at home." not in page and "Call the social worker" not in page
    event = AuditEvent.objects.filter(action="view", summary__startswith="Chronology").latest("at")
    assert event.detail["types"] == ["missing", "voice"]


def test_print_view_lists_entries_and_is_audited_as_export(personas):
    case = CaseFactory(owner=personas.officer_a)
    ManualEntryFactory(case=case, text="Printed entry text.")
    response = personas.client("officer_a").get(reverse("cases:person_chronology_print", args=[case.person.pk]))
    page = response.content.decode()
    assert "Printed entry text." in page
    assert "OFFICIAL-SENSITIVE" in page
    assert "moj-primary-navigation" not in page  # no site chrome on the print page
    assert AuditEvent.objects.filter(action="export", object_id=str(case.person.pk)).exists()


def test_adding_a_manual_entry_puts_it_in_the_chronology(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client("officer_a").post(
        reverse("cases:entry_add", args=[case.pk]),
        {"entry_type": "phone_call", "occurred_at": "2025-02-03T09:15", "text": "Rang mum; he is home safe."},
    )
    assert response.status_code == 302
    page = _page(personas, "officer_a", case.person)
    assert "Rang mum; he is home safe." in page
    assert "3 February 2025, 09:15" in page
    assert AuditEvent.objects.filter(action="create", object_type="cases.manualchronologyentry").exists()


def test_other_apps_register_sources_without_cases_importing_them(personas, monkeypatch):
    monkeypatch.setattr(chronology, "_sources", dict(chronology._sources))
    case = CaseFactory(owner=personas.officer_a)

    def custody_events(person, visible_cases, user):
        for c in visible_cases:
            yield chronology.ChronologyEntry(occurred_at=c.opened_at, type="custody", title="Arrested", case=c)

    chronology.register(custody_events, types={"custody": "Custody"})
    timeline = chronology.chronology_for(person=case.person, user=personas.officer_a, types=["custody"])
    assert [e.title for e in timeline.entries] == ["Arrested"]
    assert chronology.type_labels()["custody"] == "Custody"
    # A viewer who cannot see the case gets nothing from the source.
    assert chronology.chronology_for(person=case.person, user=personas.officer_b, types=["custody"]).entries == []


def test_chronology_follows_a_case_reassigned_to_another_team_officer(personas):
    case = CaseFactory(owner=personas.officer_b)
    Case.objects.filter(pk=case.pk).update(owner=personas.officer_a)
    ManualEntryFactory(case=case, text="Seen by Alice while covering.")
    assert "Seen by Alice while covering." in _page(personas, "officer_a", case.person)


def test_placements_and_reclassifications_are_in_the_chronology(personas):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories.cases import PlacementFactory, ReclassificationFactory

    case = CaseFactory(owner=personas.officer_a)
    today = timezone.localdate()
    PlacementFactory(
        case=case, provider="Chronoshire Homes", from_date=today - timedelta(days=30), to_date=today - timedelta(days=5)
    )
    ReclassificationFactory(
        case=case,
        status="approved",
        decided_at=timezone.now(),
        decided_by=personas.supervisor,
        decision_note="Agreed: victim, not suspect.",
    )
    timeline = chronology.chronology_for(person=case.person, user=personas.officer_a)
    titles = [e.title for e in timeline.entries if e.type in ("placement", "classification")]
    assert "Placed: residential children's home" in titles and "Left placement: residential children's home" in titles
    assert any(t.startswith("Reclassification to") and t.endswith("asked for") for t in titles)
    assert any(t.startswith("Reclassification to") and t.endswith("approved") for t in titles)
    page = _page(personas, "officer_a", case.person)
    assert "Chronoshire Homes" in page and "Agreed: victim, not suspect." in page
