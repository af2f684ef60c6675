"""Run the whole service in the foreground: web (gunicorn), Celery worker and beat.

Used by `make run`. Stops everything when one process exits or on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from safeguarding.accounts.models import User


def _stop(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each process still running, then up to ten seconds in all before a kill."""
    for p in procs.values():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.time() + 10
    for p in procs.values():
        try:
            p.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()


class Command(BaseCommand):
    help = "Run web, Celery worker and Celery beat together (development and demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))

    def handle(self, *args: Any, bind: str, **options: Any) -> None:
        embedded = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        python = sys.executable
        bindir = os.path.dirname(python)
        # SQLite has one writer: one worker process; the filesystem broker has no
        # visibility timeout, so correctness never rests on the broker.
        concurrency = "1" if embedded else os.environ.get("WORKER_CONCURRENCY", "2")
        beat_schedule = str(settings.VAR_DIR / "celerybeat")
        commands = {
            "web": [
                os.path.join(bindir, "gunicorn"),
                "safeguarding.wsgi",
                "--bind",
                bind,
                "--workers",
                "2",
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s "%(m)s %(U)s" %(s)s',
            ],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "safeguarding",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                concurrency,
                "--without-gossip",
                "--without-mingle",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "safeguarding",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                beat_schedule,
            ],
        }
        procs: dict[str, subprocess.Popen[bytes]] = {}
        for name, cmd in commands.items():
            procs[name] = subprocess.Popen(cmd)
        time.sleep(3)  # let the processes print their banners first
        self.stdout.write(self.style.SUCCESS(f"\nSafeguarding is running at http://{bind}/  (Ctrl-C to stop)"))
        self.stdout.write(
            f"Database: {'SQLite under ' + str(settings.VAR_DIR) if embedded else 'PostgreSQL'}; "
            f"broker: {'filesystem under ' + str(settings.VAR_DIR) if not settings.REDIS_URL else 'Redis'}"
        )
        if User.objects.filter(is_demo=True).exists():
            call_command("seed_demo", if_empty=True)  # idempotent: prints the demo logins again, last
            self.stdout.write(f"A current code for a demo login: {sys.executable} manage.py demo_code <email>\n")

        def stop_and_exit(*_: object) -> None:
            _stop(procs)
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop_and_exit)
        try:
            while all(p.poll() is None for p in procs.values()):
                time.sleep(0.5)
            dead = [n for n, p in procs.items() if p.poll() is not None]
            self.stderr.write(f"{', '.join(dead)} stopped; stopping the rest.")
        except KeyboardInterrupt:
            pass
        finally:
            _stop(procs)
