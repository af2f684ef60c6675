"""Make the audit table append-only: triggers refuse UPDATE and DELETE."""

from django.db import migrations

from safeguarding.audit import append_only


def forwards(apps, schema_editor):
    append_only.create(schema_editor)


def backwards(apps, schema_editor):
    append_only.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
