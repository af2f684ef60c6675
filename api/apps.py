from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The integration API: system clients (custody systems, partner agencies' case
    systems) and the versioned JSON endpoints they call."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    label = "api"
    verbose_name = "Integration API"

    def ready(self) -> None:
        from safeguarding.core import periodic

        periodic.register(
            name="api.idempotency_purge",
            task="api.tasks.idempotency_purge",
            every_seconds_setting="API_IDEMPOTENCY_PURGE_SECONDS",
        )
