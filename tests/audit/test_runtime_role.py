"""The running service's database role cannot empty or silence the audit log.

The suite itself connects as the owner (it creates and flushes databases); this test
grants the runtime role as `make run` and the migrate job do, then connects as it.
The role comes from .ci/services (SAFEGUARDING_DB_RUNTIME_ROLE / _PASSWORD).
"""

from __future__ import annotations

import io
import os

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import errors

pytestmark = [pytest.mark.django_db(transaction=True)]

ROLE = os.environ.get("SAFEGUARDING_DB_RUNTIME_ROLE", "safeguarding_app")
PASSWORD = os.environ.get("SAFEGUARDING_DB_RUNTIME_PASSWORD", "safeguarding_app")


@pytest.fixture
def runtime():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    call_command("grant_runtime_privileges", role=ROLE, stdout=io.StringIO())
    settings = connection.settings_dict
    try:
        conn = psycopg2.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            dbname=settings["NAME"],
            user=ROLE,
            password=PASSWORD,
        )
    except psycopg2.OperationalError as exc:  # pragma: no cover - a machine without the role
        pytest.fail(f"cannot connect as the runtime role {ROLE} (run .ci/services): {exc}")
    conn.autocommit = True
    try:
        yield Runtime(conn)
    finally:
        conn.close()


class Runtime:
    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql: str):
        cursor = self.conn.cursor()
        cursor.execute(sql)
        return cursor


def refused(conn, sql: str) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        conn.execute(sql)


def test_the_runtime_role_can_only_append_to_and_read_the_audit_log(runtime):
    runtime.execute(
        "INSERT INTO audit_auditevent (at, actor_email, action, object_type, object_id, summary, recipient,"
        " justification, detail) VALUES (now(), 'x@example.com', 'view', 'cases.case', '1', '', '', '', '{}')"
    )
    assert runtime.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1

    # Refused for want of privilege, before the append-only trigger is even reached.
    refused(runtime, "UPDATE audit_auditevent SET summary = 'changed'")
    refused(runtime, "DELETE FROM audit_auditevent")
    refused(runtime, "TRUNCATE audit_auditevent")
    refused(runtime, "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
    refused(runtime, "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
    refused(runtime, "DROP TRIGGER audit_append_only ON audit_auditevent")
    refused(runtime, "DROP TABLE audit_auditevent")
    refused(runtime, f"ALTER TABLE audit_auditevent OWNER TO {ROLE}")
    refused(runtime, "CREATE TABLE audit_shadow (id int)")
    refused(runtime, "UPDATE django_migrations SET name = name")
    # The rows are all still there.
    assert runtime.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] >= 1


def test_the_runtime_role_owns_nothing_and_keeps_the_ordinary_tables_writable(runtime):
    owned = runtime.execute(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    )
    assert owned.fetchone()[0] == 0
    runtime.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('k' || md5(random()::text), '', now())"
    )
    runtime.execute("UPDATE django_session SET session_data = 'x'")
    runtime.execute("DELETE FROM django_session")
    refused(runtime, "TRUNCATE django_session")
