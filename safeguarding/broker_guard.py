"""A guard for the worker against a crash in kombu's Redis transport.

When Redis goes away while the worker holds an unacknowledged message (acks_late: the
task is still running or was just received), Celery closes the broken connection. kombu
5.7's Redis channel first drops its connection pool, then tries to put the unacknowledged
messages back through a new client built from the connection's parameters, which have
already been cleared: ``AttributeError: 'NoneType' object has no attribute 'hostname'``.
Celery treats that as unrecoverable and the worker exits, so the 48-hour clock would stop
until someone restarted it.

Nothing is lost by skipping the restore on a connection that has gone: the messages stay
in Redis's unacked hash and come back after the visibility timeout (or Redis itself lost
them, and the sweep, whose truth is the database, sends them again).
"""

from __future__ import annotations

import logging

from kombu.transport import redis as kombu_redis

logger = logging.getLogger(__name__)

_restore_unacked = kombu_redis.QoS.restore_unacked


def _restore_unacked_unless_disconnected(self, client=None):
    transport = getattr(self.channel, "connection", None)
    if client is None and getattr(transport, "client", None) is None:
        logger.warning(
            "Broker connection already closed: %d unacknowledged message(s) left for redelivery",
            len(self._delivered),
        )
        self._delivered.clear()
        return None
    return _restore_unacked(self, client)


def install() -> None:
    # A deliberate patch of kombu's method, which mypy otherwise refuses.
    kombu_redis.QoS.restore_unacked = _restore_unacked_unless_disconnected  # type: ignore[method-assign]
