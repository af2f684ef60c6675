# Safeguarding. `make run` starts the service; `make test` runs every check.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

# The test suite always runs on PostgreSQL and Redis (see .ci/run to set them up).
TEST_DATABASE_URL ?= postgres://safeguarding:safeguarding@127.0.0.1:5432/safeguarding
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_WORKERS ?= 2
# Production-like values for `check --deploy`.
DEPLOY_ENV := SECRET_KEY=deploy-check-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n') HTTPS=true \
	ALLOWED_HOSTS=safeguarding.example DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL)

# The hostile instants `make test-clocks` runs the suite at: 00:30 on an ordinary day, the
# morning the clocks go forward (a 23-hour day), the repeated hour the night they go back,
# ten to midnight on New Year's Eve, and a leap day.
CLOCK_INSTANTS := 2026-12-02T00:30:00+00:00 2026-03-29T03:00:00+01:00 2026-10-25T01:30:00+01:00 \
	2026-12-31T23:50:00+00:00 2028-02-29T12:00:00+00:00
PYTEST := env DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python -m pytest

.PHONY: venv-load run test test-fast test-clocks fmt lint layers typecheck venv services browser-test bench load clean compose-config compose-smoke

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || (echo "Python 3.11 is needed" && exit 1)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

# With MIGRATION_DATABASE_URL (the owner) and DATABASE_URL (the runtime role) on PostgreSQL,
# migrate runs as the owner, which then grants the runtime role what it needs.
run: venv
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py grant_runtime_privileges
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py seed_demo_cases --if-empty
	$(BIN)/python manage.py seed_demo_custody --if-empty
	$(BIN)/python manage.py seed_demo_referrals --if-empty
	$(BIN)/python manage.py serve

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs over the files listed in pyproject.toml (strict for the core and the
# 48-hour clock). The plugin loads the Django settings, which need a database URL (no connection is made).
typecheck: venv
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/mypy

services:
	.ci/services

# The apps' layers and the other import rules, as import-linter contracts in pyproject.toml.
layers: venv
	$(BIN)/lint-imports --no-cache

# docker-compose.yml (and the smoke test's override) parse and validate; no engine needed.
# Skipped, saying so, where docker-compose is not installed (.ci/run installs it).
COMPOSE_CHECK_ENV := SMOKE_BASE_IMAGE=validate SMOKE_SECRETS=/nonexistent
compose-config:
	@if command -v docker-compose >/dev/null 2>&1; then \
	  env $(COMPOSE_CHECK_ENV) docker-compose -f docker-compose.yml config -q \
	  && env $(COMPOSE_CHECK_ENV) docker-compose -f docker-compose.yml -f docker-compose.smoke.yml config -q \
	  && echo "docker-compose.yml: valid"; \
	else echo "docker-compose not installed: compose files not validated"; fi

# Build the images (from Debian's packages alone), start the whole stack, sign in with MFA,
# see the worker and beat at work, stop it (tests/deploy/smoke.py; needs a Docker engine).
compose-smoke: venv
	$(BIN)/python -m tests.deploy.smoke

# Each stage says its time (.ci/timed); under .ci/run they are tabled at the end. The suite
# lists its 15 slowest tests, so a slower CI can be read from its log.
test: venv-load services
	@.ci/timed "lint (ruff)" $(MAKE) -s --no-print-directory lint
	@.ci/timed "typecheck (mypy)" $(MAKE) -s --no-print-directory typecheck
	@.ci/timed "import layers (import-linter)" $(MAKE) -s --no-print-directory layers
	@.ci/timed "compose config" $(MAKE) -s --no-print-directory compose-config
	@.ci/timed "makemigrations --check" env VAR_DIR=$$(mktemp -d) $(BIN)/python manage.py makemigrations --check --dry-run
	@.ci/timed "check --deploy" env $(DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	@.ci/timed "suite (browser, services, compose smoke included)" $(PYTEST) -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

# The inner loop: no browser, no worker/beat processes.
test-fast: venv services
	$(PYTEST) -n $(PYTEST_WORKERS) --dist loadgroup -m "not browser and not services" $(PYTEST_ARGS)

# The hostile instants, browser tests aside: every test that reads the clock or dates
# (marked `instants`, see tests/conftest.py) at each of CLOCK_INSTANTS, and the whole suite at
# one of them that rotates by commit (HEAD's hash modulo five). Every instant runs, then any
# failure fails. CLOCKS_WHOLE=all runs the whole suite at every instant.
CLOCKS_WHOLE ?= $(shell n=$$(git rev-parse HEAD 2>/dev/null | cut -c1-8); echo $$(( 0x$${n:-0} % 5 )))
test-clocks: venv services
	@failed=""; i=0; for instant in $(CLOCK_INSTANTS); do \
	  if [ "$(CLOCKS_WHOLE)" = all ] || [ "$(CLOCKS_WHOLE)" = $$i ]; then \
	    marks="not browser"; echo "=== the whole suite at $$instant (the instant this commit rotates to)"; \
	  else marks="instants and not browser"; echo "=== the tests that read the clock, at $$instant"; fi; \
	  SUITE_NOW=$$instant .ci/timed "suite at $$instant" $(PYTEST) -q -n $(PYTEST_WORKERS) --dist loadgroup -m "$$marks" $(PYTEST_ARGS) \
	    || failed="$$failed $$instant"; \
	  i=$$((i + 1)); \
	done; \
	if [ -n "$$failed" ]; then echo "Failed at:$$failed"; exit 1; fi

browser-test: venv services
	$(PYTEST) -m browser $(PYTEST_ARGS)

fmt: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Printed figures (the custody import, the clock sweep, the scope check, every daily page at 1k
# and 100k young people on bench/forcescale.py's kept data sets).
bench: venv services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var

# A busy morning (Locust, 50 users × 10 minutes) against web + worker + beat on the
# force-scale data set; prints p50/p95/p99 per page and fails on a 5xx or a lost write.
# Shorter: make load LOAD_ARGS="BENCH_LOAD_SECONDS=60 BENCH_LOAD_SIZE=1k"
LOAD_STAMP := $(VENV)/.load-$(shell cat requirements.txt requirements-dev.txt requirements-load.txt | cksum | cut -d' ' -f1)
$(LOAD_STAMP): $(STAMP) requirements-load.txt
	$(BIN)/python -m pip install --quiet -r requirements-load.txt
	@rm -f $(VENV)/.load-*
	@touch $(LOAD_STAMP)

# The suite includes a short busy morning (tests/deploy/test_busy_morning.py), so `make test`
# installs the load set too; `make run` and `make test-fast` do not need it.
venv-load: $(LOAD_STAMP)

load: venv-load services
	env DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(LOAD_ARGS) $(BIN)/python -m bench._load
