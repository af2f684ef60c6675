"""Periodic tasks are declared in code (each app in its AppConfig.ready) and
synced into django-celery-beat's tables on migrate or by `sync_periodic_tasks`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

PREFIX = "safeguarding:"


@dataclass(frozen=True)
class PeriodicSpec:
    name: str
    task: str
    every_seconds_setting: str

    @property
    def every_seconds(self) -> int:
        return int(getattr(settings, self.every_seconds_setting))


_registry: dict[str, PeriodicSpec] = {}


def register(*, name: str, task: str, every_seconds_setting: str) -> None:
    _registry[name] = PeriodicSpec(name, task, every_seconds_setting)


def registered() -> list[PeriodicSpec]:
    return sorted(_registry.values(), key=lambda s: s.name)


def sync() -> list[str]:
    """Create or update one beat entry per declared task; disable our stale ones."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    synced = []
    for spec in registered():
        schedule, _ = IntervalSchedule.objects.get_or_create(every=spec.every_seconds, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.update_or_create(
            name=PREFIX + spec.name,
            defaults={"task": spec.task, "interval": schedule, "enabled": True, "crontab": None},
        )
        synced.append(spec.name)
    PeriodicTask.objects.filter(name__startswith=PREFIX).exclude(name__in=[PREFIX + n for n in synced]).update(
        enabled=False
    )
    return synced


def sync_after_migrate(**kwargs: Any) -> None:
    # The beat tables may not exist yet when only some apps were migrated.
    from django.db import connection

    if "django_celery_beat_periodictask" in connection.introspection.table_names():
        sync()
