"""Checklist templates in the admin: versions are drafted, edited while drafts, then activated;
a version in use or active is read-only; only admins get in."""

import pytest
from django.urls import reverse

from custody.models import ChecklistTemplate
from tests.custody.clock.helpers import make_case, start_checklist

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:custody_checklisttemplate_changelist")


def test_only_the_admin_reaches_the_templates(personas):
    assert personas.client("admin").get(CHANGELIST).status_code == 200
    # Signed in but not an admin: the configuration site is not there for them.
    for persona in ("officer_a", "supervisor", "force_lead", "partner"):
        assert personas.client(persona).get(CHANGELIST).status_code == 404


def test_the_active_version_is_read_only_and_a_copy_is_an_editable_draft(personas):
    v1 = ChecklistTemplate.objects.get(is_active=True)
    client = personas.client("admin")
    page = client.get(reverse("admin:custody_checklisttemplate_change", args=[v1.pk])).content.decode()
    assert 'name="_save"' not in page

    response = client.post(CHANGELIST, {"action": "copy_as_new_version", "_selected_action": [v1.pk]})
    assert response.status_code == 302
    v2 = ChecklistTemplate.objects.get(version=2)
    assert not v2.is_active
    assert v2.items.count() == v1.items.count() == 12
    page = client.get(reverse("admin:custody_checklisttemplate_change", args=[v2.pk])).content.decode()
    assert 'name="_save"' in page

    response = client.post(CHANGELIST, {"action": "activate_version", "_selected_action": [v2.pk]})
    assert response.status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v2.is_active and not v1.is_active


def test_a_version_in_use_cannot_be_changed(personas):
    v1 = ChecklistTemplate.objects.get(is_active=True)
    start_checklist(case=make_case(owner=personas.officer_a), by=personas.officer_a)
    client = personas.client("admin")
    client.post(CHANGELIST, {"action": "copy_as_new_version", "_selected_action": [v1.pk]})
    v2 = ChecklistTemplate.objects.get(version=2)
    client.post(CHANGELIST, {"action": "activate_version", "_selected_action": [v2.pk]})
    v1.refresh_from_db()
    assert not v1.is_active and v1.is_in_use
    response = client.post(
        reverse("admin:custody_checklisttemplate_change", args=[v1.pk]), {"name": "Changed", "notes": ""}
    )
    assert response.status_code == 403
    v1.refresh_from_db()
    assert v1.name != "Changed"
