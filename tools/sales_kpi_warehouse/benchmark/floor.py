"""The reference floor: ``floor.sql`` run with the duckdb Python package, in its own process.

``python -m sales_kpi_warehouse.benchmark.floor --raw-path DIR --db FILE`` creates the raw
views over the export (``<DIR>/<table>.parquet`` and/or ``<DIR>/<table>/*.parquet``, the
layout the dbt project's files mode reads), runs ``floor.sql`` into a fresh DuckDB file and
prints one ``FLOOR_RESULT {json}`` line: result rows, SQL seconds and the peak of DuckDB's own
memory (``duckdb_memory()``, sampled from a second connection). :func:`run_floor` runs it
under :func:`~.measure.run_measured`, so the RSS measured is the floor's own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .measure import run_measured
from .schema import Floor

SQL_PATH = Path(__file__).with_name("floor.sql")
RESULT_PREFIX = "FLOOR_RESULT "
#: The export tables the floor reads, and the mapping seeds (CSV in seeds/config) it uses.
RAW_TABLES = ("deals", "reps", "fx_rates", "activities")
MAPPING_SEEDS = ("map_deal_stages", "map_activity_types")


@dataclass(frozen=True)
class FloorSettings:
    """What the floor reads and the reporting conventions (the dbt project's defaults)."""

    raw_path: Path
    config_seeds: Path
    as_of_date: str = "2026-10-31"
    reporting_timezone: str = "Asia/Tokyo"
    reporting_currency: str = "JPY"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def raw_files(raw_path: Path, table: str, file_format: str = "parquet") -> list[str]:
    """The file and/or batch-folder glob of ``table``, as the files input mode finds them."""
    candidates = [raw_path / f"{table}.{file_format}", raw_path / table / f"*.{file_format}"]
    found = [str(path) for path in candidates if any(path.parent.glob(path.name))]
    if not found:
        msg = (
            f"{raw_path} has no {table}.{file_format} nor {table}/*.{file_format}; "
            "check --raw-path (and --format)."
        )
        raise FileNotFoundError(msg)
    return found


def register_views(con: duckdb.DuckDBPyConnection, settings: FloorSettings) -> None:
    """``raw_<table>`` views over the export and the mapping seeds, and the variables."""
    for table in RAW_TABLES:
        files = ", ".join(map(_sql_string, raw_files(settings.raw_path, table)))
        con.sql(
            f"create or replace view raw_{table} as "
            f"select * from read_parquet([{files}], union_by_name = true)"
        )
    for seed in MAPPING_SEEDS:
        path = settings.config_seeds / f"{seed}.csv"
        if not path.is_file():
            msg = f"mapping seed {path} not found; pass --config-seeds <project>/seeds/config."
            raise FileNotFoundError(msg)
        con.sql(
            f"create or replace view raw_{seed} as select * from "
            f"read_csv({_sql_string(str(path))}, header = true, all_varchar = true)"
        )
    con.sql(f"set variable as_of_date = date {_sql_string(settings.as_of_date)}")
    con.sql(f"set variable reporting_timezone = {_sql_string(settings.reporting_timezone)}")
    con.sql(f"set variable reporting_currency = {_sql_string(settings.reporting_currency)}")


class DuckDBMemorySampler:
    """Peak of ``sum(memory_usage_bytes) from duckdb_memory()``, polled from a cursor."""

    def __init__(self, con: duckdb.DuckDBPyConnection, interval: float = 0.1) -> None:
        self._cursor = con.cursor()
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self.peak = 0

    def __enter__(self) -> DuckDBMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._cursor.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            rows = self._cursor.sql("select sum(memory_usage_bytes) from duckdb_memory()")
            ((used,),) = rows.fetchall()
            self.peak = max(self.peak, int(used or 0))
            self._stop.wait(self._interval)


def compute(settings: FloorSettings, db_path: Path) -> dict[str, float | int]:
    """Run ``floor.sql`` into a fresh ``db_path``; rows, seconds and DuckDB's peak memory."""
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.sql("set enable_progress_bar = false")
        register_views(con, settings)
        started = time.perf_counter()
        with DuckDBMemorySampler(con) as sampler:
            con.sql(SQL_PATH.read_text(encoding="utf-8"))
        seconds = time.perf_counter() - started
        ((rows,),) = con.sql("select count(*) from headline_rep_month").fetchall()
    return {"rows": int(rows), "sql_s": round(seconds, 3), "duckdb_peak_bytes": sampler.peak}


def floor_command(settings: FloorSettings, db_path: Path) -> list[str]:
    """The command line that runs :func:`compute` in a new Python process."""
    return [
        sys.executable,
        "-m",
        "sales_kpi_warehouse.benchmark.floor",
        *("--raw-path", str(settings.raw_path), "--config-seeds", str(settings.config_seeds)),
        *("--db", str(db_path), "--as-of-date", settings.as_of_date),
        *("--timezone", settings.reporting_timezone),
        *("--currency", settings.reporting_currency),
    ]


def _parse_result(log: Path, prefix: str = RESULT_PREFIX) -> dict[str, float | int] | None:
    for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith(prefix):
            loaded: dict[str, float | int] = json.loads(line[len(prefix) :])
            return loaded
    return None


def run_repeated(
    command: list[str], work_dir: Path, env: dict[str, str], repeats: int, prefix: str
) -> Floor:
    """Run a floor script ``repeats`` times in fresh processes: median wall time, max peak RSS.

    ``command`` prints one ``<prefix>{json}`` line (rows, sql_s, duckdb_peak_bytes) on success;
    its logs are ``<work_dir>/<name>-<attempt>.log``, named after ``prefix``.
    """
    name = prefix.strip().removesuffix("_RESULT").lower().replace("_", "-")
    walls: list[float] = []
    sql_seconds: list[float] = []
    peaks: list[int] = []
    duckdb_peaks: list[int] = []
    rows, exit_code, log = 0, 0, work_dir / f"{name}-1.log"
    loads: list[float] = []
    for attempt in range(1, max(1, repeats) + 1):
        log = work_dir / f"{name}-{attempt}.log"
        measured = run_measured(command, log_path=log, env=env)
        result = _parse_result(log, prefix)
        if measured["exit_code"] != 0 or result is None:
            exit_code = measured["exit_code"] or 1
            break
        walls.append(measured["wall_s"])
        loads.append(measured["load_average_1m"])
        peaks.append(measured["peak_rss_bytes"])
        sql_seconds.append(float(result["sql_s"]))
        duckdb_peaks.append(int(result["duckdb_peak_bytes"]))
        rows = int(result["rows"])
    return Floor(
        wall_s=round(statistics.median(walls), 3) if walls else 0.0,
        walls_s=walls,
        sql_s=round(statistics.median(sql_seconds), 3) if sql_seconds else 0.0,
        peak_rss_bytes=max(peaks, default=0),
        duckdb_peak_bytes=max(duckdb_peaks) if duckdb_peaks else None,
        result_rows=rows,
        exit_code=exit_code,
        log=str(log),
        load_average_1m=max(loads, default=0.0),
    )


def run_floor(settings: FloorSettings, work_dir: Path, env: dict[str, str], repeats: int) -> Floor:
    """Run the floor ``repeats`` times in fresh processes: median wall time, max peak RSS."""
    command = floor_command(settings, work_dir / "floor.duckdb")
    return run_repeated(command, work_dir, env, repeats, RESULT_PREFIX)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.benchmark.floor",
        description="Run the benchmark's reference floor (floor.sql) over a Parquet export.",
    )
    parser.add_argument("--raw-path", type=Path, required=True, help="the export or its layout")
    parser.add_argument("--config-seeds", type=Path, default=Path("seeds/config"))
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to (re)create")
    parser.add_argument("--as-of-date", default=FloorSettings.as_of_date)
    parser.add_argument("--timezone", default=FloorSettings.reporting_timezone)
    parser.add_argument("--currency", default=FloorSettings.reporting_currency)
    args = parser.parse_args(argv)
    settings = FloorSettings(
        raw_path=args.raw_path,
        config_seeds=args.config_seeds,
        as_of_date=args.as_of_date,
        reporting_timezone=args.timezone,
        reporting_currency=args.currency,
    )
    try:
        result = compute(settings, args.db)
    except (FileNotFoundError, duckdb.Error) as error:
        print(f"floor failed: {error}", file=sys.stderr)
        return 1
    print(RESULT_PREFIX + json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
