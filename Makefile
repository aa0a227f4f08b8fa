# Tend: `make run` serves the demo site, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test test-fast install chromium messages lint clean bench bench-quick wrk audit chaos

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-test.txt
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

# A local secret key that git ignores; settings read it when DJANGO_SECRET_KEY is not set.
.secret_key:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# A few steps, then the server; the address and the demo logins print once it listens, after its
# startup lines (demo_logins waits for the port beside it; $$$$ is the shell that execs the server).
run: install .secret_key
	@echo "Preparing the database…"
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --noinput -v 0
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py seed_demo
	@echo "Starting the server…"
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	  $(BIN)/python manage.py demo_logins --port $(PORT) --server-pid $$$$ & \
	  exec $(BIN)/daphne -b 127.0.0.1 -p $(PORT) tend.asgi:application

# Browser tests use Debian's Chromium: Playwright cannot download browsers here.
chromium:
	@if [ ! -x "$(CHROMIUM)" ] || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium and CJK fonts for browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  elif [ ! -x "$(CHROMIUM)" ]; then \
	    echo "Browser tests need Chromium at $(CHROMIUM): install it (Debian: sudo apt-get install chromium fonts-noto-cjk) or set CHROMIUM=/path/to/chromium."; \
	    exit 1; \
	  else \
	    echo "fonts-noto-cjk is missing: zh-Hant screenshots will show boxes instead of characters."; \
	  fi; \
	fi

test: install .secret_key chromium
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest -m "not browser" -q --create-db --reuse-db
	# Playwright's sync API keeps an event loop running: browser tests get their own process, on the test
	# database the first run just built (migrating it again costs 15-30 s). Their server and they share
	# one cache (CACHE_DIR, unless REDIS_URL names one), which each test clears.
	cache_dir=$$(mktemp -d) && DJANGO_ALLOW_ASYNC_UNSAFE=true CHROMIUM=$(CHROMIUM) CACHE_DIR=$$cache_dir \
	  $(BIN)/pytest -m browser -q -p no:randomly --reuse-db; status=$$?; rm -rf $$cache_dir; exit $$status

test-fast: install .secret_key
	$(BIN)/pytest -m "not browser" -q -x

wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || { echo "make bench needs wrk (apt-get install wrk)"; exit 1; }

# Real servers, real load, one printed table (not part of make test). See README "Performance".
bench: install .secret_key wrk
	$(BIN)/python bench/run.py --seconds 10

bench-quick: install .secret_key wrk
	$(BIN)/python bench/run.py --seconds 1 --connections 4 --race-members 200 --race-seats 20 --scans 100

# Faults on a private stack: its own Redis (port 6391), PostgreSQL cluster (5441, initdb in a temporary
# directory) and two daphne processes (8300-8301); one printed table, non-zero exit when a fault is not
# survived. A few minutes; not part of make test. See README "Reliability".
chaos: install .secret_key
	$(BIN)/python bench/chaos.py

messages: install
	$(BIN)/python manage.py makemessages -l zh_Hant --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py makemessages -d djangojs -l zh_Hant --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages -l zh_Hant --ignore=.venv

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache --no-logo

# Known vulnerabilities in the pinned dependencies (needs the package index) and bandit on our code,
# medium severity and above. --strict: a dependency that could not be audited fails the target.
audit: install
	$(BIN)/pip-audit --strict --progress-spinner off -r requirements-test.txt
	$(BIN)/bandit -q -ll -r tend portal content community events bench -x '*/migrations/*'

clean:
	rm -rf $(VENV) staticfiles test_db*.sqlite3*
