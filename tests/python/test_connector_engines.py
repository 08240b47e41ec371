"""Both connectors on PostgreSQL and Spark (issue 23).

Per engine, one plan (engine_runner.py) in throw-away schemas:

1. the Fivetran Salesforce and HubSpot fixtures (tests/fixtures/) loaded as typed connector
   tables and built through their adapters (adapters, staging, data quality and their tests;
   not the marts) — the same read / deleted / passed, staged / rejected counts and the same
   emptiness-guard failure as the DuckDB tests assert (connector_expectations.py,
   test_connector_hubspot.py);
2. one generated company (≈300 deals) in its HubSpot-connector shape, built in hubspot mode
   (models and seeds, no tests) with the contract tables HubSpot lacks as the supplement:
   PostgreSQL reads them from var supplement_schema (tables), Spark from var supplement_path
   (files). Every mart must equal the DuckDB files-mode build of the reference export
   (test_engines' comparison, which tolerates engine rounding).

PostgreSQL runs in this process; Spark in one subprocess, so its JVM starts once for the
whole plan. Build times are printed (pytest -s) and kept in <tmp>/connector_engine_times.json.
An engine without its environment (`source <(scripts/postgres.sh env)`,
`source <(scripts/spark.sh env)`) is skipped, or fails under SKW_ENGINES_REQUIRED=1
(`make test`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from conftest import SKIP_TESTS, SKIP_UNIT_TESTS, build, generate
from connector_expectations import (
    SALESFORCE_GUARD_MESSAGES,
    SALESFORCE_MAPPED_TABLES,
    SALESFORCE_REASONS,
    SALESFORCE_RECONCILIATION,
    SALESFORCE_ROW_COUNTS,
    salesforce_fixture_tables,
)
from engine_runner import postgres_connection, run_plan
from test_connector_hubspot import (
    CONTRACT_TABLES,
    GUARD_TEXT,
    expected_fixture_row_counts,
    expected_fixture_staging,
    read_rows,
)
from test_connector_hubspot import fixture_tables as hubspot_fixture_tables
from test_engines import (
    DuckDBReader,
    PostgresReader,
    SparkParquetReader,
    assert_same_marts,
    unavailable,
)

from sales_kpi_warehouse.generator.connectors.expressible import write_expressible_export
from sales_kpi_warehouse.generator.connectors.hubspot import HUBSPOT_VARS, write_hubspot

pytestmark = pytest.mark.engines

ENGINES = ("postgres", "spark")
# The fixture builds: adapters, staging, data quality and the seeds they read, with the data
# quality tests (the row reconciliation and the emptiness guard, what is asserted here); the
# staging and adapter models' own tests run in the DuckDB fixture builds; no unit tests.
FIXTURE_SELECTION = (
    "--select", "+path:models/adapters", "+path:models/data_quality",
    "--indirect-selection", "buildable",
    "--exclude", "resource_type:test,path:models/staging",
    "resource_type:test,path:models/adapters", "resource_type:test,path:data-tests",
    *SKIP_UNIT_TESTS,
)  # fmt: skip
Result = dict[str, Any]


@dataclass(frozen=True)
class Company:
    """One generated company: its HubSpot-connector tables and the contract export reduced to
    what HubSpot can express (the reference and the supplement)."""

    connector: Path
    reference: Path


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Company:
    """The ONE use of the generator's connector functions in this module."""
    root = tmp_path_factory.mktemp("engines_company")
    export = root / "export"
    generate(export, "--deals", "300", "--seed", "23", "--no-defects")
    write_expressible_export(export, root / "reference")
    write_hubspot(export, root / "connector")
    return Company(root / "connector", root / "reference")


COMPANY_VARS: dict[str, Any] = {"input_mode": "hubspot", **HUBSPOT_VARS}


