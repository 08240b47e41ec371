"""Every raw row ends up staged or in rejected_rows with the reason the generator injected."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import Warehouse, build, generate, run_dbt

pytestmark = pytest.mark.dbt


def rejected_by_reason(warehouse: Warehouse) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = warehouse.query(
        "select source_table, reason_code, count(*)"
        " from main_data_quality.rejected_rows group by all"
    )
    for table, reason, n in rows:
        counts[table][reason] = n
    return counts


def assert_matches_manifest(warehouse: Warehouse, manifest: dict[str, Any]) -> None:
    reconciliation = {
        row[0]: row[1:]
        for row in warehouse.query(
            "select source_table, raw_rows, staged_rows, rejected_rows"
            " from main_data_quality.dq_row_reconciliation"
        )
    }
    rejected = rejected_by_reason(warehouse)
    for table, expected in manifest["tables"].items():
        raw, staged, rejected_rows = reconciliation[table]
        assert raw == expected["raw_rows"], f"{table}: raw rows"
        assert raw == staged + rejected_rows, f"{table}: raw != staged + rejected"
        assert staged == expected["expected_staged"], f"{table}: staged rows"
        expected_reasons = {k: v for k, v in expected["expected_rejected"].items() if v}
        assert rejected.get(table, {}) == expected_reasons, f"{table}: rejected rows by reason"
    findings = {
        (row[0], str(row[1])): int(row[2])
        for row in warehouse.query(
            "select entity, check_name, count(*) from main_data_quality.dq_findings"
            " where check_name = 'unknown_reference' group by all"
        )
    }
    expected_findings = {
        (table, code): n
        for table, expected in manifest["tables"].items()
        for code, n in expected.get("expected_findings", {}).items()
        if n
    }
    assert findings == expected_findings, "staged rows with an unknown reference (dq_findings)"


def test_demo_rejections_match_the_injected_defects(
    demo_warehouse: Warehouse, demo_manifest: dict[str, Any]
) -> None:
    assert_matches_manifest(demo_warehouse, demo_manifest)


def test_every_reason_code_of_the_demo_is_explained(demo_warehouse: Warehouse) -> None:
    rows = demo_warehouse.query(
        "select count(*) from main_data_quality.rejected_rows"
        " where reason_text is null or raw_values not like '{%}'"
    )
    assert rows == [(0,)]


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_corrupted_export_read_in_place(tmp_path: Path, file_format: str) -> None:
    """A fresh, differently seeded export with defects, read from files: nothing is lost."""
    export = tmp_path / "export"
    manifest = generate(export, "--deals", "600", "--seed", "7", "--format", file_format)
    warehouse = build(
        tmp_path / "files.duckdb",
        {"input_mode": "files", "raw_path": str(export), "raw_file_format": file_format},
    )
    assert_matches_manifest(warehouse, manifest)
    assert warehouse.query("select count(*) from main_marts.kpi_team_performance")[0][0] > 0


def test_missing_optional_file_gives_empty_table(tmp_path: Path) -> None:
    export = tmp_path / "export"
    generate(export, "--deals", "300", "--seed", "11", "--no-defects")
    (export / "email_events.csv").unlink()
    warehouse = build(
        tmp_path / "optional.duckdb", {"input_mode": "files", "raw_path": str(export)}
    )
    assert warehouse.query("select count(*) from main_staging.stg_crm__email_events") == [(0,)]


def test_missing_required_file_stops_with_its_name(tmp_path: Path) -> None:
    export = tmp_path / "export"
    generate(export, "--deals", "300", "--seed", "11", "--no-defects")
    (export / "deals.csv").unlink()
    result = run_dbt(
        ["build"], tmp_path / "required.duckdb", {"input_mode": "files", "raw_path": str(export)}
    )
    assert not result.success
    assert "deals.csv" in str(result.exception)
