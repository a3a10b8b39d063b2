# Everything a fresh machine with Python 3.11 needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The first account (make run creates it when there is none): NAME=... EMAIL=...
NAME   ?= Samordnaren
EMAIL  ?= samordnare@example.invalid

.PHONY: run demo test lint audit install install-dev instance migrate bootstrap bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## instance/: config.py with a random SECRET_KEY and the first encryption key (idempotent)
instance: install
	$(BIN)/python -m coordinator.instance_setup --base-url http://$(HOST):$(PORT)

migrate: instance
	$(FLASK) db upgrade
	$(FLASK) search reindex
	$(FLASK) partners link-referrals

bootstrap: migrate
	$(FLASK) users bootstrap --email "$(EMAIL)" --name "$(NAME)"

## Development server on the embedded SQLite database (gunicorn, http://$(HOST):$(PORT)).
run: bootstrap
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C stops). Log in there."
	@echo "New here? 'make demo' (in another terminal) loads autumn 2018: consultations, partners, trainings,"
	@echo "meetings and initiatives; then Nyhetsbrevet > Egen period 2018-10-01 to 2018-12-12 drafts the section."
	COORDINATOR_ENVIRONMENT='"development"' $(BIN)/gunicorn --preload --bind $(HOST):$(PORT) --workers 2 \
		--access-logfile - wsgi:app

## Demo data for a newcomer: autumn 2018 in every domain (only what is missing), and the
## section "Hedersvåld och våldsbejakande extremism" it yields, printed.
demo: bootstrap
	$(FLASK) demo load
	$(FLASK) bulletin export --from 2018-10-01 --to 2018-12-12 --format md
	@echo "Draft, edit and export it in the browser: Nyhetsbrevet > Egen period 2018-10-01 – 2018-12-12."

## The whole test suite (SQLite, plus PostgreSQL and Redis where reachable; required when CI=true).
test: install-dev browser lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## ruff with the committed configuration (ruff.toml).
lint: install-dev
	$(BIN)/ruff check .

## Security scanners (bandit, pip-audit, sqlmap, wapiti; tools/audit.py, tools/audit.toml): one summary,
## exit 1 on an unexplained finding. Options: make audit AUDIT_ARGS="--only bandit,pip-audit --strict".
audit: install
	$(BIN)/python tools/audit.py $(AUDIT_ARGS)

## Every benchmark; the page benchmark takes options: make bench BENCH_PAGES_ARGS="--sizes 10000 --duration 3".
bench: install-dev wrk
	$(BIN)/python bench/crypto.py
	$(BIN)/python bench/anonymity.py
	$(BIN)/python bench/pages.py $(BENCH_PAGES_ARGS)
	$(BIN)/python bench/bulletin.py --keep

## Debian's wrk for the page benchmark (installed when run as root with apt; never downloaded).
.PHONY: wrk
wrk:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's wrk for the page benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "wrk missing and not root: the page benchmark will be skipped (apt-get install wrk)"; fi

clean:
	rm -rf $(VENV) .pytest_cache

## Debian's chromium and chromedriver for the browser tests (installed when run as root with apt).
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "chromium/chromedriver missing and not root: browser tests will be skipped (apt-get install chromium chromium-driver)"; fi
