"""The Celery application. Settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery

from safeguarding import broker_guard

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")

app = Celery("safeguarding")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
broker_guard.install()
