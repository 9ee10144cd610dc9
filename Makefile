# Newsroom: `make run` to try it, `make test` to check it.
# The newest Python 3.11+ on the PATH (a version manager's shim that cannot run counts as absent).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test coverage test-browser screens lint format lock check deploy-check deploy-smoke image fault-drill \
	bench soak plans scaleout clean

$(PY):
	@test -n "$(PYTHON)" || { echo "Newsroom needs Python 3.11 or newer on the PATH."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs the exact versions of the lock files (the Dockerfile and CI install the same); reinstalls only
# when they change. requirements*.txt hold the ranges the project accepts: after changing one, run
# `make lock`, which writes requirements.lock and requirements-dev.lock with pip-tools.
$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock | $(PY)
	$(PIP) install --quiet -r requirements-dev.lock
	@touch $(VENV)/.installed $@

PIP_COMPILE_OPTIONS := --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed-dev
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile $(PIP_COMPILE_OPTIONS) $(LOCK_OPTIONS) \
		--output-file requirements.lock requirements.txt
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile $(PIP_COMPILE_OPTIONS) $(LOCK_OPTIONS) \
		--constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo_content
	$(PY) manage.py load_demo_lists
	$(PY) manage.py ensure_admin
	@echo "Newsroom is at http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The job queue's worker and its scheduler, in one process (stop it with Ctrl-C). It takes jobs from
# CELERY_BROKER_URL (by default the next database of the cache's Redis): run it beside `make run` with
# CACHE_URL=redis://127.0.0.1:6379/1 in .env or the environment. Without a broker no worker is needed:
# jobs run at once in the process that asks. WORKER_CONCURRENCY: jobs at a time (default: 2).
WORKER_CONCURRENCY ?= 2
worker: $(VENV)/.installed
	$(VENV)/bin/celery --app newsroom.celery worker --beat --concurrency $(WORKER_CONCURRENCY) --loglevel INFO

test: $(VENV)/.installed-dev
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The suite with line and branch coverage of the project's code (htmlcov/ for the details); fails under
# COVERAGE_FLOOR percent, the level the suite reached when the floor was set, rounded down.
COVERAGE_FLOOR ?= 95
coverage: $(VENV)/.installed-dev
	$(PY) -m pytest -n 2 --cov --cov-report=term:skip-covered --cov-report=html \
		--cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)

# Browser tests: Playwright drives the system's Chromium (apt-get install chromium) against a live
# server on 127.0.0.1; axe-core comes from the npm registry. Screenshots and measurements go to
# test-artifacts/. BROWSER_LIVESERVER=127.0.0.1:8120 pins the port (0 lets the system pick a free one).
CHROMIUM ?= /usr/bin/chromium
BROWSER_LIVESERVER ?= 127.0.0.1:0
AXE := tests/browser/node_modules/axe-core/axe.min.js
LIGHTHOUSE := tests/browser/node_modules/.bin/lighthouse

# One install for both: npm drops packages a later --no-save install does not name. Exact versions, as
# the lock files pin the Python side: a new axe-core release brings new rules, taken up as its own change.
AXE_VERSION := 4.14.1
LIGHTHOUSE_VERSION := 12.8.2
$(AXE) $(LIGHTHOUSE) &:
	npm install --prefix tests/browser --no-save --no-package-lock --no-audit --no-fund \
		axe-core@$(AXE_VERSION) lighthouse@$(LIGHTHOUSE_VERSION)

test-browser: $(VENV)/.installed-dev $(AXE) $(LIGHTHOUSE)
	@test -x "$(CHROMIUM)" || { echo "Browser tests need Chromium at $(CHROMIUM): apt-get install chromium"; exit 1; }
	NEWSROOM_CHROMIUM="$(CHROMIUM)" DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser tests/browser \
		--liveserver=$(BROWSER_LIVESERVER) --output=test-artifacts/failures --screenshot=only-on-failure $(PYTEST_ARGS)

