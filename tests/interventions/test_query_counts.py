"""Lists of interventions cost the same number of queries whatever their length."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interventions import services
from tests.conftest import verified_client

from .helpers import ccepo_order, draft_warning

pytestmark = pytest.mark.django_db


def _queue(personas, n: int) -> None:
    for _ in range(n):
        services.cp_submit(actor=personas.officer_a, notice=draft_warning(personas.officer_a))


def test_the_approval_queue_is_bounded(personas, django_assert_max_num_queries):
    _queue(personas, 1)
    client = verified_client(personas.supervisor)
    client.get(reverse("interventions:cp_approvals"))
    _queue(personas, 4)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("interventions:cp_approvals"))
    assert response.content.decode().count("CPW0") >= 5


def test_the_register_is_bounded(personas, django_assert_max_num_queries):
    for _ in range(4):
        ccepo_order(personas.officer_a)
    client = verified_client(personas.officer_a)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("interventions:ccepo_register"))
    assert response.content.decode().count("CCEPO0") >= 4
