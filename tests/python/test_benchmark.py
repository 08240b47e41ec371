"""Tests of the benchmark's pure parts (tools/sales_kpi_warehouse/benchmark): sizes, ratios,
growth exponents, target checks, run_results parsing and the written results. Nothing here
is timed; the benchmark itself runs with `make benchmark`."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import duckdb
import psutil
import pytest
from conftest import PROJECT_ROOT

from sales_kpi_warehouse.benchmark.analysis import (
    GB,
    check_targets,
    growth,
    growth_exponent,
    ratio,
    size_ratios,
)
from sales_kpi_warehouse.benchmark.cli import (
    daily_build_flags,
    late_window_start,
    lookback_days,
    parse_options,
    profile_defaults,
    settings_in_effect,
)
from sales_kpi_warehouse.benchmark.data import _restore_pending
from sales_kpi_warehouse.benchmark.dbt_phases import (
    read_run_results,
    staging_seconds,
    summarise_nodes,
)
from sales_kpi_warehouse.benchmark.floor import raw_files
from sales_kpi_warehouse.benchmark.machine import project_version
from sales_kpi_warehouse.benchmark.measure import high_water_mark, tree_memory
from sales_kpi_warehouse.benchmark.plot import write_plot
from sales_kpi_warehouse.benchmark.report import (
    build_results,
    fmt_bytes,
    fmt_seconds,
    load_previous,
    load_previous_demo,
    merge_sizes,
    render_markdown,
    write_json,
    write_markdown,
)
from sales_kpi_warehouse.benchmark.schema import Floor, Machine, NodeTiming, Phase, SizeResult
from sales_kpi_warehouse.benchmark.sizes import Size, SizeError, parse_sizes

MACHINE = Machine(
    cpu="Test CPU",
    cores_logical=2,
    cores_physical=1,
    ram_bytes=24 * 2**30,
    os="Linux-test",
    python="3.11.9",
    duckdb="2.0.0",
    dbt_core="1.11.16",
    dbt_duckdb="1.11.1",
)


def phase(wall: float, peak: float, exit_code: int = 0) -> Phase:
    return Phase(
        wall_s=wall,
        peak_rss_bytes=int(peak),
        peak_rss_sampled_bytes=int(peak),
        max_process_rss_bytes=int(peak),
        samples=10,
        exit_code=exit_code,
        log="dbt.out",
        load_average_1m=0.5,
        command="dbt build",
        status_counts={"success": 3} if exit_code == 0 else {"success": 2, "fail": 1},
        failed_nodes=[] if exit_code == 0 else ["test.p.some_test"],
        nodes_execution_s=wall / 2,
        slowest=[
            {
                "unique_id": "model.p.kpi_team_performance",
                "resource_type": "model",
                "status": "success",
                "execution_time_s": wall / 4,
            }
        ],
        database_bytes=1000,
    )


def floor(wall: float, peak: float) -> Floor:
    return Floor(
        wall_s=wall,
        walls_s=[wall],
        sql_s=wall - 0.2,
        peak_rss_bytes=int(peak),
        duckdb_peak_bytes=int(peak / 2),
        result_rows=100,
        exit_code=0,
        log="floor-1.log",
        load_average_1m=0.5,
    )


def size_result(
    name: str, deals: int, build: float, *, build_exit: int = 0, peak: float = 1 * GB
) -> SizeResult:
    phases = {
        "parse": phase(5.0, 0.2 * GB),
        "seed": phase(6.0, 0.2 * GB),
        "full_run": phase(build / 2, peak / 2),
        "full_build": phase(build, peak, build_exit),
        "incremental_run": phase(build / 20, peak / 4),
        "incremental_build": phase(build / 8, peak / 3),
    }
    the_floor = floor(build / 10, 0.5 * GB)
    input_bytes = deals * 280
    return SizeResult(
        name=name,
        deals=deals,
        measured_at="2026-11-23T00:00:00+00:00",
        machine=MACHINE,
        settings={"DBT_THREADS": "profile default"},
        input={"bytes": input_bytes, "rows": deals * 22, "tables": {}},
        generator={
            "options": {"deals": deals},
            "cached": True,
            "wall_s": 1.0,
            "peak_rss_bytes": 100,
            "generated_at": "2026-11-23T00:00:00+00:00",
        },
        layout={
            "wall_s": 0.5,
            "cached": False,
            "share": 0.01,
            "held_back_rows": {},
            "peak_rss_bytes": 0,
        },
        phases=phases,
        floor=the_floor,
        ratios=size_ratios(phases, the_floor, input_bytes),
    )


# ---- sizes -------------------------------------------------------------------------------------


def test_parse_sizes_sorts_known_and_custom_sizes() -> None:
    assert parse_sizes("L,s,M2=2_000_000,M") == [
        Size("S", 10_000),
        Size("M", 1_000_000),
        Size("M2", 2_000_000),
        Size("L", 10_000_000),
    ]


@pytest.mark.parametrize("text", ["", "XXL", "X=lots", "X=10"])
def test_parse_sizes_rejects_what_it_cannot_use(text: str) -> None:
    with pytest.raises(SizeError):
        parse_sizes(text)


def test_commands_option_picks_and_orders_the_timed_commands() -> None:
    default = parse_options(["--sizes", "S"])
    assert (default.commands, default.incremental) == (("run", "build"), True)
    only = parse_options(["--sizes", "L", "--commands", "build, run", "--no-incremental"])
    assert (only.commands, only.incremental) == (("run", "build"), False)
    assert parse_options(["--commands", "run"]).commands == ("run",)


@pytest.mark.parametrize("text", ["", "test", "run,seed"])
def test_commands_option_rejects_unknown_commands(text: str) -> None:
    with pytest.raises(SizeError, match="--commands"):
        parse_options(["--commands", text])


# ---- ratios and exponents ----------------------------------------------------------------------


def test_settings_record_the_profile_default_when_the_variable_is_unset() -> None:
    defaults = profile_defaults(PROJECT_ROOT / "profiles" / "profiles.yml")
    # the DuckDB target's defaults, not the PostgreSQL target's DBT_THREADS 2 further down
    assert defaults["DBT_THREADS"] == "1"
    assert defaults["DBT_DUCKDB_MEMORY_LIMIT"].endswith("GB")
    settings = settings_in_effect({"DBT_THREADS": "2"}, defaults)
    assert settings == {
        "DBT_THREADS": "2",
        "DBT_DUCKDB_MEMORY_LIMIT": f"{defaults['DBT_DUCKDB_MEMORY_LIMIT']} (profile default)",
        # its default is another env_var, not a literal
        "DBT_DUCKDB_TEMP_DIRECTORY": "profile default",
    }


def test_daily_build_scopes_tests_to_the_late_window(tmp_path: Path) -> None:
    """The daily build's test_since is the earliest delivered event less the lookback days (an
    unparsable time is skipped), and it leaves the unit tests to CI."""
    delivered = []
    for table, column, times in (
        ("activities", "started_at", ["2026-10-20 09:00:00", "not a time"]),
        ("deal_stage_history", "entered_at", ["2026-10-18 23:00:00", "2026-10-30 10:00:00"]),
    ):
        (tmp_path / table).mkdir()
        path = tmp_path / table / "batch-0001.parquet"
        values = " union all ".join(f"select '{t}' as {column}" for t in times)
        duckdb.sql(f"copy ({values}) to '{path}' (format parquet)")
        delivered.append(path)
    window = lookback_days(PROJECT_ROOT)
    assert window == 3, "the test's dates assume the shipped window"
    since = late_window_start(delivered, window)
    assert str(since) == "2026-10-15"
    flags = daily_build_flags(["--vars", json.dumps({"input_mode": "files"})], since)
    assert flags[2:] == ["--exclude-resource-type", "unit_test"]
    assert json.loads(flags[1]) == {"input_mode": "files", "test_since": "2026-10-15"}


def test_ratio_handles_missing_and_zero() -> None:
    assert ratio(30.0, 10.0) == 3.0
    assert ratio(None, 10.0) is None
    assert ratio(1.0, 0.0) is None


def test_growth_exponent_is_one_for_linear_and_two_for_quadratic() -> None:
    assert growth_exponent(10.0, 100.0, 1_000, 10_000) == 1.0
    assert growth_exponent(1.0, 100.0, 1_000, 10_000) == 2.0
    assert growth_exponent(50.0, 400.0, 1_000_000, 10_000_000) == round(math.log10(8), 3)
    assert growth_exponent(0.0, 1.0, 1, 10) is None
    assert growth_exponent(1.0, 2.0, 10, 10) is None


def test_size_ratios() -> None:
    size = size_result("M", 1_000_000, 100.0)
    assert size["ratios"]["run_vs_floor"] == 5.0
    assert size["ratios"]["build_vs_floor"] == 10.0
    assert size["ratios"]["incremental_build_vs_full_build"] == 0.125
    assert size["ratios"]["incremental_run_vs_full_run"] == 0.1
    assert size["ratios"]["build_peak_per_input_byte"] == round(GB / 280_000_000, 4)
    assert size["ratios"]["warehouse_per_input_byte"] == round(1000 / 280_000_000, 4)


def test_size_ratios_without_a_floor_leave_floor_ratios_empty() -> None:
    size = size_result("M", 1_000_000, 100.0)
    failed = floor(0.0, 0.0)
    failed["exit_code"] = 1
    ratios = size_ratios(size["phases"], failed, 1000)
    assert ratios["run_vs_floor"] is None
    assert ratios["incremental_build_vs_full_build"] == 0.125


def test_staging_ratios_compare_staging_models_and_the_build_with_the_floors() -> None:
    size = size_result("M", 1_000_000, 100.0)
    size["phases"]["full_build"]["staging_models_s"] = 30.0
    staging = floor(12.0, 0.4 * GB)
    ratios = size_ratios(size["phases"], size["floor"], 1000, staging)
    assert ratios["staging_vs_staging_floor"] == 2.5  # 30 s / 12 s
    assert ratios["build_vs_floors"] == round(100.0 / (12.0 + 10.0), 4)
    assert size_ratios(size["phases"], size["floor"], 1000)["build_vs_floors"] is None
    staging["exit_code"] = 1
    assert size_ratios(size["phases"], size["floor"], 1000, staging)["build_vs_floors"] is None


def test_staging_seconds_sum_the_staging_models_only() -> None:
    nodes = [
        NodeTiming(unique_id=uid, resource_type=uid.split(".")[0], status="success",
                   execution_time_s=seconds)
        for uid, seconds in [
            ("model.p.base_crm__deals", 2.0), ("model.p.stg_crm__deals", 0.5),
            ("model.p.rejected_rows", 0.25), ("model.p.int_deals", 9.0),
            ("test.p.not_null_stg_crm__deals_deal_id.abc", 7.0), ("seed.p.map_deal_stages", 1.0),
        ]
    ]  # fmt: skip
    assert staging_seconds(nodes) == 2.75


def test_growth_pairs_consecutive_sizes() -> None:
    sizes = [size_result("L", 10_000_000, 800.0), size_result("M", 1_000_000, 100.0)]
    (only,) = growth(sizes)
    assert (only["from_size"], only["to_size"]) == ("M", "L")
    assert only["exponents"]["full_build_time"] == round(math.log10(8), 3)
    assert only["exponents"]["parse_time"] == 0.0


# ---- targets -----------------------------------------------------------------------------------


def test_targets_at_l_pass_or_miss() -> None:
    sizes = [
        size_result("M", 1_000_000, 100.0),
        size_result("L", 10_000_000, 1500.0, peak=5 * GB),
    ]
    checks = {check["key"]: check for check in check_targets(sizes, growth(sizes))}
    assert checks["run_vs_floor"]["status"] == "miss"  # 5× > 4×
    assert checks["build_vs_floor"]["status"] == "miss"  # 10× > 8×
    assert checks["build_peak_bytes"]["status"] == "miss"
    assert checks["incremental_vs_full"]["status"] == "miss"  # 12.5 % > 10 %
    assert checks["growth_exponent"]["status"] == "miss"  # log10(15) ≈ 1.18
    assert checks["growth_exponent"]["measured_at"] == "M→L"
    assert all(check["measured_at"] in {"L", "M→L"} for check in checks.values())


def test_targets_without_l_are_previews_at_the_largest_size() -> None:
    sizes = [size_result("S", 10_000, 10.0, build_exit=1), size_result("M", 1_000_000, 20.0)]
    checks = {check["key"]: check for check in check_targets(sizes, growth(sizes))}
    assert checks["build_peak_bytes"]["status"] == "preview: pass"
    assert checks["build_peak_bytes"]["measured_at"] == "M"
    assert "target is for L" in checks["build_peak_bytes"]["note"]
    assert checks["growth_exponent"]["status"] == "preview: pass"
    assert checks["growth_exponent"]["measured_at"] == "S→M"


def test_targets_note_a_failed_phase() -> None:
    sizes = [size_result("L", 10_000_000, 100.0, build_exit=1)]
    checks = {check["key"]: check for check in check_targets(sizes, growth(sizes))}
    assert "full_build exited 1" in checks["build_vs_floor"]["note"]
    assert checks["growth_exponent"]["status"] == "not measured"


# ---- dbt run_results ---------------------------------------------------------------------------


def test_run_results_give_counts_failures_and_slowest(tmp_path: Path) -> None:
    results = [
        {"unique_id": f"model.p.m{i}", "status": "success", "execution_time": float(i)}
        for i in range(12)
    ]
    results.append({"unique_id": "test.p.t", "status": "fail", "execution_time": 0.5})
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"results": results}), encoding="utf-8")
    counts, failed, total, slowest = summarise_nodes(read_run_results(path), top=3)
    assert counts == {"success": 12, "fail": 1}
    assert failed == ["test.p.t"]
    assert total == 66.5
    assert [node["unique_id"] for node in slowest] == ["model.p.m11", "model.p.m10", "model.p.m9"]
    assert slowest[0]["resource_type"] == "model"
    assert read_run_results(tmp_path / "missing.json") == []


# ---- memory readings (not timed) ---------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_memory_readings_of_this_process() -> None:
    process = psutil.Process(os.getpid())
    own_hwm, own_rss = high_water_mark(process.pid), process.memory_info().rss
    rss, hwm = tree_memory(process)
    # The tree's RSS is a sum over this process and any children (so it may exceed any one
    # process's high-water mark); its high-water mark is the largest, never below ours read
    # before it (VmHWM only grows).
    assert 0 < own_hwm <= hwm
    assert rss >= own_rss // 2  # our own RSS is in the sum (it may shrink a little in between)
    assert high_water_mark(-1) == 0


# ---- files -------------------------------------------------------------------------------------


def test_raw_files_finds_the_file_and_the_batch_folder(tmp_path: Path) -> None:
    (tmp_path / "deals.parquet").touch()
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "batch-0000.parquet").touch()
    assert raw_files(tmp_path, "deals") == [str(tmp_path / "deals.parquet")]
    assert raw_files(tmp_path, "activities") == [str(tmp_path / "activities" / "*.parquet")]
    with pytest.raises(FileNotFoundError, match="reps"):
        raw_files(tmp_path, "reps")


def test_restore_pending_moves_delivered_batches_back(tmp_path: Path) -> None:
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "batch-0001.parquet").write_text("x", encoding="utf-8")
    assert _restore_pending(tmp_path, ["activities/batch-0001.parquet"])
    assert (tmp_path / "_pending" / "activities" / "batch-0001.parquet").is_file()
    assert not (tmp_path / "activities" / "batch-0001.parquet").exists()
    assert _restore_pending(tmp_path, ["activities/batch-0001.parquet"])  # already pending
    assert not _restore_pending(tmp_path, ["email_events/batch-0001.parquet"])


# ---- results.json, results.md, the plot -------------------------------------------------------


def test_results_round_trip_and_merge(tmp_path: Path) -> None:
    first = build_results([size_result("S", 10_000, 10.0)], MACHINE, "bench --sizes S", None)
    write_json(first, tmp_path)
    previous = load_previous(tmp_path / "results.json")
    assert previous == first["sizes"]
    merged = merge_sizes(previous, [size_result("M", 1_000_000, 50.0)])
    assert [size["name"] for size in merged] == ["S", "M"]
    remeasured = merge_sizes(merged, [size_result("S", 10_000, 99.0)])
    assert [size["phases"]["full_build"]["wall_s"] for size in remeasured] == [99.0, 50.0]
    (tmp_path / "results.json").write_text('{"schema_version": 0}', encoding="utf-8")
    assert load_previous(tmp_path / "results.json") == []


def test_remeasuring_other_commands_keeps_the_earlier_phases() -> None:
    earlier = size_result("L", 10_000_000, 700.0)
    for name in ("full_build", "incremental_run", "incremental_build"):
        del earlier["phases"][name]
    builds_only = size_result("L", 10_000_000, 900.0)
    del builds_only["phases"]["full_run"]
    builds_only["measured_at"] = "2026-12-05T00:00:00+00:00"
    (merged,) = merge_sizes([earlier], [builds_only])
    assert merged["phases"]["full_run"] == earlier["phases"]["full_run"]
    assert merged["phases"]["full_build"]["wall_s"] == 900.0
    assert merged["carried_over"] == {"full_run": "2026-11-23T00:00:00+00:00"}
    assert merged["ratios"]["run_vs_floor"] == pytest.approx(350.0 / 90.0, abs=1e-4)
    assert "Kept from an earlier run (same data, machine and commit): L full_run (2026-11-23)." in (
        render_markdown(build_results([merged], MACHINE, "bench", None))
    )
    other_data = size_result("L", 10_000_000, 900.0)
    other_data["generator"]["options"] = {"deals": 10_000_000, "seed": 7}
    del other_data["phases"]["full_run"]
    (replaced,) = merge_sizes([earlier], [other_data])
    assert "full_run" not in replaced["phases"]
    assert "carried_over" not in replaced
    for version in ("0123456789ab", "fedcba987654+changes"):
        other_code = size_result("L", 10_000_000, 900.0)
        other_code["project_version"] = version
        del other_code["phases"]["full_run"]
        (replaced,) = merge_sizes([earlier], [other_code])
        assert "full_run" not in replaced["phases"], version


def test_project_version_names_the_commit_and_uncommitted_edits(tmp_path: Path) -> None:
    assert project_version(tmp_path) == "unknown (not a git checkout)"
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "model.sql").write_text("select 1\n", encoding="utf-8")
    (tmp_path / "docs" / "benchmark-results").mkdir(parents=True)
    (tmp_path / "docs" / "benchmark-results" / "results.md").write_text("a\n", encoding="utf-8")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert project_version(tmp_path) == head
    (tmp_path / "docs" / "benchmark-results" / "results.md").write_text("b\n", encoding="utf-8")
    assert project_version(tmp_path) == head, "the benchmark's own output is not an edit"
    (tmp_path / "model.sql").write_text("select 2\n", encoding="utf-8")
    assert project_version(tmp_path) == f"{head}+changes"


def test_a_run_without_the_demo_keeps_the_earlier_demo(tmp_path: Path) -> None:
    assert load_previous_demo(tmp_path / "results.json") is None
    demo = phase(30.0, 0.4 * GB)
    write_json(build_results([], MACHINE, "bench", demo), tmp_path)
    assert load_previous_demo(tmp_path / "results.json") == demo
    write_json(build_results([], MACHINE, "bench", None), tmp_path)
    assert load_previous_demo(tmp_path / "results.json") is None


def test_load_previous_ignores_another_schema(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text('{"schema_version": 0}', encoding="utf-8")
    assert load_previous(tmp_path / "results.json") == []


def test_markdown_has_the_tables_and_verdicts(tmp_path: Path) -> None:
    sizes = [size_result("M", 1_000_000, 100.0), size_result("L", 10_000_000, 700.0)]
    demo = phase(60.0, 0.4 * GB, exit_code=1)
    results = build_results(sizes, MACHINE, "bench", demo)
    text = render_markdown(results)
    assert "| M | 1.0 M | 280.00 MB | 10.0 s |" in text
    assert "| M → L |" in text
    assert "**pass**" in text  # exponent log10(7) ≈ 0.85
    assert "**miss**" in text
    assert "Test CPU, 2 logical cores (1 physical), 24 GiB RAM" in text
    assert "### L — full `dbt run`, top models" in text
    assert "kpi_team_performance" in text
    assert "## Failures (⚠)" in text
    assert "demo build: exit 1" in text
    path = write_markdown(results, tmp_path)
    assert path.read_text(encoding="utf-8") == text


def test_plot_is_written(tmp_path: Path) -> None:
    sizes = [size_result("S", 10_000, 10.0), size_result("M", 1_000_000, 100.0)]
    path = write_plot(build_results(sizes, MACHINE, "bench", None), tmp_path, "b.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_formatting() -> None:
    assert fmt_seconds(1.234) == "1.23 s"
    assert fmt_seconds(123.45) == "123.5 s"
    assert fmt_seconds(3725) == "62 min 05 s"
    assert fmt_bytes(4 * GB) == "4.00 GB"
    assert fmt_bytes(None) == "–"
