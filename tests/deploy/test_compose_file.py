"""What docker-compose.yml, the smoke override and the Dockerfile promise, read without an engine."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SMOKE = yaml.safe_load((ROOT / "docker-compose.smoke.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker", "beat")
JOBS = ("migrate",)


def test_every_long_running_service_has_a_health_check():
    for name, service in SERVICES.items():
        if name in JOBS:
            # A job: web, worker and beat wait for it to exit 0 instead.
            assert service["restart"] == "no"
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert SERVICES[name]["healthcheck"]["test"] == ["CMD", "python", "/app/safeguarding/healthcheck.py", name]
        assert SMOKE["services"][name]["healthcheck"]["test"] == SERVICES[name]["healthcheck"]["test"]


def test_secrets_come_from_files_never_from_the_environment():
    secretish = re.compile(r"(PASSWORD|SECRET|_KEY|DATABASE_URL)$")
    for compose in (COMPOSE, SMOKE):
        for name, service in compose["services"].items():
            for key, value in (service.get("environment") or {}).items():
                if secretish.search(key):
                    assert key.endswith("_FILE") or value is None, f"{name}: {key} is given in the environment"
                if key.endswith("_FILE"):
                    assert str(value).startswith("/run/secrets/"), f"{name}: {key}"
        for secret in compose.get("secrets", {}).values():
            assert set(secret) == {"file"}
    migrate_only = {"migration_database_url"}
    for name in ("web", "worker", "beat"):
        assert not migrate_only & set(SERVICES[name]["secrets"]), f"{name} must not get the owner's URL"
    assert "migration_database_url" in SERVICES["migrate"]["secrets"]


def test_the_image_runs_as_a_user_and_keeps_secrets_out_of_its_layers():
    final_stage = DOCKERFILE.rsplit("\nFROM ", 1)[1]
    users = re.findall(r"^USER (\S+)", final_stage, re.M)
    assert users and not users[-1].startswith(("root", "0")), "the image must not run as root"
    assert "collectstatic" in final_stage
    assert not re.search(r"^\s*(ENV|ARG)\s+.*SECRET", DOCKERFILE, re.M | re.I)
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in ("secrets", ".env", "var/*", ".git", ".venv", "tests"):
        assert path in ignored, f".dockerignore must leave out {path}"
    assert "ARG BASE_IMAGE=python:3.11-slim" in DOCKERFILE


def test_production_keeps_the_official_images_and_the_smoke_test_alone_swaps_them():
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")
    for name in ("postgres", "redis"):
        assert "SMOKE_BASE_IMAGE" in SMOKE["services"][name]["image"]
    # Published on the loopback only: the TLS proxy in front is the way in.
    assert SERVICES["web"]["ports"] == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    env = SERVICES["web"]["environment"]
    assert env["HTTPS"] == "true" and env["PROXY_COUNT"] == "1"


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed (.ci/run installs it)")
def test_docker_compose_accepts_both_files(tmp_path):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "SMOKE_BASE_IMAGE": "base:test", "SMOKE_SECRETS": str(tmp_path)}
    for files in (["docker-compose.yml"], ["docker-compose.yml", "docker-compose.smoke.yml"]):
        args = [arg for name in files for arg in ("-f", name)]
        result = subprocess.run(
            ["docker-compose", *args, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
