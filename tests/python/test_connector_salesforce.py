"""input_mode salesforce: the Fivetran Salesforce fixtures build through the adapter with the
expected read / deleted / staged / rejected counts (and fail on the emptiness guard, since every
sample opportunity is deleted). A generated company in the Salesforce shape is tested with the
other shapes in test_connector_shapes.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import SKIP_UNIT_TESTS, load_connector_tables, run_dbt
from connector_expectations import (
    SALESFORCE_GUARD_MESSAGES,
    SALESFORCE_MAPPED_TABLES,
    SALESFORCE_REASONS,
    SALESFORCE_RECONCILIATION,
    SALESFORCE_ROW_COUNTS,
    salesforce_fixture_tables,
)
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.contracts.graph.nodes import GenericTestNode

pytestmark = pytest.mark.dbt

SCHEMA = "salesforce"


# ------------------------------------------------------------------------------------------
# The Fivetran fixtures
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    db_path = tmp_path_factory.mktemp("salesforce_fixtures") / "w.duckdb"
    load_connector_tables(db_path, SCHEMA, salesforce_fixture_tables())
    result = run_dbt(
        ["build", *SKIP_UNIT_TESTS],
        db_path,
        {"input_mode": "salesforce", "salesforce_schema": SCHEMA},
    )
    return db_path, result


def test_fixture_rows_read_deleted_and_passed(fixture_build: tuple[Path, Any]) -> None:
    db_path, _ = fixture_build
    with duckdb.connect(str(db_path)) as con:
        counts = con.sql(
            "select connector_table, rows_read, rows_deleted, rows_inactive, rows_passed"
            " from main_adapters.adapter_salesforce__row_counts order by connector_table"
        ).fetchall()
    # (read, deleted, past versions, passed): connector_expectations.py says why
    assert counts == SALESFORCE_ROW_COUNTS


def test_fixture_staged_and_rejected_per_table(fixture_build: tuple[Path, Any]) -> None:
    db_path, _ = fixture_build
    with duckdb.connect(str(db_path)) as con:
        reconciliation = con.sql(
            "select source_table, raw_rows, staged_rows, rejected_rows"
            " from main_data_quality.dq_row_reconciliation"
            " order by source_table"
        ).fetchall()
        reasons = con.sql(
            "select source_table, reason_code, count(*) from main_data_quality.rejected_rows"
            " group by all order by 1, 2"
        ).fetchall()
    mapped = [row for row in reconciliation if row[0] in SALESFORCE_MAPPED_TABLES]
    assert mapped == SALESFORCE_RECONCILIATION
    assert reasons == SALESFORCE_REASONS


def test_fixture_without_a_live_opportunity_fails_on_the_emptiness_guard(
    fixture_build: tuple[Path, Any],
) -> None:
    db_path, result = fixture_build
    assert not result.success
    assert isinstance(result.result, RunExecutionResult), result.exception
    failed = [r for r in result.result.results if str(r.status) in ("fail", "error")]
    assert [r.node.name for r in failed] == ["raw_tables_not_mostly_rejected"]
    guard = failed[0].node
    assert isinstance(guard, GenericTestNode) and guard.compiled_code
    with duckdb.connect(str(db_path)) as con:
        messages = [row[-1] for row in con.sql(guard.compiled_code).fetchall()]
    # no opportunity is live, so no deal is staged: connector_expectations.py says why
    assert sorted(messages) == SALESFORCE_GUARD_MESSAGES
