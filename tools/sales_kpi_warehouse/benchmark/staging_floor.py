"""The staging floor: ``staging_floor.sql`` run with the duckdb Python package, in its own process.

``python -m sales_kpi_warehouse.benchmark.staging_floor --raw-path DIR --db FILE`` creates the
views ``raw_<table>`` over every raw table of the export (``<DIR>/<table>.<format>`` and/or
``<DIR>/<table>/*.<format>``, the layout the dbt project's files mode reads; CSV or Parquet,
every value text) and ``raw_map_<seed>`` over the mapping seeds, runs ``staging_floor.sql``
into a fresh DuckDB file (``staged_<table>`` and ``rejected_<table>`` for every table) and
prints one ``STAGING_FLOOR_RESULT {json}`` line: staged and rejected rows, SQL seconds and
the peak of DuckDB's own memory. :func:`run_staging_floor` runs it under
:func:`~.measure.run_measured`, like the headline floor.

:func:`outcome_counts` reads the rows per (table, status, reason) it wrote, the figures it
must share with the dbt build (``stg_crm__*`` and ``rejected_rows``; :func:`dbt_outcome_counts`),
and :func:`count_mismatches` says where they differ.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .floor import DuckDBMemorySampler, raw_files, run_repeated
from .schema import Floor

SQL_PATH = Path(__file__).with_name("staging_floor.sql")
RESULT_PREFIX = "STAGING_FLOOR_RESULT "
#: Every raw table of the export (the `crm` source), in the order the script stages them.
RAW_TABLES = (
    "teams",
    "reps",
    "rep_team_history",
    "accounts",
    "products",
    "contracts",
    "deals",
    "deal_stage_history",
    "leads",
    "activities",
    "email_events",
    "fx_rates",
    "quotas",
    "revenue_goals",
    "acquisition_costs",
    "quotes",
    "service_requests",
    "content_assets",
    "content_usage",
    "training_enrolments",
    "training_assessments",
)
MAPPING_SEEDS = ("map_deal_stages", "map_deal_types", "map_lead_statuses", "map_activity_types")
FILE_FORMATS = ("parquet", "csv")
#: (table, status, reason): status ``staged`` (reason '') or ``rejected`` (its reason_code).
OutcomeKey = tuple[str, str, str]


@dataclass(frozen=True)
class StagingFloorSettings:
    """What the staging floor reads and the project's defaults it applies (dbt_project.yml)."""

    raw_path: Path
    config_seeds: Path
    file_format: str = "parquet"
    reporting_timezone: str = "Asia/Tokyo"
    reporting_currency: str = "JPY"
    default_deal_type: str = "new_business"
    default_rep_role: str = "account_executive"
    default_team_type: str = "field_sales"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_reader(files: Sequence[str], file_format: str) -> str:
    """The DuckDB table function reading ``files``, every value as the export's text."""
    file_list = "[" + ", ".join(map(_sql_string, files)) + "]"
    if file_format == "parquet":
        return f"read_parquet({file_list}, union_by_name = true)"
    if file_format == "csv":
        return (
            f"read_csv({file_list}, header = true, all_varchar = true, union_by_name = true, "
            "delim = ',', quote = '\"', escape = '\"', null_padding = true, parallel = false)"
        )
    msg = f"file format {file_format!r} is not one of {', '.join(FILE_FORMATS)}; pass --format."
    raise ValueError(msg)


def register_views(con: duckdb.DuckDBPyConnection, settings: StagingFloorSettings) -> None:
    """``raw_<table>`` over the export, ``raw_<seed>`` over the mapping seeds, the variables."""
    for table in RAW_TABLES:
        files = raw_files(settings.raw_path, table, settings.file_format)
        reader = file_reader(files, settings.file_format)
        con.sql(f"create or replace view raw_{table} as select * from {reader}")
    for seed in MAPPING_SEEDS:
        path = settings.config_seeds / f"{seed}.csv"
        if not path.is_file():
            msg = f"mapping seed {path} not found; pass --config-seeds <project>/seeds/config."
            raise FileNotFoundError(msg)
        con.sql(
            f"create or replace view raw_{seed} as select * from "
            f"read_csv({_sql_string(str(path))}, header = true, all_varchar = true)"
        )
    variables = {
        "reporting_timezone": settings.reporting_timezone,
        "reporting_currency": settings.reporting_currency,
        "default_deal_type": settings.default_deal_type,
        "default_rep_role": settings.default_rep_role,
        "default_team_type": settings.default_team_type,
    }
    for name, value in variables.items():
        con.sql(f"set variable {name} = {_sql_string(value)}")
    # var default_currency: null = the reporting currency (as the project's default)
    con.sql("set variable default_currency = cast(null as varchar)")


