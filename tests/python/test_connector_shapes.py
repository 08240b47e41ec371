"""One generated company in three shapes: the generator writes it (`--shape all --expressible`)
as the contract's files, as a Fivetran Salesforce connector's tables and as a Fivetran HubSpot
connector's tables (each connector with the supplement folder of the contract tables it does not
hold), reduced to what both connectors can express. Built three times on DuckDB, every mart is
identical (EXCEPT ALL both ways), with no exclusion; each connector build reads, filters
(deleted, merged, past versions) and stages what its tables hold, and rejects nothing.

Only the HubSpot build runs the data tests; the two others need only their tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
)
from test_connector_hubspot import expected_row_counts as expected_hubspot_counts
from test_connector_hubspot import read_rows
from test_connector_hubspot import row_counts as hubspot_row_counts

from sales_kpi_warehouse.generator.cli import main as generator_main
from sales_kpi_warehouse.generator.connectors.expressible import (
    CONNECTOR_TABLES,
    CONNECTORS,
    EXPRESSIBLE,
    write_expressible_export,
)
from sales_kpi_warehouse.generator.connectors.hubspot import HUBSPOT_VARS
from sales_kpi_warehouse.generator.connectors.salesforce import SALESFORCE_VARS

pytestmark = pytest.mark.dbt

Row = dict[str, str]
COMPANY = ("--deals", "300", "--seed", "31", "--no-defects")
CONNECTOR_VARS = {"salesforce": SALESFORCE_VARS, "hubspot": HUBSPOT_VARS}
#: The connector build that runs the data tests (one is enough: the marts are identical).
TESTED_BUILD = "hubspot"


@dataclass(frozen=True)
class Shapes:
    """The company's folders (files, salesforce, hubspot, supplement) and its three builds."""

    company: Path
    builds: dict[str, Warehouse]


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Shapes:
    root = tmp_path_factory.mktemp("connector_shapes")
    company = root / "company"
    status = generator_main(
        ["--out", str(company), *COMPANY, "--shape", "all", "--expressible", "--quiet"]
    )
    assert status == 0
    builds = {
        "files": build(
            root / "files" / "w.duckdb",
            {"input_mode": "files", "raw_path": str(company / "files")},
            extra_args=SKIP_TESTS,
        )
    }
    for connector in CONNECTORS:
        db_path = root / connector / "w.duckdb"
        tables = {path.stem: path for path in (company / connector).glob("*.csv")}
        load_connector_tables(db_path, connector, tables)
        builds[connector] = build(
            db_path,
            {
                "input_mode": connector,
                f"{connector}_schema": connector,
                "supplement_path": str(company / "supplement"),
                **CONNECTOR_VARS[connector],
            },
            extra_args=SKIP_UNIT_TESTS if connector == TESTED_BUILD else SKIP_TESTS,
        )
    return Shapes(company, builds)


def connector_rows(shapes: Shapes, connector: str) -> dict[str, list[Row]]:
    return {path.stem: read_rows(path) for path in (shapes.company / connector).glob("*.csv")}


# ------------------------------------------------------------------------------------------
# Every mart identical
# ------------------------------------------------------------------------------------------


def mart_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = ? and table_schema = 'main_marts' order by 1",
            [catalog],
        ).fetchall()
    ]


def count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    row = con.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def test_every_mart_is_identical_in_the_three_shapes(shapes: Shapes) -> None:
    differences: dict[str, tuple[int, int]] = {}
    total_rows = 0
    with duckdb.connect() as con:
        for shape, warehouse in shapes.builds.items():
            con.execute(f"attach '{warehouse.path}' as {shape}_shape (read_only)")
        marts = mart_tables(con, "files_shape")
        assert len(marts) > 10, marts
        for connector in CONNECTORS:
            assert mart_tables(con, f"{connector}_shape") == marts, connector
            for mart in marts:
                left = f"files_shape.main_marts.{mart}"
                right = f"{connector}_shape.main_marts.{mart}"
                only = (
                    count(con, f"select count(*) from (from {left} except all from {right})"),
                    count(con, f"select count(*) from (from {right} except all from {left})"),
                )
                if only != (0, 0):
                    differences[f"{connector}: {mart}"] = only
        total_rows = sum(
            count(con, f"select count(*) from files_shape.main_marts.{m}") for m in marts
        )
    assert differences == {}, (
        f"marts that differ (rows only in files, only in the connector): {differences}"
    )
    assert total_rows > 0


