"""Celery tasks of the custody app (found by autodiscovery), one module per area."""

from .clock.tasks import *  # noqa: F403
from .review.tasks import *  # noqa: F403
