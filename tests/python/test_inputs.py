"""Files mode reads real exports (macros/inputs/register_raw_files.sql) and a user's own mapping
files extend the shipped seeds without forking them (macros/inputs/mapping.sql,
register_mapping_files.sql)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import build, generate, run_dbt

pytestmark = pytest.mark.dbt

# The models a selected build runs: the deals' staging and everything it reads (seeds included).
# `cautious`: no relationships test to a model outside the selection.
DEALS_ONLY = ("--select", "+stg_crm__deals", "--indirect-selection", "cautious")
STAGE_HEADER = "source_value,canonical_stage,stage_order,stage_category,is_qualified\n"
UTC_TIMESTAMP = "timezone('UTC', cast(nullif({0}, '') as timestamp))"
# Typed Parquet columns per table: what a warehouse or a Parquet-writing CRM connector delivers.
TYPED_COLUMNS: dict[str, dict[str, str]] = {
    "deals": {
        "amount": "cast(nullif(amount, '') as decimal(18, 2))",
        "created_at": UTC_TIMESTAMP.format("created_at"),
        "closed_at": UTC_TIMESTAMP.format("closed_at"),
        "updated_at": "cast(nullif(updated_at, '') as timestamp)",
        "expected_close_date": "cast(nullif(expected_close_date, '') as date)",
    },
    "activities": {
        "is_value_added": "cast(nullif(is_value_added, '') as boolean)",
        "duration_minutes": "cast(nullif(duration_minutes, '') as integer)",
    },
    "fx_rates": {"rate": "cast(nullif(rate, '') as double)"},
}


def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_typed_parquet(csv_dir: Path, out_dir: Path) -> None:
    """Every CSV of `csv_dir` as Parquet in `out_dir`, the TYPED_COLUMNS with real types."""
    out_dir.mkdir(parents=True)
    with duckdb.connect() as con:
        # the instants written must not depend on the writer's zone either
        con.execute("set TimeZone = 'Asia/Tokyo'")
        for source in sorted(csv_dir.glob("*.csv")):
            table = source.stem
            reader = f"read_csv({sql_text(str(source))}, header = true, all_varchar = true)"
            columns = [
                row[0]
                for row in con.sql(f"select column_name from (describe from {reader})").fetchall()
            ]
            typed = TYPED_COLUMNS.get(table, {})
            selected = ", ".join(f"{typed.get(c, c)} as {c}" for c in columns)
            target = sql_text(str(out_dir / f"{table}.parquet"))
            con.execute(f"copy (select {selected} from {reader}) to {target} (format parquet)")


def dbt_log(db_path: Path) -> str:
    return (db_path.parent / "logs" / "dbt.log").read_text()


def query(db_path: Path, sql: str, time_zone: str = "UTC") -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db_path)) as con:
        con.execute(f"set TimeZone = {sql_text(time_zone)}")
        return con.sql(sql).fetchall()


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated export without defects (every row is staged), shared read-only."""
    export = tmp_path_factory.mktemp("clean") / "export"
    generate(export, "--deals", "300", "--seed", "11", "--no-defects")
    return export


