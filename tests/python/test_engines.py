"""The same project gives the same numbers on DuckDB, PostgreSQL and Spark, and the BI role of
PostgreSQL reads the marts and nothing else.

Reads warehouses that `make build`, `make build-postgres` and `make build-spark` left behind
(built from the same demo export), so it runs after them — `make test` does that:

- DuckDB: the file at $DBT_DUCKDB_PATH (default warehouse.duckdb), schema main_marts;
- PostgreSQL: the server described by $DBT_PG_* (`source <(scripts/postgres.sh env)`);
- Spark: the Parquet files of the local Spark warehouse at $DBT_SPARK_WAREHOUSE_DIR
  (`source <(scripts/spark.sh env)`), read with DuckDB, so no second JVM is needed.

An engine that was not built is skipped, unless SKW_ENGINES_REQUIRED=1 (set by `make test`):
then a missing engine fails, so CI cannot go green on two engines out of three.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import psycopg2.errors
import pytest
from conftest import pg_connect

pytestmark = pytest.mark.engines

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("SKW_ENGINES_REQUIRED") == "1"
# Numbers agree within rounding (see equal): two cents, one unit in the last place, or 1e-7.
MONEY_TOLERANCE = Decimal("0.02")
REL_TOLERANCE = Decimal("1e-7")

Rows = list[tuple[Any, ...]]
Table = tuple[list[str], Rows]


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"SKW_ENGINES_REQUIRED=1 but {reason}")
    pytest.skip(reason)


# ---- reading each engine ---------------------------------------------------------------------


class DuckDBReader:
    def __init__(self, path: Path, schema: str) -> None:
        self.connection = duckdb.connect(str(path), read_only=True)
        self.schema = schema

    def tables(self, layer: str) -> list[str]:
        rows = self.connection.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [f"{self.schema}_{layer}"],
        ).fetchall()
        return sorted(str(name) for (name,) in rows)

    def read(self, layer: str, table: str) -> Table:
        result = self.connection.execute(f'select * from "{self.schema}_{layer}"."{table}"')
        return [d[0] for d in result.description], result.fetchall()


class PostgresReader:
    def __init__(self, user: str, password: str) -> None:
        self.connection = pg_connect(user, password)
        self.schema = os.environ.get("DBT_PG_SCHEMA", "main")

    def tables(self, layer: str) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "select table_name from information_schema.tables where table_schema = %s",
                (f"{self.schema}_{layer}",),
            )
            return sorted(str(name) for (name,) in cursor.fetchall())

    def read(self, layer: str, table: str) -> Table:
        with self.connection.cursor() as cursor:
            cursor.execute(f'select * from "{self.schema}_{layer}"."{table}"')
            assert cursor.description is not None
            return [d[0] for d in cursor.description], list(cursor.fetchall())


class SparkParquetReader:
    """Managed Spark tables are folders of Parquet files under <warehouse>/<schema>.db/<table>."""

    def __init__(self, warehouse: Path, schema: str) -> None:
        self.warehouse = warehouse
        self.schema = schema
        self.connection = duckdb.connect()

    def folder(self, layer: str) -> Path:
        return self.warehouse / f"{self.schema}_{layer}.db"

    def tables(self, layer: str) -> list[str]:
        folder = self.folder(layer)
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.parquet")))

    def read(self, layer: str, table: str) -> Table:
        files = str(self.folder(layer) / table / "*.parquet")
        result = self.connection.execute(f"select * from read_parquet('{files}')")
        return [d[0] for d in result.description], result.fetchall()


@pytest.fixture(scope="module")
def duckdb_engine() -> DuckDBReader:
    path = Path(os.environ.get("DBT_DUCKDB_PATH", PROJECT_ROOT / "warehouse.duckdb"))
    if not path.is_file():
        unavailable(f"no DuckDB warehouse at {path} (make build)")
    return DuckDBReader(path, "main")


@pytest.fixture(scope="module")
def postgres_engine() -> Iterator[PostgresReader]:
    user, password = os.environ.get("DBT_PG_USER"), os.environ.get("DBT_PG_PASSWORD")
    if not (user and password):
        unavailable("DBT_PG_USER/DBT_PG_PASSWORD unset (make build-postgres)")
    assert user and password
    try:
        reader = PostgresReader(user, password)
    except psycopg2.OperationalError as error:
        unavailable(f"PostgreSQL unreachable: {error}")
    yield reader
    reader.connection.close()


@pytest.fixture(scope="module")
def spark_engine() -> SparkParquetReader:
    warehouse = Path(
        os.environ.get("DBT_SPARK_WAREHOUSE_DIR", PROJECT_ROOT / ".engines" / "spark" / "warehouse")
    )
    schema = os.environ.get("DBT_SPARK_SCHEMA", "main")
    reader = SparkParquetReader(warehouse, schema)
    if not reader.tables("marts"):
        unavailable(f"no Spark marts under {warehouse} (make build-spark)")
    return reader


# ---- comparing -------------------------------------------------------------------------------


def normalise(value: Any) -> Any:
    """One Python representation per value, whichever driver produced it (decimals stay
    Decimal: their scale says how far apart two roundings may be)."""
    if isinstance(value, bool | int | float | Decimal) or value is None:
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def sort_key(row: tuple[Any, ...]) -> tuple[tuple[int, str], ...]:
    # Exact values order the rows; decimals and floats only coarsely, so that two engines'
    # roundings of the same number cannot reorder them.
    def key(v: Any) -> tuple[int, str]:
        if v is None:
            return (0, "")
        if isinstance(v, float | Decimal):
            return (1, f"{round(float(v)):020d}")
        return (2, repr(v))

    return tuple(key(v) for v in row)


def canonical(table: Table) -> Table:
    columns, rows = table
    order = sorted(range(len(columns)), key=lambda i: columns[i].lower())
    cols = [columns[i].lower() for i in order]
    normalised = [tuple(normalise(row[i]) for i in order) for row in rows]
    return cols, sorted(normalised, key=sort_key)


def last_place(value: Any) -> Decimal:
    """One unit in the last decimal place of a Decimal (0.01 for money), else 0."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return Decimal(1).scaleb(exponent) if isinstance(exponent, int) else Decimal(0)
    return Decimal(0)


