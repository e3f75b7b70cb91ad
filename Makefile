# qingshen — two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers on the two cores; override with PYTEST_ARGS= for a serial run.
PYTEST_ARGS ?= -n 2

.PHONY: run test install install-test frontend migrate demo serve lint bench clean messages browser system

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[demo]"
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# System libraries the app needs at run time: Pango and a CJK font for the PDF opinions.
system:
	@scripts/ensure-system-packages.sh

install: $(VENV)/.installed node_modules/.installed system
browser:
	@scripts/ensure-browser.sh

install-test: $(VENV)/.installed-test node_modules/.installed browser system
frontend: node_modules/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput --verbosity 0

demo: migrate
	$(BIN)/python manage.py demo --no-second-factor

# Sets everything up and serves the demo on http://$(HOST):$(PORT): the web server, the task worker
# (letters, mails, imports) and the periodic sweep (deadlines, warnings, accountability) every
# $(SWEEP_SECONDS) s, run together by honcho (Procfile) and stopped together by one Ctrl-C. Demo mail
# is written to var/mail/ (EMAIL_FILE_PATH) instead of being sent.
SWEEP_SECONDS ?= 120
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "qingshen is at http://$(HOST):$(PORT)/  (web, worker and sweep; Ctrl-C stops all three)"
	QINGSHEN_BIND=$(HOST):$(PORT) QINGSHEN_SWEEP_SECONDS=$(SWEEP_SECONDS) \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend} \
	$(BIN)/honcho start

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

# Installs what the tests need and runs the whole suite (ruff, then pytest).
test: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/run.py

messages: install
	cd qingshen && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --ignore 'templates/admin/*'
	cd qingshen && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) node_modules var/static
