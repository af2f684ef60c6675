"""Builders for the interventions tests. Every name is invented."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.models import Associate
from interventions import services
from interventions.models import CommunityProtection, CPKind, ServiceMethod
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


EXPLOITER = "Rico Fictitious"
RISK = "Recruited three local children to run the Ricky line in the last six months"
NECESSITY = "He contacts the child daily through a burner phone"


def adult_associate(case, *, years: int = 24, name: str = EXPLOITER):
    return Associate.objects.create(
        case=case,
        name=name,
        relationship=Associate.Relationship.SUSPECTED_EXPLOITER,
        date_of_birth=born_years_ago(years) if years is not None else None,
        details="Drives a grey hatchback",
        created_by=case.owner,
    )


def ccepo_data(respondent, **overrides) -> dict:
    data = {
        "respondent": respondent,
        "route": "free_standing",
        "applied_on": timezone.localdate() - timedelta(days=20),
        "risk_assessment": RISK,
        "victim_references": "",
    }
    data.update(overrides)
    return data


def ccepo_application(officer, case=None, **overrides):
    case = case or case_aged(officer, 15)
    respondent = adult_associate(case)
    application = services.ccepo_create(actor=officer, case=case, data=ccepo_data(respondent, **overrides))
    services.ccepo_evidence_add(
        actor=officer,
        application=application,
        data={
            "description": "Messages directing the child to deliver",
            "source": "Phone download",
            "dated_on": timezone.localdate() - timedelta(days=30),
        },
    )
    services.ccepo_condition_add(
        actor=officer,
        application=application,
        data={"text": "Not to contact the child named in this order", "necessity": NECESSITY},
    )
    return application


def ccepo_order(officer, case=None, *, order_type: str = "full"):
    application = ccepo_application(officer, case)
    made = timezone.localdate() - timedelta(days=10)
    return services.ccepo_order_record(
        actor=officer,
        application=application,
        data={
            "court": "Testford Magistrates' Court",
            "made_on": made,
            "order_type": order_type,
            "duration_months": 24,
            "until_further_order": False,
            "served_on": made,
            "served_how": "In person at court",
        },
    )


HOME_LA = "Easterby City Council"
HOME_FORCE = "Easterby Police"


def handover_data(**overrides) -> dict:
    data = {
        "home_police_force": HOME_FORCE,
        "force_contact_name": "DS Erin Example",
        "force_contact_role": "Missing and exploited lead",
        "force_contact_phone": "",
        "force_contact_email": "erin@easterby.example",
        "home_local_authority": HOME_LA,
        "la_contact_name": "Lee Socialworker",
        "la_contact_role": "Team manager",
        "la_contact_phone": "",
        "la_contact_email": "lee@easterby.example",
        "risk_summary": "High risk of county lines exploitation; found 80 miles from home.",
        "handover_at": timezone.now() - timedelta(hours=2),
        "meeting_point": "Testford services, junction 12",
        "handed_over_by": "PC Alice Officer",
        "received_by": "Lee Socialworker",
    }
    data.update(overrides)
    return data


def make_handover(officer, case=None, **overrides):
    case = case or case_aged(officer, 16, home_local_authority=HOME_LA, home_police_force=HOME_FORCE)
    return services.handover_create(actor=officer, case=case, data=handover_data(**overrides))