def equal(a: Any, b: Any) -> bool:
    """Equal, or numbers within rounding. The engines round a double to decimal(18, 2)
    differently at an exact half (DuckDB from the binary value, PostgreSQL and Spark from its
    shortest decimal text), so a money value may differ by one cent, and a value computed from
    two such amounts (a period-over-period change) by two. Allowed: MONEY_TOLERANCE, one unit
    in the last decimal place, or REL_TOLERANCE, whichever is larger. A wrong formula or a
    lost row moves a KPI by far more."""
    numbers = (int, float, Decimal)
    booleans = isinstance(a, bool) or isinstance(b, bool)
    if isinstance(a, numbers) and isinstance(b, numbers) and not booleans:
        x, y = Decimal(str(a)), Decimal(str(b))
        tolerance = max(
            last_place(a),
            last_place(b),
            REL_TOLERANCE * max(abs(x), abs(y)),
            MONEY_TOLERANCE if isinstance(a, Decimal) or isinstance(b, Decimal) else Decimal(0),
        )
        return abs(x - y) <= tolerance
    return bool(a == b)


def differences(name: str, expected: Table, actual: Table) -> list[str]:
    (cols_e, rows_e), (cols_a, rows_a) = canonical(expected), canonical(actual)
    if cols_e != cols_a:
        return [f"{name}: columns differ: {sorted(set(cols_e) ^ set(cols_a))}"]
    if len(rows_e) != len(rows_a):
        return [f"{name}: {len(rows_e)} rows on DuckDB, {len(rows_a)} here"]
    found: list[str] = []
    for row_e, row_a in zip(rows_e, rows_a, strict=True):
        for column, value_e, value_a in zip(cols_e, row_e, row_a, strict=True):
            if not equal(value_e, value_a):
                found.append(f"{name}.{column}: DuckDB {value_e!r} here {value_a!r} in {row_e}")
                break
        if len(found) >= 5:
            break
    return found


Reader = DuckDBReader | PostgresReader | SparkParquetReader


