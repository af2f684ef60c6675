"""Give the runtime database role exactly what the running service needs.

Run as the owner (MIGRATION_DATABASE_URL) after every `migrate`: it starts from
nothing on every table and sequence, then grants. On the audit log the runtime role
may only append and read; it owns no object, so TRUNCATE, ALTER TABLE and DROP
TRIGGER are refused to it as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from safeguarding.audit.append_only import TABLE as AUDIT_TABLE

# Tables the running service reads but never writes.
READ_ONLY_TABLES = {"django_migrations"}
# Tables it may append to and read, and nothing else.
APPEND_ONLY_TABLES = {AUDIT_TABLE}


def grant_statements(*, role: str, database: str, tables: list[str], quote: Callable[[str], str]) -> list[str]:
    r = quote(role)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
    ]
    for table in sorted(tables):
        if table in APPEND_ONLY_TABLES:
            privileges = "SELECT, INSERT"
        elif table in READ_ONLY_TABLES:
            privileges = "SELECT"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        statements.append(f"GRANT {privileges} ON TABLE {quote(table)} TO {r}")
    # nextval() for new rows; no UPDATE, so no setval().
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    return statements


class Command(BaseCommand):
    help = "Grant the runtime database role only what the service needs (run as the owner after migrate)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default=settings.RUNTIME_DATABASE_USER, help="the runtime role")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, role: str, database: str, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: one database user, nothing to grant.")
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, name = cursor.fetchone()
            if not role or role == owner:
                self.stdout.write(
                    self.style.WARNING(
                        f"The service connects as the owner {owner}: set MIGRATION_DATABASE_URL to the owner "
                        "and DATABASE_URL to a runtime role to protect the audit log."
                    )
                )
                return
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {role}: create it first (see .ci/services).")
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = %s", [role]
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"The runtime role {role} owns database objects: it must own nothing.")
        tables = connection.introspection.table_names(include_views=False)
        statements = grant_statements(role=role, database=name, tables=tables, quote=connection.ops.quote_name)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} the runtime privileges on {len(tables)} tables of {name}.")
