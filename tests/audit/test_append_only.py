"""The audit table is append-only: the database itself refuses UPDATE and DELETE."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction

from safeguarding.accounts import services
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event():
    return audit_record(action=AuditEvent.Action.VIEW, object_type="cases.case", object_id=7, summary="Case viewed")


def test_runs_on_postgresql():
    """The suite's promise is about PostgreSQL; make sure that is what we test."""
    assert connection.vendor == "postgresql"


def test_raw_update_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET summary = 'tampered' WHERE id = %s", [event.pk])  # noqa: S608
    event.refresh_from_db()
    assert event.summary == "Case viewed"


def test_raw_delete_is_refused(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_queryset_update_is_refused(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_email="someone@else.example")
    event.refresh_from_db()
    assert event.actor_email == ""


def test_orm_queryset_delete_is_refused(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_a_changed_row_is_refused(event):
    event.justification = "added afterwards"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()


def test_deleting_a_row_is_refused(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_inserting_still_works(event):
    audit_record(action=AuditEvent.Action.LIST, object_type="cases.case")
    assert AuditEvent.objects.count() == 2


def test_truncate_is_not_blocked_so_test_databases_can_be_flushed(event):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}")
        assert not AuditEvent.objects.exists()
        transaction.set_rollback(True)


def test_an_action_fails_when_its_audit_row_cannot_be_written(personas):
    with (
        mock.patch.object(AuditEvent.objects, "create", side_effect=DatabaseError("audit unavailable")),
        pytest.raises(DatabaseError),
    ):
        services.user_set_active(actor=personas.admin, user=personas.officer_b, active=False)
    personas.officer_b.refresh_from_db()
    assert personas.officer_b.is_active


def test_audit_rows_have_no_foreign_keys():
    """Deleting, merging or erasing records must never cascade into the log."""
    assert not [f.name for f in AuditEvent._meta.get_fields() if f.is_relation]
