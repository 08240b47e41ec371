"""The incremental = full-refresh proof on PostgreSQL (issue 25): the demo export loaded as
text tables (as `\\copy` of the CSVs would; `input_mode: warehouse`), the latest 1 % of each
event table held back; a full build; then the next day's export - the held-back events and the
edited snapshot tables of test_incremental.edit_snapshot_export - and an incremental build; every
intermediate, data-quality and mart table, and every incremental base table, must equal a full
refresh of the same export row for row.

Models and seeds only (the DuckDB proof runs the data tests on the increment); throw-away
schemas, dropped afterwards.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DEMO_DIR, SKIP_TESTS, difference_counts_sql
from engine_runner import postgres_connection, run_dbt_step
from test_connector_engines import check_environment, drop_postgres_schemas
from test_incremental import (
    INCREMENTAL_MODELS,
    SNAPSHOT_FED_MODELS,
    SNAPSHOT_MODELS,
    SNAPSHOT_TABLES,
    edit_snapshot_export,
)

from sales_kpi_warehouse.batches import EVENT_TABLES, PENDING, deliver_pending, hold_back

pytestmark = pytest.mark.engines

COMPARED_SCHEMAS = ("intermediate", "data_quality", "marts")


def load_text_tables(schema: str, layout: Path) -> dict[str, int]:
    """Every table of a batch layout as a text table of `schema` (a folder's batch files in
    one table, the held-back ones left out); returns the rows per table."""
    rows: dict[str, int] = {}
    connection = postgres_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'create schema "{schema}"')
        for entry in sorted(layout.iterdir()):
            if entry.name == PENDING:
                continue
            files = sorted(entry.glob("*.csv")) if entry.is_dir() else [entry]
            table = entry.name if entry.is_dir() else entry.stem
            header = files[0].read_text(encoding="utf-8").splitlines()[0].split(",")
            columns = ", ".join(f'"{name}" text' for name in header)
            cursor.execute(f'create table "{schema}"."{table}" ({columns})')
            for path in files:
                with path.open(encoding="utf-8") as handle:
                    cursor.copy_expert(
                        f'copy "{schema}"."{table}" from stdin with (format csv, header true)',
                        handle,
                    )
            cursor.execute(f'select count(*) from "{schema}"."{table}"')
            (count,) = cursor.fetchone()
            rows[table] = int(count)
            cursor.execute(f'analyze "{schema}"."{table}"')
    connection.close()
    return rows


def query(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    connection = postgres_connection()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = list(cursor.fetchall())
    connection.close()
    return found


def compared_tables(schema: str) -> list[tuple[str, str]]:
    """(schema suffix, table) of every table compared in the target schema `schema`."""
    rows = query(
        "select substring(table_schema from %s), table_name from information_schema.tables"
        " where (table_schema = any(%s) or (table_schema = %s and table_name = any(%s)))"
        " order by 1, 2",
        (
            f"^{schema}_(.*)$",
            [f"{schema}_{suffix}" for suffix in COMPARED_SCHEMAS],
            f"{schema}_staging",
            [*INCREMENTAL_MODELS, *SNAPSHOT_MODELS, *SNAPSHOT_FED_MODELS],
        ),
    )
    return [(str(suffix), str(table)) for suffix, table in rows]


def differences(left: str, right: str) -> dict[str, tuple[int, int, int]]:
    """Per table: rows only in `left`'s, rows only in `right`'s, rows (every column as text,
    so json and numeric columns compare as they read)."""
    tables = compared_tables(left)
    assert tables == compared_tables(right), "the two builds hold different tables"
    assert len(tables) > 40, f"only {len(tables)} tables compared"
    found: dict[str, tuple[int, int, int]] = {}
    for suffix, table in tables:
        columns = [
            str(name)
            for (name,) in query(
                "select column_name from information_schema.columns where table_schema = %s"
                " and table_name = %s order by ordinal_position",
                (f"{left}_{suffix}", table),
            )
        ]
        as_text = ", ".join(f'"{column}"::text' for column in columns)
        lhs = f'select {as_text} from "{left}_{suffix}"."{table}"'
        rhs = f'select {as_text} from "{right}_{suffix}"."{table}"'
        ((only_left, only_right, count),) = query(difference_counts_sql(lhs, rhs))
        found[f"{suffix}.{table}"] = (int(only_left), int(only_right), int(count))
    return found


@dataclass(frozen=True)
class PostgresRuns:
    prefix: str
    before: dict[str, int]
    after: dict[str, int]
    steps: dict[str, dict[str, Any]]
    work: Path


def dbt_build(prefix: str, target: str, raw: str, work: Path, *extra: str) -> dict[str, Any]:
    dbt_vars = {"input_mode": "warehouse", "raw_schema": f"{prefix}_{raw}"}
    step = {
        "dbt": ["build", *SKIP_TESTS, *extra, "--vars", json.dumps(dbt_vars)],
        "env": {
            "DBT_PG_SCHEMA": f"{prefix}_{target}",
            "DBT_TARGET_PATH": str(work / target / "target"),
            "DBT_LOG_PATH": str(work / target / "logs"),
            # jit off: see test_connector_engines.engine_env
            "PGOPTIONS": "-c jit=off",
        },
    }
    result = run_dbt_step(step, "postgres")
    assert result["success"], f"{target} build on {raw} failed: {result['errors']}"
    return result


@pytest.fixture(scope="module")
def postgres_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresRuns]:
    check_environment("postgres")
    prefix = f"skw_inc_{uuid.uuid4().hex[:8]}"
    work = tmp_path_factory.mktemp("incremental_postgres")
    layout = work / "raw"
    hold_back(DEMO_DIR, layout, share=0.01, fmt="csv")
    try:
        before = load_text_tables(f"{prefix}_raw_before", layout)
        steps = {"full": dbt_build(prefix, "inc", "raw_before", work)}
        deliver_pending(layout)
        edit_snapshot_export(layout)
        after = load_text_tables(f"{prefix}_raw_after", layout)
        # the run SQL of the increment must be its own (not the full build's)
        shutil.rmtree(work / "inc" / "target" / "run", ignore_errors=True)
        steps["incremental"] = dbt_build(prefix, "inc", "raw_after", work)
        steps["refresh"] = dbt_build(prefix, "full", "raw_after", work, "--full-refresh")
        yield PostgresRuns(prefix, before, after, steps, work)
    finally:
        drop_postgres_schemas(prefix)


def test_the_next_export_has_new_rows(postgres_runs: PostgresRuns) -> None:
    for table in ("activities", "email_events", "deal_stage_history"):
        assert postgres_runs.after[table] > postgres_runs.before[table], table
    assert postgres_runs.after["contracts"] == postgres_runs.before["contracts"] - 1


def test_the_increment_ran_incrementally(postgres_runs: PostgresRuns) -> None:
    run_sql = postgres_runs.work / "inc" / "target" / "run"
    for model in (*INCREMENTAL_MODELS, *SNAPSHOT_MODELS, *SNAPSHOT_FED_MODELS):
        sql = next(run_sql.rglob(f"{model}.sql")).read_text()
        assert "delete from" in sql, f"{model} was not run incrementally"


def test_the_replaced_rows_are_found_by_index(postgres_runs: PostgresRuns) -> None:
    """Each incremental table has a PostgreSQL index on the column its delete names."""
    prefix = postgres_runs.prefix
    indexed = {
        (str(table), str(definition).split("(")[-1].rstrip(")"))
        for table, definition in query(
            "select tablename, indexdef from pg_indexes where schemaname in (%s, %s)",
            (f"{prefix}_inc_staging", f"{prefix}_inc_intermediate"),
        )
    }
    keys = {
        **{f"base_crm__{table}": "batch_key" for table in EVENT_TABLES},
        **dict(zip(SNAPSHOT_MODELS, SNAPSHOT_TABLES.values(), strict=True)),
        "int_activities_enriched": "activity_id",
        "int_deal_stage_transitions": "deal_id",
        "int_pipeline_daily": "pipeline_date",
        "int_deal_funnel_stages": "deal_id",
        "int_lead_lifecycles": "lead_id",
    }
    assert set(keys) == {*INCREMENTAL_MODELS, *SNAPSHOT_MODELS, *SNAPSHOT_FED_MODELS}
    missing = set(keys.items()) - indexed
    assert not missing, f"no index: {sorted(missing)}"


def test_incremental_equals_full_refresh_on_postgres(postgres_runs: PostgresRuns) -> None:
    prefix = postgres_runs.prefix
    found = differences(f"{prefix}_inc", f"{prefix}_full")
    differing = {name: d for name, d in found.items() if d[0] or d[1]}
    assert not differing, f"incremental and full-refresh tables differ: {differing}"
    assert found["marts.kpi_team_performance"][2] > 1000
    # Control: both builds read the next export (its new malformed lead is rejected).
    for target in ("inc", "full"):
        (reasons,) = query(
            f'select count(*) from "{prefix}_{target}_data_quality"."rejected_rows"'
            " where record_key = 'L99999' and reason_code = 'invalid_date'"
        )
        assert reasons == (1,), target
    print(
        "\n[incremental postgres] "
        + ", ".join(f"{name}: {step['seconds']} s" for name, step in postgres_runs.steps.items())
    )
