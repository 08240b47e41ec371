"""input_mode salesforce: the Fivetran Salesforce fixtures build through the adapter with the
expected read / deleted / staged / rejected counts (and fail on the emptiness guard, since every
sample opportunity is deleted), and a generated company builds to the same marts from its
contract files and from its Salesforce-connector shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import (
    PROJECT_ROOT,
    SKIP_TESTS,
    SKIP_UNIT_TESTS,
    Warehouse,
    build,
    generate,
    load_connector_tables,
    run_dbt,
)
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.contracts.graph.nodes import GenericTestNode

from sales_kpi_warehouse.generator.connectors.salesforce import SALESFORCE_VARS, write_salesforce

pytestmark = pytest.mark.dbt

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "fivetran_salesforce"
SCHEMA = "salesforce"


def fixture_tables() -> dict[str, Path]:
    """sf_<table>_data.csv -> <table>."""
    return {path.name[3:-9]: path for path in FIXTURES.glob("sf_*_data.csv")}


# ------------------------------------------------------------------------------------------
# The Fivetran fixtures
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    db_path = tmp_path_factory.mktemp("salesforce_fixtures") / "w.duckdb"
    load_connector_tables(db_path, SCHEMA, fixture_tables())
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
    # (read, deleted, past versions, passed), from the fixtures' is_deleted, _fivetran_deleted
    # and _fivetran_active columns (tests/fixtures/fivetran_salesforce/SOURCE.md).
    assert counts == [
        ("account", 10, 9, 0, 1),
        ("event", 10, 0, 0, 10),
        ("lead", 1, 0, 0, 1),
        ("opportunity", 10, 10, 0, 0),  # every sample opportunity is deleted
        ("opportunity_history", 10, 10, 0, 0),  # versions of deleted opportunities
        ("task", 10, 0, 0, 10),
        ("user", 10, 5, 1, 4),
        ("user_role", 10, 0, 2, 8),
    ]


def test_fixture_staged_and_rejected_per_table(fixture_build: tuple[Path, Any]) -> None:
    db_path, _ = fixture_build
    with duckdb.connect(str(db_path)) as con:
        reconciliation = con.sql(
            "select source_table, raw_rows, staged_rows, rejected_rows"
            " from main_data_quality.dq_row_reconciliation"
            " where source_table in ('teams', 'reps', 'rep_team_history', 'accounts', 'leads',"
            " 'deals', 'deal_stage_history', 'activities') order by source_table"
        ).fetchall()
        reasons = con.sql(
            "select source_table, reason_code, count(*) from main_data_quality.rejected_rows"
            " group by all order by 1, 2"
        ).fetchall()
    assert reconciliation == [
        ("accounts", 1, 0, 1),
        ("activities", 20, 13, 7),
        ("deal_stage_history", 0, 0, 0),
        ("deals", 0, 0, 0),
        ("leads", 1, 1, 0),
        ("rep_team_history", 4, 4, 0),
        ("reps", 4, 4, 0),
        ("teams", 8, 8, 0),
    ]
    assert reasons == [
        ("accounts", "missing_value", 1),  # the sample account table has no created_date
        ("activities", "unmapped_activity_type", 7),  # task type 'X' (obfuscated in the sample)
    ]


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
    # No opportunity is live, so no deal is staged; and the one live sample account lacks
    # created_date (the sample account table has no such column), so it is rejected.
    assert sorted(messages) == [
        "accounts: 1 of 1 distinct rows rejected (more than 50.0 %), 0 staged: see"
        " rejected_rows.reason_codes for this table, or run make doctor on the export",
        "deals: the input has no rows, so nothing is staged and every KPI that needs it is"
        " empty: check the export (or, with a connector, that its rows are not all deleted)",
    ]


# ------------------------------------------------------------------------------------------
# The same company in two shapes
# ------------------------------------------------------------------------------------------

#: The named exclusion: Salesforce keeps only a user's CURRENT role, so a rep who changed teams
#: counts under the current team for all time. The rows of the teams such a rep moved between
#: (scope_id or team_id) cannot be identical; every other row of every mart must be.


def moved_reps_teams(export: Path) -> list[str]:
    """Teams of the reps with more than one assignment in the export's rep_team_history."""
    history = pd.read_csv(export / "rep_team_history.csv", dtype=str)
    moved = history.groupby("rep_id").filter(lambda rows: len(rows) > 1)
    return sorted(moved["team_id"].unique())


def outside_teams(con: duckdb.DuckDBPyConnection, mart: str, teams: list[str]) -> str:
    """A where clause leaving out the rows of `teams` (by scope_id or team_id)."""
    columns = {
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns"
            " where table_catalog = 'connector' and table_schema = 'main_marts'"
            " and table_name = ?",
            [mart],
        ).fetchall()
    }
    listed = ", ".join(f"'{team}'" for team in teams)
    tests = [
        f"coalesce({column} in ({listed}), false)"
        for column in ("scope_id", "team_id")
        if column in columns
    ]
    return f" where not ({' or '.join(tests)})" if tests else ""


def mart_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = ? and table_schema = 'main_marts' order by 1",
            [catalog],
        ).fetchall()
    ]


def except_all_count(con: duckdb.DuckDBPyConnection, left: str, right: str, where: str = "") -> int:
    """Rows of `left` that `right` lacks (EXCEPT ALL: duplicates count), both filtered."""
    row = con.execute(
        f"select count(*) from (select * from {left}{where}"
        f" except all select * from {right}{where})"
    ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture(scope="module")
def two_shapes(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Warehouse, Warehouse, list[str]]:
    root = tmp_path_factory.mktemp("salesforce_shapes")
    export = root / "export"
    generate(export, "--deals", "300", "--seed", "31", "--no-defects")
    write_salesforce(export, root / "salesforce")
    # the reference only needs its marts; the connector build runs the data tests
    files = build(
        root / "files.duckdb",
        {"input_mode": "files", "raw_path": str(export)},
        extra_args=SKIP_TESTS,
    )
    load_connector_tables(
        root / "connector.duckdb",
        SCHEMA,
        {path.stem: path for path in (root / "salesforce").glob("*.csv")},
    )
    connector = build(
        root / "connector.duckdb",
        {
            "input_mode": "salesforce",
            "salesforce_schema": SCHEMA,
            "supplement_path": str(export),
            **SALESFORCE_VARS,
        },
        extra_args=SKIP_UNIT_TESTS,
    )
    return files, connector, moved_reps_teams(export)


def test_every_mart_is_identical_from_files_and_from_salesforce(
    two_shapes: tuple[Warehouse, Warehouse, list[str]],
) -> None:
    files, connector, moved_teams = two_shapes
    assert moved_teams, "the generated company should move a rep between teams"
    with duckdb.connect(str(connector.path)) as con:
        con.execute(f"attach '{files.path}' as files_shape (read_only)")
        marts = mart_tables(con, "connector")
        assert marts == mart_tables(con, "files_shape")
        assert len(marts) > 10
        differing: dict[str, list[int]] = {}
        excluded_rows = 0
        for mart in marts:
            where = outside_teams(con, mart, moved_teams)
            pair = [f"connector.main_marts.{mart}", f"files_shape.main_marts.{mart}"]
            only = [
                except_all_count(con, pair[0], pair[1], where),
                except_all_count(con, pair[1], pair[0], where),
            ]
            if any(only):
                differing[mart] = only
            excluded_rows += except_all_count(con, pair[0], pair[1])
    assert differing == {}
    # The exclusion is needed (the moved rep's teams do differ), so it hides nothing by accident.
    assert excluded_rows > 0