@pytest.fixture(scope="module")
def duckdb_reference(company: Company, tmp_path_factory: pytest.TempPathFactory) -> DuckDBReader:
    """The reference export built in files mode on DuckDB (marts only)."""
    path = tmp_path_factory.mktemp("engines_reference") / "w.duckdb"
    started = time.monotonic()
    build(path, {"input_mode": "files", "raw_path": str(company.reference)}, SKIP_TESTS)
    record_time("duckdb", "company (files, reference)", time.monotonic() - started)
    return DuckDBReader(path, "main")


# ---- timings ---------------------------------------------------------------------------------

TIMES: dict[str, float] = {}


def record_time(engine: str, build_name: str, seconds: float) -> None:
    TIMES[f"{engine}: {build_name}"] = round(seconds, 1)
    print(f"\n[connector engines] {engine}: {build_name}: {seconds:.1f} s")


# ---- the plan --------------------------------------------------------------------------------


def csv_tables(folder: Path) -> dict[str, str]:
    return {path.stem: str(path) for path in folder.glob("*.csv")}


def fixture_step(env: dict[str, str], schema: str, connector: str) -> dict[str, Any]:
    """Build one connector's fixtures (`schema`_<connector> holds its tables) and read back
    what the DuckDB tests assert."""
    prefix = env_schema(env)
    variables = {"input_mode": connector, f"{connector}_schema": f"{schema}_{connector}"}
    counted = "rows_inactive" if connector == "salesforce" else "rows_merged"
    return {
        "dbt": ["build", *FIXTURE_SELECTION, "--vars", json.dumps(variables)],
        "env": env,
        "queries": {
            "row_counts": "select connector_table, rows_read, rows_deleted,"
            f" {counted}, rows_passed from {prefix}_adapters.adapter_{connector}__row_counts",
            "reconciliation": "select source_table, raw_rows, staged_rows, rejected_rows"
            f" from {prefix}_data_quality.dq_row_reconciliation",
            "reasons": "select source_table, reason_code, count(*)"
            f" from {prefix}_data_quality.rejected_rows group by source_table, reason_code",
        },
    }


def env_schema(env: dict[str, str]) -> str:
    return env.get("DBT_PG_SCHEMA") or env["DBT_SPARK_SCHEMA"]


def engine_env(engine: str, schema: str, work: Path) -> dict[str, str]:
    env = {"DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")}
    if engine == "postgres":
        # jit off: PostgreSQL's JIT spends minutes compiling the staging models' wide
        # expressions once the planner's estimate passes jit_above_cost (docs/engines.md)
        return {**env, "DBT_PG_SCHEMA": schema, "PGOPTIONS": "-c jit=off"}
    return {**env, "DBT_SPARK_SCHEMA": schema}


def plan(engine: str, schema: str, company: Company, work: Path) -> list[dict[str, Any]]:
    load = {
        f"{schema}_salesforce": {t: str(p) for t, p in salesforce_fixture_tables().items()},
        f"{schema}_hubspot": {t: str(p) for t, p in hubspot_fixture_tables().items()},
        f"{schema}_company": csv_tables(company.connector),
    }
    supplement: dict[str, str] = {"supplement_path": str(company.reference)}
    if engine == "postgres":
        load[f"{schema}_supplement"] = csv_tables(company.reference)
        supplement = {"supplement_schema": f"{schema}_supplement"}
    company_vars = {**COMPANY_VARS, "hubspot_schema": f"{schema}_company", **supplement}
    steps: list[dict[str, Any]] = []
    if engine == "spark":  # a Spark session must exist before the load (dbt starts it)
        steps.append(
            {"dbt": ["show", "--inline", "select 1"], "env": engine_env(engine, schema, work)}
        )
    steps += [
        {"load": load},
        fixture_step(engine_env(engine, f"{schema}_sf", work), schema, "salesforce"),
        fixture_step(engine_env(engine, f"{schema}_hs", work), schema, "hubspot"),
        {
            "dbt": ["build", *SKIP_TESTS, "--vars", json.dumps(company_vars)],
            "env": engine_env(engine, f"{schema}_co", work),
        },
    ]
    return steps


