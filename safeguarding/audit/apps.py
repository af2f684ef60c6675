from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguarding.audit"
    label = "audit"
    verbose_name = "Audit log (DPA 2018 s62)"

    def ready(self) -> None:
        from safeguarding.core import navigation, periodic
        from safeguarding.core.navigation import NavItem

        periodic.register(
            name="audit.bulk_access_scan",
            task="safeguarding.audit.tasks.bulk_access_scan",
            every_seconds_setting="BULK_ACCESS_SCAN_SECONDS",
        )
        navigation.register(NavItem("Possible misuse", "audit:misuse", ("force_lead",), order=91))
