"""Facts about the machine and software a benchmark ran on."""

from __future__ import annotations

import platform
import subprocess
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


#: Paths the benchmark itself writes: edits there do not change what is measured.
_OUTPUT_PATHSPEC = ":(exclude)docs/benchmark-results"


def _git(project_dir: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(project_dir), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def project_version(project_dir: Path) -> str:
    """The project's git commit, ``+changes`` when tracked files differ from it.

    Results from another commit measure other SQL: the report names the commit of each size,
    and phases are only carried over between runs of the same version.
    """
    commit = _git(project_dir, "rev-parse", "--short=12", "HEAD")
    if commit is None:
        return "unknown (not a git checkout)"
    changed = _git(
        project_dir, "status", "--porcelain", "--untracked-files=no", "--", ".", _OUTPUT_PATHSPEC
    )
    return f"{commit}+changes" if changed else commit
