# Sales KPI Warehouse — every command a user or CI runs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TARGET ?= duckdb
DBT := DBT_PROFILES_DIR=profiles $(BIN)/dbt
DBT_FLAGS ?=

.PHONY: help venv build test lint dbt-test pytest generate docs clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --requirement requirements/lock.txt
	touch $@

venv: $(BIN)/.installed ## Create the project-local environment from the lock file

build: venv ## dbt build (seeds, models, data + unit tests) of the demo into warehouse.duckdb
	$(DBT) build --target $(TARGET) $(DBT_FLAGS)

lint: venv ## sqlfluff (dbt templater), ruff, ruff format --check, mypy --strict
	$(BIN)/sqlfluff lint models analyses
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: venv ## Python tests: generator, reconciliation, independent KPI computation
	$(BIN)/pytest

test: build lint pytest ## Everything CI runs: build, linters, Python tests

generate: venv ## Regenerate the demo CRM export in seeds/demo/crm (deterministic)
	$(BIN)/python -m sales_kpi_warehouse.generator --out seeds/demo/crm --format csv

docs: venv ## Generate the dbt docs site into target/
	$(DBT) docs generate --target $(TARGET)

clean: ## Remove build artefacts (keeps the environment)
	rm -rf target logs warehouse.duckdb
