"""Synthetic custody events for the demo force, so that the 48-hour clock is running
when a demo starts: one released this morning (items due soon), one released
yesterday (items overdue, escalated by the sweep) and one remanded (clock not started).

Every person is invented (the demo young people of seed_demo_cases). Idempotent:
an event already seeded (by custody number) is left alone. Refuses a database that
holds real (non-demo) users, like seed_demo.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import Case
from custody.models import CustodyEvent, CustodyOutcome
from custody.review.services import custody_event_create
from safeguarding.accounts.management.demo import DemoSeedCommand

# (custody number, family name of the demo young person, hours since arrest, hours since release or None, outcome)
EVENTS = [
    ("WS/D0001/26", "Testwood", 20, 3.5, CustodyOutcome.RUI),
    ("WS/D0002/26", "Samplewell", 40, 30, CustodyOutcome.BAILED),
    ("WS/D0003/26", "Sampleton", 10, None, CustodyOutcome.REMANDED),
]


class Command(DemoSeedCommand):
    help = "Load synthetic custody events (and so running 48-hour clocks) for the demo cases."
    what = "demo custody events"

    def seed(self) -> None:
        now = timezone.now()
        created = 0
        for number, family_name, arrested_hours, released_hours, outcome in EVENTS:
            if CustodyEvent.objects.filter(custody_number=number).exists():
                continue
            case = (
                Case.objects.filter(person__family_name=family_name, owner__is_demo=True)
                .exclude(status=Case.Status.CLOSED)
                .select_related("owner", "person")
                .order_by("pk")
                .first()
            )
            if case is None:
                raise CommandError(f"No open demo case for {family_name}: run seed_demo_cases first.")
            data = {
                "custody_number": number,
                "custody_suite": "Westshire Central",
                "arrested_at": now - timedelta(hours=arrested_hours),
                "offences": "Possession with intent to supply a Class A drug",
                "appropriate_adult_name": "Sam Example (youth offending team volunteer)",
                "appropriate_adult_relationship": "Appropriate adult volunteer",
                "outcome": outcome,
            }
            if released_hours is not None:
                data["released_at"] = now - timedelta(hours=released_hours)
                data["released_to"] = "Mother"
                data["released_where"] = "Home address"
            custody_event_create(actor=case.owner, case=case, data=data)
            created += 1
        self.stdout.write(f"Demo custody events: {created} created, {len(EVENTS) - created} already there.")