# ------------------------------------------------------------------------------------------
# What each connector build read, filtered and staged
# ------------------------------------------------------------------------------------------


def is_true(row: Row, column: str) -> bool:
    return row.get(column, "").strip().lower() == "true"


def expected_salesforce_counts(
    tables: dict[str, list[Row]],
) -> dict[str, tuple[int, int, int, int]]:
    """(read, deleted, past versions, passed) per Salesforce table, from the rows themselves: a
    row is deleted by is_deleted or _fivetran_deleted, a past version by _fivetran_active false;
    an opportunity_history version follows its opportunity (every version of a deleted one is
    deleted, past versions are the history and pass)."""
    live = {
        row["id"]
        for row in tables["opportunity"]
        if not (is_true(row, "is_deleted") or is_true(row, "_fivetran_deleted"))
    }
    counts: dict[str, tuple[int, int, int, int]] = {}
    for table, rows in tables.items():
        history = table == "opportunity_history"
        deleted = inactive = 0
        for row in rows:
            flagged = is_true(row, "is_deleted") or is_true(row, "_fivetran_deleted")
            if flagged or (history and row["id"] not in live):
                deleted += 1
            elif not history and row.get("_fivetran_active", "").lower() == "false":
                inactive += 1
        counts[table] = (len(rows), deleted, inactive, len(rows) - deleted - inactive)
    return counts


def salesforce_row_counts(db_path: Path) -> dict[str, tuple[int, int, int, int]]:
    with duckdb.connect(str(db_path)) as con:
        rows = con.sql(
            "select connector_table, rows_read, rows_deleted, rows_inactive, rows_passed"
            " from main_adapters.adapter_salesforce__row_counts"
        ).fetchall()
    return {
        table: (read, deleted, inactive, passed) for table, read, deleted, inactive, passed in rows
    }


def test_salesforce_rows_read_deleted_and_passed(shapes: Shapes) -> None:
    tables = connector_rows(shapes, "salesforce")
    counts = salesforce_row_counts(shapes.builds["salesforce"].path)
    assert counts == expected_salesforce_counts(tables)
    # the converter wrote deleted rows in every table and a past version of a user
    assert all(deleted > 0 for _, deleted, _, _ in counts.values()), counts
    assert counts["user"][2] == 1


def test_hubspot_rows_read_deleted_merged_and_passed(shapes: Shapes) -> None:
    tables = connector_rows(shapes, "hubspot")
    counts = hubspot_row_counts(shapes.builds["hubspot"].path)
    assert {table: counts[table] for table in tables} == expected_hubspot_counts(tables)
    # the converter wrote deleted deals, companies, contacts and calls, and one merged deal
    for table in ("deal", "company", "contact", "engagement_call", "deal_stage"):
        assert counts[table][1] > 0, table
    assert counts["deal"][2] == 1
    # Admin activities are HubSpot tasks
    assert counts["engagement_task"][3] > 0


def staging(warehouse: Warehouse) -> dict[str, tuple[int, int]]:
    """(staged, rejected) per contract table."""
    rows = warehouse.query(
        "select source_table, staged_rows, rejected_rows"
        " from main_data_quality.dq_row_reconciliation"
    )
    return {table: (staged, rejected) for table, staged, rejected in rows}


@pytest.mark.parametrize("connector", CONNECTORS)
def test_connector_stages_what_the_files_stage_and_rejects_nothing(
    shapes: Shapes, connector: str
) -> None:
    staged = staging(shapes.builds[connector])
    assert staged == staging(shapes.builds["files"])
    assert CONNECTOR_TABLES[connector] <= set(staged)
    assert {table: rejected for table, (_, rejected) in staged.items() if rejected} == {}
    assert staged["deals"][0] == len(read_rows(shapes.company / "files" / "deals.csv")) > 0


