"""Shared fixtures: run dbt in-process (dbtRunner) against throw-away DuckDB warehouses."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.cli.main import dbtRunner, dbtRunnerResult

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = PROJECT_ROOT / "seeds" / "demo" / "crm"
# `dbt build` flags for builds that need only the tables: without data tests and unit tests, or
# without unit tests (they run on their own fixtures, whatever the input).
SKIP_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
SKIP_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


@dataclass(frozen=True)
class Warehouse:
    """A DuckDB file built by `dbt build`, with the result of the run that built it."""

    path: Path
    result: dbtRunnerResult

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.path)) as con:
            return con.sql(sql).fetchall()


def run_dbt(
    args: list[str], db_path: Path, dbt_vars: dict[str, Any] | None = None
) -> dbtRunnerResult:
    """Run a dbt command on this project into the DuckDB file `db_path`."""
    work = db_path.parent
    cli = [
        *args,
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT / "profiles"),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--no-partial-parse",
        "--quiet",
    ]
    if dbt_vars:
        cli += ["--vars", json.dumps(dbt_vars)]
    with duckdb_path(db_path):
        return dbtRunner().invoke(cli)


@contextmanager
def duckdb_path(db_path: Path) -> Iterator[None]:
    """Point the profile at `db_path` (DBT_DUCKDB_PATH) for one in-process dbt run, then put the
    variable back - tests that read `make build`'s warehouse (test_engines) rely on it - and
    release the file dbt-duckdb keeps open."""
    before = os.environ.get("DBT_DUCKDB_PATH")
    os.environ["DBT_DUCKDB_PATH"] = str(db_path)
    try:
        yield
    finally:
        if before is None:
            del os.environ["DBT_DUCKDB_PATH"]
        else:
            os.environ["DBT_DUCKDB_PATH"] = before
        release_duckdb()


def release_duckdb() -> None:
    """Close the DuckDB file dbt-duckdb keeps open in this process after a run.

    It is open with the profile's config_options (memory_limit, temp_directory), so a plain
    duckdb.connect of the same file would fail ("different configuration"), and its write lock
    would keep other processes (the dashboard under test) out. dbt opens it again on its next run.
    """
    DuckDBConnectionManager.close_all_connections()  # type: ignore[no-untyped-call]
    gc.collect()


def build(
    db_path: Path, dbt_vars: dict[str, Any] | None = None, extra_args: tuple[str, ...] = ()
) -> Warehouse:
    """`dbt build` into `db_path`; fails the test with dbt's own messages when the build fails."""
    result = run_dbt(["build", *extra_args], db_path, dbt_vars)
    if not result.success:
        failures: list[str] = []
        if isinstance(result.result, RunExecutionResult):
            failures = [
                f"{r.node.unique_id}: {r.message}"
                for r in result.result.results
                if str(r.status) not in ("success", "pass")
            ]
        pytest.fail(f"dbt build failed ({result.exception}):\n" + "\n".join(failures[:20]))
    return Warehouse(db_path, result)


def difference_counts_sql(left: str, right: str) -> str:
    """A query of one row: the rows of select `left` missing from select `right`, the rows of
    `right` missing from `left` (EXCEPT ALL, so a duplicate row counts), and the rows of `left`.
    The incremental = full-refresh tests compare tables with it (DuckDB and PostgreSQL SQL)."""
    return (
        f"select (select count(*) from ({left} except all {right}) as left_only),"
        f" (select count(*) from ({right} except all {left}) as right_only),"
        f" (select count(*) from ({left}) as left_rows)"
    )


def pg_connect(user: str, password: str, options: str | None = None) -> Any:
    """A psycopg2 connection to the PostgreSQL server of the dbt profile (DBT_PG_* variables, as
    `scripts/postgres.sh env` exports them); `options` as libpq's (`-c lock_timeout=1s`)."""
    return psycopg2.connect(
        host=os.environ.get("DBT_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("DBT_PG_PORT", "5432")),
        dbname=os.environ.get("DBT_PG_DBNAME", "sales_kpi_warehouse"),
        user=user,
        password=password,
        connect_timeout=5,
        options=options,
    )


def generate(out_dir: Path, *args: str) -> dict[str, Any]:
    """Write a synthetic CRM export with the project's generator; return its defect manifest."""
    subprocess.run(
        [sys.executable, "-m", "sales_kpi_warehouse.generator", "--out", str(out_dir), *args],
        check=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "tools")},
        capture_output=True,
    )
    manifest: dict[str, Any] = json.loads((out_dir / "defect_manifest.json").read_text())
    return manifest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The files with an `engines` test (PostgreSQL, Spark: the longest) run first. Under
    pytest-xdist (`make test` runs `pytest -n 2 --dist loadfile`: one worker per test file, so its
    module fixtures are built once) a worker starts on them while the other takes the rest; every
    engine test works in schemas and folders of its own, so two can run side by side."""
    engine_files = {item.path for item in items if item.get_closest_marker("engines")}
    items.sort(key=lambda item: item.path not in engine_files)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """The demo (seeds) built from scratch, once per test session."""
    yield build(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="session")
def demo_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((DEMO_DIR / "defect_manifest.json").read_text())
    return manifest


def load_connector_tables(db_path: Path, schema: str, tables: dict[str, Path]) -> None:
    """Each CSV as a typed table of `schema` in the DuckDB file `db_path` (types auto-detected,
    as a managed connector writes typed columns): the input of a connector input_mode."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create schema if not exists {schema}")
        for table, path in tables.items():
            con.execute(
                f'create or replace table {schema}."{table}" as select * from read_csv(?)',
                [str(path)],
            )
