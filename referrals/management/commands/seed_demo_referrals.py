"""Synthetic referrals for the demo force, so that a partner signing in to the demo sees a
referral shared with their agency: one to the MASH (sent, awaiting acknowledgement) and one to
the specialist exploitation service (acknowledged, with an update from its worker).

Every person is invented (the demo young people of seed_demo_cases). Idempotent: a demo case
that already has a referral to that agency is left alone. Refuses a database that holds real
(non-demo) users, like seed_demo.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import Case
from referrals.models import Referral
from referrals.models.choices import MessageKind, ReferralType, Section, Urgency
from referrals.services.referrals import referral_create, referral_message_add, referral_partner_decide
from safeguarding.accounts.management.demo import DemoSeedCommand
from safeguarding.accounts.models import Agency, User

# (family name of the demo young person, agency name, type, urgency, sections, partner's update or None)
REFERRALS = [
    (
        "Testwood",
        "Westshire Children's Services (MASH)",
        ReferralType.CHILDRENS_SERVICES,
        Urgency.URGENT,
        [Section.PERSON, Section.RISK, Section.CUSTODY, Section.CONTACTS],
        None,
    ),
    (
        "Samplewell",
        "Harbour Lights Exploitation Service",
        ReferralType.SPECIALIST,
        Urgency.ROUTINE,
        [Section.PERSON, Section.RISK, Section.CHRONOLOGY],
        "First visit booked for Thursday after school; a worker will meet them at the youth centre.",
    ),
]


class Command(DemoSeedCommand):
    help = "Load synthetic referrals shared with the demo partner agencies."
    what = "demo referrals"

    def seed(self) -> None:
        created = 0
        today = timezone.localdate()
        for family_name, agency_name, kind, urgency, sections, update in REFERRALS:
            case = (
                Case.objects.filter(person__family_name=family_name, owner__is_demo=True)
                .exclude(status=Case.Status.CLOSED)
                .select_related("owner", "person")
                .order_by("pk")
                .first()
            )
            if case is None:
                raise CommandError(f"No open demo case for {family_name}: run seed_demo_cases first.")
            agency = Agency.objects.filter(name=agency_name).first()
            if agency is None:
                raise CommandError(f"No demo agency {agency_name}: run seed_demo first.")
            if Referral.objects.filter(case=case, agency=agency).exists():
                continue
            referral = referral_create(
                actor=case.owner,
                case=case,
                send=True,
                data={
                    "agency": agency,
                    "referral_type": kind,
                    "urgency": urgency,
                    "reason": (
                        "Arrested out of area with cash and two phones; believed to be running a deal line "
                        "for an older associate. Missing from home twice this month."
                    ),
                    "ask": "A strategy discussion and an allocated worker to build trust over the next weeks.",
                    "sections": sections,
                    "chronology_from": today - timedelta(days=90) if Section.CHRONOLOGY in sections else None,
                    "chronology_to": today if Section.CHRONOLOGY in sections else None,
                    "chronology_types": [],
                    "share_expires_on": today + timedelta(days=90),
                },
            )
            if update:
                worker = User.objects.filter(agency=agency, role=User.Role.PARTNER, is_demo=True).first()
                if worker is not None:
                    referral = referral_partner_decide(actor=worker, referral=referral, action="acknowledge")
                    referral_message_add(actor=worker, referral=referral, kind=MessageKind.UPDATE, text=update)
            created += 1
        self.stdout.write(f"Demo referrals: {created} created, {len(REFERRALS) - created} already there.")
