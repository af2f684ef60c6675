"""Factories for young people and cases. Every name is invented."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone

from cases.models import (
    Alias,
    Case,
    DealLine,
    DigitalFinding,
    DigitalReview,
    ManualChronologyEntry,
    MissingEpisode,
    OrganisedCrimeGroup,
    Placement,
    Reclassification,
    Task,
    VoiceEntry,
    YoungPerson,
)
from tests.dates import born_years_ago


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    given_name = factory.Sequence(lambda n: f"Testy{n}")
    family_name = factory.Sequence(lambda n: f"Fictional{n}")
    date_of_birth = factory.LazyFunction(lambda: born_years_ago(15))
    gender = YoungPerson.Gender.MALE
    home_local_authority = "Testshire County Council"


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    person = factory.SubFactory(YoungPersonFactory)
    name = factory.Sequence(lambda n: f"Streetname{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A case owned by `owner` in the owner's team (pass owner=personas.officer_a)."""

    class Meta:
        model = Case

    person = factory.SubFactory(YoungPersonFactory)
    owner = None
    team = factory.LazyAttribute(lambda o: o.owner.team)
    exploitation_types = factory.LazyFunction(lambda: ["cce", "county_lines"])
    risk_level = Case.RiskLevel.MEDIUM
    risk_rationale = "Found with cash and two phones far from home."
    created_by = factory.LazyAttribute(lambda o: o.owner)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    case = None
    title = factory.Sequence(lambda n: f"Task {n}")
    assignee = factory.LazyAttribute(lambda o: o.case.owner)
    created_by = factory.LazyAttribute(lambda o: o.case.owner)
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))


class ManualEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManualChronologyEntry

    case = None
    entry_type = ManualChronologyEntry.Type.CONTACT
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    text = factory.Sequence(lambda n: f"Spoke with the young person (entry {n}).")
    created_by = factory.LazyAttribute(lambda o: o.case.owner)


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissingEpisode

    case = None
    reported_missing_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    missing_from = "Children's home, Testtown"
    reported_by = "Care home staff"
    risk_grade = MissingEpisode.RiskGrade.MEDIUM
    # As the service does: the estimate in force when the episode is recorded.
    estimated_cost = factory.LazyFunction(lambda: settings.MISSING_EPISODE_ESTIMATED_COST)
    created_by = factory.LazyAttribute(lambda o: o.case.owner)


class VoiceEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoiceEntry

    case = None
    spoken_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    account = "“I only went because I owed them.”"
    recorded_by = factory.LazyAttribute(lambda o: o.case.owner)


class CrimeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisedCrimeGroup

    name = factory.Sequence(lambda n: f"Test Crew {n}")


class DealLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DealLine

    name = factory.Sequence(lambda n: f"Testline {n}")
    phone_number = "07700 900000"


def break_glass_url(user, person) -> str:
    """The break-glass page of a person as a search result links it for this user."""
    from django.urls import reverse

    from cases.break_glass_refs import break_glass_reference

    return reverse("cases:break_glass", args=[break_glass_reference(user, person.pk)])


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    case = None
    placement_type = "residential"
    address = "1 Testing Row, Testtown"
    provider = "Testshire Homes"
    from_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    to_date = None
    created_by = factory.LazyAttribute(lambda o: o.case.owner)


class ReclassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reclassification

    case = None
    from_classification = "suspect_drug_supply"
    to_classification = "victim_msht"
    reason = "Found holding a deal line's phone under threat; debt bondage described."
    requested_by = factory.LazyAttribute(lambda o: o.case.owner)


class DigitalReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitalReview
        skip_postgeneration_save = True  # the finding points at the review; the review has nothing to save again

    case = None
    device = "Black test phone"
    reviewed_by_name = "Digital media investigator"
    reviewed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    created_by = factory.LazyAttribute(lambda o: o.case.owner)
    finding = factory.RelatedFactory("tests.factories.cases.DigitalFindingFactory", factory_related_name="review")


class DigitalFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitalFinding

    review = None
    category = "deal_line"
    detail = "RESTRICTED-FINDING deal-line bulk messages"
