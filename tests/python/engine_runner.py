"""Load typed connector tables into PostgreSQL or Spark and run dbt on them: the machinery of
test_connector_engines.py.

A plan is a list of steps, each run in order:

- ``{"load": {schema: {table: csv path}}}``: every CSV as a typed table of `schema`, with the
  types DuckDB's read_csv infers (as conftest.load_connector_tables does on DuckDB; a managed
  connector writes booleans, timestamps and numbers). PostgreSQL: ``create table`` with the
  matching types and ``copy``. Spark: DuckDB writes one Parquet file per table and Spark gets
  an external table over it.
- ``{"dbt": [args], "env": {name: value}, "queries": {name: sql}}``: one in-process dbt
  invocation with those environment variables set (DBT_TARGET, DBT_PG_SCHEMA or
  DBT_SPARK_SCHEMA, ...), then each query; the result holds the run's success, every failed
  test with the rows its compiled SQL returns, and each query's rows.

PostgreSQL plans run in the pytest process. A Spark plan runs in ONE subprocess
(``python engine_runner.py plan.json result.json``): dbt-spark's session method starts Spark
inside the dbt process, and every dbt invocation of one process reuses that session, so the
whole plan pays the JVM start (≈15-20 s) once instead of once per command.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.cli.main import dbtRunner
from pyspark.sql import SparkSession

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# DuckDB's inferred type -> PostgreSQL's (anything else is text).
POSTGRES_TYPES = {
    "BOOLEAN": "boolean",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "TIME": "time",
}

Step = dict[str, Any]
Rows = list[list[Any]]


def plain(value: Any) -> Any:
    """A value as JSON can carry it (dates and decimals as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value)


def inferred_columns(path: Path) -> list[tuple[str, str]]:
    """(name, DuckDB type) of each column of the CSV, as read_csv infers them."""
    with duckdb.connect() as con:
        described = con.execute("describe select * from read_csv(?)", [str(path)]).fetchall()
    return [(str(row[0]), str(row[1])) for row in described]


# ---- PostgreSQL ------------------------------------------------------------------------------


def postgres_connection() -> Any:
    connection = psycopg2.connect(
        host=os.environ.get("DBT_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("DBT_PG_PORT", "5432")),
        dbname=os.environ.get("DBT_PG_DBNAME", "sales_kpi_warehouse"),
        user=os.environ["DBT_PG_USER"],
        password=os.environ["DBT_PG_PASSWORD"],
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def postgres_load(schema: str, tables: dict[str, Path], folder: Path) -> None:
    """Each CSV as a typed table: DuckDB reads it (types inferred) and writes it again in its
    own formats, which PostgreSQL's copy reads into the matching types."""
    connection = postgres_connection()
    folder.mkdir(parents=True, exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute(f'create schema if not exists "{schema}"')
        for table, path in tables.items():
            columns = inferred_columns(path)
            typed = ", ".join(f'"{n}" {POSTGRES_TYPES.get(t, "text")}' for n, t in columns)
            cursor.execute(f'drop table if exists "{schema}"."{table}" cascade')
            cursor.execute(f'create table "{schema}"."{table}" ({typed})')
            rewritten = folder / f"{schema}.{table}.csv"
            with duckdb.connect() as con:
                con.execute(
                    f"copy (select * from read_csv(?)) to '{rewritten}' (header, format csv)",
                    [str(path)],
                )
            with rewritten.open(encoding="utf-8") as handle:
                cursor.copy_expert(
                    f'copy "{schema}"."{table}" from stdin with (format csv, header true)', handle
                )
            # statistics, as autovacuum keeps them on a connector's tables: without them the
            # planner guesses, and over the adapters' views a guess can exceed jit_above_cost
            cursor.execute(f'analyze "{schema}"."{table}"')
    connection.close()


def postgres_query(sql: str) -> Rows:
    connection = postgres_connection()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = [[plain(v) for v in row] for row in cursor.fetchall()]
    connection.close()
    return rows


# ---- Spark -----------------------------------------------------------------------------------


def spark_session() -> Any:
    """The session dbt-spark started in this process (a plan's first dbt step starts it)."""
    assert SparkSession._instantiatedSession is not None, (
        "no Spark session yet: a Spark plan starts with a dbt step (e.g. dbt show)"
    )
    return SparkSession.builder.getOrCreate()


def spark_load(schema: str, tables: dict[str, Path], folder: Path) -> None:
    """Each CSV as an external Spark table over a typed Parquet file DuckDB writes (same
    inferred types as on DuckDB; a timestamp is a wall-clock TIMESTAMP_NTZ, as the CSV reads)."""
    session = spark_session()
    session.sql(f"create database if not exists `{schema}`")
    for table, path in tables.items():
        parquet = folder / schema / f"{table}.parquet"
        parquet.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            con.execute(
                f"copy (select * from read_csv(?)) to '{parquet}' (format parquet)", [str(path)]
            )
        session.sql(f"drop table if exists `{schema}`.`{table}`")
        session.sql(f"create table `{schema}`.`{table}` using parquet options (path '{parquet}')")


def spark_query(sql: str) -> Rows:
    return [[plain(v) for v in row] for row in spark_session().sql(sql).collect()]


# ---- running a plan --------------------------------------------------------------------------


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_dbt_step(step: Step, engine: str) -> dict[str, Any]:
    query = postgres_query if engine == "postgres" else spark_query
    started = time.monotonic()
    with environment({"DBT_TARGET": engine, **step.get("env", {})}):
        result = dbtRunner().invoke(
            [*step["dbt"], "--project-dir", str(PROJECT_ROOT), "--profiles-dir",
             str(PROJECT_ROOT / "profiles"), "--no-partial-parse", "--quiet"]
        )  # fmt: skip
    failed: dict[str, Rows] = {}
    errors: list[str] = []
    if isinstance(result.result, RunExecutionResult):
        for node_result in result.result.results:
            status = str(node_result.status)
            node = node_result.node
            compiled = getattr(node, "compiled_code", None)
            if status == "fail" and isinstance(compiled, str):
                failed[node.name] = query(compiled)
            elif status == "error":
                errors.append(f"{node.unique_id}: {node_result.message}")
    elif result.exception is not None:
        errors.append(str(result.exception))
    seconds = round(time.monotonic() - started, 1)
    queries = {name: query(sql) for name, sql in step.get("queries", {}).items()}
    return {
        "success": result.success,
        "failed": failed,
        "errors": errors,
        "queries": queries,
        "seconds": seconds,
    }


def run_plan(engine: str, plan: list[Step], work: Path) -> list[dict[str, Any]]:
    """Run the steps in order; one result per step ({} for a load)."""
    results: list[dict[str, Any]] = []
    for step in plan:
        if "load" in step:
            for schema, tables in step["load"].items():
                paths = {table: Path(path) for table, path in tables.items()}
                if engine == "postgres":
                    postgres_load(schema, paths, work / "connector_csv")
                else:
                    spark_load(schema, paths, work / "connector_parquet")
            results.append({})
        else:
            results.append(run_dbt_step(step, engine))
    return results


def main(plan_file: str, result_file: str) -> None:
    plan = json.loads(Path(plan_file).read_text())
    results = run_plan(plan["engine"], plan["steps"], Path(plan["work"]))
    Path(result_file).write_text(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
