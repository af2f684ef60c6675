import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_items(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"] if item["active"]]


def test_only_the_most_specific_navigation_item_is_current(personas):
    client = personas.client("officer_a")
    assert current_items(client.get(reverse("custody:clocks"))) == ["Clocks"]
    assert current_items(client.get(reverse("custody:review"))) == ["Custody review"]
    assert current_items(client.get(reverse("core:home"))) == ["Home"]


def test_navigation_is_by_role(personas):
    labels = [i["label"] for i in personas.client("admin").get("/").context["nav_items"]]
    assert "Accounts" in labels
    assert "Audit log" not in labels
    labels = [i["label"] for i in personas.client("force_lead").get("/").context["nav_items"]]
    assert "Audit log" in labels
    assert "Accounts" not in labels


@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "force_lead", "admin", "partner"])
def test_no_two_navigation_links_share_a_name(personas, persona):
    """Two links of one name going to two pages fail WCAG 2.4.4 (link purpose): the
    supervisor once had "Approvals" twice (closures and reclassifications; warnings)."""
    items = personas.client(persona).get("/").context["nav_items"]
    labels = [item["label"] for item in items]
    assert len(labels) == len(set(labels)), labels
