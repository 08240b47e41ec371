# Sales KPI Warehouse — every command a user or CI runs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TARGET ?= duckdb
DBT := DBT_PROFILES_DIR=profiles $(BIN)/dbt
DBT_FLAGS ?=
# The Spark build reads the demo export in place (files mode; dbt-spark's seed loading row by
# row is slow); the mapping and catalogue seeds are still seeded. Same CSVs as the DuckDB and
# PostgreSQL builds, so the cross-engine test compares like with like.
SPARK_VARS ?= {input_mode: files, raw_path: seeds/demo/crm}
# Benchmark (issue 9): sizes to run (XS, S, M, L or NAME=DEALS) and extra flags, e.g.
# `make benchmark SIZES=S,M BENCH_FLAGS=--no-demo`. docs/benchmark.md explains it.
SIZES ?= S,M,L
BENCH_FLAGS ?=
# `make benchmark-engines`: the same full and daily build on PostgreSQL and Spark (data points).
ENGINE_SIZES ?= S
# Dashboard (issue 10): port of `make dashboard` and the warehouse it serves.
PORT ?= 8501
SKW_WAREHOUSE ?= warehouse.duckdb
WITH_POSTGRES := source <(scripts/postgres.sh env) &&
WITH_SPARK := source <(scripts/spark.sh env) &&
# `make test` runs the builds and linters two at a time (-j 2): each engine's dbt writes its
# artefacts and log in a folder of its own (target/<engine>), the DuckDB demo build in target/.
ENGINE_PATHS = DBT_TARGET_PATH=target/$(1) DBT_LOG_PATH=logs/$(1)
# pytest-xdist: two workers, each running whole test files (tests/python/conftest.py).
PYTEST_PARALLEL ?= -n 2 --dist loadfile --durations=25

.PHONY: help venv build check test engines lint dbt-test pytest generate docs clean build-postgres build-spark test-engines postgres-stop semantic-layer benchmark benchmark-engines browser dashboard test-dashboard doctor

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --requirement requirements/lock.txt
	touch $@

venv: $(BIN)/.installed ## Create the project-local environment from the lock file

build: venv ## dbt build (seeds, models, data + unit tests) of the demo into warehouse.duckdb
	$(DBT) build --target $(TARGET) $(DBT_FLAGS)

# the linters compile the project into a scratch warehouse and folder of their own, so they can
# run beside the builds
lint: export DBT_TARGET_PATH := target/lint
lint: export DBT_LOG_PATH := logs/lint
lint: export DBT_DUCKDB_PATH := target/lint/lint.duckdb
lint: venv ## sqlfluff (dbt templater; connector adapters in their input mode), dbt-bouncer conventions, KPI registry current, ruff, mypy --strict
	mkdir -p target/lint
	$(BIN)/sqlfluff lint models analyses
	scripts/lint_adapters.sh
	scripts/check_conventions.sh
	PYTHONPATH=tools $(BIN)/python -m sales_kpi_warehouse.registry --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: build ## Fast inner loop: the DuckDB demo build, then the Python tests that need no other engine nor browser
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not engines and not browser"

pytest: venv ## Python tests: generator, reconciliation, independent KPI computation
	$(BIN)/pytest

build-postgres: venv ## dbt build of the demo on a local PostgreSQL (scripts/postgres.sh starts it)
	scripts/postgres.sh fresh
	$(WITH_POSTGRES) $(call ENGINE_PATHS,postgres) $(DBT) build --target postgres $(DBT_FLAGS)

build-spark: venv ## dbt build of the demo on a local Spark (dbt-spark session method, needs a JDK)
	scripts/spark.sh setup
	scripts/spark.sh clean
	$(WITH_SPARK) $(call ENGINE_PATHS,spark) $(DBT) build --target spark --vars '$(SPARK_VARS)' $(DBT_FLAGS)

test-engines: venv ## DuckDB = PostgreSQL = Spark marts, and the BI role's grants (after the 3 builds)
	$(WITH_POSTGRES) $(WITH_SPARK) SKW_ENGINES_REQUIRED=1 $(BIN)/pytest -m engines

postgres-stop: ## Stop the local PostgreSQL of build-postgres
	scripts/postgres.sh stop

