"""Builders for the clock tests: a young person with a case, a custody event, a checklist.

Everything is invented; names are never asserted on except to prove they are absent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from cases.models import Case, LookedAfterStatus
from custody.clock import services
from custody.models import Checklist, CustodyEvent, ReturnInterview
from safeguarding.accounts.models import User
from tests.factories.cases import CaseFactory, YoungPersonFactory
from tests.factories.custody import CustodyEventFactory

PERSON_GIVEN = "Kayden"
PERSON_FAMILY = "Marlowe-Testperson"


def make_case(
    *, owner: User, team=None, looked_after: bool = False, out_of_area: bool = False, given: str = PERSON_GIVEN
) -> Case:
    team = team or owner.team
    person = YoungPersonFactory(
        given_name=given,
        family_name=PERSON_FAMILY,
        date_of_birth=date(2010, 5, 17),
        looked_after_status=LookedAfterStatus.CARE_ORDER if looked_after else LookedAfterStatus.NO,
        home_local_authority="",
        home_police_force="North Yorkshire Police" if out_of_area else "",
        created_by=owner,
        created_by_team=team,
    )
    return CaseFactory(person=person, team=team, owner=owner)


def make_event(
    *,
    case: Case,
    by: User,
    arrested_at: datetime,
    released_at: datetime | None,
    outcome: str = "rui",
    source: str = "manual",
    created_at: datetime | None = None,
    number: str = "",
) -> CustodyEvent:
    return CustodyEventFactory(
        case=case,
        source=source,
        custody_number=number,
        custody_suite="",
        offences="",
        arrested_at=arrested_at,
        released_at=released_at,
        outcome=outcome,
        created_by=by,
        created_at=created_at or timezone.now(),
    )


def start_checklist(*, case: Case, by: User, released_at: datetime | None = None) -> Checklist:
    released_at = released_at or timezone.now()
    event = make_event(case=case, by=by, arrested_at=released_at - timedelta(hours=6), released_at=released_at)
    checklist = services.checklist_follow_release(actor=by, event=event)
    assert checklist is not None
    return checklist


def make_interview(*, case: Case, by: User, returned_at: datetime | None = None) -> ReturnInterview:
    """A missing episode on the case whose return is recorded: its return home interview."""
    from cases import services as case_services

    returned_at = returned_at or timezone.now()
    episode = case_services.missing_episode_create(
        actor=by,
        case=case,
        data={
            "reported_missing_at": returned_at - timedelta(hours=20),
            "missing_from": "Children's home, Testtown",
            "reported_by": "Care home staff",
            "risk_grade": "medium",
            "found_at": returned_at,
            "found_where": "Testtown bus station",
            "found_by": "Response officer",
            "found_location": "inside",
        },
    )
    return ReturnInterview.objects.get(episode=episode)
