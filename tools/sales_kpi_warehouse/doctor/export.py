"""Reading an export and the vocabulary mappings into an in-memory DuckDB: one table per raw
table with every contract column as trimmed text (empty → NULL; a column the file lacks is all
NULL), and one table per mapping seed (shipped rows extended by the user's mapping folder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .contract import PROJECT_DIR, TableSpec

SEEDS_DIR = PROJECT_DIR / "seeds" / "config"
MAPPINGS = ("map_deal_stages", "map_deal_types", "map_activity_types", "map_lead_statuses")


def sql_text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def normalise_sql(expression: str) -> str:
    """macros/staging/normalise_code.sql in DuckDB: lower case, '_' and '-' as spaces,
    repeated spaces collapsed, trimmed; empty → NULL."""
    spaced = f"replace(replace(lower({expression}), '_', ' '), '-', ' ')"
    return f"nullif(trim(regexp_replace({spaced}, ' +', ' ', 'g')), '')"


@dataclass
class TableInput:
    """What the export holds for one contract table."""

    files: list[Path] = field(default_factory=list)
    empty_files: list[Path] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # lower-cased columns of the files

    @property
    def found(self) -> bool:
        return bool(self.files)


def find_files(raw_path: Path, table: str, file_format: str) -> list[Path]:
    """<raw_path>/<table>.<fmt> and/or the batch folder <raw_path>/<table>/*.<fmt>, as
    macros/inputs/register_raw_files.sql reads them."""
    single = raw_path / f"{table}.{file_format}"
    batches = sorted((raw_path / table).glob(f"*.{file_format}"))
    return ([single] if single.is_file() else []) + batches


def reader_sql(files: list[Path], file_format: str) -> str:
    listed = "[" + ", ".join(sql_text(str(f)) for f in files) + "]"
    union = ", union_by_name = true" if len(files) > 1 else ""
    if file_format == "parquet":
        return f"read_parquet({listed}{union})"
    return f"read_csv({listed}, header = true, all_varchar = true{union})"


def register_table(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, raw_path: Path, file_format: str
) -> TableInput:
    """Load table `raw_<table>` (every contract column as clean text) when files exist: read
    once, checked many times (DuckDB spills to its temp_directory when it is large)."""
    found = TableInput()
    for path in find_files(raw_path, spec.name, file_format):
        (found.files if path.stat().st_size > 0 else found.empty_files).append(path)
    if not found.files:
        return found
    reader = reader_sql(found.files, file_format)
    described = con.execute(f"select column_name from (describe select * from {reader})").fetchall()
    found.present = [str(name).lower() for (name,) in described]
    selected = [
        f"nullif(trim(cast(\"{c.name}\" as varchar)), '') as {c.name}"
        if c.name in found.present
        else f"cast(null as varchar) as {c.name}"
        for c in spec.columns
    ]
    columns = ", ".join(selected)
    con.execute(f"create or replace temp table raw_{spec.name} as select {columns} from {reader}")
    return found


def register_mappings(con: duckdb.DuckDBPyConnection, mapping_path: Path | None) -> None:
    """One table per mapping seed, source_value normalised; a row of the user's file of the
    same name replaces the shipped row with the same normalised source_value."""
    for name in MAPPINGS:
        shipped = SEEDS_DIR / f"{name}.csv"
        own = mapping_path / f"{name}.csv" if mapping_path else None
        read = "read_csv({}, header = true, all_varchar = true)"
        shipped_rows = f"select * replace ({normalise_sql('source_value')} as source_value) from "
        shipped_rows += read.format(sql_text(str(shipped)))
        if own is not None and own.is_file():
            own_rows = f"select * replace ({normalise_sql('source_value')} as source_value) from "
            own_rows += read.format(sql_text(str(own)))
            con.execute(f"create or replace temp view own_{name} as {own_rows}")
            query = (
                f"select * from own_{name} union all by name select * from ({shipped_rows}) "
                f"where source_value not in (select source_value from own_{name} "
                "where source_value is not null)"
            )
        else:
            query = shipped_rows
        con.execute(
            f"create or replace table {name} as select * from ({query}) where source_value "
            "is not null qualify row_number() over (partition by source_value) = 1"
        )