test: venv engines browser ## Everything CI runs: 3 engine builds, linters, Python tests
	$(MAKE) --no-print-directory -j 2 --output-sync=target build build-postgres build-spark lint
	$(WITH_POSTGRES) $(WITH_SPARK) SKW_ENGINES_REQUIRED=1 SKW_BROWSER_REQUIRED=1 $(BIN)/pytest $(PYTEST_PARALLEL); \
	    status=$$?; scripts/postgres.sh stop; exit $$status

engines: ## Install what the PostgreSQL and Spark builds need (Debian packages, one apt at a time) and start PostgreSQL
	scripts/postgres.sh start
	scripts/spark.sh setup

registry: venv ## Regenerate what the KPI registry (seeds/config/kpi_catalogue.csv) defines: docs/kpis.md table, doc headings, column meta, metric labels
	PYTHONPATH=tools $(BIN)/python -m sales_kpi_warehouse.registry

generate: venv ## Regenerate the demo CRM export in seeds/demo/crm (deterministic)
	PYTHONPATH=tools $(BIN)/python -m sales_kpi_warehouse.generator --out seeds/demo/crm --format csv

doctor: venv ## Check an export before a build: RAW_PATH=dir [RAW_FILE_FORMAT=parquet] [MAPPING_PATH=dir]
	@test -n "$(RAW_PATH)" || { echo "RAW_PATH is required: make doctor RAW_PATH=<folder of the export>" \
	    "[RAW_FILE_FORMAT=csv|parquet] [MAPPING_PATH=<folder of your map_*.csv>]" >&2; exit 2; }
	PYTHONPATH=tools $(BIN)/python -m sales_kpi_warehouse.doctor "$(RAW_PATH)" --format $(or $(RAW_FILE_FORMAT),csv) \
	    $(if $(MAPPING_PATH),--mapping-path "$(MAPPING_PATH)") $(if $(REPORTING_CURRENCY),--reporting-currency $(REPORTING_CURRENCY))

benchmark: venv ## Time/memory of dbt vs a DuckDB SQL floor at SIZES (S,M,L) into docs/benchmark-results
	PYTHONPATH=tools $(BIN)/python -m sales_kpi_warehouse.benchmark --sizes $(SIZES) $(BENCH_FLAGS)

benchmark-engines: venv ## Full and daily build on PostgreSQL and Spark at ENGINE_SIZES (S), beside DuckDB's
	scripts/spark.sh setup
	PYTHONPATH=tools $(BIN)/python -m sales_kpi_warehouse.benchmark.engines --sizes $(ENGINE_SIZES)

docs: venv ## Generate the dbt docs site into target/
	$(DBT) docs generate --target $(TARGET)

clean: ## Remove build artefacts (keeps the environment)
	rm -rf target logs warehouse.duckdb
	-scripts/postgres.sh clean
	rm -rf .engines

semantic-layer: venv ## Parse, validate the MetricFlow configs, query win rate by team per fiscal quarter
	$(DBT) parse --quiet
	DBT_PROFILES_DIR=profiles $(BIN)/mf validate-configs
	DBT_PROFILES_DIR=profiles $(BIN)/mf query --saved-query team_scorecard_by_fiscal_quarter

browser: ## Install headless Chromium (Debian package) for the dashboard's browser test
	scripts/chromium.sh ensure

dashboard: venv ## Serve the KPI dashboard on 127.0.0.1, port PORT=8501 (reads warehouse.duckdb)
	@test -f "$(SKW_WAREHOUSE)" || { echo "No warehouse at $(SKW_WAREHOUSE): run 'make build' first" \
	    "(or set SKW_WAREHOUSE to a DuckDB file built by dbt)." >&2; exit 1; }
	SKW_WAREHOUSE="$(SKW_WAREHOUSE)" PYTHONPATH=tools $(BIN)/streamlit run \
	    tools/sales_kpi_warehouse/dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

test-dashboard: venv browser ## The dashboard's browser test alone (builds the demo in a temp dir)
	SKW_BROWSER_REQUIRED=1 $(BIN)/pytest tests/python/test_dashboard.py tests/python/test_dashboard_app.py
