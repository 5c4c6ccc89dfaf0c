# 脱贫地区农副产品馆 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 3
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export FLASK_APP := wsgi:app
export MALL_TEST_DB

.PHONY: run localstripe bench-checkout dev test test-sqlite test-pg test-e2e install install-dev system-deps migrate seed reset lint format bench bench-catalog bench-search clean

$(BIN)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(BIN)/.installed-dev: requirements-dev.txt requirements.txt $(BIN)/.installed
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

## System packages the browser tests and benchmarks need (Debian; installed only when missing and root).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system packages:$$missing (browser tests will skip locally)"; fi; \
	fi

migrate: install
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed

## Set up everything and serve the mall on http://127.0.0.1:$(PORT) (gunicorn, several workers):
## localstripe starts first (seeding saves every unit's 公务卡 with it), then migrations and the
## demo data, then gunicorn and the jobs loop beside it.
run: install
	$(BIN)/python scripts/serve.py --setup --port $(PORT) --workers $(WORKERS)

## localstripe alone, in the foreground (for `make dev`; `make run` starts it itself), signing
## webhooks with the mall's secret (instance/secrets.toml, generated on the first start).
localstripe: install
	$(BIN)/python scripts/serve.py --localstripe-only --port $(PORT)

## Flask's reloader, one process (for template and code edits).
dev: seed
	$(BIN)/flask run --debug --port $(PORT)

## Drop all data and load the demo data again.
reset: install
	$(BIN)/flask seed reset --yes

## Every test, on SQLite by default; DATABASE_URL=postgresql+psycopg://… runs them on PostgreSQL.
test: install-dev system-deps
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

test-sqlite:
	$(MAKE) test DATABASE_URL=

test-pg:
	$(MAKE) test DATABASE_URL=$(PG_TEST_URL)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks (print figures; not tests).
bench: bench-catalog bench-search

bench-catalog: install-dev system-deps
	$(BIN)/python bench/catalog.py

## Search benchmark: 20,000 products; index build time, then 50 queries in-process and over HTTP (gunicorn + wrk).
bench-search: install-dev system-deps
	$(BIN)/python bench/search.py

## Checkout benchmark: PostgreSQL, gunicorn 2 workers, localstripe, 16 buyers of 16 units for 30 s.
bench-checkout: install-dev
	$(BIN)/python bench/checkout.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
