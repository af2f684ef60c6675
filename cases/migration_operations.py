"""Migration operations that only touch PostgreSQL.

The trigram (GIN, gin_trgm_ops) indexes exist only on PostgreSQL; on the SQLite
embedded default the search falls back to simpler matching (cases.search). The
model state still records the index everywhere, so makemigrations stays quiet.
"""

from django.db.migrations.operations import AddIndex


class AddIndexOnPostgres(AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"{super().describe()} (PostgreSQL only)"
