"""Operational adversarial cases (issue "Nothing lost, nothing silent"): a `dbt build` killed with
SIGKILL halfway and run again, and builds started at the same time - on one warehouse file and on
two. Every build runs as its own `dbt` process, the way a scheduler runs it, and its warehouse is
compared table by table (EXCEPT ALL both ways) with a clean, uninterrupted build of the same
export.

Time: the data tests run once, in the rerun after the kill (the recovered data must pass them);
the other builds build models only - they test the file handling, not the data. Every build runs
in its own folder on a warehouse named `warehouse.duckdb` there (a relative DBT_DUCKDB_PATH), so
that all of them share one profile and one parse: the reference build's partial-parse file is
copied into each build's target folder, which saves a full parse (~20 s) per build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_ROOT, SKIP_TESTS, SKIP_UNIT_TESTS, generate

pytestmark = pytest.mark.dbt

DBT = Path(sys.executable).with_name("dbt")
WAREHOUSE = "warehouse.duckdb"
PARTIAL_PARSE = "partial_parse.msgpack"
# The build is killed once this share of its models has been built: past the incremental
# staging models, before the marts are all there.
KILL_AFTER_MODEL_SHARE = 2 / 3
TIMEOUT_S = 900
MODEL_BUILT = re.compile(r"\bOK created sql \S+ model\b")
MODELS_FOUND = re.compile(r"\bFound (\d+) models\b")


@dataclass(frozen=True)
class Export:
    path: Path
    manifest: dict[str, Any]

    @property
    def files_vars(self) -> dict[str, Any]:
        return {"input_mode": "files", "raw_path": str(self.path)}


@dataclass(frozen=True)
class DbtProcess:
    """A `dbt build` running as a subprocess (its own process group): target, logs and output
    in `work`, the warehouse `WAREHOUSE` in `warehouse_dir`."""

    process: subprocess.Popen[bytes]
    work: Path
    warehouse_dir: Path

    @property
    def warehouse(self) -> Path:
        return self.warehouse_dir / WAREHOUSE

    @property
    def output(self) -> str:
        return (self.work / "output.txt").read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the whole process group (no-op once dbt has exited) and reap it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)

    def wait(self) -> int:
        return self.process.wait(timeout=TIMEOUT_S)


def start_build(
    work: Path, warehouse_dir: Path, export: Export, *extra_args: str, parsed: Path | None = None
) -> DbtProcess:
    """Start `dbt build` of `export` into `warehouse_dir/WAREHOUSE`, reusing the partial-parse
    file `parsed` if given."""
    (work / "target").mkdir(parents=True)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    if parsed is not None:
        shutil.copyfile(parsed, work / "target" / PARTIAL_PARSE)
    env = {**os.environ, "DBT_DUCKDB_PATH": WAREHOUSE}  # relative to the process's cwd
    env.pop("DBT_DUCKDB_TEMP_DIRECTORY", None)  # the profile's default: next to the file
    cli = [
        str(DBT),
        "build",
        "--target",
        "duckdb",
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT / "profiles"),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--no-use-colors",
        "--vars",
        json.dumps(export.files_vars),
        *extra_args,
    ]
    with (work / "output.txt").open("wb") as output:
        process = subprocess.Popen(
            cli,
            cwd=warehouse_dir,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return DbtProcess(process, work, warehouse_dir)


@contextmanager
def killed_on_exit(*processes: DbtProcess) -> Iterator[None]:
    """Leave no dbt process behind, whether the test passes or fails."""
    try:
        yield
    finally:
        for process in processes:
            process.kill()


def wait_until(process: DbtProcess, condition: Callable[[str], bool], what: str) -> None:
    """Poll the output of a running dbt until `condition` holds; fail if dbt exits first."""
    deadline = time.monotonic() + TIMEOUT_S
    while not condition(process.output):
        if process.process.poll() is not None:
            pytest.fail(
                f"dbt exited ({process.process.returncode}) before {what}:\n{process.tail()}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} after {TIMEOUT_S} s:\n{process.tail()}")
        time.sleep(0.02)


def models_built_share(output: str) -> float:
    found = MODELS_FOUND.search(output)
    if found is None:
        return 0.0
    return len(MODEL_BUILT.findall(output)) / int(found.group(1))


def copy_warehouse(db_path: Path, copy: Path) -> Path:
    """Copy a warehouse as it lies on disk (with its write-ahead log), leaving it untouched."""
    shutil.copyfile(db_path, copy)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
    return copy


def tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    rows = con.sql(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = $catalog and table_type = 'BASE TABLE' order by all",
        params={"catalog": catalog},
    ).fetchall()
    return [(str(schema), str(name)) for schema, name in rows]


def differences(built: Path, reference: Path) -> dict[str, tuple[int, int, int, int]]:
    """Per table of `reference`: (rows only in `built`, rows only in `reference`, row count of
    `built`, row count of `reference`). Fails if the two warehouses hold different tables."""
    with duckdb.connect() as con:
        con.sql(f"attach '{built}' as built (read_only)")
        con.sql(f"attach '{reference}' as reference (read_only)")
        built_tables, reference_tables = tables(con, "built"), tables(con, "reference")
        assert built_tables == reference_tables, (
            f"tables missing from {built}: {set(reference_tables) - set(built_tables)};"
            f" tables only in it: {set(built_tables) - set(reference_tables)}"
        )
        assert len(reference_tables) > 40, f"only {len(reference_tables)} tables compared"
        found: dict[str, tuple[int, int, int, int]] = {}
        for schema, table in reference_tables:
            lhs, rhs = f'built."{schema}"."{table}"', f'reference."{schema}"."{table}"'
            ((only_built, only_reference, built_rows, reference_rows),) = con.sql(
                f"select (select count(*) from (from {lhs} except all from {rhs})),"
                f" (select count(*) from (from {rhs} except all from {lhs})),"
                f" (select count(*) from {lhs}), (select count(*) from {rhs})"
            ).fetchall()
            found[f"{schema}.{table}"] = (
                int(only_built),
                int(only_reference),
                int(built_rows),
                int(reference_rows),
            )
    return found


def assert_same_as_reference(built: Path, reference: Path) -> None:
    found = differences(built, reference)
    differing = {
        name: f"{only_built} rows only in {built}, {only_reference} only in the reference,"
        f" {built_rows} vs {reference_rows} rows"
        for name, (only_built, only_reference, built_rows, reference_rows) in found.items()
        if only_built or only_reference or built_rows != reference_rows
    }
    assert not differing, f"{built} differs from a clean build of the same export: {differing}"
    assert any(name.startswith("main_marts.") for name in found), "no mart compared"


def assert_nothing_lost_or_doubled(db_path: Path, export: Export) -> None:
    """raw = staged + rejected for every table, raw and staged as the generator wrote them."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        reconciliation = {
            str(row[0]): (int(row[1]), int(row[2]), int(row[3]))
            for row in con.sql(
                "select source_table, raw_rows, staged_rows, rejected_rows"
                " from main_data_quality.dq_row_reconciliation"
            ).fetchall()
        }
    for table, expected in export.manifest["tables"].items():
        raw, staged, rejected = reconciliation[table]
        assert (raw, staged, rejected) == (
            expected["raw_rows"],
            expected["expected_staged"],
            expected["raw_rows"] - expected["expected_staged"],
        ), f"{table}: raw, staged, rejected rows = {raw}, {staged}, {rejected}"


