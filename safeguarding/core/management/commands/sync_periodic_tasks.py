from typing import Any

from django.core.management.base import BaseCommand

from safeguarding.core import periodic


class Command(BaseCommand):
    help = "Create or update the Celery beat entries declared in code."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in periodic.sync():
            self.stdout.write(f"synced {name}")
