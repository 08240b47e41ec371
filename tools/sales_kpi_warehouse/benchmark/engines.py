"""The full and the daily build on PostgreSQL and Spark (issue 25's data points, no targets).

``python -m sales_kpi_warehouse.benchmark.engines --engines postgres,spark --sizes S``

The export and its layout (the latest 1 % of each event table held back) are the DuckDB
benchmark's own (``data.ensure_export``/``data.ensure_layout``, same cache folder), and the dbt
commands are its own too: a full ``dbt build``, the held-back files delivered, then the daily
``dbt build`` (data tests scoped with ``test_since``, unit tests left to CI). Per engine:

- **postgres**: a fresh database on the local server (``scripts/postgres.sh fresh``; it drops
  the database of ``make build-postgres``). The layout is loaded as typed tables into schema
  ``crm_raw`` (DuckDB reads the Parquet and writes CSV for PostgreSQL's ``copy``) and dbt reads
  it with ``input_mode: warehouse``; the increment is appended to the same tables. Loading is
  timed apart (``load``, ``load increment``), not as part of a build. The server's memory is
  not in the measured process tree, only dbt's.
- **spark**: dbt-spark's local session in the dbt process (``scripts/spark.sh``), a clean
  metastore and warehouse. Spark's files mode reads one file per table, so each table's batch
  files are merged into one Parquet file, re-merged when the increment arrives (the next day's
  export replaces the file); ``input_mode: files``. The JVM is in the measured process tree.

Results go to ``engines.json`` and ``engines.md`` beside ``results.json``, whose DuckDB rows of
the same sizes are quoted next to them.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypedDict

import duckdb
import psycopg2

from ..batches import PENDING, deliver_pending
from .cli import PROJECT_DIR, daily_build_flags, late_window_start, log, lookback_days, phase_line
from .cli import heartbeat as print_heartbeat
from .data import ensure_export, ensure_layout, input_stats
from .dbt_phases import DbtProject, files_vars, run_phase
from .machine import project_version
from .measure import DEFAULT_INTERVAL_S
from .report import JSON_NAME, fmt_bytes, fmt_seconds
from .schema import Phase
from .sizes import Size, SizeError, parse_sizes

ENGINES = ("postgres", "spark")
RAW_SCHEMA = "crm_raw"
ENGINES_JSON = "engines.json"
ENGINES_MARKDOWN = "engines.md"

#: DuckDB's type names (``describe``) → PostgreSQL's; anything else is loaded as text.
POSTGRES_TYPES = {
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "VARCHAR": "text",
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
_EXPORT_LINE = re.compile(r"^export (?P<name>[A-Z_][A-Z0-9_]*)=(?P<value>.*)$")


class EngineResult(TypedDict):
    """One engine at one size: loading apart, then the full and the daily build."""

    engine: str
    size: str
    deals: int
    input_rows: int
    measured_at: str
    project_version: str
    load_s: float
    load_increment_s: float
    phases: dict[str, Phase]
    incremental_share: float | None


def postgres_type(duckdb_type: str) -> str:
    """The PostgreSQL column type for a DuckDB one (``DECIMAL(p,s)`` → ``numeric(p,s)``)."""
    decimal = _DECIMAL.fullmatch(duckdb_type.replace(" ", ""))
    if decimal is not None:
        return f"numeric({decimal[1]},{decimal[2]})"
    return POSTGRES_TYPES.get(duckdb_type, "text")


def parse_exports(text: str) -> dict[str, str]:
    """The ``export NAME=value`` lines a ``scripts/<engine>.sh env`` prints."""
    found = (_EXPORT_LINE.match(line.strip()) for line in text.splitlines())
    return {match["name"]: match["value"] for match in found if match is not None}


def engine_script(project_dir: Path, engine: str, *args: str) -> str:
    """Run ``scripts/<engine>.sh`` with ``args``; its stdout, or an error naming the script."""
    script = project_dir / "scripts" / f"{engine}.sh"
    done = subprocess.run(
        [str(script), *args], cwd=project_dir, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        msg = f"{script} {' '.join(args)} failed (exit {done.returncode}): {done.stderr.strip()}"
        raise RuntimeError(msg)
    return done.stdout


def table_files(layout: Path) -> dict[str, list[Path]]:
    """Each table of a layout and its files: ``<table>.parquet`` or ``<table>/*.parquet``
    (the held-back ``_pending/`` files left out)."""
    tables: dict[str, list[Path]] = {}
    for entry in sorted(layout.iterdir()):
        if entry.name == PENDING:
            continue
        if entry.is_dir():
            tables[entry.name] = sorted(entry.glob("*.parquet"))
        elif entry.suffix == ".parquet":
            tables[entry.stem] = [entry]
    return tables


def _file_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(f"'{path}'" for path in paths) + "]"


def merge_tables(layout: Path, export: Path) -> float:
    """One Parquet file per table in ``export`` (Spark's files mode); returns seconds."""
    started = time.perf_counter()
    export.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        for table, paths in table_files(layout).items():
            target = export / f"{table}.parquet"
            target.unlink(missing_ok=True)
            if len(paths) == 1:
                target.symlink_to(paths[0].resolve())
                continue
            con.execute(
                f"copy (select * from read_parquet({_file_list(paths)})) "
                f"to '{target}' (format parquet, compression zstd)"
            )
    return round(time.perf_counter() - started, 3)


def postgres_connection(env: Mapping[str, str]) -> psycopg2.extensions.connection:
    """A connection with the ``DBT_PG_*`` settings of ``env`` (``scripts/postgres.sh env``)."""
    connection = psycopg2.connect(
        host=env.get("DBT_PG_HOST", "127.0.0.1"),
        port=int(env.get("DBT_PG_PORT", "5432")),
        dbname=env.get("DBT_PG_DBNAME", "sales_kpi_warehouse"),
        user=env["DBT_PG_USER"],
        password=env["DBT_PG_PASSWORD"],
        connect_timeout=10,
    )
    connection.autocommit = True
    return connection


def _copy_into(
    cursor: psycopg2.extensions.cursor, table: str, paths: Sequence[Path], scratch: Path
) -> None:
    """Append Parquet files to a PostgreSQL table through a CSV DuckDB writes."""
    csv_path = scratch / f"{table}.csv"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * from read_parquet({_file_list(paths)})) "
            f"to '{csv_path}' (format csv, header)"
        )
    with csv_path.open(encoding="utf-8") as handle:
        cursor.copy_expert(
            f'copy "{RAW_SCHEMA}"."{table}" from stdin with (format csv, header true)', handle
        )
    csv_path.unlink()
    cursor.execute(f'analyze "{RAW_SCHEMA}"."{table}"')


def parquet_columns(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """(name, DuckDB type) of the columns of a table's Parquet files."""
    with duckdb.connect() as con:
        described = con.execute(
            f"describe select * from read_parquet({_file_list(paths)})"
        ).fetchall()
    return [(str(row[0]), str(row[1])) for row in described]


def postgres_load(
    tables: dict[str, list[Path]], scratch: Path, env: Mapping[str, str], *, create: bool
) -> float:
    """Load (``create``: as new typed tables) or append the files; returns seconds."""
    started = time.perf_counter()
    scratch.mkdir(parents=True, exist_ok=True)
    connection = postgres_connection(env)
    try:
        with connection.cursor() as cursor:
            if create:
                cursor.execute(f'create schema if not exists "{RAW_SCHEMA}"')
            for table, paths in tables.items():
                if create:
                    columns = ", ".join(
                        f'"{name}" {postgres_type(kind)}' for name, kind in parquet_columns(paths)
                    )
                    cursor.execute(f'create table "{RAW_SCHEMA}"."{table}" ({columns})')
                _copy_into(cursor, table, paths, scratch)
    finally:
        connection.close()
    return round(time.perf_counter() - started, 3)


@dataclass(frozen=True)
class EngineOptions:
    engines: tuple[str, ...]
    sizes: list[Size]
    out_dir: Path
    cache_dir: Path
    project_dir: Path
    share: float
    seed: int
    interval: float


class EngineRun:
    """One engine at one size: prepare, load, full build, deliver, daily build."""

    def __init__(self, engine: str, size: Size, options: EngineOptions) -> None:
        self.engine = engine
        self.size = size
        self.options = options
        self.work = options.cache_dir / "runs" / f"{size.name}-{engine}"
        self.project = DbtProject(
            project_dir=options.project_dir,
            dbt_executable=DbtProject.locate(options.project_dir).dbt_executable,
            target=engine,
        )
        self.phases: dict[str, Phase] = {}
        self.delivered: list[Path] = []

    def dbt(self, name: str, extra: list[str]) -> Phase:
        log(f"  {self.engine} {name}: dbt build …")
        phase = run_phase(
            self.project,
            "build",
            self.work / name,
            self.work / "unused.duckdb",
            extra=extra,
            interval=self.options.interval,
            on_heartbeat=print_heartbeat,
        )
        self.phases[name] = phase
        log(phase_line(name, phase))
        return phase

    def prepare(self) -> dict[str, str]:
        """A clean engine; the variables its dbt target needs."""
        project_dir = self.options.project_dir
        if self.engine == "postgres":
            engine_script(project_dir, "postgres", "fresh")
        else:
            engine_script(project_dir, "spark", "setup")
            engine_script(project_dir, "spark", "clean")
        return parse_exports(engine_script(project_dir, self.engine, "env"))

    def load(self, layout: Path, *, increment: bool) -> tuple[list[str], float]:
        """The build's ``--vars`` and the seconds spent putting the layout where dbt reads it."""
        if self.engine == "postgres":
            tables = table_files(layout)
            if increment:
                delivered = {path.parent.name for path in self.delivered}
                tables = {
                    table: [path for path in self.delivered if path.parent.name == table]
                    for table in sorted(delivered)
                }
            seconds = postgres_load(
                tables, self.work / "csv", self.project.extra_env, create=not increment
            )
            raw_vars = {"input_mode": "warehouse", "raw_schema": RAW_SCHEMA}
            return ["--vars", json.dumps(raw_vars)], seconds
        export = self.work / "export"
        seconds = merge_tables(layout, export)
        return ["--vars", files_vars(export)], seconds

    def run(self) -> EngineResult:
        size, options = self.size, self.options
        log(f"{size.name} on {self.engine}: {size.deals:,} deals")
        export, generator = ensure_export(
            size, options.cache_dir, options.project_dir, options.seed
        )
        rows = input_stats(export)["rows"]
        layout, _ = ensure_layout(export, generator, options.share, options.project_dir)
        self.project = replace(self.project, extra_env=self.prepare())
        dbt_vars, load_s = self.load(layout, increment=False)
        log(f"  {self.engine} load: {fmt_seconds(load_s)}")
        full = self.dbt("full_build", dbt_vars)
        self.delivered = deliver_pending(layout)
        dbt_vars, increment_s = self.load(layout, increment=True)
        log(f"  {self.engine} load increment: {fmt_seconds(increment_s)}")
        since = late_window_start(self.delivered, lookback_days(options.project_dir))
        daily = self.dbt("incremental_build", daily_build_flags(dbt_vars, since))
        return EngineResult(
            engine=self.engine,
            size=size.name,
            deals=size.deals,
            input_rows=rows,
            measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
            project_version=project_version(options.project_dir),
            load_s=load_s,
            load_increment_s=increment_s,
            phases=self.phases,
            incremental_share=incremental_share(full, daily),
        )


def incremental_share(full: Phase, daily: Phase) -> float | None:
    """Daily build time / full build time, or None when either failed or took no time."""
    if full["exit_code"] != 0 or daily["exit_code"] != 0 or full["wall_s"] <= 0:
        return None
    return round(daily["wall_s"] / full["wall_s"], 4)


def duckdb_rows(results_json: Path) -> list[EngineResult]:
    """The DuckDB benchmark's sizes as rows of the same table (``build`` phases only)."""
    try:
        loaded = json.loads(results_json.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    rows: list[EngineResult] = []
    for size in loaded.get("sizes", []):
        phases = size.get("phases", {})
        full, daily = phases.get("full_build"), phases.get("incremental_build")
        if full is None or daily is None:
            continue
        rows.append(
            EngineResult(
                engine="duckdb",
                size=size["name"],
                deals=size["deals"],
                input_rows=size["input"]["rows"],
                measured_at=size["measured_at"],
                project_version=size.get("project_version", "unknown"),
                load_s=0.0,
                load_increment_s=0.0,
                phases={"full_build": full, "incremental_build": daily},
                incremental_share=incremental_share(full, daily),
            )
        )
    return rows


def _status(phase: Phase) -> str:
    if phase["exit_code"] == 0:
        return "ok"
    return f"**exit {phase['exit_code']}** ({len(phase['failed_nodes'])} nodes failed)"


def _row(result: EngineResult) -> list[str]:
    full, daily = result["phases"]["full_build"], result["phases"]["incremental_build"]
    share = result["incremental_share"]
    loads = (
        "files read in place"
        if result["engine"] == "duckdb"
        else f"{fmt_seconds(result['load_s'])} + {fmt_seconds(result['load_increment_s'])}"
    )
    return [
        result["engine"],
        result["size"],
        f"{result['deals']:,}",
        loads,
        fmt_seconds(full["wall_s"]),
        fmt_seconds(daily["wall_s"]),
        "—" if share is None else f"{share:.1%}",
        fmt_bytes(max(full["peak_rss_bytes"], daily["peak_rss_bytes"])),
        f"{_status(full)} / {_status(daily)}",
        result["project_version"],
    ]


def _slowest(result: EngineResult, phase: str) -> list[str]:
    lines = [f"#### {result['engine']} {result['size']}, {phase.replace('_', ' ')}", ""]
    lines += ["| node | type | time |", "|---|---|---:|"]
    for node in result["phases"][phase]["slowest"]:
        name = node["unique_id"].split(".")[-1]
        lines.append(f"| {name} | {node['resource_type']} | {node['execution_time_s']:.1f} s |")
    return [*lines, ""]


def render_markdown(results: Sequence[EngineResult], reference: Sequence[EngineResult]) -> str:
    """engines.md: one table of every engine and size, then each run's slowest nodes."""
    header = [
        "engine",
        "size",
        "deals",
        "load (full + increment)",
        "full build",
        "daily build",
        "daily / full",
        "peak (dbt process tree)",
        "status (full / daily)",
        "commit",
    ]
    sizes = {result["size"] for result in results}
    rows = [_row(item) for item in reference if item["size"] in sizes]
    rows += [_row(item) for item in results]
    lines = [
        "# The full and the daily build on each engine",
        "",
        "Generated by `python -m sales_kpi_warehouse.benchmark.engines` (docs/benchmark.md, "
        '"Other engines"). Data points without targets: the same export, the same 1 % '
        "held back and delivered, the same dbt commands as the DuckDB rows (from results.json). "
        "PostgreSQL's server memory is not in the peak; Spark's JVM is.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
        "## Slowest nodes",
        "",
    ]
    for result in results:
        lines += _slowest(result, "full_build") + _slowest(result, "incremental_build")
    return "\n".join(lines).rstrip() + "\n"


def load_previous(path: Path) -> list[EngineResult]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return list(loaded.get("results", [])) if isinstance(loaded, dict) else []


def write_results(out_dir: Path, results: list[EngineResult]) -> None:
    """engines.json (merged with earlier engine × size results) and engines.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fresh = {(item["engine"], item["size"]) for item in results}
    kept = [
        item
        for item in load_previous(out_dir / ENGINES_JSON)
        if (item["engine"], item["size"]) not in fresh
    ]
    merged = sorted([*kept, *results], key=lambda item: (item["deals"], item["engine"]))
    payload = {"generated_at": datetime.now(UTC).isoformat(timespec="seconds"), "results": merged}
    (out_dir / ENGINES_JSON).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    markdown = render_markdown(merged, duckdb_rows(out_dir / JSON_NAME))
    (out_dir / ENGINES_MARKDOWN).write_text(markdown, encoding="utf-8")


def parse_options(argv: Sequence[str] | None) -> EngineOptions:
    parser = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.benchmark.engines",
        description=(__doc__ or "").split("\n\n")[0],
    )
    add = parser.add_argument
    add("--engines", default=",".join(ENGINES), help="postgres, spark or postgres,spark")
    add("--sizes", default="S", help="sizes as in the DuckDB benchmark (default S)")
    add("--out", type=Path, default=None, help="results folder (default docs/benchmark-results)")
    add("--cache-dir", type=Path, default=None, help="data and run folders (default .bench)")
    add("--project-dir", type=Path, default=PROJECT_DIR, help="the dbt project (default: this one)")
    add("--share", type=float, default=0.01, help="share of event rows held back (0.01)")
    add("--seed", type=int, default=42, help="generator seed (42)")
    args = parser.parse_args(argv)
    engines = tuple(name.strip() for name in args.engines.split(",") if name.strip())
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown or not engines:
        msg = f"--engines takes {', '.join(ENGINES)} (got {args.engines!r})."
        raise SizeError(msg)
    project_dir: Path = args.project_dir.resolve()
    return EngineOptions(
        engines=engines,
        sizes=parse_sizes(args.sizes),
        out_dir=(args.out or project_dir / "docs" / "benchmark-results").resolve(),
        cache_dir=(args.cache_dir or project_dir / ".bench").resolve(),
        project_dir=project_dir,
        share=args.share,
        seed=args.seed,
        interval=DEFAULT_INTERVAL_S,
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        options = parse_options(argv)
        results: list[EngineResult] = []
        for size in options.sizes:
            for engine in options.engines:
                results.append(EngineRun(engine, size, options).run())
                write_results(options.out_dir, results)
    except (SizeError, FileNotFoundError, RuntimeError, psycopg2.Error) as error:
        print(f"benchmark.engines: error: {error}", file=sys.stderr)
        return 2
    print((options.out_dir / ENGINES_MARKDOWN).read_text(encoding="utf-8"))
    failed = [r for r in results if any(p["exit_code"] for p in r["phases"].values())]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
