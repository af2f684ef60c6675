"""Reclassification: a case's classification history (e.g. suspect of drug supply → victim
of modern slavery) with linked suspects and the s45 defence noted; not in effect until a
supervisor of the case's team approves it in the approvals queue."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases import services
from cases.models import Associate, Reclassification
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas):
    case = CaseFactory(owner=personas.officer_a)
    Associate.objects.create(
        case=case, name="Dex Testexploiter", relationship="suspected_exploiter", created_by=personas.officer_a
    )
    return case


def ask(personas, case, **data):
    suspect = case.associates.get()
    body = {
        "to_classification": "victim_msht",
        "reason": "Held the line's phone under threat of a debt.",
        "suspects": [suspect.pk],
        "s45_defence_noted": "on",
        "s45_notes": "Raised by their solicitor at interview.",
        **data,
    }
    return personas.client("officer_a").post(reverse("cases:reclassification_add", args=[case.pk]), body)


def test_a_reclassification_is_not_in_effect_until_a_supervisor_approves_it(personas, case):
    assert ask(personas, case).status_code == 302
    change = Reclassification.objects.get(case=case)
    assert change.status == "pending" and change.s45_defence_noted
    assert list(change.suspects.values_list("name", flat=True)) == ["Dex Testexploiter"]
    assert services.current_classification(case) is None
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Not in effect yet" in page and "Not classified" in page
    assert Notification.objects.filter(user=personas.supervisor, kind="case_reclassification_approval").exists()

    queue = personas.client("supervisor").get(reverse("cases:approvals")).content.decode()
    assert f"Decide on {case.reference}" in queue
    url = reverse("cases:reclassification_decide", args=[change.pk])
    assert "Raised by their solicitor at interview." in personas.client("supervisor").get(url).content.decode()
    assert personas.client("supervisor").post(url, {"decision": "approved"}).status_code == 302
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == personas.supervisor
    assert services.current_classification(case) == change
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Victim of modern slavery / human trafficking" in page
    assert AuditEvent.objects.filter(object_type="cases.reclassification", detail__decision="approved").exists()


def test_a_refusal_needs_a_note_and_leaves_the_classification_as_it_was(personas, case):
    ask(personas, case)
    change = Reclassification.objects.get(case=case)
    url = reverse("cases:reclassification_decide", args=[change.pk])
    response = personas.client("supervisor").post(url, {"decision": "rejected", "note": ""})
    assert response.status_code == 400
    assert "Say why the reclassification is not approved" in response.content.decode()
    personas.client("supervisor").post(url, {"decision": "rejected", "note": "Wait for the NRM decision."})
    change.refresh_from_db()
    assert change.status == "rejected" and services.current_classification(case) is None


def test_only_a_supervisor_of_the_cases_team_decides(personas, case):
    ask(personas, case)
    change = Reclassification.objects.get(case=case)
    url = reverse("cases:reclassification_decide", args=[change.pk])
    for who in ("officer_a", "force_lead", "partner"):
        assert personas.client(who).post(url, {"decision": "approved"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.reclassification_decide(actor=personas.officer_a, change=change, approve=True)
    change.refresh_from_db()
    assert change.status == "pending"


def test_a_second_request_while_one_waits_is_refused_keeping_what_was_typed(personas, case):
    ask(personas, case)
    response = ask(personas, case, to_classification="victim_cce", reason="Typed second reason")
    page = response.content.decode()
    assert response.status_code == 400
    assert "A reclassification of this case is already waiting for approval" in page
    assert "Typed second reason" in page
    assert Reclassification.objects.filter(case=case).count() == 1


def test_a_reclassification_without_a_reason_is_refused(personas, case):
    response = ask(personas, case, reason="")
    assert "Enter why the classification changes" in response.content.decode()
    assert not Reclassification.objects.exists()


def test_the_history_runs_from_the_classification_in_effect(personas, case):
    first = services.reclassification_request(
        actor=personas.officer_a,
        case=case,
        to_classification="suspect_drug_supply",
        reason="Arrested with wraps",
        suspects=[],
        s45_defence_noted=False,
    )
    services.reclassification_decide(actor=personas.supervisor, change=first, approve=True)
    second = services.reclassification_request(
        actor=personas.officer_a,
        case=case,
        to_classification="victim_msht",
        reason="Debt bondage",
        suspects=list(case.associates.all()),
        s45_defence_noted=True,
    )
    assert second.from_classification == "suspect_drug_supply"
