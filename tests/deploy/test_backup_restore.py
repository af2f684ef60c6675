"""`manage.py backup` and `manage.py restore`: a database with people, cases, a running
48-hour clock (reminders already sent) and audit rows is backed up, restored into a fresh
database, and found whole: every row, the audit log's append-only trigger, the runtime
role's limited grants, the clock's deadlines. Then the restored clock carries on exactly
once: the reminders sent before the backup are not sent again, the next ones are sent once,
exactly as the original database would send them."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings

from custody.clock import services as clock
from custody.models import ChecklistItem, ChecklistOutbox, OutboxKind
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.notifications.models import Notification
from tests.custody.clock.helpers import make_case, start_checklist

pytestmark = [pytest.mark.django_db(transaction=True)]

RUNTIME_ROLE = os.environ.get("SAFEGUARDING_DB_RUNTIME_ROLE", "safeguarding_app")
RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
LEAD = timedelta(minutes=60)


def sweep_at(moment: datetime) -> clock.SweepResult:
    with time_machine.travel(moment, tick=False):
        return clock.checklist_sweep()


def execute(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@contextmanager
def on_database(name: str) -> Iterator[None]:
    """The ORM, the services and the commands use database `name` for a while."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


@pytest.fixture
def fresh_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_digests(*, audit_up_to: int) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows (the audit log's up to an id)."""
    digests = {}
    for table in connection.introspection.table_names(include_views=False):
        where = f" WHERE id <= {audit_up_to}" if table == "audit_auditevent" else ""
        quoted = connection.ops.quote_name(table)
        [(count, digest)] = execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM {quoted} t{where}"  # noqa: S608 - table names from introspection
        )
        digests[table] = (count, digest)
    return digests


def runtime_grants() -> dict[str, str]:
    rows = execute(
        "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)"
        " FROM information_schema.role_table_grants WHERE grantee = %s GROUP BY table_name",
        [RUNTIME_ROLE],
    )
    return dict(rows)


def audit_triggers() -> list[tuple]:
    return execute(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
    )


def deadlines() -> list[tuple]:
    return list(
        ChecklistItem.objects.order_by("pk").values_list(
            "pk", "checklist_id", "status", "due_at", "reminder_queued_at", "escalated_at"
        )
    )


def sent() -> tuple[int, int, int]:
    """Reminder outbox rows, notifications and emails so far."""
    return (
        ChecklistOutbox.objects.filter(kind=OutboxKind.REMINDER).count(),
        Notification.objects.filter(kind="checklist_reminder").count(),
        len(mail.outbox),
    )


@override_settings(CHECKLIST_REMINDER_LEAD_MINUTES=60)
def test_a_backup_restores_whole_into_a_fresh_database_and_the_clock_carries_on_once(
    personas, fresh_database, tmp_path: Path
):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL's")
    # People and cases, a running clock, reminders already sent for its first deadline.
    case = make_case(owner=personas.officer_a)
    other = make_case(owner=personas.officer_b, given="Rowan")
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)
    audit_record(action=AuditEvent.Action.VIEW, actor=personas.officer_b, obj=other.person, summary="Viewed")
    first_due = checklist.items.order_by("due_at").first().due_at
    assert sweep_at(first_due - LEAD).reminders == 3
    before_backup = sent()
    assert before_backup == (3, 3, 3)
    next_due = checklist.items.filter(due_at__gt=first_due).order_by("due_at").first().due_at
    call_command("grant_runtime_privileges", role=RUNTIME_ROLE, stdout=io.StringIO())

    archive = tmp_path / "backups" / "safeguarding.dump"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert archive.stat().st_size > 0
    assert archive.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert not list(archive.parent.glob(".*partial"))
    assert "Backup written" in out.getvalue()
    # The export itself is on the record, inside the backup too.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type="database").count() == 1

    last_audit = AuditEvent.objects.order_by("-pk").first().pk
    original = {
        "tables": table_digests(audit_up_to=last_audit),
        "grants": runtime_grants(),
        "triggers": audit_triggers(),
        "deadlines": deadlines(),
    }
    assert original["grants"]["audit_auditevent"] == "INSERT,SELECT"
    assert original["triggers"] == [("audit_append_only", "O")]
    assert original["tables"]["cases_case"][0] == 2
    assert original["tables"]["audit_auditevent"][0] >= 3

    with on_database(fresh_database):
        call_command("restore", str(archive), stdout=io.StringIO())

        # Every row of every table, the trigger, the grants and the deadlines.
        assert table_digests(audit_up_to=last_audit) == original["tables"]
        assert runtime_grants() == original["grants"]
        assert audit_triggers() == original["triggers"]
        assert deadlines() == original["deadlines"]
        # The restore is on the record; the log is still append-only.
        restored = AuditEvent.objects.get(pk__gt=last_audit)
        assert restored.summary == "Whole database restored from the backup safeguarding.dump"
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=restored.pk).update(summary="changed")
        # Sequences carry on after the restored rows.
        assert audit_record(action=AuditEvent.Action.VIEW, obj=case, summary="after").pk > restored.pk

        # The clock: the reminders sent before the backup are not sent again...
        again = sweep_at(first_due - LEAD + timedelta(minutes=5))
        assert (again.reminders, again.delivered) == (0, 0)
        assert sent() == before_backup
        # ...and the next deadline's reminders (and the first deadline's escalations, now
        # overdue) are sent exactly once.
        restored_next = sweep_at(next_due - LEAD)
        assert restored_next.reminders > 0
        assert restored_next.escalations == 3
        assert restored_next.delivered == restored_next.reminders + restored_next.escalations
        later = sweep_at(next_due - LEAD + timedelta(minutes=5))
        assert (later.reminders, later.escalations, later.delivered) == (0, 0, 0)
        after_restore = sent()
        assert after_restore[0] == before_backup[0] + restored_next.reminders
        assert after_restore[1] == before_backup[1] + restored_next.reminders

    # The original database, swept at the same instant, does exactly what the restored one did.
    original_next = sweep_at(next_due - LEAD)
    assert original_next == restored_next


def test_restore_refuses_a_database_that_is_not_empty(tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL's")
    archive = tmp_path / "x.dump"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_of_a_missing_or_broken_archive_changes_nothing(fresh_database, tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL's")
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP not really an archive")
    with on_database(fresh_database):
        with pytest.raises(CommandError, match="No backup at"):
            call_command("restore", str(tmp_path / "missing.dump"), stdout=io.StringIO())
        with pytest.raises(CommandError, match="nothing was restored"):
            call_command("restore", str(broken), stdout=io.StringIO())
        assert execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_the_backup_file_name_says_when_it_was_taken(settings, tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are PostgreSQL's")
    settings.VAR_DIR = tmp_path
    with time_machine.travel(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), tick=False):
        call_command("backup", stdout=io.StringIO())
    assert [p.name for p in (tmp_path / "backups").iterdir()] == ["safeguarding-20260329T013000Z.dump"]
