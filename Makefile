# The two set-up commands of the README: `make demo` (the local pipeline) and `make test`.
# Each installs what it needs and skips what is already installed and up to date.
SHELL := bash
.DEFAULT_GOAL := help
NODE_STAMP := node_modules/.installed
VENV_STAMP := .venv/.installed
BUILD_STAMP := dist/.built

help:
	@echo "make demo   run the local end-to-end pipeline (generate -> lake -> DuckDB -> dbt -> report), with the legacy feed in parallel"
	@echo "make test   run every test suite"

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENV_STAMP): requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(BUILD_STAMP): $(NODE_STAMP) tsup.config.ts $(shell find src -name '*.ts' 2>/dev/null)
	npx tsup --silent
	@touch $@

setup: $(NODE_STAMP) $(VENV_STAMP)

build: $(BUILD_STAMP)

# The dbt `make setup` installed, whatever other dbt is on PATH. The migration's parallel run is
# on: the legacy feed goes through the French POS layout with 2% defects, and the reconciliation
# checks every line, every defect and the migration's unexplained remainder.
demo: setup build
	node dist/cli.js demo --dbt-bin .venv/bin/dbt --defects 0.02

test: setup build
	bash scripts/ensure-chromium.sh
	bash scripts/test.sh

# Finer-grained targets for CI jobs and development.
lint: $(NODE_STAMP)
	npm run lint

typecheck: $(NODE_STAMP)
	npm run typecheck

check-package: $(NODE_STAMP)
	npm run check:package

test-dags: setup build
	.venv/bin/python -m pytest -q dags/tests

.PHONY: help setup build demo test lint typecheck check-package test-dags