@dataclass(frozen=True)
class EngineRun:
    engine: str
    schema: str
    salesforce: Result
    hubspot: Result
    company: Result
    marts: PostgresReader | SparkParquetReader


def check_environment(engine: str) -> None:
    if engine == "postgres":
        if not (os.environ.get("DBT_PG_USER") and os.environ.get("DBT_PG_PASSWORD")):
            unavailable("DBT_PG_USER/DBT_PG_PASSWORD unset (source <(scripts/postgres.sh env))")
        try:
            postgres_connection().close()
        except psycopg2.OperationalError as error:
            unavailable(f"PostgreSQL unreachable: {error}")
    elif not spark_available():
        unavailable("no Java for Spark (scripts/spark.sh setup; source <(scripts/spark.sh env))")


@dataclass(frozen=True)
class SparkPlan:
    """The Spark plan running in the background: one subprocess (one JVM), its metastore,
    warehouse, output and results under `work`. It starts before the PostgreSQL plan runs in
    this process, so the two engines' builds overlap (CI time)."""

    process: subprocess.Popen[bytes]
    schema: str
    work: Path
    started: float

    def results(self) -> list[Result]:
        returncode = self.process.wait()
        if returncode != 0:
            output = (self.work / "output.log").read_text(errors="replace")
            pytest.fail(f"the Spark plan failed (exit {returncode}):\n{output[-6000:]}")
        results: list[Result] = json.loads((self.work / "result.json").read_text())
        return results


def spark_available() -> bool:
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


def start_spark_plan(company: Company, work: Path) -> SparkPlan:
    schema = f"skw_conn_{uuid.uuid4().hex[:8]}"
    plan_file = work / "plan.json"
    steps = plan("spark", schema, company, work)
    plan_file.write_text(json.dumps({"engine": "spark", "steps": steps, "work": str(work)}))
    env = {
        **os.environ,
        "DBT_SPARK_WAREHOUSE_DIR": str(work / "warehouse"),
        "DBT_SPARK_METASTORE_DIR": str(work),
        "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
    }
    with (work / "output.log").open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("engine_runner.py")), str(plan_file),
             str(work / "result.json")],
            cwd=work, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return SparkPlan(process, schema, work, time.monotonic())


@pytest.fixture(scope="module")
def spark_plan(
    company: Company, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SparkPlan | None]:
    """Started as soon as the company exists (None without Java: engine_run skips or fails)."""
    if not spark_available():
        yield None
        return
    started = start_spark_plan(company, tmp_path_factory.mktemp("connector_spark"))
    yield started
    if started.process.poll() is None:
        started.process.kill()
        started.process.wait()


def drop_postgres_schemas(prefix: str) -> None:
    connection = postgres_connection()
    with connection.cursor() as cursor:
        cursor.execute("select nspname from pg_namespace where nspname like %s", (prefix + "\\_%",))
        for (name,) in cursor.fetchall():
            cursor.execute(f'drop schema "{name}" cascade')
    connection.close()


