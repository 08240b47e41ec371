"""``results.json`` (merged with the sizes of an earlier run), ``results.md`` and the summary.

Units: seconds; memory in decimal GB/MB (1 GB = 10^9 bytes, as in the 4 GB target).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from .analysis import check_targets, growth, size_ratios, staging_models_seconds
from .schema import SCHEMA_VERSION, Machine, Phase, Results, SizeResult, TargetCheck

JSON_NAME = "results.json"
MARKDOWN_NAME = "results.md"
PLOT_NAME = "benchmark.png"


# ---- numbers as text -------------------------------------------------------------------------


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 10:
        return f"{value:.2f} s"
    if value < 600:
        return f"{value:.1f} s"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes} min {seconds:02d} s"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return "–"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= size:
            return f"{value / size:.2f} {unit}"
    return f"{value:.0f} B"


def fmt_ratio(value: float | None, suffix: str = "×") -> str:
    if value is None:
        return "–"
    return f"{value:.2f}{suffix}" if value < 100 else f"{value:.0f}{suffix}"


def fmt_count(value: float | None) -> str:
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:.1f} M"
    if value >= 1e3:
        return f"{value / 1e3:.0f} k"
    return f"{value:.0f}"


def fmt_target_value(check: TargetCheck) -> str:
    value = check["value"]
    if check["key"] == "build_peak_bytes":
        return fmt_bytes(value)
    if check["key"] == "incremental_vs_full":
        return "–" if value is None else f"{100 * value:.1f} %"
    if check["key"] == "growth_exponent":
        return "–" if value is None else f"{value:.2f}"
    return fmt_ratio(value)


def fmt_limit(check: TargetCheck) -> str:
    limit = check["limit"]
    if check["key"] == "build_peak_bytes":
        return f"≤ {fmt_bytes(limit)}"
    if check["key"] == "incremental_vs_full":
        return f"≤ {100 * limit:.0f} %"
    if check["key"] == "growth_exponent":
        return f"≤ {limit:.2f}"
    return f"≤ {limit:g}×"


# ---- results.json ------------------------------------------------------------------------------


def _load_results(path: Path) -> dict[str, object]:
    """An earlier ``results.json`` as a dict (empty if missing, unreadable or of another schema)."""
    try:
        loaded: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(loaded, dict) or loaded.get("schema_version") != SCHEMA_VERSION:
        return {}
    return cast(dict[str, object], loaded)


def load_previous(path: Path) -> list[SizeResult]:
    """The sizes of an earlier ``results.json`` (none if missing or of another schema)."""
    sizes = _load_results(path).get("sizes")
    if not isinstance(sizes, list):
        return []
    return [cast(SizeResult, item) for item in sizes if isinstance(item, dict)]


def load_previous_demo(path: Path) -> Phase | None:
    """The demo build of an earlier ``results.json`` (kept when a run skips it: --no-demo)."""
    demo = _load_results(path).get("demo")
    return cast(Phase, demo) if isinstance(demo, dict) else None


def merge_sizes(previous: Sequence[SizeResult], current: Sequence[SizeResult]) -> list[SizeResult]:
    """``current`` plus the sizes of ``previous`` it did not re-measure, smallest first.

    A re-measured size keeps the earlier phases it did not run (e.g. ``full_run`` when only
    ``--commands build`` ran now) if the earlier run had the same data and machine; its ratios
    are recomputed over the merged phases and the current floor.
    """
    earlier = {size["name"]: size for size in previous}
    merged = [_carry_over(earlier.get(size["name"]), size) for size in current]
    names = {size["name"] for size in current}
    kept = [size for size in previous if size["name"] not in names]
    return sorted([*kept, *merged], key=lambda size: size["deals"])


def carried_over_note(sizes: Sequence[SizeResult]) -> list[str]:
    """Which phases come from an earlier run of their size (empty if none)."""
    parts = [
        f"{size['name']} {name} ({measured[:10]})"
        for size in sizes
        for name, measured in sorted(size.get("carried_over", {}).items())
    ]
    if not parts:
        return []
    return ["", f"Kept from an earlier run (same data, machine and commit): {', '.join(parts)}."]


def project_versions_note(sizes: Sequence[SizeResult]) -> list[str]:
    """The project commit each size measured (sizes from before it was recorded: unknown)."""
    parts = [f"{size['name']} {size.get('project_version', 'not recorded')}" for size in sizes]
    return ["", f"Project commit measured: {', '.join(parts)}."] if parts else []


def _same_setup(earlier: SizeResult, current: SizeResult) -> bool:
    return (
        earlier["generator"]["options"] == current["generator"]["options"]
        and earlier["machine"] == current["machine"]
        and earlier["settings"] == current["settings"]
        and earlier.get("project_version") == current.get("project_version")
        and not current.get("project_version", "").endswith("+changes")
    )


def _carry_over(earlier: SizeResult | None, current: SizeResult) -> SizeResult:
    if earlier is None or not _same_setup(earlier, current):
        return current
    missing = {
        name: phase for name, phase in earlier["phases"].items() if name not in current["phases"]
    }
    if not missing:
        return current
    carried = {
        name: earlier.get("carried_over", {}).get(name, earlier["measured_at"]) for name in missing
    }
    phases = {**missing, **current["phases"]}
    merged = SizeResult(**current)
    merged["phases"] = phases
    merged["ratios"] = size_ratios(
        phases, current["floor"], current["input"]["bytes"], current.get("staging_floor")
    )
    merged["carried_over"] = {**current.get("carried_over", {}), **carried}
    return merged


def build_results(
    sizes: Sequence[SizeResult], machine: Machine, command: str, demo: Phase | None
) -> Results:
    growths = growth(sizes)
    return Results(
        schema_version=SCHEMA_VERSION,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        command=command,
        machine=machine,
        demo=demo,
        sizes=list(sizes),
        growth=growths,
        targets=check_targets(sizes, growths),
    )


def write_json(results: Results, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / JSON_NAME
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ---- results.md --------------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    aligns = [
        "---" if (align[i] if i < len(align) else "r") == "l" else "---:"
        for i in range(len(header))
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(aligns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def machine_line(machine: Machine) -> str:
    cores = f"{machine['cores_logical']} logical cores"
    if machine["cores_physical"]:
        cores += f" ({machine['cores_physical']} physical)"
    return (
        f"{machine['cpu']}, {cores}, {machine['ram_bytes'] / 2**30:.0f} GiB RAM, {machine['os']}; "
        f"Python {machine['python']}, DuckDB {machine['duckdb']}, "
        f"dbt-core {machine['dbt_core']}, dbt-duckdb {machine['dbt_duckdb']}"
    )


def _wall(size: SizeResult, phase: str) -> str:
    item = size["phases"].get(phase)
    if item is None:
        return "–"
    flag = "" if item["exit_code"] == 0 else " ⚠"
    return fmt_seconds(item["wall_s"]) + flag


def _peak(size: SizeResult, phase: str) -> str:
    item = size["phases"].get(phase)
    return fmt_bytes(item["peak_rss_bytes"]) if item is not None else "–"


def headline_table(sizes: Sequence[SizeResult]) -> list[str]:
    """The table the README quotes: time, memory and ratios per size."""
    header = [
        "size", "deals", "input", "floor", "staging floor", "dbt parse", "full run",
        "full build", "incr. build", "run / floor", "build / floor", "staging / st. floor",
        "build / floors", "incr. / full", "peak build", "peak / input", "warehouse / input",
    ]  # fmt: skip
    rows = [
        [
            size["name"],
            fmt_count(size["deals"]),
            fmt_bytes(size["input"]["bytes"]),
            fmt_seconds(size["floor"]["wall_s"]),
            _staging_floor_wall(size),
            _wall(size, "parse"),
            _wall(size, "full_run"),
            _wall(size, "full_build"),
            _wall(size, "incremental_build"),
            fmt_ratio(size["ratios"].get("run_vs_floor")),
            fmt_ratio(size["ratios"].get("build_vs_floor")),
            fmt_ratio(size["ratios"].get("staging_vs_staging_floor")),
            fmt_ratio(size["ratios"].get("build_vs_floors")),
            _percent(size["ratios"].get("incremental_build_vs_full_build")),
            _peak(size, "full_build"),
            fmt_ratio(size["ratios"].get("build_peak_per_input_byte")),
            fmt_ratio(size["ratios"].get("warehouse_per_input_byte")),
        ]
        for size in sizes
    ]
    return _table(header, rows, "l")


def _staging_floor_wall(size: SizeResult) -> str:
    staging = size.get("staging_floor")
    if staging is None:
        return "–"
    return fmt_seconds(staging["wall_s"]) + ("" if staging["exit_code"] == 0 else " ⚠")


def _staging_floor_peak(size: SizeResult) -> str:
    staging = size.get("staging_floor")
    return fmt_bytes(staging["peak_rss_bytes"]) if staging is not None else "–"


def _staging_models(size: SizeResult) -> str:
    seconds = staging_models_seconds(size["phases"])
    return fmt_seconds(seconds) if seconds is not None else "–"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _load_range(size: SizeResult) -> str:
    """The machine's 1-minute load average at the start of the size's commands (min–max)."""
    loads = [phase["load_average_1m"] for phase in size["phases"].values()]
    return f"{min(loads):.1f}–{max(loads):.1f}" if loads else "–"


def detail_table(sizes: Sequence[SizeResult]) -> list[str]:
    header = [
        "size", "rows in", "generator", "gen. peak", "dbt seed", "incr. run", "incr. run / full",
        "floor SQL", "floor peak", "DuckDB peak (floor)", "staging models",
        "staging floor peak", "peak run", "peak incr. build",
        "database", "load",
    ]  # fmt: skip
    rows = []
    for size in sizes:
        build = size["phases"].get("full_build")
        gen = size["generator"]
        rows.append(
            [
                size["name"],
                fmt_count(size["input"]["rows"]),
                fmt_seconds(gen["wall_s"]) + (" (cached)" if gen["cached"] else ""),
                fmt_bytes(gen["peak_rss_bytes"]),
                _wall(size, "seed"),
                _wall(size, "incremental_run"),
                _percent(size["ratios"].get("incremental_run_vs_full_run")),
                fmt_seconds(size["floor"]["sql_s"]),
                fmt_bytes(size["floor"]["peak_rss_bytes"]),
                fmt_bytes(size["floor"]["duckdb_peak_bytes"]),
                _staging_models(size),
                _staging_floor_peak(size),
                _peak(size, "full_run"),
                _peak(size, "incremental_build"),
                fmt_bytes(build["database_bytes"] if build else None),
                _load_range(size),
            ]
        )
    return _table(header, rows, "l")


def growth_table(results: Results) -> list[str]:
    if not results["growth"]:
        return ["(needs two sizes)"]
    metrics = [
        ("floor_time", "floor"),
        ("staging_floor_time", "staging floor"),
        ("parse_time", "parse"),
        ("full_run_time", "full run"),
        ("full_build_time", "full build"),
        ("incremental_build_time", "incr. build"),
        ("full_build_peak_memory", "build peak memory"),
    ]
    rows = [
        [f"{item['from_size']} → {item['to_size']}"]
        + [
            "–" if item["exponents"].get(key) is None else f"{item['exponents'][key]:.2f}"
            for key, _ in metrics
        ]
        for item in results["growth"]
    ]
    return _table(["sizes", *(label for _, label in metrics)], rows, "l")


def targets_table(targets: Sequence[TargetCheck]) -> list[str]:
    rows = [
        [
            check["description"],
            fmt_limit(check),
            check["measured_at"] or "–",
            fmt_target_value(check),
            f"**{check['status']}**",
            check["note"],
        ]
        for check in targets
    ]
    return _table(["target", "limit", "at", "value", "status", "note"], rows, "llllll")


def _short(name: str, width: int = 72) -> str:
    """A node name cut to ``width`` characters (generic tests have very long names)."""
    return name if len(name) <= width else name[: width - 1] + "…"


def slowest_section(size: SizeResult, phase: str, title: str) -> list[str]:
    item = size["phases"].get(phase)
    if item is None or not item["slowest"]:
        return []
    rows = [
        [_short(node["unique_id"].split(".", 2)[-1]), node["resource_type"],
         fmt_seconds(node["execution_time_s"]), node["status"]]
        for node in item["slowest"]
    ]  # fmt: skip
    share = f"nodes' summed execution time {fmt_seconds(item['nodes_execution_s'])}"
    return [
        f"### {size['name']} — {title} ({share})",
        "",
        *_table(["node", "type", "time", "status"], rows, "llrl"),
        "",
    ]


def failures_section(sizes: Sequence[SizeResult], demo: Phase | None) -> list[str]:
    lines = []
    phases = [
        (size["name"], name, phase) for size in sizes for name, phase in size["phases"].items()
    ]
    if demo is not None:
        phases.append(("demo", "build", demo))
    for size_name, name, phase in phases:
        if phase["exit_code"] != 0:
            nodes = ", ".join(f"`{node}`" for node in phase["failed_nodes"][:5]) or "see the log"
            lines.append(
                f"- {size_name} {name}: exit {phase['exit_code']}, "
                f"statuses {phase['status_counts']}; failed: {nodes} (log: `{phase['log']}`)"
            )
    return ["## Failures (⚠)", "", *lines, ""] if lines else []


def render_markdown(results: Results) -> str:
    sizes = results["sizes"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated {results['generated_at']} by `{results['command']}` "
        "(docs/benchmark.md explains every column).",
        "",
        f"Machine: {machine_line(results['machine'])}.",
        "",
        "## Time, memory and ratios per size",
        "",
        *headline_table(sizes),
        "",
        "Floor: one hand-written DuckDB SQL script for the headline per rep × month KPIs "
        "(median of its runs). Staging floor: one hand-written DuckDB SQL script doing "
        "staging's work (type, check, de-duplicate and write staged and rejected rows of "
        "every raw table); staging = the staging models' summed execution time in the full "
        "build; floors = staging floor + floor. Peaks are RSS of the whole process tree; "
        "1 GB = 10^9 bytes. incr. = `dbt build` after ≈1 % new event rows arrived.",
        *carried_over_note(sizes),
        *project_versions_note(sizes),
        "",
        "## Details",
        "",
        *detail_table(sizes),
        "",
        "load: the machine's 1-minute load average when each command started; above the core "
        "count, other work was slowing these numbers down.",
        "",
        "## Growth exponents (log(t2/t1) / log(deals2/deals1); 1 = linear)",
        "",
        *growth_table(results),
        "",
        "## Targets",
        "",
        *targets_table(results["targets"]),
        "",
    ]
    if results["demo"] is not None:
        demo = results["demo"]
        lines += [
            "## Demo build",
            "",
            f"`make build` equivalent (seeds → all marts → all tests, fresh file): "
            f"{fmt_seconds(demo['wall_s'])}, peak {fmt_bytes(demo['peak_rss_bytes'])}"
            + ("" if demo["exit_code"] == 0 else f" — exit {demo['exit_code']} ⚠"),
            "",
        ]
    lines += ["## Slowest nodes (dbt run_results.json, execution time)", ""]
    for size in sizes:
        lines += slowest_section(size, "full_run", "full `dbt run`, top models")
        lines += slowest_section(size, "full_build", "full `dbt build`, top nodes")
        lines += slowest_section(size, "incremental_build", "incremental `dbt build`, top nodes")
    lines += failures_section(sizes, results["demo"])
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(results: Results, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MARKDOWN_NAME
    path.write_text(render_markdown(results), encoding="utf-8")
    return path


# ---- the summary printed at the end ---------------------------------------------------------


def summary_lines(results: Results) -> list[str]:
    lines = [f"Machine: {machine_line(results['machine'])}"]
    for size in results["sizes"]:
        ratios = size["ratios"]
        lines.append(
            f"{size['name']:>3} ({fmt_count(size['deals'])} deals, "
            f"{fmt_bytes(size['input']['bytes'])} in): "
            f"floor {fmt_seconds(size['floor']['wall_s'])}, "
            f"staging floor {_staging_floor_wall(size)}, run {_wall(size, 'full_run')}, "
            f"build {_wall(size, 'full_build')} (peak {_peak(size, 'full_build')}), "
            f"incr. build {_wall(size, 'incremental_build')}; run/floor "
            f"{fmt_ratio(ratios.get('run_vs_floor'))}, build/floor "
            f"{fmt_ratio(ratios.get('build_vs_floor'))}, staging/staging floor "
            f"{fmt_ratio(ratios.get('staging_vs_staging_floor'))}, build/floors "
            f"{fmt_ratio(ratios.get('build_vs_floors'))}, incr./full "
            f"{_percent(ratios.get('incremental_build_vs_full_build'))}"
        )
    for check in results["targets"]:
        where = f" at {check['measured_at']}" if check["measured_at"] else ""
        note = f" ({check['note']})" if check["note"] else ""
        lines.append(
            f"  [{check['status']}] {check['description']}: {fmt_target_value(check)}{where}{note}"
        )
    return lines
