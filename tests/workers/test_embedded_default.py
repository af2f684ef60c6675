"""Smoke test of the embedded default that `make run` uses with no configuration:
SQLite under VAR_DIR and the Celery filesystem broker. Migrate, seed_demo, a
sign-in with MFA, and tasks through a real worker started by a real beat."""

import re
import sqlite3
import subprocess

import pytest

from tests.workers.conftest import ROOT, at_suite_time, clean_env, start, stop, wait_for, worker_args

pytestmark = pytest.mark.services

SIGN_IN_SCRIPT = """
from django.test import Client
from django_otp.oath import TOTP
from base64 import b32decode
secret = {secret!r}
key = b32decode(secret + "=" * (-len(secret) % 8))
c = Client()
r = c.post("/sign-in/", {{"email": {email!r}, "password": "correct-horse-battery-staple"}})
assert r.status_code == 302 and r["Location"] == "/sign-in/code/", (r.status_code, r.content[:500])
assert c.get("/").status_code == 302
r = c.post("/sign-in/code/", {{"code": "%06d" % TOTP(key).token()}})
assert r.status_code == 302, r.content[:800]
r = c.get("/")
assert r.status_code == 200 and b"Hello" in r.content
print("SIGNED-IN-OK")
"""


def manage(*args: str, env: dict) -> str:
    command, env = at_suite_time(["manage.py", *args], env)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def heartbeat_beats(db_file, name: str) -> int:
    if not db_file.exists():
        return 0
    with sqlite3.connect(db_file, timeout=5) as db:
        row = db.execute("select beats from core_workerheartbeat where name = ?", (name,)).fetchone()
    return row[0] if row else 0


def test_embedded_default_runs_without_services(tmp_path):
    env = clean_env(
        DJANGO_SETTINGS_MODULE="safeguarding.settings",
        VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="testserver,127.0.0.1",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        HEARTBEAT_INTERVAL_SECONDS="1",
    )
    manage("migrate", "--noinput", env=env)
    db_file = tmp_path / "db.sqlite3"
    assert db_file.exists(), "the embedded default is a SQLite file under VAR_DIR"

    out = manage("seed_demo", env=env)
    match = re.search(r"^officer\s+(officer\.north@\S+)\s+.*?\s([A-Z2-7]{16,})$", out, re.MULTILINE)
    assert match, out
    email, secret = match.groups()
    signed_in = manage("shell", "-c", SIGN_IN_SCRIPT.format(email=email, secret=secret), env=env)
    assert "SIGNED-IN-OK" in signed_in

    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = start(
        worker_args(),
        env,
        worker_log,
    )
    beat = start(
        [
            "-m",
            "celery",
            "-A",
            "safeguarding",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        env,
        beat_log,
    )
    try:
        # One task sent by hand through the filesystem broker...
        manage("shell", "-c", "from safeguarding.core.tasks import heartbeat; heartbeat.delay('smoke')", env=env)
        wait_for(lambda: heartbeat_beats(db_file, "smoke") == 1, timeout=60, what="the smoke task", logs=[worker_log])
        # ...and the periodic heartbeat that beat's database scheduler sends.
        wait_for(
            lambda: heartbeat_beats(db_file, "worker") >= 1,
            timeout=60,
            what="a beat-sent heartbeat",
            logs=[worker_log, beat_log],
        )
    finally:
        stop(worker, beat)
    assert (tmp_path / "celery-broker").is_dir(), "the filesystem broker keeps its messages under VAR_DIR"
