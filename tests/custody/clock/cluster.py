"""A small real deployment for the clock's fault tests: our own redis-server, Celery
workers and beats (separate processes) on the test's PostgreSQL database, with the
file email backend so that emails can be counted.

Reuses the process helpers of tests/workers/conftest.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from django.db import connection

from tests.workers.conftest import clean_env, database_url, start, stop, wait_for, worker_args

INTERVAL = 1  # seconds between sweeps in these tests
SWEEP_BATCH = 7  # small, so one sweep commits several batches


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    tmp: Path
    port: int = field(default_factory=free_port)
    queue: str = field(default_factory=lambda: f"clock-{uuid.uuid4().hex[:8]}")
    redis: subprocess.Popen | None = None
    procs: dict[str, Proc] = field(default_factory=dict)

    @property
    def mail_dir(self) -> Path:
        return self.tmp / "mail"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    # --- redis --------------------------------------------------------------

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=(self.tmp / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        wait_for(self.redis_ping, timeout=10, what="redis-server to answer")

    def redis_ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True, timeout=5, check=False
        )
        return result.stdout.strip() == "PONG"

    def stop_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=10)

    def flush_redis(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "flushall"], check=True, capture_output=True, timeout=5)

    # --- Celery processes ---------------------------------------------------

    def env(self) -> dict[str, str]:
        return clean_env(
            DJANGO_SETTINGS_MODULE="safeguarding.settings",
            DATABASE_URL=database_url(connection.settings_dict),
            REDIS_URL=self.redis_url,
            CELERY_QUEUE=self.queue,
            VAR_DIR=str(self.tmp / "var"),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            CHECKLIST_SWEEP_SECONDS=str(INTERVAL),
            CHECKLIST_SWEEP_BATCH=str(SWEEP_BATCH),
            CHECKLIST_DELIVERY_BATCH="5",
            CHECKLIST_REMINDER_LEAD_MINUTES="60",
            CONN_MAX_AGE="0",
            LOG_LEVEL="INFO",
        )

    def start_worker(self, name: str = "worker") -> Proc:
        log = self.tmp / f"{name}-{len(self.procs)}.log"
        popen = start(
            worker_args("-Q", self.queue, "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"),
            self.env(),
            log,
        )
        proc = self.procs[name] = Proc(name, popen, log)
        return proc

    def start_beat(self, name: str = "beat") -> Proc:
        log = self.tmp / f"{name}-{len(self.procs)}.log"
        popen = start(
            ["-m", "celery", "-A", "safeguarding", "beat", "--loglevel", "INFO", "--pidfile", ""],
            self.env(),
            log,
        )
        proc = self.procs[name] = Proc(name, popen, log)
        return proc

    def wait_ready(self, *procs: Proc, timeout: float = 60) -> float:
        """Wait until each worker says "ready" and each beat has sent a sweep; returns when."""

        def ready() -> bool:
            for proc in procs:
                text = proc.text()
                if proc.popen.poll() is not None:
                    raise AssertionError(f"{proc.name} exited:\n{text[-3000:]}")
                if "beat" in proc.name and "Sending due task" not in text and "beat: Starting" not in text:
                    return False
                if "worker" in proc.name and " ready." not in text:
                    return False
            return True

        wait_for(ready, timeout=timeout, what=f"{', '.join(p.name for p in procs)} to be ready", logs=self.logs())
        return time.monotonic()

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.kill(proc.popen.pid, signal.SIGKILL)
        proc.popen.wait(timeout=10)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name)
        stop(proc.popen)

    def logs(self) -> list[Path]:
        return [p.log for p in self.procs.values()] + [self.tmp / "redis.log"]

    def shutdown(self) -> None:
        stop(*(p.popen for p in self.procs.values()))
        self.procs.clear()
        self.stop_redis()

    # --- what was sent ------------------------------------------------------

    def email_message_ids(self) -> Counter:
        """Message-IDs of the checklist emails written by the file backend, with counts."""
        ids: Counter = Counter()
        if not self.mail_dir.exists():
            return ids
        for path in self.mail_dir.iterdir():
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("Message-ID: <checklist-item-"):
                    ids[line.split(":", 1)[1].strip()] += 1
        return ids


class SideConnection:
    """A second PostgreSQL session the test holds open, e.g. to keep a row locked."""

    def __init__(self):
        s = connection.settings_dict
        self.conn = psycopg2.connect(
            dbname=s["NAME"],
            user=s["USER"],
            password=s["PASSWORD"],
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
        )
        self.conn.autocommit = False
        self.cur = self.conn.cursor()

    def execute(self, sql: str, params=()) -> None:
        self.cur.execute(sql, params)

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


def sessions_waiting_on_a_lock() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "select count(*) from pg_stat_activity where datname = current_database() "
            "and wait_event_type = 'Lock' and pid <> pg_backend_pid()"
        )
        return cur.fetchone()[0]
