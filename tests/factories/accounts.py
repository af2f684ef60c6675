"""Factories for tests. Every person is invented (Faker's en_GB names)."""

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Agency, Team, User

TEST_PASSWORD = "a-long-test-password-42"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = Agency.Kind.POLICE_FORCE


class PoliceForceFactory(AgencyFactory):
    name = "Testshire Police"
    kind = Agency.Kind.POLICE_FORCE


class PartnerAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Testshire Children's Services {n}")
    kind = Agency.Kind.CHILDRENS_SERVICES


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"County Lines Team {n}")
    agency = factory.SubFactory(PoliceForceFactory)
    contact_email = factory.Sequence(lambda n: f"team{n}@testshire.example")


class UserFactory(factory.django.DjangoModelFactory):
    """An activated user with a password and a confirmed authenticator."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@testshire.example")
    full_name = factory.Faker("name", locale="en_GB")
    role = User.Role.OFFICER
    agency = factory.SubFactory(PoliceForceFactory)
    team = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == User.Role.OFFICER),
        yes_declaration=factory.SubFactory(TeamFactory),
        no_declaration=None,
    )
    is_staff = factory.LazyAttribute(lambda o: o.role == User.Role.ADMIN)
    activated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def device(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTPDevice.objects.create(user=obj, name="test authenticator", confirmed=True)

    @factory.post_generation
    def supervises(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.supervised_teams.set(extracted)


def totp_code(user: User) -> str:
    """The current code of the user's authenticator, as an app would show it."""
    from django_otp.oath import TOTP

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
