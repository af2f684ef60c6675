"""Backups of the PostgreSQL database: `manage.py backup` and `manage.py restore`.

A backup is one pg_dump archive in the custom format: compressed, taken in one
repeatable-read snapshot (so every table is as it was at one instant, whatever the
service writes meanwhile), holding the schema with the audit log's append-only trigger,
the data, the sequences' positions and the privileges (the runtime role's limited
grants). It is written beside its final name and renamed once pg_restore has read it
back, so a half-written file never looks like a backup.

A restore loads an archive into an EMPTY database with pg_restore in one transaction:
all of it or nothing. Objects come to belong to the role that restores (the owner:
both commands connect as MIGRATION_DATABASE_URL's role when it is set); the runtime role
gets back exactly the grants it had, so it still cannot alter or empty the audit log.

The 48-hour clock needs nothing special: its deadlines, and which reminders have been
sent, are rows (docs/adr/0001), so a restored clock carries on from its outbox.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# pg_dump's compression level for the custom format (zlib, 0-9).
DEFAULT_COMPRESSION = 6
SUFFIX = ".dump"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why, in plain words."""


def require_postgresql(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups need PostgreSQL (pg_dump). The embedded SQLite default is a single file: "
            f"copy {settings.VAR_DIR / 'db.sqlite3'} while the service is stopped."
        )


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The libpq variables for pg_dump / pg_restore, from a Django connection's settings.
    The password goes to the child process's environment only, as Django's dbshell does:
    never onto its command line, where any user could read it."""
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGPASSFILE": options.get("passfile"),
    }
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    environment.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return environment


def default_path(now: datetime) -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"safeguarding-{now:%Y%m%dT%H%M%SZ}{SUFFIX}"


def _run(args: list[str], environment: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, env=environment, check=False, **kwargs)  # noqa: S603 - fixed pg_* programs, no shell
    except FileNotFoundError as error:
        raise BackupError(f"{args[0]} is not installed here (Debian: postgresql-client).") from error


def _failed(what: str, result: subprocess.CompletedProcess[bytes]) -> BackupError:
    detail = (result.stderr or b"").decode(errors="replace").strip()
    return BackupError(f"{what} failed (exit code {result.returncode}): {detail}")


def dump(connection: BaseDatabaseWrapper, *, destination: Path | IO[bytes], compression: int) -> int:
    """Write the archive to `destination` (a path, or an open binary stream such as stdout).
    Returns its size in bytes."""
    require_postgresql(connection)
    environment = libpq_environment(connection.settings_dict)
    args = ["pg_dump", "--format=custom", f"--compress={compression}", "--no-password"]
    if not isinstance(destination, Path):
        result = _run(args, environment, stdout=destination, stderr=subprocess.PIPE)
        if result.returncode != 0:
            raise _failed("pg_dump", result)
        return 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        result = _run([*args, f"--file={partial}"], environment, capture_output=True)
        if result.returncode != 0:
            raise _failed("pg_dump", result)
        # Read the archive's table of contents back before calling it a backup.
        listing = _run(["pg_restore", "--list", str(partial)], environment, capture_output=True)
        if listing.returncode != 0:
            raise _failed("Reading the archive back", listing)
        partial.chmod(0o600)  # it holds every record: readable by its owner only
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination.stat().st_size


def relations_in(connection: BaseDatabaseWrapper) -> int:
    """How many tables, sequences and views the database has outside PostgreSQL's own schemas."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def load(connection: BaseDatabaseWrapper, *, source: Path | IO[bytes]) -> None:
    """Restore the archive into the connection's database, which must be empty."""
    require_postgresql(connection)
    existing = relations_in(connection)
    if existing:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty ({existing} tables, sequences or views): "
            "restore only into a new, empty database."
        )
    environment = libpq_environment(connection.settings_dict)
    # The connection is closed first so that nothing of Django's holds a snapshot or a lock.
    connection.close()
    args = [
        "pg_restore",
        "--no-password",
        "--exit-on-error",
        "--single-transaction",
        # Objects belong to the restoring role (the owner), whatever the old server's owner was.
        "--no-owner",
        f"--dbname={connection.settings_dict['NAME']}",
    ]
    if isinstance(source, Path):
        if not source.is_file():
            raise BackupError(f"No backup at {source}.")
        result = _run([*args, str(source)], environment, capture_output=True)
    else:
        result = _run(args, environment, stdin=source, capture_output=True)
    if result.returncode != 0:
        raise _failed("pg_restore (nothing was restored)", result)
    # pg_restore leaves the planner without statistics; searches would be slow until autovacuum.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
