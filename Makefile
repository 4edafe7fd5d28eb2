# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed
# Every suite's log ends with its slowest tests.
PYTEST_ARGS ?= --durations=25

.PHONY: run test install check lint typecheck contracts migrations-check deploy-check \
        test-sqlite test-postgres test-replica messages clean cluster

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Serve the platform with demo data on the embedded SQLite (var/kttc.sqlite3).
run: $(STAMP)
	mkdir -p var
	$(BIN)/kttc migrate --no-input -v 0
	$(BIN)/kttc demo
	$(BIN)/kttc search rebuild
	$(BIN)/kttc collectstatic --no-input -v 0
	PORT=$(PORT) $(BIN)/kttc serve

## Install and run everything: the checks, then the suite on SQLite and on a throwaway PostgreSQL
## side by side.
test: $(STAMP) check
	@# The two suites side by side (one core each); each prints its whole output when it ends.
	@# The replica's tests (under a minute) take the first core to come free.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres test-replica

check: lint typecheck contracts migrations-check deploy-check

lint:
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy --strict kttc/policy
	$(BIN)/mypy kttc

contracts:
	$(BIN)/lint-imports

migrations-check:
	$(BIN)/kttc makemigrations --check --dry-run

deploy-check:
	KTTC_ENV=production SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=kttc.example DATABASE_URL=sqlite:///var/deploy-check.sqlite3 \
	$(BIN)/kttc check --deploy --fail-level WARNING

test-sqlite:
	@echo "== suite on SQLite =="
	mkdir -p var
	KTTC_ENV=test KTTC_VAR_DIR=var/suite-sqlite DATABASE_URL=sqlite:///var/kttc.sqlite3 \
	KTTC_TEST_SQLITE=var/test.sqlite3 $(BIN)/pytest -m "not on_postgresql" $(PYTEST_ARGS)

## The tests that cannot depend on the database engine (marked `engine_neutral` in conftest.py:
## the policy layer's pure functions, the browser tests of the pages, the catalogue checks, the
## static checks) run once, in the SQLite suite, but for the IP pages' accessibility audits (also
## marked `on_postgresql`), which the PostgreSQL suite runs so that both end closer together;
## everything that touches the database (locks, transactions, concurrency, raw SQL, search, money)
## runs on both.
test-postgres:
	@echo "== suite on PostgreSQL =="
	mkdir -p var
	KTTC_ENV=test KTTC_VAR_DIR=var/suite-postgres scripts/with-postgres \
	$(BIN)/pytest -m "not engine_neutral or on_postgresql" $(PYTEST_ARGS)

## Reads routed to a streaming replica: a throwaway primary and replica on loopback, and only the
## replica's tests (README "PostgreSQL with a replica").
test-replica:
	@echo "== replica routing on PostgreSQL with a streaming replica =="
	mkdir -p var
	KTTC_ENV=test KTTC_VAR_DIR=var/suite-replica scripts/with-postgres-replica \
	$(BIN)/pytest tests/test_replica.py -p no:randomly

## The production shape on one machine, for a try: PostgreSQL primary and replica, Redis, two
## gunicorn web nodes behind nginx on 127.0.0.1:$(PORT), a worker (README "Production shape").
cluster: $(STAMP)
	PORT=$(PORT) scripts/cluster

## Refresh the translation catalogues (needs GNU gettext).
messages: $(STAMP)
	cd kttc && ../$(BIN)/kttc makemessages -l zh_Hans -l en --no-location --no-obsolete
	cd kttc && ../$(BIN)/kttc compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
