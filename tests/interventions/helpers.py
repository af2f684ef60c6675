"""Builders for the interventions tests. Every name is invented."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.interventions import services
from cases.interventions.models import CommunityProtection, CPKind, ServiceMethod
from tests.dates import born_years_ago
from tests.factories.cases import CaseFactory, YoungPersonFactory

CONDUCT = "Delivering packages for the Ricky line around Testford station"
EFFECT = "Residents near the station feel intimidated by the groups he gathers with"
AREA = "Testford station forecourt"


def case_aged(owner, years: int = 16, **person):
    return CaseFactory(owner=owner, person=YoungPersonFactory(date_of_birth=born_years_ago(years), **person))


def cp_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "conduct": CONDUCT,
        "effect": EFFECT,
        "planned_issue_on": today,
        "review_on": today + timedelta(days=90),
        "warning": None,
    }
    data.update(overrides)
    return data


def draft_warning(officer, case=None, **overrides) -> CommunityProtection:
    case = case or case_aged(officer)
    notice = services.cp_create(actor=officer, case=case, kind=CPKind.WARNING, data=cp_data(**overrides))
    services.cp_condition_add(
        actor=officer, notice=notice, data={"kind": "stop", "text": "carrying or delivering packages for others"}
    )
    services.cp_condition_add(
        actor=officer,
        notice=notice,
        data={
            "kind": "area_exclusion",
            "area_name": AREA,
            "area_description": "the forecourt and the taxi rank",
            "area_map_url": "https://maps.example/testford",
        },
    )
    return notice


def approved(notice, officer, supervisor) -> CommunityProtection:
    services.cp_submit(actor=officer, notice=notice)
    return services.cp_decide(actor=supervisor, notice=notice, approve=True)


def served(notice, officer, supervisor, *, days_ago: int = 3) -> CommunityProtection:
    approved(notice, officer, supervisor)
    day = timezone.localdate() - timedelta(days=days_ago)
    services.cp_issue(actor=officer, notice=notice, issued_on=day)
    return services.cp_serve(actor=officer, notice=notice, served_on=day, served_how=ServiceMethod.IN_PERSON)


def served_warning(officer, supervisor, case=None, *, days_ago: int = 3) -> CommunityProtection:
    notice = draft_warning(officer, case, planned_issue_on=timezone.localdate() - timedelta(days=days_ago))
    return served(notice, officer, supervisor, days_ago=days_ago)


def draft_notice(officer, warning, **overrides) -> CommunityProtection:
    data = cp_data(warning=warning, **overrides)
    return services.cp_create(actor=officer, case=warning.case, kind=CPKind.NOTICE, data=data)
