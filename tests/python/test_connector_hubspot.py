"""input_mode hubspot: the Fivetran HubSpot fixtures build through the adapter with the expected
read / deleted / staged / rejected counts (and fail on the emptiness guard: no sample deal has a
stage), and a generated company builds to the same marts from its contract files and from its
HubSpot-connector shape.

The fixture subset copied to tests/fixtures/fivetran_hubspot/ is the tables the adapter reads
(SOURCE.md there lists the whole upstream seed folder). Expected counts are computed here from
the fixture CSVs, not copied from a build."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
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
from dbt.cli.main import dbtRunnerResult
from dbt.contracts.graph.nodes import GenericTestNode

from sales_kpi_warehouse.generator.connectors.hubspot import (
    EXPRESSIBLE,
    HUBSPOT_VARS,
    write_expressible_export,
    write_hubspot,
)

pytestmark = pytest.mark.dbt

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "fivetran_hubspot"
SCHEMA = "hubspot"
CONTRACT_TABLES = (
    "teams", "reps", "rep_team_history", "accounts", "leads", "deals", "deal_stage_history",
    "activities",
)  # fmt: skip
ENGAGEMENT_TABLES = (
    "engagement_call", "engagement_meeting", "engagement_email", "engagement_note",
    "engagement_task",
)  # fmt: skip
GUARD_TEXT = (
    "{table}: {invalid} of {distinct} distinct rows rejected (more than 50.0 %), {staged} staged:"
    " see rejected_rows.reason_codes for this table, or run make doctor on the export"
)

Row = dict[str, str]


def fixture_tables() -> dict[str, Path]:
    """<table>_data.csv -> <table>."""
    return {path.name[: -len("_data.csv")]: path for path in FIXTURES.glob("*_data.csv")}


def read_rows(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def is_true(row: Row, column: str) -> bool:
    return row.get(column, "").strip().lower() == "true"


def is_deleted(row: Row) -> bool:
    return is_true(row, "is_deleted") or is_true(row, "_fivetran_deleted")


def expected_row_counts(tables: dict[str, list[Row]]) -> dict[str, tuple[int, int, int, int]]:
    """(read, deleted, merged, passed) per connector table, from the rows themselves: a row is
    deleted by its own flags; a deal merged into another is merged; a deal_stage row follows its
    deal."""
    deleted_deals = {row["deal_id"] for row in tables["deal"] if is_deleted(row)}
    merged_deals = {
        row["merged_deal_id"] for row in tables.get("merged_deal", []) if not is_deleted(row)
    }
    counts: dict[str, tuple[int, int, int, int]] = {}
    for table, rows in tables.items():
        follows_deal = table in ("deal", "deal_stage")
        deleted = merged = 0
        for row in rows:
            if is_deleted(row) or (table == "deal_stage" and row["deal_id"] in deleted_deals):
                deleted += 1
            elif follows_deal and row["deal_id"] in merged_deals:
                merged += 1
        counts[table] = (len(rows), deleted, merged, len(rows) - deleted - merged)
    return counts


def row_counts(db_path: Path) -> dict[str, tuple[int, int, int, int]]:
    with duckdb.connect(str(db_path)) as con:
        rows = con.sql(
            "select connector_table, rows_read, rows_deleted, rows_merged, rows_passed"
            " from main_adapters.adapter_hubspot__row_counts"
        ).fetchall()
    return {table: (read, deleted, merged, passed) for table, read, deleted, merged, passed in rows}


def reconciliation(db_path: Path) -> dict[str, tuple[int, int]]:
    """(staged, rejected) per contract table the adapter maps."""
    with duckdb.connect(str(db_path)) as con:
        rows = con.sql(
            "select source_table, staged_rows, rejected_rows"
            " from main_data_quality.dq_row_reconciliation"
        ).fetchall()
    return {
        table: (staged, rejected) for table, staged, rejected in rows if table in CONTRACT_TABLES
    }


# ------------------------------------------------------------------------------------------
# The Fivetran fixtures
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_rows() -> dict[str, list[Row]]:
    return {table: read_rows(path) for table, path in fixture_tables().items()}


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dbtRunnerResult]:
    db_path = tmp_path_factory.mktemp("hubspot_fixtures") / "w.duckdb"
    load_connector_tables(db_path, SCHEMA, fixture_tables())
    result = run_dbt(
        ["build", *SKIP_UNIT_TESTS], db_path, {"input_mode": "hubspot", "hubspot_schema": SCHEMA}
    )
    return db_path, result


def test_fixture_rows_read_deleted_and_passed(
    fixture_build: tuple[Path, dbtRunnerResult], fixture_rows: dict[str, list[Row]]
) -> None:
    db_path, _ = fixture_build
    counts = row_counts(db_path)
    assert counts == expected_row_counts(fixture_rows)
    # the sample's two deleted rows are pipeline stages; no sample deal is deleted or merged
    assert counts["deal_pipeline_stage"][1] == 2
    assert counts["deal"] == (44, 0, 0, 44)


def expected_fixture_staging(rows: dict[str, list[Row]]) -> dict[str, tuple[int, int]]:
    """(staged, rejected) per contract table, from what the sample holds."""
    live = {
        table: [row for row in table_rows if not is_deleted(row)]
        for table, table_rows in rows.items()
    }
    owners = {row["owner_id"] for row in live["owner"]}
    user_teams = {row["id"] for row in live["users"] if row["primary_team_id"]}
    with_team = {row["owner_id"] for row in live["owner_team"]} | {
        row["owner_id"] for row in live["owner"] if row["active_user_id"] in user_teams
    }
    # No sample deal has a stage (deal_pipeline_stage_id is empty): every one is rejected.
    assert all(not row["deal_pipeline_stage_id"] for row in live["deal"])
    # The sample contacts have no lead status nor lifecycle stage: every one is rejected.
    assert not {"property_hs_lead_status", "property_lifecyclestage"} & set(rows["contact"][0])
    # deal_stage values are hashed: no mapping knows them.
    return {
        "teams": (len(live["team"]), 0),
        "reps": (len(owners), 0),
        "rep_team_history": (len(owners & with_team), 0),
        "accounts": (sum(1 for row in live["company"] if row["property_createdate"]), 0),
        "activities": (sum(len(live[table]) for table in ENGAGEMENT_TABLES), 0),
        "deals": (0, len(live["deal"])),
        "deal_stage_history": (0, len(live["deal_stage"])),
        "leads": (0, len(live["contact"])),
    }


def test_fixture_staged_and_rejected_per_table(
    fixture_build: tuple[Path, dbtRunnerResult], fixture_rows: dict[str, list[Row]]
) -> None:
    db_path, _ = fixture_build
    assert reconciliation(db_path) == expected_fixture_staging(fixture_rows)
    with duckdb.connect(str(db_path)) as con:
        reasons = con.sql(
            "select source_table, reason_code from main_data_quality.rejected_rows group by all"
        ).fetchall()
    assert sorted(reasons) == [
        ("deal_stage_history", "unmapped_stage"),
        ("deals", "missing_value"),  # stage is empty
        ("leads", "unmapped_lead_status"),  # status is empty
    ]


def test_fixture_without_a_staged_deal_fails_on_the_emptiness_guard(
    fixture_build: tuple[Path, dbtRunnerResult], fixture_rows: dict[str, list[Row]]
) -> None:
    db_path, result = fixture_build
    assert not result.success
    assert isinstance(result.result, RunExecutionResult), result.exception
    failed = [r for r in result.result.results if str(r.status) in ("fail", "error")]
    assert [r.node.name for r in failed] == ["raw_tables_not_mostly_rejected"]
    guard = failed[0].node
    assert isinstance(guard, GenericTestNode) and guard.compiled_code
    with duckdb.connect(str(db_path)) as con:
        messages = sorted(row[-1] for row in con.sql(guard.compiled_code).fetchall())
    expected = expected_fixture_staging(fixture_rows)
    assert messages == [
        GUARD_TEXT.format(table=table, invalid=rejected, distinct=rejected, staged=0)
        for table in ("deal_stage_history", "deals", "leads")
        for rejected in [expected[table][1]]
    ]


# ------------------------------------------------------------------------------------------
# The same company in two shapes
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_shapes(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Warehouse, Warehouse, Path, Path]:
    """One generated company built twice: files mode from its contract export reduced to what
    HubSpot can express (EXPRESSIBLE), and hubspot mode from its HubSpot-connector tables with
    that folder as the supplement for the tables HubSpot does not hold."""
    root = tmp_path_factory.mktemp("hubspot_generated")
    export, reference, connector = root / "export", root / "reference", root / "connector"
    generate(export, "--deals", "300", "--seed", "23", "--no-defects")
    write_expressible_export(export, reference)
    write_hubspot(export, connector)
    # the reference only needs its marts; the connector build runs the data tests
    files = build(
        root / "files" / "w.duckdb",
        {"input_mode": "files", "raw_path": str(reference)},
        extra_args=SKIP_TESTS,
    )
    hub_db = root / "hubspot" / "w.duckdb"
    load_connector_tables(hub_db, SCHEMA, {path.stem: path for path in connector.glob("*.csv")})
    hubspot = build(
        hub_db,
        {
            "input_mode": "hubspot",
            "hubspot_schema": SCHEMA,
            "supplement_path": str(reference),
            **HUBSPOT_VARS,
        },
        extra_args=SKIP_UNIT_TESTS,
    )
    return files, hubspot, export, connector


def mart_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = ? and table_schema = 'main_marts' order by 1",
            [catalog],
        ).fetchall()
    ]


def test_every_mart_is_identical_in_both_shapes(
    two_shapes: tuple[Warehouse, Warehouse, Path, Path],
) -> None:
    files, hubspot, _, _ = two_shapes
    with duckdb.connect() as con:
        con.execute(f"attach '{files.path}' as files_shape (read_only)")
        con.execute(f"attach '{hubspot.path}' as hubspot_shape (read_only)")
        marts = mart_tables(con, "files_shape")
        assert marts and marts == mart_tables(con, "hubspot_shape")
        differences: dict[str, tuple[int, int]] = {}
        total_rows = 0
        for mart in marts:
            left, right = f"files_shape.main_marts.{mart}", f"hubspot_shape.main_marts.{mart}"
            only_files = con.sql(f"select count(*) from (from {left} except all from {right})")
            only_hubspot = con.sql(f"select count(*) from (from {right} except all from {left})")
            counts = (only_files.fetchall()[0][0], only_hubspot.fetchall()[0][0])
            if counts != (0, 0):
                differences[mart] = counts
            total_rows += con.sql(f"select count(*) from {left}").fetchall()[0][0]
    assert differences == {}, (
        f"marts that differ (rows only in files, only in hubspot): {differences}"
    )
    assert total_rows > 0


def test_generated_connector_rows_filtered_and_nothing_rejected(
    two_shapes: tuple[Warehouse, Warehouse, Path, Path],
) -> None:
    files, hubspot, export, connector = two_shapes
    tables = {path.stem: read_rows(path) for path in connector.glob("*.csv")}
    counts = row_counts(hubspot.path)
    assert {table: counts[table] for table in tables} == expected_row_counts(tables)
    # the converter wrote deleted deals, companies, contacts and calls, and one merged deal
    for table in ("deal", "company", "contact", "engagement_call", "deal_stage"):
        assert counts[table][1] > 0, table
    assert counts["deal"][2] == 1
    staged = reconciliation(hubspot.path)
    assert staged == reconciliation(files.path)
    assert all(rejected == 0 for _, rejected in staged.values()), staged
    assert staged["deals"][0] == len(read_rows(export / "deals.csv"))


def test_reference_differs_from_the_export_only_where_hubspot_cannot_express_it(
    two_shapes: tuple[Warehouse, Warehouse, Path, Path], tmp_path: Path
) -> None:
    """The named exclusions: write_expressible_export changes only the columns EXPRESSIBLE names
    (with its reason), so the equality above holds for everything else the contract carries."""
    _, _, export, _ = two_shapes
    write_expressible_export(export, tmp_path)
    whole_tables = {table for table, column in EXPRESSIBLE if column == "*"}
    changed: set[tuple[str, str]] = set()
    for path in export.glob("*.csv"):
        before, after = read_rows(path), read_rows(tmp_path / path.name)
        if path.stem in whole_tables or len(before) != len(after):
            changed |= {(path.stem, "*")} if before != after else set()
            continue
        for old, new in zip(before, after, strict=True):
            changed |= {(path.stem, column) for column in old if old[column] != new[column]}
    assert changed <= set(EXPRESSIBLE), changed - set(EXPRESSIBLE)
    assert changed, "the reference should differ from the export (else EXPRESSIBLE is stale)"


def test_connector_vars_name_columns_the_converter_writes(
    two_shapes: tuple[Warehouse, Warehouse, Path, Path],
) -> None:
    _, _, _, connector = two_shapes
    columns = {column for path in connector.glob("*.csv") for column in read_rows(path)[0]}
    missing = [name for name in HUBSPOT_VARS.values() if f"property_{name}" not in columns]
    assert missing == []
