"""Manage integration API clients from the server's command line.

    manage.py api_client create --name "Westshire custody" --agency "Westshire Police" --scope custody:write
        [--days 365] [--allow 192.0.2.10 --allow 198.51.100.0/24]
    manage.py api_client list
    manage.py api_client revoke --name "Westshire custody"

The token is printed once, on creation; only its digest is stored, so a lost token is
replaced by revoking the client and creating another."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.models import Scope, SystemClient
from api.services import system_client_create, system_client_revoke
from safeguarding.accounts.models import Agency


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Create, list or revoke integration API clients."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a client and print its token once.")
        create.add_argument("--name", required=True)
        create.add_argument("--agency", required=True, help="The agency's name, exactly.")
        create.add_argument("--scope", required=True, choices=Scope.values)
        create.add_argument("--days", type=int, default=None, help="Days until the token expires.")
        create.add_argument("--allow", action="append", default=[], help="An address or network allowed (repeat).")
        sub.add_parser("list", help="List the clients (never their tokens).")
        revoke = sub.add_parser("revoke", help="Revoke a client: refused from its next call.")
        revoke.add_argument("--name", required=True)

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options) -> None:
        agency = Agency.objects.filter(name=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency is called {options['agency']!r}.")
        expires = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
        try:
            issued = system_client_create(
                actor=None,
                name=options["name"],
                agency=agency,
                scope=options["scope"],
                expires_at=expires,
                allowed_addresses=options["allow"],
            )
        except ValidationError as error:
            raise CommandError(_errors(error)) from None
        client = issued.client
        self.stdout.write(
            f"Created {client.name} for {agency.name}, scope {client.scope}, until {client.expires_at:%Y-%m-%d}."
        )
        self.stdout.write("Its token, shown this once (store it in the other system's secrets):")
        self.stdout.write(issued.token)

    def _list(self, options) -> None:
        for client in SystemClient.objects.select_related("agency"):
            state = "revoked" if client.revoked_at else ("expired" if not client.is_usable() else "active")
            used = f"{client.last_used_at:%Y-%m-%d %H:%M}" if client.last_used_at else "never"
            addresses = ", ".join(client.allowed_addresses) or "any address"
            self.stdout.write(
                f"{client.name}\t{client.agency.name}\t{client.scope}\t{state}\t"
                f"expires {client.expires_at:%Y-%m-%d}\tlast used {used}\t{addresses}"
            )

    def _revoke(self, options) -> None:
        client = SystemClient.objects.filter(name=options["name"]).first()
        if client is None:
            raise CommandError(f"No client is called {options['name']!r}.")
        try:
            system_client_revoke(actor=None, client=client)
        except ValidationError as error:
            raise CommandError(_errors(error)) from None
        self.stdout.write(f"Revoked {client.name}: its next call is refused.")
