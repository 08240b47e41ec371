"""The benchmark's staging floor (tools/sales_kpi_warehouse/benchmark/staging_floor.sql) does
staging's work: over the demo export in files mode (seeds/demo/crm, CSV) it stages and rejects
the same number of rows per table and reason as the dbt build of the same demo (the session's
`demo_warehouse`: stg_crm__* and rejected_rows), so no extra dbt build is needed. A copy of the
script with one check broken must be caught."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import DEMO_DIR, PROJECT_ROOT, Warehouse

from sales_kpi_warehouse.benchmark import staging_floor
from sales_kpi_warehouse.benchmark.staging_floor import (
    RAW_TABLES,
    OutcomeKey,
    StagingFloorSettings,
    count_mismatches,
    dbt_outcome_counts,
    outcome_counts,
)

#: A check of staging_floor.sql and the same check broken (negative durations pass).
CHECK = "when typed.duration_minutes < 0 then 'negative_amount'"
BROKEN = "when typed.duration_minutes < -1000000 then 'negative_amount'"


def demo_settings() -> StagingFloorSettings:
    return StagingFloorSettings(
        raw_path=DEMO_DIR, config_seeds=PROJECT_ROOT / "seeds" / "config", file_format="csv"
    )


def run_floor(db_path: Path, sql_path: Path = staging_floor.SQL_PATH) -> dict[OutcomeKey, int]:
    staging_floor.compute(demo_settings(), db_path, sql_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        return outcome_counts(con)


@pytest.fixture(scope="module")
def dbt_counts(demo_warehouse: Warehouse) -> dict[OutcomeKey, int]:
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        return dbt_outcome_counts(con)


def test_staging_floor_stages_and_rejects_what_dbt_does(
    dbt_counts: dict[OutcomeKey, int], tmp_path: Path
) -> None:
    counts = run_floor(tmp_path / "staging_floor.duckdb")
    assert {table for table, _, _ in dbt_counts} == set(RAW_TABLES)
    assert any(status == "rejected" for _, status, _ in dbt_counts), "the demo has defects"
    mismatches = count_mismatches(dbt_counts, counts)
    assert not mismatches, "staging_floor.sql differs from dbt's staging:\n" + "\n".join(mismatches)


def test_a_broken_check_is_caught(dbt_counts: dict[OutcomeKey, int], tmp_path: Path) -> None:
    sql = staging_floor.SQL_PATH.read_text(encoding="utf-8")
    assert CHECK in sql, "update CHECK: staging_floor.sql no longer has that check"
    broken = tmp_path / "broken.sql"
    broken.write_text(sql.replace(CHECK, BROKEN), encoding="utf-8")
    assert dbt_counts[("activities", "rejected", "negative_amount")] > 0, "the demo lost the defect"
    mismatches = count_mismatches(dbt_counts, run_floor(tmp_path / "broken.duckdb", broken))
    assert any(line.startswith("activities rejected negative_amount:") for line in mismatches)
    assert any(line.startswith("activities staged:") for line in mismatches)
