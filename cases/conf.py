"""Limits of the cases app, as data: a Django setting of the same name wins, else the
environment, else the default (so they can move into settings.py without a code change)."""

from __future__ import annotations

import environ
from django.conf import settings

_env = environ.Env()

_DEFAULTS = {
    # How long break-glass access to a person outside one's scope lasts.
    "BREAK_GLASS_HOURS": 24,
    # The shortest written justification accepted for breaking glass.
    "BREAK_GLASS_MIN_JUSTIFICATION": 30,
    # Search: results shown, and how close a name must be to count as a match (0..1).
    "SEARCH_MAX_RESULTS": 25,
    "SEARCH_MIN_SCORE": 0.3,
    # Duplicate suggestions when creating a person.
    "DUPLICATE_MIN_SCORE": 0.45,
    # Who viewed this record: how many audit rows to show.
    "VIEWERS_SHOWN": 200,
}


def get(name: str):
    default = _DEFAULTS[name]
    if hasattr(settings, name):
        return getattr(settings, name)
    if isinstance(default, float):
        return _env.float(name, default=default)
    return _env.int(name, default=default)
