"""Restore a backup written by `manage.py backup` into an EMPTY database.

    python manage.py restore FILE
    python manage.py restore - < FILE     # from standard input (docker compose run -T)

Refuses a database that has any table: create a new, empty one (docker-compose.yml's
postgres does on a new volume) and point DATABASE_URL / MIGRATION_DATABASE_URL at it.
All or nothing (one transaction). Connects as the owner when MIGRATION_DATABASE_URL is
set; the runtime role must exist (.ci/postgres-init), since its grants come back with
the data. Then run the migrate job (migrate, grant_runtime_privileges) before starting
web, worker and beat, in case the backup is from an older release.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core import backups


class Command(BaseCommand):
    help = "Restore a backup (from manage.py backup) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the backup file, or - for standard input")

    def handle(self, *args: Any, archive: str, **options: Any) -> None:
        source = sys.stdin.buffer if archive == "-" else Path(archive)
        name = "standard input" if archive == "-" else Path(archive).name
        try:
            backups.load(connection, source=source)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            audit_record(
                action=AuditEvent.Action.UPDATE,
                object_type="database",
                object_id=connection.settings_dict["NAME"],
                summary=f"Whole database restored from the backup {name}"[:255],
                actor_email="manage.py restore",
            )
        self.stdout.write(f"Restored {name} into {connection.settings_dict['NAME']}.")
