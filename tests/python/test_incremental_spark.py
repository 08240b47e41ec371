"""The incremental = full-refresh proof on Spark (issue 25): the models that replace a slice of
their rows on DuckDB and PostgreSQL are partitioned by month on Spark, and an incremental run
overwrites the months the slice touches (insert_overwrite, macros/incremental/partition_rows.sql).

The demo export with the latest 1 % of each event table held back, built with an as-of date two
weeks earlier; then the whole export with the demo's as-of date, built incrementally; then a full
refresh of the same into another schema. Every staging and intermediate table of the selection
must be equal row for row (read from the Parquet files with DuckDB). Last, an as-of date moved
back past a stored month must stop the run with a message asking for --full-refresh.

Only the incremental models and what they read (`+<model>` for each) plus one mart rebuilt over
its table (dim_kpi), models and seeds only: one Spark process, three builds, ≈4 min.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import DEMO_DIR, SKIP_TESTS, difference_counts_sql
from test_connector_engines import check_environment

from sales_kpi_warehouse.batches import PENDING, hold_back

pytestmark = pytest.mark.engines

SPARK_INCREMENTAL_MODELS = (
    "int_activities_enriched",
    "int_deal_stage_transitions",
    "int_pipeline_daily",
    "int_lead_lifecycles",
    "int_deal_funnel_stages",
)
# and one contracted mart: its second build replaces an existing table, which runs dbt's grants
# step (`show grants` failed on a local Spark catalogue while the marts' grants config had a key)
REBUILT_MART = "dim_kpi"
SELECTION = ("-s", *(f"+{model}" for model in (*SPARK_INCREMENTAL_MODELS, REBUILT_MART)))
DEMO_AS_OF = "2026-10-31"
EARLIER_AS_OF = "2026-10-15"
COMPARED_LAYERS = ("staging", "intermediate")


def earlier_export(work: Path) -> Path:
    """The demo export with the latest 1 % of each event table held back, as plain files (the
    Spark files mode reads one file per table)."""
    layout = work / "layout"
    hold_back(DEMO_DIR, layout, share=0.01, fmt="csv")
    export = work / "earlier"
    export.mkdir()
    for entry in layout.iterdir():
        if entry.name == PENDING:
            continue
        source = entry / "batch-0000.csv" if entry.is_dir() else entry.resolve()
        shutil.copyfile(source, export / f"{entry.stem}.csv")
    return export


def build_step(schema: str, export: Path, as_of: str, *extra: str) -> dict[str, Any]:
    dbt_vars = {"input_mode": "files", "raw_path": str(export), "as_of_date": as_of}
    return {
        "dbt": ["build", *SELECTION, *SKIP_TESTS, *extra, "--vars", json.dumps(dbt_vars)],
        "env": {"DBT_SPARK_SCHEMA": schema},
    }


@dataclass(frozen=True)
class SparkRuns:
    work: Path
    steps: dict[str, dict[str, Any]]

    def folder(self, schema: str, layer: str, table: str) -> Path:
        return self.work / "warehouse" / f"{schema}_{layer}.db" / table

    def tables(self, schema: str) -> list[tuple[str, str]]:
        return sorted(
            (layer, table.name)
            for layer in COMPARED_LAYERS
            if (self.work / "warehouse" / f"{schema}_{layer}.db").is_dir()
            for table in (self.work / "warehouse" / f"{schema}_{layer}.db").iterdir()
            if any(table.rglob("*.parquet"))
        )


@pytest.fixture(scope="module")
def spark_runs(tmp_path_factory: pytest.TempPathFactory) -> SparkRuns:
    check_environment("spark")
    work = tmp_path_factory.mktemp("incremental_spark")
    moved_back = {"input_mode": "files", "raw_path": str(DEMO_DIR), "as_of_date": "2026-08-31"}
    steps = {
        "full": build_step("inc", earlier_export(work), EARLIER_AS_OF),
        "incremental": build_step("inc", DEMO_DIR, DEMO_AS_OF),
        "refresh": build_step("full", DEMO_DIR, DEMO_AS_OF, "--full-refresh"),
        "as_of_back": {
            "dbt": ["run", "-s", "int_activities_enriched", "--vars", json.dumps(moved_back)],
            "env": {"DBT_SPARK_SCHEMA": "inc"},
        },
    }
    plan = work / "plan.json"
    plan.write_text(
        json.dumps({"engine": "spark", "steps": list(steps.values()), "work": str(work)})
    )
    env = {
        **os.environ,
        "DBT_SPARK_WAREHOUSE_DIR": str(work / "warehouse"),
        "DBT_SPARK_METASTORE_DIR": str(work),
        "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    with (work / "output.log").open("wb") as output:
        finished = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("engine_runner.py")), str(plan),
             str(work / "result.json")],
            cwd=work, env=env, stdout=output, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
    if finished.returncode != 0:
        log = (work / "output.log").read_text(errors="replace")
        pytest.fail(f"the Spark plan failed (exit {finished.returncode}):\n{log[-6000:]}")
    results = json.loads((work / "result.json").read_text())
    return SparkRuns(work, dict(zip(steps, results, strict=True)))


def test_the_builds_succeed(spark_runs: SparkRuns) -> None:
    for name in ("full", "incremental", "refresh"):
        step = spark_runs.steps[name]
        assert step["success"], f"{name} build failed: {step['errors']}"
    print(
        "\n[incremental spark] "
        + ", ".join(f"{name}: {step['seconds']} s" for name, step in spark_runs.steps.items())
    )


def test_the_models_are_month_partitioned(spark_runs: SparkRuns) -> None:
    for model in SPARK_INCREMENTAL_MODELS:
        folder = spark_runs.folder("inc", "intermediate", model)
        months = [p.name for p in folder.iterdir() if p.is_dir()]
        assert len(months) > 12, f"{model}: {months}"
        assert all("_month=" in month for month in months), f"{model}: {months}"


def rewritten_months(folder: Path) -> tuple[list[str], int]:
    """The month partitions written after the first build (files ≥ 10 s younger than the
    oldest: the builds run a minute apart), and the number of months."""
    stamps = {
        month.name: max(f.stat().st_mtime for f in month.glob("*.parquet"))
        for month in folder.iterdir()
        if month.is_dir()
    }
    first_build = min(stamps.values())
    return sorted(name for name, stamp in stamps.items() if stamp > first_build + 10), len(stamps)


def test_the_increment_overwrote_only_the_months_it_touched(spark_runs: SparkRuns) -> None:
    found = {
        model: rewritten_months(spark_runs.folder("inc", "intermediate", model))
        for model in SPARK_INCREMENTAL_MODELS
    }
    counts = {model: (len(rewritten), months) for model, (rewritten, months) in found.items()}
    print(f"\n[incremental spark] months rewritten / months: {counts}")
    for model, (rewritten, months) in found.items():
        # the held-back events and the later as-of date fall in October 2026
        assert rewritten and rewritten[-1].endswith("=2026-10-01"), f"{model}: {rewritten}"
        assert len(rewritten) < months, f"{model}: every month rewritten"
    # activities and the pipeline are rebuilt from a date; a deal's stage changes span months
    assert len(found["int_activities_enriched"][0]) <= 2, found["int_activities_enriched"]
    assert len(found["int_pipeline_daily"][0]) <= 2, found["int_pipeline_daily"]


def test_incremental_equals_full_refresh_on_spark(spark_runs: SparkRuns) -> None:
    tables = spark_runs.tables("inc")
    assert tables == spark_runs.tables("full"), "the two builds hold different tables"
    assert {t for _, t in tables} >= set(SPARK_INCREMENTAL_MODELS)
    differing: dict[str, tuple[int, int]] = {}
    with duckdb.connect() as con:
        for layer, table in tables:
            left, right = (
                f"read_parquet('{spark_runs.folder(schema, layer, table)}/**/*.parquet',"
                " hive_partitioning = true)"
                for schema in ("inc", "full")
            )
            ((only_left, only_right, rows),) = con.sql(
                difference_counts_sql(f"select * from {left}", f"select * from {right}")
            ).fetchall()
            assert rows > 0 or table.startswith("base_crm__"), f"{layer}.{table} is empty"
            if only_left or only_right:
                differing[f"{layer}.{table}"] = (int(only_left), int(only_right))
    assert not differing, f"incremental and full-refresh tables differ: {differing}"


def test_an_as_of_date_moved_back_asks_for_a_full_refresh(spark_runs: SparkRuns) -> None:
    step = spark_runs.steps["as_of_back"]
    assert not step["success"]
    message = " ".join(step["errors"])
    assert "as-of date moved back" in message and "--full-refresh" in message, message
