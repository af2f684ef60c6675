"""pg_trgm first: the trigram indexes of 0002 need its operator classes.
A no-op on SQLite (CreateExtension only runs on PostgreSQL)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [TrigramExtension()]
