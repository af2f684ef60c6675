import pytest
from django.urls import reverse

from tests.factories.cases import (
    AliasFactory,
    CaseFactory,
    DealLineFactory,
    ManualEntryFactory,
    MissingEpisodeFactory,
    TaskFactory,
    VoiceEntryFactory,
    break_glass_url,
)

pytestmark = pytest.mark.django_db


def test_every_page_renders_for_the_owner_and_supervisor(personas):
    case = CaseFactory(owner=personas.officer_a)
    person = case.person
    AliasFactory(person=person, name="Smokey")
    TaskFactory(case=case)
    ManualEntryFactory(case=case)
    episode = MissingEpisodeFactory(case=case)
    VoiceEntryFactory(case=case)
    line = DealLineFactory()
    case.deal_lines.add(line)
    other = CaseFactory(owner=personas.officer_b)
    other.deal_lines.add(line)
    pages = [
        reverse("core:home"),
        reverse("cases:search"),
        reverse("cases:person_create"),
        reverse("cases:person_detail", args=[person.pk]),
        reverse("cases:person_edit", args=[person.pk]),
        reverse("cases:person_aliases", args=[person.pk]),
        reverse("cases:philomena_edit", args=[person.pk]),
        reverse("cases:person_chronology", args=[person.pk]),
        reverse("cases:person_chronology_print", args=[person.pk]),
        reverse("cases:person_changes", args=[person.pk]),
        reverse("cases:case_create", args=[person.pk]),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_edit", args=[case.pk]),
        reverse("cases:case_changes", args=[case.pk]),
        reverse("cases:case_status", args=[case.pk]),
        reverse("cases:case_links", args=[case.pk]),
        reverse("cases:associate_add", args=[case.pk]),
        reverse("cases:task_add", args=[case.pk]),
        reverse("cases:voice_add", args=[case.pk]),
        reverse("cases:missing_add", args=[case.pk]),
        reverse("cases:missing_edit", args=[episode.pk]),
        reverse("cases:entry_add", args=[case.pk]),
    ]
    client = personas.client("officer_a")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    sup = personas.client("supervisor")
    for url in [
        *pages,
        reverse("cases:person_viewers", args=[person.pk]),
        reverse("cases:case_reassign", args=[case.pk]),
        reverse("cases:break_glass_review"),
        reverse("cases:person_merge", args=[person.pk]),
    ]:
        response = sup.get(url)
        assert response.status_code == 200, (url, response.status_code)
    response = personas.client("officer_b").get(break_glass_url(personas.officer_b, person))
    assert response.status_code == 200
