"""The compose stack built from docker-compose.yml and brought up for real (tests/deploy/smoke.py;
`make compose-smoke` runs the same). Minutes, not seconds: a `services` test."""

from __future__ import annotations

import os

import pytest

from tests.deploy import smoke

pytestmark = [pytest.mark.services]


def test_the_compose_stack_builds_starts_signs_in_and_runs_its_worker_and_beat(capsys):
    if os.environ.get("SUITE_NOW"):
        pytest.skip("the containers run on the real clock: SUITE_NOW cannot move it")
    problem = smoke.engine_problem()
    if problem:
        pytest.skip(f"no Docker engine for the compose smoke test: {problem}")
    lines: list[str] = []
    with capsys.disabled():
        smoke.Smoke(out=lambda line: (lines.append(line), print(line, flush=True))).main()
