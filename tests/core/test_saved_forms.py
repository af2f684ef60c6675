"""A form posted after the session expired is kept, and given back only to the same user,
to check and submit again, never submitted for them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.generic import FormView

from safeguarding.accounts.models import User
from safeguarding.core.forms import RESTORED_MESSAGE, RestoredFormMixin, form_data
from safeguarding.core.middleware import SAVED_FORM_SESSION_KEY, restore_saved_form
from safeguarding.core.models import SavedForm
from tests.accounts.flows import post_code, sign_in, with_csrf
from tests.factories import TEST_PASSWORD, UserFactory, totp_code

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2025-03-03 09:00:00+00:00")
CREATE = reverse("accounts:manage_user_create")
TYPED = {
    "full_name": "Ola Typedbefore",
    "email": "ola.typed@testshire.example",
    "job_title": "Detective Constable",
    "role": "officer",
}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(personas, clock):
    return personas.admin


def csrf_token_of(response) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert match
    return match.group(1).decode()


def typed_form(personas) -> dict:
    return {**TYPED, "agency": personas.force.pk, "team": personas.team_a.pk}


@pytest.fixture
def expired_post(personas, admin, clock):
    """The admin opens the new-account form, types, goes for a coffee, then presses the button."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, admin)
    token = csrf_token_of(client.get(CREATE))
    clock.shift(timedelta(minutes=20))
    response = client.post(CREATE, {**typed_form(personas), "csrfmiddlewaretoken": token})
    return client, response


# --- Keeping the form --------------------------------------------------------------


def test_a_form_posted_after_the_timeout_is_kept_not_saved(expired_post, admin):
    client, response = expired_post
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=%2Fmanage%2Fusers%2Fnew%2F"
    assert not User.objects.filter(email=TYPED["email"]).exists()

    saved = SavedForm.objects.get()
    assert saved.user_id == admin.pk
    assert saved.path == CREATE
    assert saved.data["full_name"] == [TYPED["full_name"]]
    assert "csrfmiddlewaretoken" not in saved.data


def test_a_form_with_null_characters_posted_after_the_timeout_is_kept_without_them(personas, admin, clock):
    """PostgreSQL cannot store a NUL: a hostile or garbled form must still sign the user out
    cleanly, keeping what can be kept, never a server error."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, admin)
    token = csrf_token_of(client.get(CREATE))
    clock.shift(timedelta(minutes=20))
    typed = {**typed_form(personas), "full_name": "Ola\x00Typed", "job\x00title": "x\x00"}
    response = client.post(CREATE, {**typed, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    saved = SavedForm.objects.get()
    assert saved.data["full_name"] == ["OlaTyped"]
    assert saved.data["jobtitle"] == ["x"]


def test_the_sign_in_page_says_the_form_was_kept(expired_post):
    client, response = expired_post
    page = client.get(response["Location"])
    assert b"What you had typed has been kept" in page.content


def test_passwords_and_codes_are_never_kept(personas, clock):
    client = Client()
    sign_in(client, personas.admin)
    clock.shift(timedelta(minutes=20))
    client.post(CREATE, {"full_name": "Someone", "password": "secret words here", "code": "123456"})
    saved = SavedForm.objects.get()
    assert set(saved.data) == {"full_name"}


def test_a_forged_post_after_the_timeout_is_not_kept(personas, admin, clock):
    """A cross-site form aimed at an expired session must not plant data for the user to submit."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, admin)
    clock.shift(timedelta(minutes=20))
    response = client.post(CREATE, {**typed_form(personas), "csrfmiddlewaretoken": "forged" * 6})
    assert response.status_code == 302
    assert not SavedForm.objects.exists()


def test_signing_out_after_the_timeout_keeps_nothing_and_goes_nowhere_odd(personas, clock):
    client = Client()
    sign_in(client, personas.officer_a)
    clock.shift(timedelta(minutes=20))
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    assert not SavedForm.objects.exists()
    page = client.get(response["Location"])
    assert b"has been kept" not in page.content


def test_the_stay_signed_in_call_after_the_timeout_keeps_nothing(personas, clock):
    client = Client()
    sign_in(client, personas.officer_a)
    clock.shift(timedelta(minutes=20))
    response = client.post(reverse("core:session_keepalive"), headers={"x-requested-with": "fetch"})
    assert response.status_code == 401
    assert not SavedForm.objects.exists()


# --- Giving it back, end to end through the new-account form -------------------------