# Screenshots for people to look at: staff onboarding, filing a story, the admin and the public menu on a
# 360 px phone, taken by the browser tests that check them (axe-core included), written to var/screens/.
SCREENS ?= tests/browser/test_onboarding.py tests/browser/test_phone_menu.py tests/browser/test_filing_path.py
screens: $(VENV)/.installed-dev $(AXE)
	@test -x "$(CHROMIUM)" || { echo "Screenshots need Chromium at $(CHROMIUM): apt-get install chromium"; exit 1; }
	NEWSROOM_TEST_ARTIFACTS=var/screens NEWSROOM_CHROMIUM="$(CHROMIUM)" DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(PY) -m pytest -m browser $(SCREENS) --liveserver=$(BROWSER_LIVESERVER) -p no:cacheprovider $(PYTEST_ARGS)
	@echo "Screenshots are in var/screens/"

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

# The production configuration, checked with production-like environment values (nothing is served).
# gunicorn then loads deploy/gunicorn.conf.py and the application with the same values, and exits.
DEPLOY_ENVIRONMENT = DJANGO_DEBUG=false DJANGO_HTTPS=true NEWSROOM_TRUSTED_PROXY_COUNT=1 \
	NEWSROOM_TRUSTED_PROXIES=127.0.0.1 DJANGO_ALLOWED_HOSTS=news.example.org \
	DJANGO_CSRF_TRUSTED_ORIGINS=https://news.example.org CACHE_URL=redis://127.0.0.1:6379/1 \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')"
deploy-check: $(VENV)/.installed
	$(DEPLOY_ENVIRONMENT) $(PY) manage.py check --deploy --fail-level WARNING
	$(DEPLOY_ENVIRONMENT) $(VENV)/bin/gunicorn --check-config --config deploy/gunicorn.conf.py newsroom.wsgi

# The container image (Dockerfile), where Docker runs; a message and success where it does not.
image:
	@if docker info >/dev/null 2>&1; then docker build --tag newsroom:latest .; \
	else echo "make image: skipped, no Docker daemon here (docker info failed)."; fi

# The compose stack (compose.yaml) started and read through nginx: home, a story, admin sign-in and a
# picture in the S3 store. Skips with a message where Docker or its compose plugin is missing.
# KEEP=1 leaves the stack running afterwards.
deploy-smoke:
	$(or $(wildcard $(PY)),$(PYTHON)) scripts/deploy_smoke.py $(if $(KEEP),--keep)

# Break things under load and report how the site copes (gunicorn, PostgreSQL and Redis on this
# machine; stops and restarts PostgreSQL and Redis, so not while other test runs use them).
fault-drill: $(VENV)/.installed
	$(PY) scripts/fault_drill.py $(if $(SCENARIOS),--scenarios $(SCENARIOS))

# Benchmark: PostgreSQL, Redis, nginx and wrk on this machine (apt-get install -y nginx wrk npm chromium; npm brings Lighthouse). See bench/run.py;
# then one newsletter to BENCH_SUBSCRIBERS (100,000) through a local SMTP server, see bench/mailing.py.
bench: $(VENV)/.installed-dev $(LIGHTHOUSE)
	$(PY) -m bench.run
	$(PY) -m bench.mailing

# Soak: the newsroom day for MINUTES minutes at 80% of the peak make bench found (bench/results.json);
# errors, p99 over time and the memory of every process to var/soak.json. See bench/soak.py.
MINUTES ?= 30
soak: $(VENV)/.installed
	MINUTES=$(MINUTES) $(PY) -m bench.soak

# Two app servers sharing PostgreSQL, Redis and an S3 bucket (moto): a change through one shows on the other.
scaleout: $(VENV)/.installed-dev
	$(PY) -m bench.scaleout

# Query plans of the pages that grow with the archive, on a scratch database of STORIES stories.
plans: $(VENV)/.installed
	$(PY) -m bench.plans --build $(or $(STORIES),100000)

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var
