"""Container health checks: ``python /app/safeguarding/healthcheck.py web|worker|beat``.

Run as a script, not with ``-m``: importing the ``safeguarding`` package loads Celery and
the settings, which takes seconds on a busy host; the web check needs none of it.

Exit 0 when the process in this container does its job, 1 (with the reason on stderr)
when it does not; docker-compose.yml runs one per service.

- web: the sign-in page answers 200 on the container's own port, asked as the TLS proxy
  in front asks (an allowed host name, ``X-Forwarded-Proto: https`` behind PROXY_COUNT),
  so a redirect to HTTPS or a refused host name counts as unhealthy. Standard library only:
  it must not load Django beside three gunicorn workers every half minute.
- worker: this container's Celery worker answers a control ping through the broker.
- beat: a heartbeat the scheduler sent has run within three HEARTBEAT_INTERVAL_SECONDS, as
  the System status page judges it.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

TIMEOUT_SECONDS = 10.0


def _host_name() -> str:
    """A host name the service accepts: the first ALLOWED_HOSTS entry that is a name."""
    for entry in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = entry.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def check_web(port: int = 8000) -> str | None:
    headers = {"Host": _host_name(), "User-Agent": "safeguarding-healthcheck"}
    if os.environ.get("PROXY_COUNT", "0") not in ("", "0"):
        headers["X-Forwarded-Proto"] = "https"
        headers["X-Forwarded-For"] = "127.0.0.1"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/sign-in/", headers=headers)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        return f"the web server does not answer: {error}"
    return None if status == 200 else f"the sign-in page answered {status}"


def _import_the_project() -> None:
    """Make the project importable. Run as a script, this file's folder (safeguarding/) heads
    sys.path, where safeguarding/celery.py would stand in for Celery itself: the project's
    root replaces it."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != here]
    if str(here.parent) not in sys.path:
        sys.path.insert(0, str(here.parent))


def check_worker() -> str | None:
    _import_the_project()
    from safeguarding.celery import app

    node = f"celery@{socket.gethostname()}"
    replies = app.control.ping(destination=[node], timeout=TIMEOUT_SECONDS / 2)
    return None if replies else f"the worker {node} does not answer a ping"


def _setting(name: str, default: str = "") -> str:
    """A setting as safeguarding/settings.py reads it: NAME, or the file NAME_FILE names."""
    if os.environ.get(f"{name}_FILE"):
        return Path(os.environ[f"{name}_FILE"]).read_text().strip()
    return os.environ.get(name, default)


def check_beat() -> str | None:
    # Straight to the database: loading Django for this takes too long on a busy host.
    import psycopg2

    interval = int(_setting("HEARTBEAT_INTERVAL_SECONDS", "60"))
    # Only beat sends the heartbeat task; django-celery-beat records its own sends in the
    # database only every few minutes, so the worker's row is the freshest proof. A stopped
    # worker turns this red too, beside the worker's own check.
    connection = psycopg2.connect(_setting("DATABASE_URL"), connect_timeout=10)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_seen, now() - last_seen <= make_interval(secs => %s)"
                " FROM core_workerheartbeat WHERE name = 'worker'",
                [3 * interval],
            )
            row = cursor.fetchone()
    finally:
        connection.close()
    if row is None or not row[1]:
        return f"no heartbeat sent by beat has run since {row[0] if row else 'the start'}"
    return None


CHECKS: dict[str, Callable[[], str | None]] = {"web": check_web, "worker": check_worker, "beat": check_beat}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: python safeguarding/healthcheck.py {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    try:
        problem = CHECKS[argv[0]]()
    except Exception as error:  # any failure to check is a failed check, said plainly
        problem = f"{type(error).__name__}: {error}"
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
