"""The configuration site (Django admin) for people who are not its admins."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "force_lead", "partner"])
@pytest.mark.parametrize("name", ["admin:index", "admin:login", "admin:accounts_agency_changelist"])
def test_a_signed_in_non_admin_gets_not_found_at_once(personas, persona, name):
    # Before, /admin/ sent them to the admin's sign-in, which sent a signed-in user back: a loop.
    response = personas.client(persona).get(reverse(name), follow=True)
    assert response.status_code == 404
    assert response.redirect_chain == []


def test_the_admin_still_gets_in(personas):
    assert personas.client("admin").get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "unverified"])
def test_someone_not_fully_signed_in_is_sent_to_sign_in(personas, persona):
    response = personas.client(persona).get(reverse("admin:index"))
    assert response.status_code == 302
