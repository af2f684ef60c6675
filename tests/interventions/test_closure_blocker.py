"""A case cannot close over a community protection warning or notice that is still a
draft, waiting for approval, or approved but never served; served or withdrawn ones are a
matter of record and do not block."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from tests.interventions.helpers import case_aged, draft_warning, served_warning

pytestmark = pytest.mark.django_db


def ask(personas, case, **data):
    return personas.client("officer_a").post(
        reverse("cases:case_status", args=[case.pk]), {"to": "awaiting_closure_approval", **data}
    )


def test_closure_is_refused_while_a_warning_is_unapproved(personas):
    case = case_aged(personas.officer_a)
    case.status = CaseStatus.ACTIVE
    case.save()
    notice = draft_warning(personas.officer_a, case)
    response = ask(personas, case, reason="Typed: all done", outcomes=["engaged"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "The case cannot close yet:" in page
    assert f"{notice.reference} is draft: serve it or withdraw it before closing the case" in page
    assert "Typed: all done" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_a_served_warning_does_not_block_closure(personas):
    case = case_aged(personas.officer_a)
    case.status = CaseStatus.ACTIVE
    case.save()
    served_warning(personas.officer_a, personas.supervisor, case)
    response = ask(personas, case, reason="No contact since March.", outcomes=["engaged"])
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CLOSURE_APPROVAL
