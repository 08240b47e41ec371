"""Ratios, growth exponents and the issue's targets, computed from the measurements (pure)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .schema import Floor, Growth, Phase, SizeResult, TargetCheck

#: The timed dbt commands, in the order they run.
PHASES = (
    "parse",
    "seed",
    "full_run",
    "full_build",
    "incremental_run",
    "incremental_build",
)
GB = 1_000_000_000


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator`` rounded to 4 places; None if either is missing or zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(numerator / denominator, 4)


def growth_exponent(
    value_1: float | None, value_2: float | None, deals_1: int, deals_2: int
) -> float | None:
    """``log(value_2 / value_1) / log(deals_2 / deals_1)``: 1 is linear growth."""
    if value_1 is None or value_2 is None or value_1 <= 0 or value_2 <= 0:
        return None
    if deals_1 <= 0 or deals_2 <= 0 or deals_1 == deals_2:
        return None
    return round(math.log(value_2 / value_1) / math.log(deals_2 / deals_1), 3)


def _wall(phases: dict[str, Phase], name: str) -> float | None:
    phase = phases.get(name)
    return phase["wall_s"] if phase is not None else None


def _peak(phases: dict[str, Phase], name: str) -> float | None:
    phase = phases.get(name)
    return float(phase["peak_rss_bytes"]) if phase is not None else None


def _database(phases: dict[str, Phase], name: str) -> float | None:
    phase = phases.get(name)
    database_bytes = phase.get("database_bytes") if phase is not None else None
    return float(database_bytes) if database_bytes else None


def _measured(floor: Floor | None) -> Floor | None:
    return floor if floor is not None and floor["exit_code"] == 0 else None


def staging_models_seconds(phases: dict[str, Phase]) -> float | None:
    """The staging models' summed execution time: of the full build, else of the full run."""
    for name in ("full_build", "full_run"):
        phase = phases.get(name)
        if phase is not None and phase.get("staging_models_s"):
            return phase["staging_models_s"]
    return None


def floors_seconds(floor: Floor | None, staging_floor: Floor | None) -> float | None:
    """Staging floor + headline floor: the same-work floor of a full build."""
    measured, staging = _measured(floor), _measured(staging_floor)
    if measured is None or staging is None:
        return None
    return measured["wall_s"] + staging["wall_s"]


def size_ratios(
    phases: dict[str, Phase],
    floor: Floor | None,
    input_bytes: int,
    staging_floor: Floor | None = None,
) -> dict[str, float | None]:
    """The ratios the issues ask for, for one size."""
    measured = _measured(floor)
    floor_wall = measured["wall_s"] if measured is not None else None
    floor_peak = float(measured["peak_rss_bytes"]) if measured is not None else None
    staging = _measured(staging_floor)
    return {
        "run_vs_floor": ratio(_wall(phases, "full_run"), floor_wall),
        "build_vs_floor": ratio(_wall(phases, "full_build"), floor_wall),
        "staging_vs_staging_floor": ratio(
            staging_models_seconds(phases), staging["wall_s"] if staging is not None else None
        ),
        "build_vs_floors": ratio(_wall(phases, "full_build"), floors_seconds(floor, staging_floor)),
        "incremental_build_vs_full_build": ratio(
            _wall(phases, "incremental_build"), _wall(phases, "full_build")
        ),
        "incremental_run_vs_full_run": ratio(
            _wall(phases, "incremental_run"), _wall(phases, "full_run")
        ),
        "warehouse_per_input_byte": ratio(_database(phases, "full_build"), input_bytes),
        "build_peak_per_input_byte": ratio(_peak(phases, "full_build"), input_bytes),
        "run_peak_per_input_byte": ratio(_peak(phases, "full_run"), input_bytes),
        "floor_peak_per_input_byte": ratio(floor_peak, input_bytes),
        "build_peak_vs_floor_peak": ratio(_peak(phases, "full_build"), floor_peak),
    }


#: Growth metrics: name → how to read it from a size's results.
GROWTH_METRICS: dict[str, Callable[[SizeResult], float | None]] = {
    "floor_time": lambda size: size["floor"]["wall_s"] or None,
    "staging_floor_time": lambda size: (
        size["staging_floor"]["wall_s"] or None if "staging_floor" in size else None
    ),
    "parse_time": lambda size: _wall(size["phases"], "parse"),
    "full_run_time": lambda size: _wall(size["phases"], "full_run"),
    "full_build_time": lambda size: _wall(size["phases"], "full_build"),
    "incremental_build_time": lambda size: _wall(size["phases"], "incremental_build"),
    "full_build_peak_memory": lambda size: _peak(size["phases"], "full_build"),
}


def growth(sizes: Sequence[SizeResult]) -> list[Growth]:
    """Exponents between each pair of consecutive sizes (by deals)."""
    ordered = sorted(sizes, key=lambda size: size["deals"])
    pairs = itertools.pairwise(ordered)
    return [
        Growth(
            from_size=small["name"],
            to_size=large["name"],
            exponents={
                metric: growth_exponent(read(small), read(large), small["deals"], large["deals"])
                for metric, read in GROWTH_METRICS.items()
            },
        )
        for small, large in pairs
    ]


