import pytest

pytestmark = pytest.mark.django_db


def test_verified_officer_sees_home(personas):
    response = personas.client("officer_a").get("/")
    assert response.status_code == 200
    assert b"Hello, Alice" in response.content


def test_unverified_user_is_sent_to_second_factor(personas):
    response = personas.client("unverified").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/code/"
