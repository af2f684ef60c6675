from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safeguarding.notifications"
    label = "notifications"

    def ready(self) -> None:
        from safeguarding.core import periodic

        from . import kinds

        periodic.register(
            name="notifications.digest",
            task="safeguarding.notifications.tasks.digest_send",
            every_seconds_setting="DIGEST_SWEEP_SECONDS",
        )
        kinds.register(
            kinds.EmailKind(
                key="daily_digest",
                label="Daily digest",
                hint="Each morning: what is overdue in your teams (checklist items, NRM decisions, referrals).",
                roles=("supervisor",),
                order=90,
            )
        )
