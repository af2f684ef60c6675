"""The guard every demo-data command shares: synthetic data only ever goes into an
empty or demo database, never one that holds real (non-demo) accounts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguarding.accounts.models import User


class DemoSeedCommand(BaseCommand):
    """Subclasses name what they load (`what`) and implement `seed()`. With --if-empty
    a database with real accounts is left alone and the command succeeds."""

    what = "demo data"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database holds non-demo users.",
        )

    def handle(self, *args, **options) -> None:
        if User.objects.filter(is_demo=False).exists():
            if options["if_empty"]:
                self.stdout.write(f"The database holds real accounts: {self.what} not loaded.")
                return
            raise CommandError(
                f"This database holds non-demo users. {self.name_for_errors()} only runs on an empty or demo database."
            )
        self.seed()

    def name_for_errors(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]

    def seed(self) -> None:
        raise NotImplementedError
