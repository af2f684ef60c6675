"""Test settings: the real settings, overridden only for speed and isolation."""

import os

os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")

from safeguarding.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = 5
# Serve static files straight from static/ (no collectstatic needed for tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Separate test databases for runs that may overlap on one server (set TEST_DB_SUFFIX).
if os.environ.get("TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"] = {"NAME": f"test_safeguarding_{os.environ['TEST_DB_SUFFIX']}"}  # noqa: F405

# Rate-limit counters per test process (the autouse fixture in conftest clears them):
# a shared Redis would carry counts from one test, or one xdist worker, to another.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]  # noqa: F405
