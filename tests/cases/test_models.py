"""Model details later issues rely on: personal-data markers, references, registries."""

import importlib
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from cases import names, sections
from cases.models import PERSONAL_DATA_FIELDS, Alias, Associate, YoungPerson, age_on
from tests.factories.cases import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def test_personal_data_fields_are_marked_and_exist():
    for label, fields in PERSONAL_DATA_FIELDS.items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        assert set(fields) <= names, label
    assert {"given_name", "family_name", "date_of_birth", "home_address"} <= set(YoungPerson.PERSONAL_DATA_FIELDS)


def test_a_persons_fields_are_listed_once_and_every_list_is_drawn_from_it():
    from cases.services import PERSON_FIELDS
    from cases.services.merge import _FILL_IF_EMPTY

    recorded = YoungPerson.RECORDED_FIELDS
    assert recorded == PERSON_FIELDS
    assert set(recorded) <= set(YoungPerson.PERSONAL_DATA_FIELDS)
    assert set(_FILL_IF_EMPTY) <= set(recorded)
    # Where a place is recorded, it is personal data and a merge fills it in.
    for field in ("home_police_force", "responsible_local_authority"):
        assert field in YoungPerson.PERSONAL_DATA_FIELDS and field in _FILL_IF_EMPTY
    # Every editable field of the model the officer fills in is one of them (the rest is bookkeeping).
    bookkeeping = {"id", "reference", "estimated_age_on", "created_at", "updated_at", "created_by", "home_team"}
    bookkeeping |= {"given_name_norm", "family_name_norm", "full_name_norm", "name_keys", "merged_into", "merged_at"}
    bookkeeping |= {"created_by_team", "version"}
    editable = {f.name for f in YoungPerson._meta.concrete_fields} - bookkeeping
    assert editable <= set(recorded), editable - set(recorded)


def test_every_model_has_a_readable_str(personas):
    case = CaseFactory(owner=personas.officer_a)
    assert str(case) == f"{case.reference} (Identified)"
    assert str(case.person) == f"{case.person.full_name} ({case.person.reference})"
    for model in apps.get_app_config("cases").get_models():
        assert "__str__" in vars(model) or model.__name__.startswith("Historical"), model


def test_out_of_area_is_known_from_the_home_force(settings):
    settings.FORCE_NAME = "Testshire Police"
    assert YoungPersonFactory(home_police_force="Eastmere Constabulary").is_out_of_area
    assert not YoungPersonFactory(home_police_force="testshire police").is_out_of_area
    assert not YoungPersonFactory(home_police_force="").is_out_of_area


def test_other_apps_add_sections_to_the_person_and_case_pages(personas, monkeypatch):
    monkeypatch.setattr(sections, "_person_sections", {})
    monkeypatch.setattr(sections, "_case_sections", {})
    sections.register_person_section(
        sections.Section(
            key="extra",
            title="Referrals (test)",
            template="cases/_other_records.html",
            context=lambda r, p, v: {"other_records": []},
        )
    )
    sections.register_case_section(
        sections.Section(
            key="hidden", title="Never shown", template="cases/_other_records.html", context=lambda r, c: None
        )
    )
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    assert "Referrals (test)" in client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    assert "Never shown" not in client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()


def test_an_associate_keeps_its_normalised_name_for_screening(personas):
    case = CaseFactory(owner=personas.officer_a)
    associate = Associate.objects.create(
        case=case, name="Seán  O'Brien-Smith", relationship="suspected_exploiter", created_by=personas.officer_a
    )
    assert Associate.objects.get(pk=associate.pk).name_norm == "sean obrien smith"
    assert "name_norm" in Associate.PERSONAL_DATA_FIELDS
    # A partial save of the name keeps the normalised name with it.
    associate.name = "Reece Examplar"
    associate.save(update_fields=["name"])
    assert Associate.objects.get(pk=associate.pk).name_norm == "reece examplar"


def test_the_migration_fills_the_normalised_name_of_existing_associates(personas):
    case = CaseFactory(owner=personas.officer_a)
    associate = Associate.objects.create(case=case, name="Zoë Ward", relationship="peer", created_by=personas.officer_a)
    Associate.objects.filter(pk=associate.pk).update(name_norm="")  # as a row from before the field
    migration = importlib.import_module("cases.migrations.0004_associate_name_norm")
    migration.fill_name_norm(apps, None)
    assert Associate.objects.get(pk=associate.pk).name_norm == "zoe ward"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 2, 28), 14),  # a common year: no 29 February, so not yet
        (date(2027, 3, 1), 15),  # the birthday is taken on 1 March
        (date(2028, 2, 28), 15),
        (date(2028, 2, 29), 16),  # a leap year: the birthday itself
    ],
)
def test_a_young_person_born_on_29_february_turns_a_year_older_on_1_march_in_a_common_year(today, expected):
    assert age_on(date(2012, 2, 29), today) == expected


def test_a_leap_day_birth_shows_the_right_age_on_the_person_page(personas):
    with time_machine.travel(datetime(2028, 2, 29, 12, tzinfo=UTC), tick=False):
        case = CaseFactory(owner=personas.officer_a, person=YoungPersonFactory(date_of_birth=date(2012, 2, 29)))
        assert case.person.age == 16
        page = personas.client("officer_a").get(reverse("cases:person_detail", args=[case.person.pk]))
    assert page.status_code == 200
    assert "29 February 2012" in page.content.decode()


def test_renaming_an_alias_with_update_fields_keeps_its_search_keys_in_step():
    alias = Alias.objects.create(person=YoungPersonFactory(), name="Smudge")
    alias.name = "Big Mikey"
    alias.save(update_fields=["name"])
    stored = Alias.objects.get(pk=alias.pk)
    assert stored.name_norm == names.normalise("Big Mikey")
    assert stored.name_keys == names.name_keys(stored.name_norm)
