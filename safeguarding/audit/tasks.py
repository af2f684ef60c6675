from celery import shared_task

from . import misuse


@shared_task(name="safeguarding.audit.tasks.bulk_access_scan")
def bulk_access_scan() -> int:
    """Run by beat: alert the force lead to officers opening or searching unusually much."""
    return len(misuse.bulk_access_scan())
