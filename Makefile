# Kezdesu: `make run` serves the portal, `make test` runs the suite. Nothing else to install.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BENCH_OUTBOX_MESSAGES ?= 100000
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)

.PHONY: run test bench lint format messages compilemessages chromium migrate seed clean help screenshots

help:
	@echo "make run    - install, migrate, load demo data, serve http://127.0.0.1:8000 with a Celery worker and beat"
	@echo "make test   - the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set, else SQLite)"
	@echo "make bench  - benchmarks under bench/ (not part of the test run)"
	@echo "make lint   - ruff and the migrations check"
	@echo "make messages - refresh locale/kk and locale/ru from the code (needs gettext)"
	@echo "make screenshots - regenerate docs/screenshots/ from the demo data (its own server and SQLite database)"

# The virtualenv is rebuilt when the pinned requirements change.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

compilemessages: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "gettext is missing: apt-get install gettext (or brew install gettext)"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=var -v0

migrate: $(STAMP)
	$(MANAGE) migrate --noinput -v0

seed: migrate
	$(MANAGE) seed_demo

run: compilemessages seed
	@echo "Kezdesu on http://127.0.0.1:8000  (staff logins in README.md; Ctrl-C stops web, worker and beat)"
	$(VENV)/bin/honcho --procfile Procfile.dev start

# Browser tests drive Debian's chromium; install it when missing (root or sudo).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) compilemessages chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The README's pictures: a fresh SQLite database with the demo data, its own server, Chromium.
screenshots: $(STAMP) compilemessages chromium
	$(PY) docs/screenshots.py

# National scale on PostgreSQL (BENCH_DATABASE_URL; see bench/README.md). wrk from Debian's packages.
bench: $(STAMP) compilemessages
	@command -v wrk >/dev/null || { \
	  echo "Installing wrk for the throughput benchmark"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	BENCH_OUTBOX_MESSAGES=$(BENCH_OUTBOX_MESSAGES) $(PY) bench/run.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP)
	$(MANAGE) makemessages -l kk -l ru --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-obsolete

clean:
	rm -rf var .pytest_cache
