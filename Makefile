# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
#: pytest-xdist: one worker per CPU, at most four (each has its own databases; see tests/conftest.py)
PYTEST_ARGS ?= -n auto --maxprocesses=4
export REGISTRY_INSTANCE ?= $(CURDIR)/instance

.PHONY: run test test-sqlite bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed

## serve the app on http://127.0.0.1:5000 with the embedded SQLite database and the demo data
run: $(VENV)/.installed
	$(BIN)/registry db upgrade
	$(BIN)/registry demo load
	$(BIN)/registry serve --port 5000

## the whole suite, on SQLite and on a throwaway PostgreSQL
test: $(VENV)/.installed-test
	scripts/ensure-system-packages
	scripts/pg-throwaway $(BIN)/pytest $(PYTEST_ARGS)

## the suite on SQLite only (quick local loop; CI always runs `make test`)
test-sqlite: $(VENV)/.installed-test
	$(BIN)/pytest --db=sqlite $(PYTEST_ARGS)

## benchmarks: each prints its figures
bench: $(VENV)/.installed-test
	scripts/ensure-system-packages
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check registry forms tests bench migrations wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache
