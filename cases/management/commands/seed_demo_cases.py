"""Synthetic young people and cases for the demo force of seed_demo.

Every person here is invented and plainly fictional (surnames like Testwood and
Exampleton). Idempotent: a person already seeded is left alone. Refuses to run on
a database that holds real (non-demo) users, like seed_demo.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from cases.models import (
    Alias,
    AliasKind,
    Associate,
    Case,
    CaseStatus,
    CaseStatusChange,
    DealLine,
    ManualChronologyEntry,
    MissingEpisode,
    OrganisedCrimeGroup,
    PhilomenaProfile,
    Task,
    VoiceEntry,
    YoungPerson,
)
from cases.services._common import stamp_history
from safeguarding.accounts.management.demo import DemoSeedCommand
from safeguarding.accounts.models import User

DOMAIN = "westshire.example"
HOME_LA = "Westshire County Council"
HOME_FORCE = "Westshire Police"


def _born(years_ago: int, month: int, day: int) -> date:
    """A date of birth that keeps the demo young people the same age whenever it is loaded."""
    return date(timezone.localdate().year - years_ago, month, day)


GROUPS = [("Harbour Road Crew", "Portmere"), ("Eastmere Boys", "Eastmere City")]
LINES = [("Blade line", "07700 900101", "Westshire coast", 0), ("Sunny line", "07700 900202", "Eastmere City", 1)]

# Each person: details, aliases, and cases as (officer email local part, status, risk, extras).
PEOPLE: list[dict[str, Any]] = [
    {
        "person": {
            "given_name": "Danny",
            "family_name": "Testwood",
            "date_of_birth": _born(15, 3, 14),
            "gender": "male",
            "ethnicity": "white_british",
            "home_address": "12 Example Street, Portmere",
            "home_postcode": "ZZ1 1AA",
            "education_status": "excluded",
            "adverse_experiences": ["domestic_abuse", "parental_separation"],
            "vulnerabilities": ["excluded", "going_missing", "debt"],
            "warning_markers": ["weapons"],
        },
        "aliases": [("Ghost", AliasKind.STREET_NAME)],
        "cases": [
            (
                "officer.north",
                CaseStatus.ACTIVE,
                "high",
                {"lines": [0], "groups": [0], "missing": 2, "voice": True, "overdue": True},
            )
        ],
    },
    {
        "person": {
            "given_name": "Kwame",
            "family_name": "Exampleton",
            "date_of_birth": _born(16, 11, 2),
            "gender": "male",
            "ethnicity": "black_african",
            "home_local_authority": HOME_LA,
            "first_language": "Twi",
            "vulnerabilities": ["substance_misuse"],
        },
        "aliases": [("Kwam", AliasKind.NICKNAME)],
        "cases": [("officer.south", CaseStatus.ACTIVE, "medium", {"lines": [0], "voice": True})],
    },
    {
        "person": {
            "given_name": "Muhammad",
            "family_name": "Samplewell",
            "date_of_birth": _born(17, 6, 30),
            "gender": "male",
            "home_local_authority": "Eastmere City Council",
            "home_police_force": "Eastmere Constabulary",
            "nationality": "British",
            "vulnerabilities": ["homeless"],
        },
        "aliases": [("Mo", AliasKind.NICKNAME)],
        "cases": [("officer.north", CaseStatus.IDENTIFIED, "high", {"lines": [1], "groups": [1], "missing": 1})],
    },
    {
        "person": {
            "given_name": "Aleksander",
            "family_name": "Demoski",
            "estimated_age": 16,
            "gender": "male",
            "nationality": "Albanian",
            "first_language": "Albanian",
            "interpreter_needed": True,
            "vulnerabilities": ["unaccompanied"],
        },
        "aliases": [("Aleks", AliasKind.NICKNAME)],
        "cases": [("officer.east", CaseStatus.IDENTIFIED, "high", {"msht": True})],
    },
    {
        "person": {
            "given_name": "Olusegun",
            "family_name": "Placeholder-Jones",
            "date_of_birth": _born(14, 1, 21),
            "gender": "male",
            "looked_after_status": "care_order",
            "responsible_local_authority": HOME_LA,
            "social_worker_name": "Sam Fictional (social worker)",
            "social_worker_phone": "01632 960123",
            "adverse_experiences": ["physical_neglect", "emotional_neglect", "incarceration"],
            "vulnerabilities": ["going_missing", "send"],
        },
        "aliases": [("Segun", AliasKind.NICKNAME)],
        "philomena": True,
        "cases": [("officer.west", CaseStatus.AWAITING_CLOSURE_APPROVAL, "medium", {"missing": 3, "voice": True})],
    },
    {
        "person": {
            "given_name": "Chloe",
            "family_name": "Fakenham",
            "date_of_birth": _born(16, 8, 8),
            "gender": "female",
            "vulnerabilities": ["online", "mental_health"],
            "warning_markers": ["self_harm"],
        },
        "aliases": [],
        "cases": [("officer.central", CaseStatus.ACTIVE, "high", {"cse": True, "voice": True})],
    },
    {
        "person": {
            "given_name": "Jonathan",
            "family_name": "Mockford",
            "date_of_birth": _born(18, 12, 1),
            "gender": "male",
        },
        "aliases": [("Jonny M", AliasKind.ALIAS)],
        "cases": [("officer.coastal", CaseStatus.CLOSED, "low", {})],
    },
    {
        "person": {
            "given_name": "Tyler",
            "family_name": "Sampleton",
            "date_of_birth": _born(15, 5, 5),
            "gender": "male",
            "home_local_authority": HOME_LA,
        },
        "aliases": [("T-Bone", AliasKind.STREET_NAME)],
        "cases": [
            ("officer.north", CaseStatus.ACTIVE, "medium", {"lines": [0]}),
            ("officer.coastal", CaseStatus.ACTIVE, "medium", {"lines": [1]}),
        ],
    },
    {
        # A likely duplicate of Danny Testwood, for the merge demonstration.
        "person": {
            "given_name": "Daniel",
            "family_name": "Testwood",
            "date_of_birth": _born(15, 3, 14),
            "gender": "male",
            "home_local_authority": HOME_LA,
        },
        "aliases": [],
        "cases": [("officer.south", CaseStatus.IDENTIFIED, "medium", {})],
    },
    {
        "person": {"given_name": "Leah", "family_name": "Imaginary", "estimated_age": 14, "gender": "female"},
        "aliases": [],
        "cases": [],
        "created_by": "officer.central",
    },
]


def _user(local: str) -> User:
    user = User.objects.filter(email=f"{local}@{DOMAIN}", is_demo=True).first()
    if user is None:
        raise CommandError("Demo users are missing: run `python manage.py seed_demo` first.")
    return user


class Command(DemoSeedCommand):
    help = "Load synthetic young people and cases for the demo force (idempotent; refuses real data)."
    what = "demo cases"

    def seed(self) -> None:
        with transaction.atomic():
            created = self._seed()
        self.stdout.write(f"Demo young people: {created} created, {len(PEOPLE) - created} already there.")

    def _seed(self) -> int:
        groups = [
            OrganisedCrimeGroup.objects.get_or_create(name=name, defaults={"area": area})[0] for name, area in GROUPS
        ]
        lines = [
            DealLine.objects.get_or_create(
                name=name, defaults={"phone_number": phone, "supply_area": area, "crime_group": groups[g]}
            )[0]
            for name, phone, area, g in LINES
        ]
        created = 0
        for spec in PEOPLE:
            data = spec["person"]
            if YoungPerson.objects.filter(
                given_name=data["given_name"], family_name=data["family_name"], created_by__is_demo=True
            ).exists():
                continue
            creator = _user(spec.get("created_by") or (spec["cases"][0][0] if spec["cases"] else "officer.north"))
            self._person(spec, creator, groups, lines)
            created += 1
        return created

    def _person(self, spec, creator: User, groups, lines) -> None:
        now = timezone.now()
        person = YoungPerson(**spec["person"], created_by=creator, created_by_team=creator.team)
        person.created_at = now - timedelta(days=40)
        if person.date_of_birth is None:
            person.estimated_age_on = timezone.localdate() - timedelta(days=40)
        stamp_history(person, creator)
        person.save()
        for name, kind in spec["aliases"]:
            Alias.objects.create(person=person, name=name, kind=kind, created_by=creator)
        if spec.get("philomena"):
            PhilomenaProfile.objects.create(
                person=person,
                physical_description="Slim build, about 160 cm, short black hair, often wears a grey hooded top.",
                associates="Older males known as 'Bigs' and 'Rico' (not identified).",
                places_frequented="Portmere bus station; the Example Road shops; Harbour Park.",
                phone_numbers="07700 900303 (own phone)",
                social_media="Snapchat: fictional.user.123",
                transport_used="Trains to Eastmere City; taxis paid for by others.",
                updated_by=creator,
            )
        for index, (local, status, risk, extras) in enumerate(spec["cases"]):
            self._case(person, _user(local), status, risk, extras, now - timedelta(days=30 - index * 5), groups, lines)

    def _case(self, person, owner: User, status, risk, extras, opened, groups, lines) -> None:
        types = ["cce", "county_lines"]
        if extras.get("cse"):
            types = ["cse"]
        if extras.get("msht"):
            types = ["msht", "cce"]
        case = Case(
            person=person,
            owner=owner,
            team=owner.team,
            created_by=owner,
            status=CaseStatus.IDENTIFIED,
            exploitation_types=types,
            risk_level=risk,
            risk_rationale="Found far from home with cash, two phones and no explanation; older associates.",
            risk_review_on=timezone.localdate() + timedelta(days=14),
            how_identified=Case.HowIdentified.CUSTODY_REVIEW if status != CaseStatus.IDENTIFIED else "operation",
            operation_name="" if status != CaseStatus.IDENTIFIED else "Operation Example",
            records_review_on=timezone.localdate() + timedelta(days=365 * 6),
            opened_at=opened,
        )
        stamp_history(case, owner)
        case.save()
        case.deal_lines.set([lines[i] for i in extras.get("lines", [])])
        case.crime_groups.set([groups[i] for i in extras.get("groups", [])])
        supervisor = (owner.team.supervisors.first() if owner.team is not None else None) or owner
        path = {
            CaseStatus.IDENTIFIED: [],
            CaseStatus.ACTIVE: [CaseStatus.ACTIVE],
            CaseStatus.AWAITING_CLOSURE_APPROVAL: [CaseStatus.ACTIVE, CaseStatus.AWAITING_CLOSURE_APPROVAL],
            CaseStatus.CLOSED: [CaseStatus.ACTIVE, CaseStatus.AWAITING_CLOSURE_APPROVAL, CaseStatus.CLOSED],
        }[status]
        previous = CaseStatus.IDENTIFIED
        for step, to in enumerate(path, start=1):
            at = opened + timedelta(days=step * 3)
            by = supervisor if to == CaseStatus.CLOSED else owner
            reason = "Engaging well; no contact with the line for six weeks." if to != CaseStatus.ACTIVE else ""
            CaseStatusChange.objects.create(case=case, from_status=previous, to_status=to, reason=reason, at=at, by=by)
            previous = to
            if to == CaseStatus.AWAITING_CLOSURE_APPROVAL:
                case.closure_reason = reason
                case.closure_outcomes = ["no_missing", "engaged"]
            if to == CaseStatus.CLOSED:
                case.closed_at = at
        case.status = status
        stamp_history(case, owner)
        case.save()
        ManualChronologyEntry.objects.create(
            case=case,
            entry_type="contact",
            occurred_at=opened + timedelta(hours=3),
            text="Met the young person after release with their carer. Agreed a safety plan for tonight.",
            created_by=owner,
        )
        ManualChronologyEntry.objects.create(
            case=case,
            entry_type="strategy",
            occurred_at=opened + timedelta(days=1),
            text="Strategy discussion with children's services and youth justice: exploitation screening to follow.",
            created_by=owner,
        )
        for n in range(extras.get("missing", 0)):
            reported = opened + timedelta(days=4 + n * 6)
            MissingEpisode.objects.create(
                case=case,
                reported_missing_at=reported,
                missing_from="Home address" if not person.is_looked_after else "Children's home, Portmere",
                reported_by="Mother" if not person.is_looked_after else "Care home staff",
                risk_grade="high" if n == 0 else "medium",
                found_at=reported + timedelta(hours=30),
                found_where="Eastmere City, trap house on Example Road",
                found_by="Eastmere Constabulary patrol",
                created_by=owner,
            )
        if extras.get("voice"):
            VoiceEntry.objects.create(
                case=case,
                spoken_on=(opened + timedelta(days=2)).date(),
                account="“They said I owed them for the phone. I didn't want to go but I didn't have a choice.”",
                wishes="To go back to school and for my mum not to find out.",
                recorded_by=owner,
            )
        Associate.objects.create(
            case=case,
            name="'Bigs' (real name not known)",
            relationship="suspected_exploiter",
            details="Older male, seen collecting the young person in a grey car.",
            created_by=owner,
        )
        Task.objects.create(
            case=case,
            title="Follow-up visit at home",
            assignee=owner,
            due_at=timezone.now() + (timedelta(days=-1) if extras.get("overdue") else timedelta(days=3)),
            created_by=owner,
        )
