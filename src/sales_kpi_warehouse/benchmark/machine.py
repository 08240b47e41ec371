"""Facts about the machine and software a benchmark ran on."""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import psutil

from .schema import Machine


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine_facts() -> Machine:
    """CPU, cores, RAM, OS and the versions of Python, DuckDB and dbt."""
    return Machine(
        cpu=_cpu_model(),
        cores_logical=psutil.cpu_count(logical=True) or 0,
        cores_physical=psutil.cpu_count(logical=False),
        ram_bytes=psutil.virtual_memory().total,
        os=platform.platform(),
        python=platform.python_version(),
        duckdb=_version("duckdb"),
        dbt_core=_version("dbt-core"),
        dbt_duckdb=_version("dbt-duckdb"),
    )
