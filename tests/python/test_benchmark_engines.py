"""Tests of the engine benchmark's pure parts (tools/sales_kpi_warehouse/benchmark/engines.py):
type mapping, the engine scripts' exports, the layout's tables, the merged single files, the
written table. The engine runs themselves are `make benchmark-engines`, not a test."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from test_benchmark import MACHINE, phase, size_result

from sales_kpi_warehouse.benchmark.analysis import GB
from sales_kpi_warehouse.benchmark.engines import (
    EngineResult,
    duckdb_rows,
    incremental_share,
    merge_tables,
    parse_exports,
    parse_options,
    postgres_type,
    render_markdown,
    table_files,
    write_results,
)
from sales_kpi_warehouse.benchmark.report import build_results, write_json
from sales_kpi_warehouse.benchmark.sizes import SizeError


@pytest.mark.parametrize(
    ("duckdb_type", "expected"),
    [
        ("VARCHAR", "text"),
        ("BIGINT", "bigint"),
        ("DECIMAL(18,2)", "numeric(18,2)"),
        ("DECIMAL(18, 2)", "numeric(18,2)"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("STRUCT(a INTEGER)", "text"),
    ],
)
def test_postgres_type_maps_duckdb_types(duckdb_type: str, expected: str) -> None:
    assert postgres_type(duckdb_type) == expected


def test_parse_exports_reads_the_engine_scripts_lines() -> None:
    text = "export DBT_PG_PORT=55432\nexport DBT_PG_USER=skw_build\n# a comment\nnoise=1\n"
    assert parse_exports(text) == {"DBT_PG_PORT": "55432", "DBT_PG_USER": "skw_build"}


def write_parquet(path: Path, values: list[int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = ", ".join(f"({value})" for value in values)
    with duckdb.connect() as con:
        con.execute(f"copy (select * from (values {rows}) as t(x)) to '{path}' (format parquet)")


def test_table_files_and_merge_give_one_file_per_table(tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    write_parquet(layout / "deals.parquet", [1, 2])
    write_parquet(layout / "activities" / "batch-0000.parquet", [1, 2, 3])
    write_parquet(layout / "activities" / "batch-0001.parquet", [4])
    write_parquet(layout / "_pending" / "activities" / "batch-0002.parquet", [5])
    tables = table_files(layout)
    assert sorted(tables) == ["activities", "deals"]
    assert [path.name for path in tables["activities"]] == [
        "batch-0000.parquet",
        "batch-0001.parquet",
    ]
    export = tmp_path / "export"
    merge_tables(layout, export)
    merge_tables(layout, export)  # re-merging replaces the files
    with duckdb.connect() as con:
        counts = {
            path.stem: con.execute(f"select count(*) from read_parquet('{path}')").fetchone()
            for path in sorted(export.iterdir())
        }
    assert counts == {"activities": (4,), "deals": (2,)}
    assert (export / "deals.parquet").is_symlink()


def test_incremental_share_is_empty_for_a_failed_build() -> None:
    assert incremental_share(phase(100.0, GB), phase(25.0, GB)) == 0.25
    assert incremental_share(phase(100.0, GB), phase(25.0, GB, exit_code=1)) is None


def engine_result(engine: str, size: str, full: float, daily: float) -> EngineResult:
    return EngineResult(
        engine=engine,
        size=size,
        deals=10_000,
        input_rows=300_000,
        measured_at="2026-12-07T00:00:00+00:00",
        project_version="abc",
        load_s=3.0,
        load_increment_s=0.5,
        phases={"full_build": phase(full, 2 * GB), "incremental_build": phase(daily, GB)},
        incremental_share=incremental_share(phase(full, GB), phase(daily, GB)),
    )


def test_results_merge_by_engine_and_size_and_quote_duckdb(tmp_path: Path) -> None:
    results = build_results([size_result("S", 10_000, 40.0)], MACHINE, "test", None)
    write_json(results, tmp_path)
    assert [row["engine"] for row in duckdb_rows(tmp_path / "results.json")] == ["duckdb"]
    write_results(tmp_path, [engine_result("spark", "S", 400.0, 100.0)])
    write_results(tmp_path, [engine_result("postgres", "S", 80.0, 40.0)])
    write_results(tmp_path, [engine_result("spark", "S", 300.0, 60.0)])  # replaces the first
    saved = json.loads((tmp_path / "engines.json").read_text(encoding="utf-8"))["results"]
    assert [(row["engine"], row["phases"]["full_build"]["wall_s"]) for row in saved] == [
        ("postgres", 80.0),
        ("spark", 300.0),
    ]
    markdown = (tmp_path / "engines.md").read_text(encoding="utf-8")
    table = [line for line in markdown.splitlines() if line.startswith("| duckdb")]
    assert table and "12.5%" in table[0]  # the fixture's daily build is 1/8 of the full one
    assert "| spark | S | 10,000 | 3.00 s + 0.50 s | 300.0 s | 60.0 s | 20.0%" in markdown


def test_markdown_shows_a_failed_build() -> None:
    failed = engine_result("postgres", "S", 80.0, 40.0)
    failed["phases"]["incremental_build"] = phase(40.0, GB, exit_code=1)
    failed["incremental_share"] = None
    markdown = render_markdown([failed], [])
    assert "ok / **exit 1** (1 nodes failed)" in markdown
    assert "| — |" in markdown


@pytest.mark.parametrize("engines", ["", "oracle", "postgres,duckdb"])
def test_engines_option_rejects_unknown_engines(engines: str) -> None:
    with pytest.raises(SizeError, match="--engines"):
        parse_options(["--engines", engines])
