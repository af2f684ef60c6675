"""Synthetic demo data: a fictional force, six teams and demo users of every role.

Every person here is invented. Idempotent: a second run creates nothing new and
prints the same logins. Refuses to touch a database holding real (non-demo) users.
"""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.management.demo import DemoSeedCommand
from safeguarding.accounts.models import Agency, Team, User

FORCE = "Westshire Police"
TEAMS = [
    "County Lines Team North",
    "County Lines Team South",
    "County Lines Team East",
    "County Lines Team West",
    "County Lines Team Central",
    "Organised Crime Team Coastal",
]
PARTNER_AGENCIES = [
    ("Westshire Children's Services (MASH)", Agency.Kind.CHILDRENS_SERVICES),
    ("Westshire Youth Justice Service", Agency.Kind.YOUTH_JUSTICE),
    ("Harbour Lights Exploitation Service", Agency.Kind.SPECIALIST),
    ("Westshire Community Health Trust", Agency.Kind.HEALTH),
]
DOMAIN = "westshire.example"

# (email local part, full name, role, team index or None, supervised team indexes, agency name or None)
USERS = [
    ("officer.north", "Priya Shah", User.Role.OFFICER, 0, (), None),
    ("officer.south", "Tom Eddington", User.Role.OFFICER, 1, (), None),
    ("officer.east", "Grace Okafor", User.Role.OFFICER, 2, (), None),
    ("officer.west", "Callum Reid", User.Role.OFFICER, 3, (), None),
    ("officer.central", "Hannah Lowe", User.Role.OFFICER, 4, (), None),
    ("officer.coastal", "Marcus Bell", User.Role.OFFICER, 5, (), None),
    ("sergeant.north", "Leah Morgan", User.Role.SUPERVISOR, None, (0, 1, 2), None),
    ("sergeant.south", "David Quinn", User.Role.SUPERVISOR, None, (3, 4, 5), None),
    ("force.lead", "Ruth Adeyemi", User.Role.FORCE_LEAD, None, (), None),
    ("admin", "Sam Patel (admin)", User.Role.ADMIN, None, (), None),
    ("mash", "Jo Whitfield", User.Role.PARTNER, None, (), PARTNER_AGENCIES[0][0]),
    ("yjs", "Kofi Mensah", User.Role.PARTNER, None, (), PARTNER_AGENCIES[1][0]),
    ("harbour", "Ellie Shaw", User.Role.PARTNER, None, (), PARTNER_AGENCIES[2][0]),
]


def demo_email(local: str) -> str:
    return f"{local}@{DOMAIN}"


class Command(DemoSeedCommand):
    help = "Load the synthetic demo force and demo users (idempotent; refuses a database with real users)."
    what = "demo data"

    def seed(self) -> None:
        with transaction.atomic():
            rows = self._seed()
        self._print(rows)

    def _seed(self) -> list[tuple[User, str]]:
        force, _ = Agency.objects.get_or_create(name=FORCE, defaults={"kind": Agency.Kind.POLICE_FORCE})
        teams = []
        for i, name in enumerate(TEAMS):
            team, _ = Team.objects.get_or_create(
                agency=force, name=name, defaults={"contact_email": f"team{i + 1}@{DOMAIN}"}
            )
            teams.append(team)
        agencies = {FORCE: force}
        for i, (name, kind) in enumerate(PARTNER_AGENCIES):
            # A referral inbox on each, so demo referrals can be sent; the MASH decides
            # children's NRM referrals as a devolved panel and its area has a guardian service.
            mash = kind == Agency.Kind.CHILDRENS_SERVICES
            defaults = {
                "kind": kind,
                "referral_inbox_email": f"referrals{i + 1}@partners.{DOMAIN}",
                "is_decision_panel": mash,
                "has_icgt_service": mash,
            }
            agencies[name], _ = Agency.objects.get_or_create(name=name, defaults=defaults)

        rows = []
        for local, full_name, role, team_idx, supervised, agency_name in USERS:
            email = demo_email(local)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=settings.DEMO_PASSWORD,
                    full_name=full_name,
                    role=role,
                    agency=agencies[agency_name or FORCE],
                    team=teams[team_idx] if team_idx is not None else None,
                    is_staff=role == User.Role.ADMIN,
                    is_demo=True,
                    activated_at=timezone.now(),
                )
            if supervised:
                user.supervised_teams.add(*[teams[i] for i in supervised])
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
            rows.append((user, b32encode(device.bin_key).decode().rstrip("=")))
        return rows

    def _print(self, rows: list[tuple[User, str]]) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {settings.DEMO_PASSWORD!r}, set DEMO_PASSWORD to change).")
        self.stdout.write("Add the TOTP secret to any authenticator app (time-based, 6 digits, 30 s), or run")
        self.stdout.write("  python manage.py demo_code <email>   to print a current code.")
        self.stdout.write("")
        self.stdout.write(f"{'role':<12} {'email':<34} {'team / agency':<38} TOTP secret")
        for user, secret in rows:
            where = user.team.name if user.team else user.agency.name
            self.stdout.write(f"{user.role:<12} {user.email:<34} {where[:37]:<38} {secret}")