def test_connector_vars_name_columns_the_converters_write(shapes: Shapes) -> None:
    missing: dict[str, list[str]] = {}
    for connector, prefix in (("salesforce", ""), ("hubspot", "property_")):
        written = {
            column
            for rows in connector_rows(shapes, connector).values()
            for column in (rows[0] if rows else {})
        }
        names = CONNECTOR_VARS[connector].values()
        missing[connector] = [name for name in names if f"{prefix}{name}" not in written]
    assert missing == {"salesforce": [], "hubspot": []}


# ------------------------------------------------------------------------------------------
# The reduction and the folders
# ------------------------------------------------------------------------------------------


def test_the_reduction_changes_only_what_a_connector_cannot_express(
    shapes: Shapes, tmp_path: Path
) -> None:
    """The same company generated in full differs from the files shape only in the columns
    EXPRESSIBLE names, each with a reason per connector that cannot express it; and the files
    shape is that reduction."""
    export, reduced = tmp_path / "export", tmp_path / "reduced"
    generate(export, *COMPANY)
    write_expressible_export(export, reduced)
    files = shapes.company / "files"
    assert sorted(path.name for path in files.iterdir()) == sorted(
        path.name for path in reduced.iterdir()
    )
    assert all((files / path.name).read_bytes() == path.read_bytes() for path in reduced.iterdir())
    whole_tables = {table for table, column in EXPRESSIBLE if column == "*"}
    changed: set[tuple[str, str]] = set()
    for path in export.glob("*.csv"):
        before, after = read_rows(path), read_rows(reduced / path.name)
        if path.stem in whole_tables:
            changed |= {(path.stem, "*")} if before != after else set()
            continue
        assert len(before) == len(after), path.stem
        for old, new in zip(before, after, strict=True):
            changed |= {(path.stem, column) for column in old if old[column] != new[column]}
    assert changed, "the reduction should change the export (else EXPRESSIBLE is stale)"
    assert changed <= set(EXPRESSIBLE), changed - set(EXPRESSIBLE)
    reasons = [(key, name, why) for key, by in EXPRESSIBLE.items() for name, why in by.items()]
    assert all(name in CONNECTORS and why for _, name, why in reasons), reasons


def macro_connector_tables() -> dict[str, set[str]]:
    """The table lists of macros/inputs/connector_tables.sql, what the builds read."""
    text = (PROJECT_ROOT / "macros" / "inputs" / "connector_tables.sql").read_text()
    return {
        name: set(re.findall(r"'(\w+)'", listed))
        for name, listed in re.findall(r"'(\w+)':\s*\[([^\]]*)\]", text)
    }


def test_the_supplement_holds_the_contract_tables_no_connector_holds(shapes: Shapes) -> None:
    assert macro_connector_tables() == {
        name: set(tables) for name, tables in CONNECTOR_TABLES.items()
    }
    contract = {path.stem for path in (shapes.company / "files").glob("*.csv")}
    supplement = {path.stem for path in (shapes.company / "supplement").glob("*.csv")}
    held = set.intersection(*(set(tables) for tables in CONNECTOR_TABLES.values()))
    assert supplement == contract - held
    assert held <= contract


# ------------------------------------------------------------------------------------------
# The command line
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--shape", "salesforce"], "--shape salesforce needs --no-defects"),
        (["--expressible"], "--expressible needs --no-defects"),
        (["--shape", "all", "--no-defects", "--format", "parquet"], "drop --format parquet"),
    ],
)
def test_a_shape_the_options_cannot_write_stops_with_what_to_change(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        generator_main(["--out", str(tmp_path / "out"), "--deals", "100", *options])
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_shape_files_is_the_default_output(tmp_path: Path) -> None:
    default, explicit = tmp_path / "default", tmp_path / "explicit"
    generate(default, "--deals", "100")
    generate(explicit, "--deals", "100", "--shape", "files")
    names = sorted(path.name for path in default.iterdir())
    assert names == sorted(path.name for path in explicit.iterdir())
    assert all((default / name).read_bytes() == (explicit / name).read_bytes() for name in names)
