"""input_mode hubspot: the Fivetran HubSpot fixtures build through the adapter with the expected
read / deleted / staged / rejected counts (and fail on the emptiness guard: no sample deal has a
stage). A generated company in the HubSpot shape is tested with the other shapes in
test_connector_shapes.py, which reuses the count helpers here.

The fixture subset copied to tests/fixtures/fivetran_hubspot/ is the tables the adapter reads
(SOURCE.md there lists the whole upstream seed folder). Expected counts are computed here from
the fixture CSVs, not copied from a build."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, SKIP_UNIT_TESTS, load_connector_tables, run_dbt
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.cli.main import dbtRunnerResult
from dbt.contracts.graph.nodes import GenericTestNode

pytestmark = pytest.mark.dbt

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "fivetran_hubspot"
SCHEMA = "hubspot"
CONTRACT_TABLES = (
    "teams", "reps", "rep_team_history", "accounts", "products", "leads", "deals",
    "deal_stage_history", "activities",
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
    assert counts == expected_fixture_row_counts(fixture_rows)
    # the sample's two deleted rows are pipeline stages; no sample deal is deleted or merged
    assert counts["deal_pipeline_stage"][1] == 2
    assert counts["deal"] == (44, 0, 0, 44)


def expected_fixture_row_counts(rows: dict[str, list[Row]]) -> dict[str, tuple[int, int, int, int]]:
    """expected_row_counts of the sample, plus the tables it lacks (no product library nor line
    items), which the adapter reads as empty."""
    absent = dict.fromkeys(("product", "line_item", "line_item_deal"), (0, 0, 0, 0))
    return expected_row_counts(rows) | absent


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
        "products": (0, 0),  # no product table in the sample
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
