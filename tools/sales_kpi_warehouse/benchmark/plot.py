"""``benchmark.png``: wall time and peak memory against the number of deals, log-log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from .analysis import GB
from .schema import Results, SizeResult

Reader = Callable[[SizeResult], float | None]


def _wall(name: str) -> Reader:
    def read(size: SizeResult) -> float | None:
        phase = size["phases"].get(name)
        return phase["wall_s"] if phase is not None else None

    return read


def _peak_gb(name: str) -> Reader:
    def read(size: SizeResult) -> float | None:
        phase = size["phases"].get(name)
        return phase["peak_rss_bytes"] / GB if phase is not None else None

    return read


def _staging_floor_wall(size: SizeResult) -> float | None:
    staging = size.get("staging_floor")
    return staging["wall_s"] or None if staging is not None else None


def _staging_floor_peak_gb(size: SizeResult) -> float | None:
    staging = size.get("staging_floor")
    return staging["peak_rss_bytes"] / GB or None if staging is not None else None


TIME_SERIES: dict[str, Reader] = {
    "DuckDB floor": lambda size: size["floor"]["wall_s"] or None,
    "DuckDB staging floor": _staging_floor_wall,
    "dbt parse": _wall("parse"),
    "full dbt run": _wall("full_run"),
    "full dbt build": _wall("full_build"),
    "incremental dbt build": _wall("incremental_build"),
}
MEMORY_SERIES: dict[str, Reader] = {
    "DuckDB floor": lambda size: size["floor"]["peak_rss_bytes"] / GB or None,
    "DuckDB staging floor": _staging_floor_peak_gb,
    "full dbt run": _peak_gb("full_run"),
    "full dbt build": _peak_gb("full_build"),
    "incremental dbt build": _peak_gb("incremental_build"),
}


#: One colour per series, the same in both panels.
COLOURS = {
    "DuckDB floor": "tab:blue",
    "DuckDB staging floor": "tab:cyan",
    "dbt parse": "tab:gray",
    "full dbt run": "tab:green",
    "full dbt build": "tab:red",
    "incremental dbt build": "tab:purple",
}


def _plain(value: float, _position: float) -> str:
    """Tick labels as plain numbers (10k, 1M; 0.5, 4) instead of powers of ten."""
    for suffix, size in (("M", 1e6), ("k", 1e3)):
        if value >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def _minor(value: float, position: float) -> str:
    """Minor tick labels 2 to 5 (× a power of ten) only, for a narrow range."""
    return _plain(value, position) if f"{value:.0e}"[0] in "2345" else ""


def _draw(axes: Axes, results: Results, series: dict[str, Reader]) -> None:
    for label, read in series.items():
        points = [(size["deals"], read(size)) for size in results["sizes"]]
        xs = [deals for deals, value in points if value]
        ys = [value for _, value in points if value]
        if xs:
            axes.plot(xs, ys, marker="o", label=label, color=COLOURS.get(label))
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("deals")
    for axis in (axes.xaxis, axes.yaxis):
        axis.set_major_formatter(FuncFormatter(_plain))
        axis.set_minor_formatter(FuncFormatter(lambda _value, _position: ""))
    axes.grid(visible=True, which="both", alpha=0.3)


def write_plot(results: Results, out_dir: Path, file_name: str) -> Path:
    """Draw the two panels and save them as ``file_name`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figure, (time_axes, memory_axes) = plt.subplots(1, 2, figsize=(12, 5))
    _draw(time_axes, results, TIME_SERIES)
    time_axes.set_ylabel("wall time (s)")
    time_axes.set_title("Time vs size")
    time_axes.legend(fontsize="small")
    _draw(memory_axes, results, MEMORY_SERIES)
    memory_axes.axhline(4.0, color="black", linestyle="--", linewidth=1, label="4 GB target (L)")
    bottom, top = memory_axes.get_ylim()
    memory_axes.set_ylim(bottom, max(top, 5.0))
    memory_axes.yaxis.set_minor_formatter(FuncFormatter(_minor))
    memory_axes.set_ylabel("peak RSS, process tree (GB)")
    memory_axes.set_title("Peak memory vs size")
    memory_axes.legend(fontsize="small")
    figure.suptitle(f"Sales KPI Warehouse benchmark — {results['generated_at'][:10]}")
    figure.tight_layout()
    path = out_dir / file_name
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
