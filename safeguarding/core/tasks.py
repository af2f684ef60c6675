from celery import shared_task

from . import services


@shared_task(name="safeguarding.core.tasks.heartbeat")
def heartbeat(name: str = "worker") -> None:
    """Run by beat: proves that beat, the broker and a worker all work."""
    services.heartbeat_record(name=name)


@shared_task(name="safeguarding.core.tasks.housekeeping")
def housekeeping() -> dict[str, int]:
    """Run by beat: forget what nobody may use any more (idempotent)."""
    return services.housekeeping_run()
