"""Helpers that start real Celery processes for the tests in this folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the test database the current test uses."""
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "VAR_DIR", "CELERY_QUEUE"}}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


def worker_args(*extra: str) -> list[str]:
    """A one-process Celery worker (solo pool: a task runs in that very process, so a
    kill lands inside it), quiet on the broker: what every test here starts."""
    return [
        "-m", "celery", "-A", "safeguarding", "worker", "--pool", "solo",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO", *extra,
    ]  # fmt: skip


def at_suite_time(args: list[str], env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The command line and environment for `python ARGS`: when the suite runs at a chosen
    instant (SUITE_NOW), the child's clock starts at this process's current (moved) time too,
    so a worker, a beat or a manage.py command agrees with the test about what time it is."""
    if not os.environ.get("SUITE_NOW"):
        return [PYTHON, *args], env
    return [PYTHON, "-m", "tests.timeshift", *args], {**env, "SUITE_CHILD_NOW": datetime.now(UTC).isoformat()}


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    command, env = at_suite_time(args, env)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, logs: list[Path] = ()) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    tails = "\n".join(f"--- {p.name} ---\n{p.read_text(errors='replace')[-3000:]}" for p in logs if p.exists())
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}\n{tails}")
