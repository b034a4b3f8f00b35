# Stellary: `make run` serves the app; `make test` runs the whole suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 3001
# Each open board holds a thread for its live stream (see README, Live boards).
WEB_THREADS ?= 32
TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
export FLASK_APP := wsgi.py

.PHONY: run install install-test migrate test test-sqlite test-postgres bench worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/flask db upgrade

run: migrate
	@$(BIN)/flask seed-demo
	@echo "Stellary is starting on http://127.0.0.1:$(PORT)"
	$(BIN)/gunicorn --worker-class gthread --workers 1 --threads $(WEB_THREADS) --timeout 120 \
		--bind 127.0.0.1:$(PORT) wsgi:app

worker: install
	$(BIN)/flask worker

test: install-test
	./scripts/ensure-services.sh
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install-test
	@echo "== Test suite on SQLite"
	TEST_DATABASE_URL=sqlite $(BIN)/pytest -q -p no:cacheprovider

test-postgres: install-test
	@echo "== Test suite on PostgreSQL"
	TEST_DATABASE_URL=$(TEST_PG_URL) $(BIN)/pytest -q -p no:cacheprovider

bench: install-test
	./scripts/ensure-services.sh
	BENCH_DATABASE_URL=$(TEST_PG_URL) $(BIN)/python -m scripts.bench

clean:
	rm -rf $(VENV) instance/*.db