@dataclass(frozen=True)
class Target:
    """A target of issue 9 or 25: ``value <= limit`` at size ``applies_to`` (or between sizes)."""

    key: str
    description: str
    limit: float
    applies_to: str
    read: Callable[[SizeResult], float | None]
    phases: tuple[str, ...]


SIZE_TARGETS = (
    Target(
        "run_vs_floor",
        "full dbt run ≤ 4× the DuckDB floor",
        4.0,
        "L",
        lambda size: size["ratios"].get("run_vs_floor"),
        ("full_run",),
    ),
    Target(
        "build_vs_floor",
        "full dbt build (all tests) ≤ 8× the DuckDB floor",
        8.0,
        "L",
        lambda size: size["ratios"].get("build_vs_floor"),
        ("full_build",),
    ),
    Target(
        "staging_vs_staging_floor",
        "staging models ≤ 1.5× the staging floor (issue 25)",
        1.5,
        "L",
        lambda size: size["ratios"].get("staging_vs_staging_floor"),
        ("full_build",),
    ),
    Target(
        "build_vs_floors",
        "full dbt build ≤ 3× (staging floor + headline floor) (issue 25)",
        3.0,
        "L",
        lambda size: size["ratios"].get("build_vs_floors"),
        ("full_build",),
    ),
    Target(
        "warehouse_vs_input",
        "warehouse file after a full build ≤ 3× its input (issue 25)",
        3.0,
        "L",
        lambda size: size["ratios"].get("warehouse_per_input_byte"),
        ("full_build",),
    ),
    Target(
        "build_peak_bytes",
        "peak memory of the full build (process tree) ≤ 4 GB",
        4.0 * GB,
        "L",
        lambda size: _peak(size["phases"], "full_build"),
        ("full_build",),
    ),
    Target(
        "incremental_vs_full",
        "incremental build after +1 % data ≤ 10 % of a full build",
        0.10,
        "L",
        lambda size: size["ratios"].get("incremental_build_vs_full_build"),
        ("full_build", "incremental_build"),
    ),
)
GROWTH_TARGET = ("growth_exponent", "full build time exponent M→L ≤ 1.1", 1.1, "full_build_time")


def _caveat(size: SizeResult, phases: Sequence[str]) -> str:
    notes = []
    for name in phases:
        phase = size["phases"].get(name)
        if phase is not None and phase["exit_code"] != 0:
            failed = len(phase["failed_nodes"])
            notes.append(f"{name} exited {phase['exit_code']} ({failed} failed nodes)")
    return "; ".join(notes)


def _status(value: float | None, limit: float, final: bool) -> str:
    if value is None:
        return "not measured"
    verdict = "pass" if value <= limit else "miss"
    return verdict if final else f"preview: {verdict}"


def _check_size_target(target: Target, sizes: Sequence[SizeResult]) -> TargetCheck:
    by_name = {size["name"]: size for size in sizes}
    size = by_name.get(target.applies_to) or max(sizes, key=lambda item: item["deals"])
    final = size["name"] == target.applies_to
    value = target.read(size)
    note = "" if final else f"measured at {size['name']}; the target is for {target.applies_to}"
    caveat = _caveat(size, target.phases)
    return TargetCheck(
        key=target.key,
        description=target.description,
        limit=target.limit,
        applies_to=target.applies_to,
        measured_at=size["name"],
        value=value,
        status=_status(value, target.limit, final),
        note="; ".join(filter(None, [note, caveat])),
    )


def _check_growth_target(growths: Sequence[Growth]) -> TargetCheck:
    key, description, limit, metric = GROWTH_TARGET
    chosen = next(
        (item for item in growths if (item["from_size"], item["to_size"]) == ("M", "L")),
        growths[-1] if growths else None,
    )
    if chosen is None:
        return TargetCheck(
            key=key,
            description=description,
            limit=limit,
            applies_to="M→L",
            measured_at=None,
            value=None,
            status="not measured",
            note="needs two sizes",
        )
    pair = f"{chosen['from_size']}→{chosen['to_size']}"
    final = pair == "M→L"
    return TargetCheck(
        key=key,
        description=description,
        limit=limit,
        applies_to="M→L",
        measured_at=pair,
        value=chosen["exponents"].get(metric),
        status=_status(chosen["exponents"].get(metric), limit, final),
        note="" if final else f"measured {pair}; the target is for M→L",
    )


def check_targets(sizes: Sequence[SizeResult], growths: Sequence[Growth]) -> list[TargetCheck]:
    """Every target of issue 9, at its size if measured, else as a preview at the largest."""
    if not sizes:
        return []
    checks = [_check_size_target(target, sizes) for target in SIZE_TARGETS]
    return [*checks, _check_growth_target(growths)]