@pytest.fixture(scope="module", params=ENGINES)
def engine_run(
    request: pytest.FixtureRequest,
    company: Company,
    spark_plan: SparkPlan | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[EngineRun]:
    engine: str = request.param
    check_environment(engine)
    marts_reader: list[PostgresReader] = []
    if engine == "postgres":
        schema = f"skw_conn_{uuid.uuid4().hex[:8]}"
        work = tmp_path_factory.mktemp("connector_postgres")
        started = time.monotonic()
    else:
        assert spark_plan is not None  # check_environment skipped or failed otherwise
        schema, work, started = spark_plan.schema, spark_plan.work, spark_plan.started
    try:
        if engine == "postgres":
            results = run_plan(engine, plan(engine, schema, company, work), work)
        else:
            results = spark_plan.results() if spark_plan else []
        record_time(engine, "whole plan (load, 3 builds)", time.monotonic() - started)
        builds = [r for r in results if "seconds" in r][-3:]
        for name, result in zip(
            ("salesforce fixtures", "hubspot fixtures", "company"), builds, strict=True
        ):
            record_time(engine, name, result["seconds"])
        (work.parent / "connector_engine_times.json").write_text(json.dumps(TIMES, indent=1))
        marts: PostgresReader | SparkParquetReader
        if engine == "postgres":
            marts = PostgresReader(os.environ["DBT_PG_USER"], os.environ["DBT_PG_PASSWORD"])
            marts.schema = f"{schema}_co"
            marts_reader.append(marts)
        else:
            marts = SparkParquetReader(work / "warehouse", f"{schema}_co")
        yield EngineRun(engine, schema, builds[0], builds[1], builds[2], marts)
    finally:
        if engine == "postgres":
            if marts_reader:  # its open read transaction holds locks the drop waits for
                marts_reader[0].connection.close()
            drop_postgres_schemas(schema)


# ---- the Fivetran fixtures -------------------------------------------------------------------


def as_tuples(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in rows)


def guard_messages(result: Result) -> list[str]:
    assert not result["errors"], result["errors"]
    assert not result["success"]
    assert list(result["failed"]) == ["raw_tables_not_mostly_rejected"], list(result["failed"])
    return sorted(str(row[-1]) for row in result["failed"]["raw_tables_not_mostly_rejected"])


def test_salesforce_fixture_counts(engine_run: EngineRun) -> None:
    queries = engine_run.salesforce["queries"]
    assert as_tuples(queries["row_counts"]) == SALESFORCE_ROW_COUNTS
    reconciliation = [
        r for r in as_tuples(queries["reconciliation"]) if r[0] in SALESFORCE_MAPPED_TABLES
    ]
    assert reconciliation == SALESFORCE_RECONCILIATION
    assert as_tuples(queries["reasons"]) == SALESFORCE_REASONS


def test_salesforce_fixture_fails_on_the_emptiness_guard(engine_run: EngineRun) -> None:
    assert guard_messages(engine_run.salesforce) == SALESFORCE_GUARD_MESSAGES


@pytest.fixture(scope="module")
def hubspot_rows() -> dict[str, list[dict[str, str]]]:
    return {table: read_rows(path) for table, path in hubspot_fixture_tables().items()}


def test_hubspot_fixture_counts(
    engine_run: EngineRun, hubspot_rows: dict[str, list[dict[str, str]]]
) -> None:
    queries = engine_run.hubspot["queries"]
    counts = {row[0]: tuple(row[1:]) for row in as_tuples(queries["row_counts"])}
    assert counts == expected_fixture_row_counts(hubspot_rows)
    staged = {
        row[0]: (row[2], row[3])
        for row in as_tuples(queries["reconciliation"])
        if row[0] in CONTRACT_TABLES
    }
    assert staged == expected_fixture_staging(hubspot_rows)
    assert sorted((table, reason) for table, reason, _ in as_tuples(queries["reasons"])) == [
        ("deal_stage_history", "unmapped_stage"),
        ("deals", "missing_value"),
        ("leads", "unmapped_lead_status"),
    ]


def test_hubspot_fixture_fails_on_the_emptiness_guard(
    engine_run: EngineRun, hubspot_rows: dict[str, list[dict[str, str]]]
) -> None:
    expected = expected_fixture_staging(hubspot_rows)
    assert guard_messages(engine_run.hubspot) == [
        GUARD_TEXT.format(table=table, invalid=rejected, distinct=rejected, staged=0)
        for table in ("deal_stage_history", "deals", "leads")
        for rejected in [expected[table][1]]
    ]


# ---- the generated company -------------------------------------------------------------------


def test_generated_company_marts_equal_duckdb_files_mode(
    engine_run: EngineRun, duckdb_reference: DuckDBReader
) -> None:
    company = engine_run.company
    assert company["success"] and not company["errors"], company["errors"]
    assert_same_marts(duckdb_reference, engine_run.marts, engine_run.engine)
