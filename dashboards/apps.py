from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Supervisor and force dashboards. Reads every domain app through the core's figure
    registry (safeguarding/core/figures.py); no domain app imports this one."""

    name = "dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from safeguarding.core import navigation
        from safeguarding.core.navigation import NavItem

        from . import digest_lines

        digest_lines.register()

        navigation.register(NavItem("Team dashboard", "dashboards:team", ("supervisor",), order=40))
        navigation.register(NavItem("Force dashboard", "dashboards:force", ("force_lead",), order=40))
