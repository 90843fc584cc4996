# Two commands for a fresh machine: `make serve` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := src/vawg/web/static/vawg/build/app.css

.DEFAULT_GOAL := help
.PHONY: help install serve test test-sqlite test-postgres lint format bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(ASSETS): package.json package-lock.json $(wildcard src/vawg/web/scss/*.scss)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

install: $(STAMP) $(ASSETS) ## Install Python and front-end dependencies (pinned)

serve: install ## Install, load the demo force from real data, and serve on http://127.0.0.1:8000/
	$(BIN)/vawg serve

test: install ## Install and run the whole suite: lint, SQLite, then PostgreSQL where one answers
	scripts/test.sh

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Run the benchmarks and print their figures
	$(BIN)/python bench/run_all.py

clean: ## Remove the virtualenv, node modules and built assets
	rm -rf $(VENV) node_modules src/vawg/web/static/vawg/build
