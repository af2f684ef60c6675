"""The worker survives Redis going away while it holds an unacknowledged message."""

from __future__ import annotations

import pytest
from django.conf import settings
from kombu import Connection

from safeguarding import broker_guard  # noqa: F401  (installed by safeguarding.celery)
from safeguarding.celery import app  # noqa: F401


@pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis"), reason="the guard is for the Redis transport")
def test_closing_a_channel_whose_connection_is_gone_with_unacked_messages_does_not_raise():
    with Connection(settings.CELERY_BROKER_URL) as connection:
        channel = connection.channel()
        channel.qos._delivered["tag-1"] = True  # a message received and not yet acknowledged
        # What Celery's connection-error handling leaves behind: the transport's client cleared.
        channel.connection.client = None
        channel._disconnect_pools()
        channel.close()  # kombu 5.7 alone raises AttributeError here and the worker exits
        assert channel.closed
        assert not channel.qos._delivered
