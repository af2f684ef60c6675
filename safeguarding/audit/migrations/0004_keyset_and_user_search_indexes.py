"""Indexes for the audit search at millions of rows: its keyset pages (time, id) and its
search by user (UPPER(actor_email)).

On PostgreSQL they are built CONCURRENTLY: every page view writes an audit row, and a
plain CREATE INDEX would hold those writes for the minutes a 10-million-row build takes.
CONCURRENTLY cannot run in a transaction, hence atomic = False. Other databases (the
embedded SQLite default) build them the ordinary way.
"""

import django.db.models.functions.text
from django.db import migrations, models

INDEXES = [
    models.Index(fields=["-at", "-id"], name="audit_at_id_idx"),
    models.Index(
        django.db.models.functions.text.Upper("actor_email"),
        models.OrderBy(models.F("at"), descending=True),
        name="audit_actor_email_at_idx",
    ),
]


def add_indexes(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    for index in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            sql = str(index.create_sql(model, schema_editor)).replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1)
            schema_editor.execute(sql, params=None)
        else:
            schema_editor.add_index(model, index)


def remove_indexes(apps, schema_editor):
    model = apps.get_model("audit", "AuditEvent")
    for index in INDEXES:
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0003_misuse_alert"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="auditevent", index=index) for index in INDEXES],
            database_operations=[migrations.RunPython(add_indexes, remove_indexes, elidable=False)],
        ),
    ]