def incremental_models(run: DbtProcess) -> set[str]:
    manifest = json.loads((run.work / "target" / "manifest.json").read_text())
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    }


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Export:
    path = tmp_path_factory.mktemp("operations") / "export"
    manifest = generate(path, "--deals", "300", "--seed", "41", "--no-defects")
    return Export(path, manifest)


@dataclass(frozen=True)
class Reference:
    """The warehouse of a clean, uninterrupted build, and the partial-parse file of its run."""

    warehouse: Path
    parsed: Path


@pytest.fixture(scope="module")
def reference(export: Export, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    root = tmp_path_factory.mktemp("reference")
    run = start_build(root / "run", root / "warehouse", export, *SKIP_TESTS)
    with killed_on_exit(run):
        assert run.wait() == 0, f"the reference build failed:\n{run.tail()}"
    return Reference(run.warehouse, run.work / "target" / PARTIAL_PARSE)


def test_sigkill_mid_build_then_rerun_is_a_clean_build(
    export: Export, reference: Reference, tmp_path: Path
) -> None:
    """A build killed with SIGKILL halfway leaves a half-built warehouse; the next plain
    `dbt build` on it succeeds (data tests included) and gives exactly the clean build's tables:
    the incremental models built before the kill are updated, not appended to twice."""
    warehouse_dir = tmp_path / "warehouse"
    killed = start_build(
        tmp_path / "killed", warehouse_dir, export, *SKIP_TESTS, parsed=reference.parsed
    )
    with killed_on_exit(killed):
        wait_until(
            killed,
            lambda output: models_built_share(output) >= KILL_AFTER_MODEL_SHARE,
            f"{KILL_AFTER_MODEL_SHARE:.0%} of the models built",
        )
        os.killpg(killed.process.pid, signal.SIGKILL)
        assert killed.wait() == -signal.SIGKILL
    assert not (killed.work / "target" / "run_results.json").exists(), "the build had finished"

    # Demonstrably mid-build: incremental models are there, tables of the clean build are not.
    left_behind = copy_warehouse(killed.warehouse, tmp_path / "left_behind.duckdb")
    with duckdb.connect(str(left_behind)) as con:
        present = {name for _, name in tables(con, left_behind.stem)}
    with duckdb.connect(str(reference.warehouse), read_only=True) as con:
        expected = {name for _, name in tables(con, reference.warehouse.stem)}
    incremental = incremental_models(killed)
    assert incremental & present, f"no incremental model built before the kill: {sorted(present)}"
    assert expected - present, "every table was already built when the build was killed"

    # unit tests run on fixtures, not on the warehouse: the rerun skips only them
    rerun = start_build(
        tmp_path / "rerun", warehouse_dir, export, *SKIP_UNIT_TESTS, parsed=reference.parsed
    )
    with killed_on_exit(rerun):
        assert rerun.wait() == 0, f"the rerun after the kill failed:\n{rerun.tail()}"
    for model in incremental & present:
        sql = next((rerun.work / "target" / "run").rglob(f"{model}.sql")).read_text()
        assert "delete from" in sql, f"{model} was rebuilt, not run incrementally, in the rerun"
    assert_same_as_reference(rerun.warehouse, reference.warehouse)
    assert_nothing_lost_or_doubled(rerun.warehouse, export)


def test_concurrent_builds_on_one_file_one_wins_the_other_fails_cleanly(
    export: Export, reference: Reference, tmp_path: Path
) -> None:
    """Two builds started together on one DuckDB file: DuckDB's file lock lets one in; the other
    fails at its first connection, before writing anything, and says which file is locked. The
    warehouse left behind is the winner's complete build."""
    runs = [
        start_build(
            tmp_path / f"build_{n}",
            tmp_path / "warehouse",
            export,
            *SKIP_TESTS,
            parsed=reference.parsed,
        )
        for n in (1, 2)
    ]
    with killed_on_exit(*runs):
        codes = [run.wait() for run in runs]
    report = "\n".join(
        f"build {n} exited {code}:\n{run.tail(15)}"
        for n, (run, code) in enumerate(zip(runs, codes, strict=True), 1)
    )
    assert sorted(code == 0 for code in codes) == [False, True], report
    loser = next(run for run, code in zip(runs, codes, strict=True) if code != 0)
    # dbt-duckdb opens the configured path made absolute: the message names the very file.
    assert f'Could not set lock on file "{loser.warehouse}"' in loser.output, report
    assert not MODEL_BUILT.search(loser.output), f"the failed build wrote models:\n{report}"
    assert_same_as_reference(loser.warehouse, reference.warehouse)
    assert_nothing_lost_or_doubled(loser.warehouse, export)


def test_concurrent_builds_into_two_files_both_succeed(
    export: Export, reference: Reference, tmp_path: Path
) -> None:
    """Two builds at once from the same project directory into two warehouse files (own target
    paths) do not interfere: both succeed and both equal the clean build."""
    runs = [
        start_build(
            tmp_path / f"build_{n}",
            tmp_path / f"warehouse_{n}",
            export,
            *SKIP_TESTS,
            parsed=reference.parsed,
        )
        for n in (1, 2)
    ]
    with killed_on_exit(*runs):
        for run in runs:
            assert run.wait() == 0, f"a concurrent build into its own file failed:\n{run.tail()}"
    for run in runs:
        assert_same_as_reference(run.warehouse, reference.warehouse)
