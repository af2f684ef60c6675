"""The 48-hour post-custody clock, enforced by Celery exactly once."""
