"""Write a consistent, compressed backup of the PostgreSQL database (pg_dump, custom format).

    python manage.py backup                      # VAR_DIR/backups/safeguarding-<UTC time>.dump
    python manage.py backup --output FILE
    python manage.py backup --output - > FILE    # to standard output (docker compose run -T)

Connects as the owner when MIGRATION_DATABASE_URL is set. The archive holds every record:
keep it encrypted and access-controlled like the database itself (docs/deploying.md).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core import backups


class Command(BaseCommand):
    help = "Write a consistent, compressed backup of the database (pg_dump custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="", help="the archive's path, or - for standard output")
        parser.add_argument(
            "--compress", type=int, default=backups.DEFAULT_COMPRESSION, choices=range(10), help="0 (none) to 9"
        )

    def handle(self, *args: Any, output: str, compress: int, **options: Any) -> None:
        to_stdout = output == "-"
        path = None if to_stdout else Path(output) if output else backups.default_path(timezone.now())
        where = "standard output" if path is None else path.name
        try:
            backups.require_postgresql(connection)
            # The audit log records the export itself, before the snapshot, so the archive holds it too.
            with transaction.atomic():
                audit_record(
                    action=AuditEvent.Action.EXPORT,
                    object_type="database",
                    object_id=connection.settings_dict["NAME"],
                    summary=f"Whole-database backup to {where}",
                    actor_email="manage.py backup",
                )
            if path is None:
                sys.stdout.flush()
                backups.dump(connection, destination=sys.stdout.buffer, compression=compress)
                sys.stdout.buffer.flush()
                return
            size = backups.dump(connection, destination=path, compression=compress)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {path} ({size:,} bytes).")