def test_the_same_user_gets_the_form_back_after_signing_in_again(expired_post, admin, clock):
    client, response = expired_post
    clock.shift(timedelta(seconds=30))
    sign_in_page = response["Location"]
    step_one = client.post(
        sign_in_page, with_csrf(client, sign_in_page, {"email": admin.email, "password": TEST_PASSWORD, "next": CREATE})
    )
    assert step_one["Location"] == reverse("accounts:verify")
    step_two = post_code(client, totp_code(admin))
    assert step_two["Location"] == CREATE

    page = client.get(CREATE)
    assert page.status_code == 200
    html = page.content.decode()
    assert RESTORED_MESSAGE in html
    assert f'value="{TYPED["full_name"]}"' in html
    assert f'value="{TYPED["email"]}"' in html
    assert f'value="{TYPED["job_title"]}"' in html
    # Shown again, not submitted for them.
    assert not User.objects.filter(email=TYPED["email"]).exists()
    assert not SavedForm.objects.exists()

    # Given back once only.
    again = client.get(CREATE).content.decode()
    assert RESTORED_MESSAGE not in again
    assert TYPED["full_name"] not in again


def test_the_restored_form_can_then_be_submitted(personas, admin, clock):
    client = Client()
    sign_in(client, admin)
    clock.shift(timedelta(minutes=20))
    client.post(CREATE, typed_form(personas))
    clock.shift(timedelta(seconds=30))
    sign_in(client, admin)
    restored = client.get(CREATE)
    assert TYPED["full_name"] in restored.content.decode()

    response = client.post(CREATE, typed_form(personas))
    assert response.status_code == 302
    assert User.objects.filter(email=TYPED["email"]).exists()


def test_another_user_signing_in_on_that_browser_does_not_get_the_form(personas, admin, clock):
    client = Client()
    sign_in(client, admin)
    clock.shift(timedelta(minutes=20))
    client.post(CREATE, typed_form(personas))
    other_admin = UserFactory(role=User.Role.ADMIN, agency=personas.force, email="ann.other@testshire.example")

    clock.shift(timedelta(seconds=30))
    sign_in(client, other_admin)
    html = client.get(CREATE).content.decode()
    assert TYPED["full_name"] not in html
    assert RESTORED_MESSAGE not in html
    assert not SavedForm.objects.exists()


# --- restore_saved_form and the helpers, directly ----------------------------------------


def request_for(user, path: str, saved: SavedForm | None, method: str = "get"):
    request = getattr(RequestFactory(), method)(path)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    if saved is not None:
        request.session[SAVED_FORM_SESSION_KEY] = saved.pk
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def saved(personas):
    return SavedForm.objects.create(
        user=personas.officer_a, path="/somewhere/", data={"title": ["Kept title"], "tags": ["a", "b"]}
    )


def test_restore_gives_the_data_back_once_to_the_same_user_on_the_same_path(personas, saved):
    request = request_for(personas.officer_a, "/somewhere/", saved)
    data = restore_saved_form(request)
    assert data["title"] == "Kept title"
    assert data.getlist("tags") == ["a", "b"]
    assert SAVED_FORM_SESSION_KEY not in request.session
    assert not SavedForm.objects.filter(pk=saved.pk).exists()
    assert restore_saved_form(request) is None


def test_restore_on_another_path_waits(personas, saved):
    request = request_for(personas.officer_a, "/elsewhere/", saved)
    assert restore_saved_form(request) is None
    assert request.session[SAVED_FORM_SESSION_KEY] == saved.pk
    assert SavedForm.objects.filter(pk=saved.pk).exists()


def test_restore_refuses_another_user_and_discards_the_form(personas, saved):
    request = request_for(personas.officer_a2, "/somewhere/", saved)
    assert restore_saved_form(request) is None
    assert SAVED_FORM_SESSION_KEY not in request.session
    assert not SavedForm.objects.filter(pk=saved.pk).exists()


def test_form_data_is_the_post_on_a_post(personas, saved):
    request = RequestFactory().post("/somewhere/", {"title": "Just typed"})
    request.user = personas.officer_a
    assert form_data(request)["title"] == "Just typed"


def test_form_data_is_the_kept_form_on_a_get_with_a_message(personas, saved):
    request = request_for(personas.officer_a, "/somewhere/", saved)
    assert form_data(request)["title"] == "Kept title"
    assert [str(m) for m in request._messages] == [RESTORED_MESSAGE]


def test_form_data_is_none_for_a_blank_form(personas):
    request = request_for(personas.officer_a, "/somewhere/", None)
    assert form_data(request) is None
    assert list(request._messages) == []


class TitleForm(forms.Form):
    title = forms.CharField()


class TitleView(RestoredFormMixin, FormView):
    form_class = TitleForm
    template_name = "core/home.html"  # not rendered in these tests

    def get(self, request, *args, **kwargs):
        self.form = self.get_form()
        return None


def test_the_class_based_mixin_binds_the_kept_form_on_a_get(personas, saved):
    request = request_for(personas.officer_a, "/somewhere/", saved)
    view = TitleView()
    view.setup(request)
    view.get(request)
    assert view.form.is_bound
    assert view.form.data["title"] == "Kept title"


def test_the_class_based_mixin_leaves_a_plain_get_blank(personas):
    request = request_for(personas.officer_a, "/somewhere/", None)
    view = TitleView()
    view.setup(request)
    view.get(request)
    assert not view.form.is_bound
