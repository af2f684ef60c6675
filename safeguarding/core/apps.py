from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "safeguarding.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import periodic

        periodic.register(
            name="core.heartbeat",
            task="safeguarding.core.tasks.heartbeat",
            every_seconds_setting="HEARTBEAT_INTERVAL_SECONDS",
        )
        periodic.register(
            name="core.housekeeping",
            task="safeguarding.core.tasks.housekeeping",
            every_seconds_setting="HOUSEKEEPING_INTERVAL_SECONDS",
        )
        post_migrate.connect(periodic.sync_after_migrate, sender=self)

        from . import navigation
        from .navigation import NavItem

        everyone = ("officer", "supervisor", "force_lead", "partner", "admin")
        navigation.register(NavItem("Home", "core:home", everyone, order=0))
        navigation.register(NavItem("Audit log", "audit:search", ("force_lead",), order=90))
        navigation.register(NavItem("Accounts", "accounts:manage_user_list", ("admin",), order=80))
        navigation.register(NavItem("System status", "core:system_status", ("admin",), order=85))
