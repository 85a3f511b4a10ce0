# One entry point per task; CI runs the same targets (.ci/run -> make check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= $(CURDIR)/.demo/crampwise-demo.db

.PHONY: help venv system-deps run demo test test-all check lint typecheck imports bench mutate clean

help:
	@echo "make run        install, then serve the demo athlete in the web app (its own SQLite store)"
	@echo "make check      install everything (incl. PostgreSQL) and run the whole test suite + linters"
	@echo "make test       fast tests (SQLite only)"
	@echo "make bench      run every benchmark (15-20 minutes), write benchmarks/RESULTS.md"
	@echo "make lint | typecheck | imports"
	@echo "make mutate     mutation testing of domain/, importers/, science/ (long; not in CI): MUTANTS='crampwise.domain*'"

$(BIN)/crampwise: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(BIN)/crampwise

venv: $(BIN)/crampwise

system-deps:
	bash scripts/install-system-deps.sh

run: venv
	bash scripts/demo.sh "$(DEMO_DB)"

demo: run

test: venv
	$(BIN)/pytest -q -n 2 -m "not postgres and not browser"

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: venv
	$(BIN)/mypy

imports: venv
	$(BIN)/lint-imports

test-all: venv
	bash scripts/with-postgres.sh $(BIN)/pytest -q -n 2

check: system-deps venv lint typecheck imports test-all

# Every benchmark script (PostgreSQL and wrk included); fails when one fails; writes benchmarks/RESULTS.md.
bench: system-deps venv
	bash scripts/with-postgres.sh $(BIN)/python benchmarks/run_all.py

# Mutation testing (mutmut 3, configured in pyproject.toml): long, so not in every CI run. Runs
# niced; MUTANTS narrows it to a package ('crampwise.importers*') or a module. Results stay in
# mutants/ (a second run only tests what changed); the kill rates per package are printed.
MUTANTS ?= crampwise.domain* crampwise.importers* crampwise.science*
MUTATE_JOBS ?= 2

mutate: venv
	$(BIN)/python -m pip install --quiet "mutmut>=3.3,<4"
	nice -n 10 $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(MUTANTS)
	$(BIN)/python scripts/mutation_rates.py

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache mutants