@pytest.fixture(scope="module")
def typed_export(clean_export: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    export = tmp_path_factory.mktemp("typed") / "export"
    write_typed_parquet(clean_export, export)
    return export


# -- a messy CSV export in a folder named o'brien, with the user's own stage mapping ----------


class MessyExport:
    """The clean export copied under a folder with a quote in its name, then damaged the way
    real exports are, one damage per table, so one build checks them all."""

    def __init__(self, clean: Path, root: Path) -> None:
        self.folder = root / "o'brien" / "export"
        self.mappings = root / "o'brien" / "mappings"
        shutil.copytree(clean, self.folder)
        self.renamed = self.rename_stage("Negotiation/Review", "Verbal Commit")
        self.drop_column("deals", "lost_reason")
        self.ragged_row = self.cut_last_field("teams", line=2)
        (self.folder / "email_events.csv").write_text("")  # 0 bytes
        header = (self.folder / "quotes.csv").read_text().splitlines()[0]
        (self.folder / "quotes.csv").write_text(header + "\n")  # header only
        self.mappings.mkdir()
        # a stage the shipped seed does not know, category in the user's own case
        (self.mappings / "map_deal_stages.csv").write_text(
            STAGE_HEADER + "  Verbal_Commit ,negotiation,5,Open,yes\n"
        )

    @property
    def dbt_vars(self) -> dict[str, Any]:
        return {
            "input_mode": "files",
            "raw_path": str(self.folder),
            "mapping_path": str(self.mappings),
        }

    def rename_stage(self, old: str, new: str) -> set[str]:
        columns, rows = read_csv_rows(self.folder / "deals.csv")
        renamed = {row["deal_id"] for row in rows if row["stage"] == old}
        for row in rows:
            if row["deal_id"] in renamed:
                row["stage"] = new
        write_csv_rows(self.folder / "deals.csv", columns, rows)
        assert renamed, f"the generated export has no deal in stage {old!r}"
        return renamed

    def drop_column(self, table: str, column: str) -> None:
        columns, rows = read_csv_rows(self.folder / f"{table}.csv")
        write_csv_rows(self.folder / f"{table}.csv", [c for c in columns if c != column], rows)

    def cut_last_field(self, table: str, line: int) -> str:
        """Drop the last field of data line `line` (1 = the first row): a short, ragged row.
        Returns the key of that row."""
        path = self.folder / f"{table}.csv"
        lines = path.read_text().splitlines()
        lines[line] = lines[line].rsplit(",", 1)[0]
        path.write_text("\n".join(lines) + "\n")
        return lines[line].split(",", 1)[0]


@pytest.fixture(scope="module")
def messy(clean_export: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MessyExport]:
    yield MessyExport(clean_export, tmp_path_factory.mktemp("messy"))


@pytest.fixture(scope="module")
def messy_db(messy: MessyExport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("messy_build") / "messy.duckdb"
    build(db_path, messy.dbt_vars, DEALS_ONLY)
    return db_path


def test_user_mapping_maps_a_stage_the_seed_does_not_know(
    messy: MessyExport, messy_db: Path
) -> None:
    staged = query(
        messy_db,
        "select deal_id, stage, stage_category from main_staging.stg_crm__deals"
        " where deal_id in (" + ", ".join(sql_text(d) for d in sorted(messy.renamed)) + ")",
    )
    assert {row[0] for row in staged} == messy.renamed
    assert {row[1:] for row in staged} == {("negotiation", "open")}
    # registered as the user's rows only, normalised; the shipped seed is untouched
    assert query(messy_db, "select * from main_crm_mappings.map_deal_stages") == [
        ("verbal commit", "negotiation", 5, "open", True)
    ]
    assert query(messy_db, "select count(*) from main_crm_config.map_deal_stages") == [(9,)]


def test_missing_optional_column_is_read_as_null_with_a_warning(
    messy: MessyExport, messy_db: Path
) -> None:
    rows, with_reason = query(
        messy_db, "select count(*), count(lost_reason) from main_crm_files.deals"
    )[0]
    assert rows == 300
    assert with_reason == 0
    assert f"{messy.folder}/deals.csv lacks the optional columns lost_reason" in dbt_log(messy_db)


def test_ragged_row_keeps_the_header(messy: MessyExport, messy_db: Path) -> None:
    teams = query(
        messy_db, "select team_id, manager_rep_id from main_crm_files.teams order by team_id"
    )
    assert len(teams) == 4
    assert dict(teams)[messy.ragged_row] is None
    assert sum(manager is not None for _, manager in teams) == 3


def test_empty_optional_files_are_empty_tables(messy_db: Path) -> None:
    for table in ("email_events", "quotes"):
        assert query(messy_db, f"select count(*) from main_crm_files.{table}") == [(0,)]
    log = dbt_log(messy_db)
    assert "email_events.csv is empty (0 bytes)" in log
    assert "quotes.csv has no rows" in log


# -- typed Parquet -----------------------------------------------------------------------------


def test_typed_parquet_values_become_contract_text(
    clean_export: Path, typed_export: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    shutil.copytree(typed_export, export)
    with duckdb.connect() as con:
        con.execute(
            "copy (select * from (values"
            " ('Q1', timestamptz '2025-03-01 09:30:00.25+09:00', timestamp '2025-03-01 10:00:00',"
            "  cast(1e-7 as double), true),"
            " ('Q2', timestamptz '2025-03-01 23:59:59-05:00', timestamp '2025-03-01 10:00:00.5',"
            "  cast(1.5e20 as double), false),"
            " ('Q3', null, null, cast(-2.5e-5 as double), null)"
            ") as t(quote_id, requested_at, delivered_at, quote_amount, currency_code))"
            f" to {sql_text(str(export / 'quotes.parquet'))} (format parquet)"
        )
    db_path = tmp_path / "typed.duckdb"
    result = run_dbt(
        ["run-operation", "register_raw_files"],
        db_path,
        {"input_mode": "files", "raw_path": str(export), "raw_file_format": "parquet"},
    )
    assert result.success, result.exception
    # read in a session whose time zone is not UTC: the text must not move
    quotes = query(
        db_path,
        "select quote_id, requested_at, delivered_at, quote_amount, currency_code"
        " from main_crm_files.quotes order by quote_id",
        time_zone="America/Los_Angeles",
    )
    assert quotes == [
        ("Q1", "2025-03-01 00:30:00.250000+00:00", "2025-03-01 10:00:00", "0.0000001", "true"),
        (
            "Q2",
            "2025-03-02 04:59:59+00:00",
            "2025-03-01 10:00:00.500000",
            "150000000000000000000",
            "false",
        ),
        ("Q3", None, None, "-0.000025", None),
    ]
    # the typed deals read back as the CSV's text (timestamps gain the explicit UTC offset)
    _, csv_deals = read_csv_rows(clean_export / "deals.csv")
    expected = {
        (d["deal_id"], d["created_at"] + "+00:00", d["expected_close_date"] or None)
        for d in csv_deals
    }
    parquet_deals = query(
        db_path,
        "select deal_id, created_at, expected_close_date, amount from main_crm_files.deals",
        time_zone="Asia/Tokyo",
    )
    assert {row[:3] for row in parquet_deals} == expected
    amounts = {d["deal_id"]: float(d["amount"]) for d in csv_deals if d["amount"]}
    assert all(float(row[3]) == amounts[row[0]] for row in parquet_deals if row[3] is not None)
    flags = query(db_path, "select distinct is_value_added from main_crm_files.activities")
    assert {flag for (flag,) in flags} == {"true", "false"}


def test_typed_parquet_export_stages_the_same_deals(
    clean_export: Path, typed_export: Path, tmp_path: Path
) -> None:
    staged = {}
    for file_format, export in (("csv", clean_export), ("parquet", typed_export)):
        db_path = tmp_path / f"{file_format}.duckdb"
        dbt_vars = {"input_mode": "files", "raw_path": str(export), "raw_file_format": file_format}
        build(db_path, dbt_vars, DEALS_ONLY)
        staged[file_format] = sorted(
            query(db_path, "select * from main_staging.stg_crm__deals order by deal_id")
        )
    assert len(staged["csv"]) == 300
    assert staged["parquet"] == staged["csv"]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"], ids=["semicolon", "tab", "pipe"])
def test_other_delimiters_read_like_commas(
    clean_export: Path, tmp_path: Path, delimiter: str
) -> None:
    """A `;`-, tab- or `|`-separated export (a European spreadsheet, a database dump) is read
    like the comma-separated one: the delimiter that splits the header into contract columns."""
    export = tmp_path / "export"
    shutil.copytree(clean_export, export)
    for path in export.glob("*.csv"):
        columns, rows = read_csv_rows(path)
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, columns, delimiter=delimiter)
            writer.writeheader()
            writer.writerows(rows)
    db_path = tmp_path / "delimited.duckdb"
    build(db_path, {"input_mode": "files", "raw_path": str(export)}, DEALS_ONLY)
    staged = query(
        db_path, "select count(*), count(distinct stage) from main_staging.stg_crm__deals"
    )
    assert staged[0][0] == 300 and staged[0][1] > 1


# -- what stops the run ------------------------------------------------------------------------


def test_missing_required_column_stops_naming_it_and_the_file(
    clean_export: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    shutil.copytree(clean_export, export)
    columns, rows = read_csv_rows(export / "deals.csv")
    write_csv_rows(export / "deals.csv", [c for c in columns if c != "deal_id"], rows)
    result = run_dbt(
        ["run-operation", "register_raw_files"],
        tmp_path / "w.duckdb",
        {"input_mode": "files", "raw_path": str(export)},
    )
    assert not result.success
    assert f"{export}/deals.csv lacks the required columns: deal_id" in dbt_log(
        tmp_path / "w.duckdb"
    )


@pytest.mark.parametrize(
    ("file_text", "expected"),
    [
        (
            STAGE_HEADER + "Verbal Commit,negotiation,5,pending,true\n",
            "column stage_category, value 'pending' (source_value 'Verbal Commit'):"
            " is not one of open, won, lost",
        ),
        (
            STAGE_HEADER + "Verbal Commit,negotiation,five,open,true\n",
            "column stage_order, value 'five'",
        ),
        (
            STAGE_HEADER
            + "Verbal Commit,negotiation,5,open,true\nverbal_commit,proposal,4,open,true\n",
            "value 'verbal commit'",
        ),
        (
            "source_value,canonical_stage,stage_category\nx,y,open\n",
            "lacks the columns: stage_order, is_qualified",
        ),
    ],
    ids=["invalid_category", "not_an_integer", "duplicate_value", "missing_columns"],
)
def test_invalid_mapping_file_stops_naming_file_column_and_value(
    tmp_path: Path, file_text: str, expected: str
) -> None:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    (mappings / "map_deal_stages.csv").write_text(file_text)
    result = run_dbt(
        ["run-operation", "register_mapping_files"],
        tmp_path / "w.duckdb",
        {"mapping_path": str(mappings)},
    )
    assert not result.success
    message = dbt_log(tmp_path / "w.duckdb")
    assert f"{mappings}/map_deal_stages.csv" in message
    assert expected in message