def outcome_counts(con: duckdb.DuckDBPyConnection) -> dict[OutcomeKey, int]:
    """Rows per (table, status, reason) of the ``staged_*`` and ``rejected_*`` tables."""
    counts: dict[OutcomeKey, int] = {}
    for table in RAW_TABLES:
        ((staged,),) = con.sql(f"select count(*) from staged_{table}").fetchall()
        counts[(table, "staged", "")] = int(staged)
        rejected = con.sql(
            f"select reason_code, count(*) from rejected_{table} group by reason_code"
        ).fetchall()
        counts.update({(table, "rejected", str(reason)): int(rows) for reason, rows in rejected})
    return counts


def dbt_outcome_counts(
    con: duckdb.DuckDBPyConnection,
    staging_schema: str = "main_staging",
    data_quality_schema: str = "main_data_quality",
) -> dict[OutcomeKey, int]:
    """The same counts in a dbt build: ``stg_crm__<table>`` rows and ``rejected_rows``."""
    counts: dict[OutcomeKey, int] = {}
    for table in RAW_TABLES:
        relation = f'"{staging_schema}"."stg_crm__{table}"'
        ((staged,),) = con.sql(f"select count(*) from {relation}").fetchall()
        counts[(table, "staged", "")] = int(staged)
    rejected = con.sql(
        f'select source_table, reason_code, count(*) from "{data_quality_schema}".rejected_rows '
        "group by source_table, reason_code"
    ).fetchall()
    for table, reason, rows in rejected:
        counts[(str(table), "rejected", str(reason))] = int(rows)
    return counts


def count_mismatches(
    expected: Mapping[OutcomeKey, int], actual: Mapping[OutcomeKey, int]
) -> list[str]:
    """One line per (table, status, reason) whose row counts differ (a missing key counts 0)."""
    lines = []
    for key in sorted(set(expected) | set(actual)):
        want, got = expected.get(key, 0), actual.get(key, 0)
        if want != got:
            table, status, reason = key
            what = f"{table} {status}" + (f" {reason}" if reason else "")
            lines.append(f"{what}: dbt {want}, staging floor {got}")
    return lines


def compute(
    settings: StagingFloorSettings, db_path: Path, sql_path: Path = SQL_PATH
) -> dict[str, float | int]:
    """Run the script into a fresh ``db_path``: staged and rejected rows, seconds, peak memory."""
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.sql("set enable_progress_bar = false")
        register_views(con, settings)
        started = time.perf_counter()
        with DuckDBMemorySampler(con) as sampler:
            con.execute(sql_path.read_text(encoding="utf-8"))
        seconds = time.perf_counter() - started
        counts = outcome_counts(con)
    staged = sum(rows for (_, status, _), rows in counts.items() if status == "staged")
    return {
        "rows": staged,
        "rejected_rows": sum(counts.values()) - staged,
        "sql_s": round(seconds, 3),
        "duckdb_peak_bytes": sampler.peak,
    }


def staging_floor_command(settings: StagingFloorSettings, db_path: Path) -> list[str]:
    """The command line that runs :func:`compute` in a new Python process."""
    return [
        sys.executable,
        "-m",
        "sales_kpi_warehouse.benchmark.staging_floor",
        *("--raw-path", str(settings.raw_path), "--config-seeds", str(settings.config_seeds)),
        *("--format", settings.file_format, "--db", str(db_path)),
        *("--timezone", settings.reporting_timezone, "--currency", settings.reporting_currency),
    ]


def run_staging_floor(
    settings: StagingFloorSettings, work_dir: Path, env: dict[str, str], repeats: int
) -> Floor:
    """Run the staging floor ``repeats`` times in fresh processes (median wall, max peak)."""
    command = staging_floor_command(settings, work_dir / "staging_floor.duckdb")
    return run_repeated(command, work_dir, env, repeats, RESULT_PREFIX)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.benchmark.staging_floor",
        description="Run the benchmark's staging floor (staging_floor.sql) over a raw export.",
    )
    parser.add_argument("--raw-path", type=Path, required=True, help="the export or its layout")
    parser.add_argument("--config-seeds", type=Path, default=Path("seeds/config"))
    parser.add_argument("--format", choices=FILE_FORMATS, default="parquet")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to (re)create")
    parser.add_argument("--timezone", default=StagingFloorSettings.reporting_timezone)
    parser.add_argument("--currency", default=StagingFloorSettings.reporting_currency)
    args = parser.parse_args(argv)
    settings = StagingFloorSettings(
        raw_path=args.raw_path,
        config_seeds=args.config_seeds,
        file_format=args.format,
        reporting_timezone=args.timezone,
        reporting_currency=args.currency,
    )
    try:
        result = compute(settings, args.db)
    except (FileNotFoundError, duckdb.Error) as error:
        print(f"staging floor failed: {error}", file=sys.stderr)
        return 1
    print(RESULT_PREFIX + json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
