"""Command line: ``python -m sales_kpi_warehouse.benchmark --sizes S,M,L``.

For each size: generate (or reuse) the Parquet export, lay it out with 1 % held back, time
``dbt parse``, the DuckDB floor and the DuckDB staging floor; then ``dbt seed`` + a full
``dbt run`` into a fresh DuckDB file, deliver the held-back 1 % and an incremental ``dbt run``;
hold the 1 % back again and do the same with ``dbt build`` in another fresh file. Results are
written after every size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from ..batches import EVENT_TABLES, deliver_pending
from ..dashboard.settings import project_var
from ..generator.config import DEFAULT_SEED, ConfigError
from .analysis import size_ratios
from .data import ensure_export, ensure_layout, input_stats
from .dbt_phases import DbtProject, files_vars, fresh_database, run_phase
from .floor import FloorSettings, run_floor
from .machine import machine_facts, project_version
from .measure import DEFAULT_INTERVAL_S
from .plot import write_plot
from .report import (
    JSON_NAME,
    MARKDOWN_NAME,
    PLOT_NAME,
    build_results,
    fmt_bytes,
    fmt_seconds,
    load_previous,
    load_previous_demo,
    merge_sizes,
    summary_lines,
    write_json,
    write_markdown,
)
from .schema import Floor, Generator, Input, Layout, Phase, Results, SizeResult
from .sizes import SIZES, Size, SizeError, parse_sizes
from .staging_floor import StagingFloorSettings, run_staging_floor

PROJECT_DIR = Path(__file__).resolve().parents[3]
#: Environment variables that change what is measured; recorded with every size.
SETTING_VARIABLES = ("DBT_THREADS", "DBT_DUCKDB_MEMORY_LIMIT", "DBT_DUCKDB_TEMP_DIRECTORY")

DESCRIPTION = """\
Benchmark the dbt project at sizes S (10k deals), M (1M) and L (10M) against a hand-written
DuckDB SQL floor (the headline KPIs) and staging floor (staging's work): time and peak memory
(whole process tree) of dbt parse, a full run, a full build, an incremental build after +1 %
data, and the ratios of issues 9 and 25. Writes results.json,
results.md and benchmark.png to --out. docs/benchmark.md explains the method."""


#: The two dbt commands timed per size, in order; --commands picks a subset (L takes hours).
COMMANDS = ("run", "build")


@dataclass(frozen=True)
class Options:
    sizes: list[Size]
    out_dir: Path
    cache_dir: Path
    project_dir: Path
    floor_repeats: int
    interval: float
    share: float
    seed: int
    demo: bool
    fresh: bool
    keep_databases: bool
    report_only: bool
    commands: tuple[str, ...] = COMMANDS
    incremental: bool = True


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def heartbeat(elapsed: float, rss: int) -> None:
    log(f"    … still running after {fmt_seconds(elapsed)}, process tree RSS {fmt_bytes(rss)}")


def phase_line(name: str, phase: Phase) -> str:
    status = "ok" if phase["exit_code"] == 0 else f"EXIT {phase['exit_code']}, see {phase['log']}"
    counts = ", ".join(f"{key} {value}" for key, value in sorted(phase["status_counts"].items()))
    detail = f" [{counts}]" if counts else ""
    return (
        f"  {name:<18} {fmt_seconds(phase['wall_s']):>12}  "
        f"peak {fmt_bytes(phase['peak_rss_bytes'])}  load {phase['load_average_1m']:.1f}  "
        f"{status}{detail}"
    )


#: ``env_var('NAME', 'default')`` in profiles.yml; the first one of a name is the DuckDB target's.
_ENV_VAR_DEFAULT = re.compile(r"env_var\('(?P<name>\w+)',\s*'(?P<default>[^']*)'\)")


def profile_defaults(profiles_yml: Path) -> dict[str, str]:
    """The literal default of each ``env_var`` in the profile (its first, DuckDB, occurrence)."""
    defaults: dict[str, str] = {}
    for match in _ENV_VAR_DEFAULT.finditer(profiles_yml.read_text(encoding="utf-8")):
        defaults.setdefault(match["name"], match["default"])
    return defaults


def settings_in_effect(environ: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
    """Each setting variable's value: set in the environment, else the profile's default
    (e.g. ``2.75GB (profile default)``), else ``profile default`` when it has no literal one."""
    return {
        name: environ.get(name)
        or (f"{defaults[name]} (profile default)" if name in defaults else "profile default")
        for name in SETTING_VARIABLES
    }


def _settings(project_dir: Path) -> dict[str, str]:
    defaults = profile_defaults(project_dir / "profiles" / "profiles.yml")
    return settings_in_effect(dict(os.environ), defaults)


def _python_env(project_dir: Path) -> dict[str, str]:
    paths = [str(project_dir / "tools"), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def lookback_days(project_dir: Path) -> int:
    """The project's late-arriving window: var incremental_lookback_days of its dbt_project.yml."""
    value = project_var("incremental_lookback_days", project_dir / "dbt_project.yml")
    if value is None:
        msg = f"{project_dir / 'dbt_project.yml'} sets no vars.incremental_lookback_days."
        raise ValueError(msg)
    return int(value)


def late_window_start(delivered: Sequence[Path], lookback_days: int) -> date:
    """The first day of the late-arriving window a daily run re-reads: the earliest event in the
    delivered batch files (``<table>/batch-*.parquet``) less the lookback days."""
    con: duckdb.DuckDBPyConnection = duckdb.connect()
    try:
        firsts: list[datetime] = []
        for path in delivered:
            column = EVENT_TABLES[path.parent.name]
            row = con.execute(
                f"select min(try_cast({column} as timestamp)) from read_parquet('{path}')"
            ).fetchone()
            if row is not None and isinstance(row[0], datetime):
                firsts.append(row[0])
    finally:
        con.close()
    if not firsts:
        msg = f"no parsable event time in the delivered files {[str(p) for p in delivered]}"
        raise ValueError(msg)
    return min(firsts).date() - timedelta(days=lookback_days)


def daily_build_flags(dbt_vars: list[str], since: date) -> list[str]:
    """The flags of a daily incremental ``dbt build``: the data tests that can be scoped check
    the periods from ``since`` (var test_since; a full build checks every row), and the unit
    tests, which test the SQL and not the data, are left to CI (dbt's advice for production
    runs)."""
    options, raw_vars = dbt_vars
    scoped = {**json.loads(raw_vars), "test_since": since.isoformat()}
    return [options, json.dumps(scoped), "--exclude-resource-type", "unit_test"]


#: Disk a warehouse takes per byte of Parquet input (measured at M: 4.5 GB for 0.29 GB).
WAREHOUSE_BYTES_PER_INPUT_BYTE = 16


def warn_about_disk(work: Path, input_bytes: int, keep_databases: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    needed = WAREHOUSE_BYTES_PER_INPUT_BYTE * input_bytes * (2 if keep_databases else 1)
    free = shutil.disk_usage(work).free
    if free < needed:
        log(
            f"  warning: {fmt_bytes(free)} free in {work}, a warehouse of this size needs about "
            f"{fmt_bytes(needed)} (plus DuckDB's spill files); free some space or use --cache-dir"
        )


class SizeRun:
    """The measurements of one size, in the order they are taken."""

    def __init__(self, size: Size, options: Options, project: DbtProject) -> None:
        self.size = size
        self.options = options
        self.project = project
        self.work = options.cache_dir / "runs" / size.name
        self.phases: dict[str, Phase] = {}

    def dbt(self, name: str, verb: str, db_path: Path, extra: list[str]) -> None:
        log(f"  {name}: dbt {verb} …")
        phase = run_phase(
            self.project,
            verb,
            self.work / name,
            db_path,
            extra=extra,
            interval=self.options.interval,
            on_heartbeat=heartbeat,
        )
        self.phases[name] = phase
        log(phase_line(name, phase))

    def inputs(self) -> tuple[Path, Generator, Input, Layout]:
        """The cached (or new) export, its size, and its layout with 1 % held back."""
        size, options = self.size, self.options
        export, generator = ensure_export(
            size, options.cache_dir, options.project_dir, options.seed
        )
        how = "cached" if generator["cached"] else "generated"
        took = f"{fmt_seconds(generator['wall_s'])}, peak {fmt_bytes(generator['peak_rss_bytes'])}"
        log(f"  export {how}: {export} ({took})")
        inputs = input_stats(export)
        layout_dir, layout = ensure_layout(export, generator, options.share, options.project_dir)
        held = sum(layout["held_back_rows"].values())
        log(f"  input {fmt_bytes(inputs['bytes'])}, {inputs['rows']:,} rows; {held:,} held back")
        return layout_dir, generator, inputs, layout

    def floor(self, layout_dir: Path) -> Floor:
        log("  floor: floor.sql with duckdb …")
        options = self.options
        settings = FloorSettings(layout_dir, options.project_dir / "seeds" / "config")
        env = _python_env(options.project_dir)
        floor = run_floor(settings, self.work / "floor", env, options.floor_repeats)
        status = "ok" if floor["exit_code"] == 0 else f"FAILED, see {floor['log']}"
        log(
            f"  {'floor':<18} {fmt_seconds(floor['wall_s']):>12}  "
            f"peak {fmt_bytes(floor['peak_rss_bytes'])}  {status} (runs {floor['walls_s']})"
        )
        return floor

    def staging_floor(self, layout_dir: Path) -> Floor:
        """staging_floor.sql over the same layout: staging's work by hand, timed like the floor."""
        log("  staging floor: staging_floor.sql with duckdb …")
        options = self.options
        settings = StagingFloorSettings(layout_dir, options.project_dir / "seeds" / "config")
        env = _python_env(options.project_dir)
        work = self.work / "staging_floor"
        staging = run_staging_floor(settings, work, env, options.floor_repeats)
        status = "ok" if staging["exit_code"] == 0 else f"FAILED, see {staging['log']}"
        log(
            f"  {'staging floor':<18} {fmt_seconds(staging['wall_s']):>12}  "
            f"peak {fmt_bytes(staging['peak_rss_bytes'])}  {status} (runs {staging['walls_s']})"
        )
        return staging

    def chain(self, layout_dir: Path, verb: str, db_path: Path, dbt_vars: list[str]) -> None:
        """Full ``verb`` into a fresh file, deliver the held-back 1 %, incremental ``verb``.

        ``dbt run`` needs the mapping seeds first (timed as ``seed``); ``dbt build`` loads them.
        """
        fresh_database(db_path)
        if verb == "run":
            self.dbt("seed", "seed", db_path, dbt_vars)
        self.dbt(f"full_{verb}", verb, db_path, dbt_vars)
        if not self.options.incremental:
            return
        delivered = deliver_pending(layout_dir)
        share = f"{self.options.share:.0%}"
        log(f"  delivered {len(delivered)} held-back batch files (≈{share} new event rows)")
        extra = dbt_vars
        if verb == "build":
            since = late_window_start(delivered, lookback_days(self.options.project_dir))
            extra = daily_build_flags(dbt_vars, since)
            log(
                f"  daily build: data tests scoped from {since} (test_since), unit tests left to CI"
            )
        self.dbt(f"incremental_{verb}", verb, db_path, extra)

    def run(self) -> SizeResult:
        size, options = self.size, self.options
        log(f"{size.name}: {size.deals:,} deals")
        load, cores = os.getloadavg()[0], os.cpu_count() or 1
        if load > 0.5 * cores:
            log(f"  warning: load average {load:.1f} on {cores} cores; other work skews the times")
        layout_dir, generator, inputs, layout = self.inputs()
        warn_about_disk(self.work, inputs["bytes"], options.keep_databases)
        dbt_vars = ["--vars", files_vars(layout_dir)]
        self.dbt("parse", "parse", self.work / "run.duckdb", ["--no-partial-parse", *dbt_vars])
        floor = self.floor(layout_dir)
        staging_floor = self.staging_floor(layout_dir)
        for verb in options.commands:
            # hold the 1 % back (again): moves delivered batch files back to _pending/
            ensure_layout(
                layout_dir.parent / "export", generator, options.share, options.project_dir
            )
            self.chain(layout_dir, verb, self.work / f"{verb}.duckdb", dbt_vars)
            if not options.keep_databases:
                fresh_database(self.work / f"{verb}.duckdb")
        if not options.keep_databases:
            fresh_database(self.work / "floor" / "floor.duckdb")
            fresh_database(self.work / "staging_floor" / "staging_floor.duckdb")
        return SizeResult(
            name=size.name,
            deals=size.deals,
            measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
            machine=machine_facts(),
            settings=_settings(options.project_dir),
            input=inputs,
            generator=generator,
            layout=layout,
            phases=self.phases,
            floor=floor,
            staging_floor=staging_floor,
            ratios=size_ratios(self.phases, floor, inputs["bytes"], staging_floor),
            project_version=project_version(options.project_dir),
        )


def run_demo(options: Options, project: DbtProject) -> Phase:
    """``dbt build`` of the demo seeds into a fresh file (what ``make build`` does)."""
    work = options.cache_dir / "runs" / "demo"
    log("demo: dbt build of the demo seeds (make build) …")
    phase = run_phase(
        project,
        "build",
        work / "build",
        fresh_database(work / "demo.duckdb"),
        extra=[],
        interval=options.interval,
        on_heartbeat=heartbeat,
    )
    log(phase_line("demo build", phase))
    return phase


def write_all(
    options: Options, sizes: list[SizeResult], demo: Phase | None, command: str
) -> Results:
    """Merge with the earlier results.json (unless --fresh) and write JSON, markdown, plot."""
    previous = [] if options.fresh else load_previous(options.out_dir / JSON_NAME)
    if demo is None and not options.fresh:
        demo = load_previous_demo(options.out_dir / JSON_NAME)
    results = build_results(merge_sizes(previous, sizes), machine_facts(), command, demo)
    write_json(results, options.out_dir)
    write_markdown(results, options.out_dir)
    write_plot(results, options.out_dir, PLOT_NAME)
    return results


def report_only(options: Options) -> int:
    """Re-write results.md and the plot from results.json (after a change to the report)."""
    path = options.out_dir / JSON_NAME
    sizes = load_previous(path)
    if not sizes:
        msg = f"{path} is missing or of another schema version; run the benchmark first."
        raise FileNotFoundError(msg)
    loaded = json.loads(path.read_text(encoding="utf-8"))
    results = build_results(sizes, loaded["machine"], loaded["command"], loaded.get("demo"))
    results["generated_at"] = loaded["generated_at"]
    write_json(results, options.out_dir)
    write_markdown(results, options.out_dir)
    write_plot(results, options.out_dir, PLOT_NAME)
    print("\n".join(summary_lines(results)))
    return 0


def run(options: Options, command: str) -> int:
    project = DbtProject.locate(options.project_dir)
    started = time.perf_counter()
    demo = run_demo(options, project) if options.demo else None
    measured: list[SizeResult] = []
    results = None
    for size in options.sizes:
        measured.append(SizeRun(size, options, project).run())
        results = write_all(options, measured, demo, command)
        log(f"  results written to {options.out_dir}")
    if results is None:
        results = write_all(options, measured, demo, command)
    log(f"done in {fmt_seconds(time.perf_counter() - started)}")
    print("\n".join(summary_lines(results)))
    print(f"\nWrote {options.out_dir}/{JSON_NAME}, {MARKDOWN_NAME} and {PLOT_NAME}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.benchmark",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    known = ", ".join(f"{name}={deals:,}" for name, deals in SIZES.items())
    add("--sizes", default="S,M,L", help=f"comma-separated sizes ({known}) or NAME=DEALS")
    add("--out", type=Path, default=None, help="results folder (default docs/benchmark-results)")
    add("--cache-dir", type=Path, default=None, help="data and run folders (default .bench)")
    add("--project-dir", type=Path, default=PROJECT_DIR, help="the dbt project (default: this one)")
    add("--floor-repeats", type=int, default=3, help="runs of the floor; median reported (3)")
    add("--interval", type=float, default=DEFAULT_INTERVAL_S, help="memory sampling period (s)")
    add("--share", type=float, default=0.01, help="share of event rows held back (0.01)")
    add("--seed", type=int, default=DEFAULT_SEED, help=f"generator seed ({DEFAULT_SEED})")
    add("--no-demo", dest="demo", action="store_false", help="skip the timed demo build")
    add("--fresh", action="store_true", help="drop the sizes of an earlier results.json")
    add("--keep-databases", action="store_true", help="keep the DuckDB files of each size")
    add(
        "--commands",
        default=",".join(COMMANDS),
        help="dbt commands to time, full then incremental: run, build or run,build (default)",
    )
    add(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="time the full commands only (no +1 %% delivery and incremental rerun)",
    )
    add(
        "--report-only", action="store_true", help="only re-write results.md/.png from results.json"
    )
    return parser


def parse_options(argv: Sequence[str] | None) -> Options:
    args = build_parser().parse_args(argv)
    project_dir: Path = args.project_dir.resolve()
    if not 0 < args.share < 1:
        msg = f"--share must be between 0 and 1 (got {args.share}); 0.01 is the issue's 1 %."
        raise SizeError(msg)
    commands = tuple(name.strip() for name in args.commands.split(",") if name.strip())
    unknown = sorted(set(commands) - set(COMMANDS))
    if unknown or not commands:
        msg = f"--commands takes run, build or run,build (got {args.commands!r})."
        raise SizeError(msg)
    return Options(
        commands=tuple(name for name in COMMANDS if name in commands),
        incremental=args.incremental,
        sizes=parse_sizes(args.sizes),
        out_dir=(args.out or project_dir / "docs" / "benchmark-results").resolve(),
        cache_dir=(args.cache_dir or project_dir / ".bench").resolve(),
        project_dir=project_dir,
        floor_repeats=max(1, args.floor_repeats),
        interval=max(0.05, args.interval),
        share=args.share,
        seed=args.seed,
        demo=args.demo,
        fresh=args.fresh,
        keep_databases=args.keep_databases,
        report_only=args.report_only,
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = " ".join(["python -m sales_kpi_warehouse.benchmark", shlex.join(arguments)]).strip()
    try:
        options = parse_options(arguments)
        return report_only(options) if options.report_only else run(options, command)
    except (SizeError, ConfigError, FileNotFoundError, RuntimeError) as error:
        print(f"benchmark: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("benchmark: interrupted; finished sizes are in the results folder.", file=sys.stderr)
        return 130