def assert_same_marts(reference: DuckDBReader, other: Reader, engine: str) -> None:
    marts = reference.tables("marts")
    assert marts, "DuckDB has no marts"
    assert other.tables("marts") == marts, f"{engine} has other marts than DuckDB"
    report: list[str] = []
    for mart in marts:
        report += differences(mart, reference.read("marts", mart), other.read("marts", mart))
    assert not report, f"{engine} marts differ from DuckDB:\n" + "\n".join(report)


def rejection_counts(reader: Reader) -> dict[tuple[str, str], int]:
    columns, rows = reader.read("data_quality", "rejected_rows")
    table, reason = columns.index("source_table"), columns.index("reason_code")
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (str(row[table]), str(row[reason]))
        counts[key] = counts.get(key, 0) + 1
    return counts


# ---- the tests -------------------------------------------------------------------------------


def test_postgres_marts_equal_duckdb(
    duckdb_engine: DuckDBReader, postgres_engine: PostgresReader
) -> None:
    assert_same_marts(duckdb_engine, postgres_engine, "PostgreSQL")


def test_spark_marts_equal_duckdb(
    duckdb_engine: DuckDBReader, spark_engine: SparkParquetReader
) -> None:
    assert_same_marts(duckdb_engine, spark_engine, "Spark")


@pytest.mark.parametrize("engine", ["postgres", "spark"])
def test_every_engine_rejects_the_same_rows(
    engine: str, duckdb_engine: DuckDBReader, request: pytest.FixtureRequest
) -> None:
    """Validation (casts, dates, patterns) is portable: same rows rejected for the same reason."""
    other: Reader = request.getfixturevalue(f"{engine}_engine")
    assert rejection_counts(other) == rejection_counts(duckdb_engine)


# ---- PostgreSQL: the read-only BI role -------------------------------------------------------


@pytest.fixture(scope="module")
def bi_connection(postgres_engine: PostgresReader) -> Iterator[Any]:
    role, password = os.environ.get("DBT_BI_ROLE"), os.environ.get("DBT_BI_PASSWORD")
    if not (role and password):
        unavailable("DBT_BI_ROLE/DBT_BI_PASSWORD unset (source <(scripts/postgres.sh env))")
    assert role and password
    connection = pg_connect(role, password)
    connection.autocommit = True
    yield connection
    connection.close()


def bi_runs(connection: Any, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def private_relations(postgres_engine: PostgresReader) -> list[str]:
    schema = postgres_engine.schema
    with postgres_engine.connection.cursor() as cursor:
        cursor.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema like %s and table_schema <> %s",
            (f"{schema}\\_%", f"{schema}_marts"),
        )
        return [f'"{s}"."{t}"' for s, t in cursor.fetchall()]


def test_bi_role_reads_every_mart(postgres_engine: PostgresReader, bi_connection: Any) -> None:
    marts = postgres_engine.tables("marts")
    assert marts
    for mart in marts:
        with bi_connection.cursor() as cursor:
            cursor.execute(f'select count(*) from "{postgres_engine.schema}_marts"."{mart}"')
            assert cursor.fetchone() is not None


def test_bi_role_cannot_read_staging_intermediate_or_rejected_rows(
    postgres_engine: PostgresReader, bi_connection: Any
) -> None:
    relations = private_relations(postgres_engine)
    schema = postgres_engine.schema
    for layer in ("staging", "intermediate", "data_quality"):
        assert any(r.startswith(f'"{schema}_{layer}".') for r in relations), f"no {layer} tables"
    assert f'"{schema}_data_quality"."rejected_rows"' in relations
    for relation in relations:
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            bi_runs(bi_connection, f"select * from {relation} limit 1")


MART = '"{schema}_marts"."kpi_team_performance"'
WRITES = [
    f"insert into {MART} select * from {MART} limit 1",
    f"update {MART} set scope = scope",
    f"delete from {MART}",
    f"truncate {MART}",
    f"drop table {MART}",
    'create table "{schema}_marts".bi_scratch (x integer)',
    "create table public.bi_scratch (x integer)",
    "create temporary table bi_scratch (x integer)",
    'create schema "{schema}_bi_scratch"',
]


@pytest.mark.parametrize("statement", WRITES)
def test_bi_role_cannot_write(
    statement: str, postgres_engine: PostgresReader, bi_connection: Any
) -> None:
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        bi_runs(bi_connection, statement.format(schema=postgres_engine.schema))
