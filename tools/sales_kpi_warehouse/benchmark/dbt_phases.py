"""Timed dbt commands, each in its own target and log folder, against a given DuckDB file.

Every command starts from an empty ``--target-path`` (so it pays a full parse, like a fresh
CI job) and reads the export in place (``input_mode: files``). Its ``run_results.json`` gives
the status counts and the slowest nodes.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .measure import run_measured
from .schema import Measurement, NodeTiming, Phase

TOP_NODES = 10
OK_STATUSES = {"success", "pass", "skipped", "no-op"}


@dataclass(frozen=True)
class DbtProject:
    """Where the project is and how to call its dbt."""

    project_dir: Path
    dbt_executable: Path
    target: str = "duckdb"
    #: Variables the target needs besides this process's (e.g. ``scripts/postgres.sh env``).
    extra_env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def locate(cls, project_dir: Path) -> DbtProject:
        if not (project_dir / "dbt_project.yml").is_file():
            msg = f"{project_dir} has no dbt_project.yml; pass --project-dir <the project folder>."
            raise FileNotFoundError(msg)
        beside_python = Path(sys.executable).parent / "dbt"
        found = beside_python if beside_python.is_file() else shutil.which("dbt")
        if found is None:
            msg = "dbt not found next to this Python nor on PATH; run `make venv` first."
            raise FileNotFoundError(msg)
        return cls(project_dir=project_dir, dbt_executable=Path(found))


def files_vars(raw_path: Path) -> str:
    """``--vars`` that read the Parquet export at ``raw_path`` in place."""
    return json.dumps(
        {"input_mode": "files", "raw_path": str(raw_path), "raw_file_format": "parquet"}
    )


def dbt_command(project: DbtProject, verb: str, work_dir: Path, extra: list[str]) -> list[str]:
    return [
        str(project.dbt_executable),
        verb,
        *("--target", project.target),
        *("--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")),
        *extra,
    ]


def dbt_env(project: DbtProject, db_path: Path) -> dict[str, str]:
    """The environment of a dbt command: this project's profiles, the given DuckDB file."""
    env = dict(os.environ)
    env.pop("DBT_TARGET", None)
    env["DBT_PROFILES_DIR"] = str(project.project_dir / "profiles")
    env["DBT_DUCKDB_PATH"] = str(db_path)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env.update(project.extra_env)
    return env


def _node(result: dict[str, object]) -> NodeTiming:
    unique_id = str(result.get("unique_id", ""))
    time_value = result.get("execution_time", 0.0)
    return NodeTiming(
        unique_id=unique_id,
        resource_type=unique_id.split(".", 1)[0],
        status=str(result.get("status", "")),
        execution_time_s=round(
            float(time_value) if isinstance(time_value, int | float) else 0.0, 3
        ),
    )


def read_run_results(path: Path) -> list[NodeTiming]:
    """The nodes of a ``run_results.json`` (empty if dbt did not get that far)."""
    try:
        loaded: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    results = loaded.get("results", []) if isinstance(loaded, dict) else []
    return [_node(item) for item in results if isinstance(item, dict)]


def summarise_nodes(
    nodes: list[NodeTiming], top: int = TOP_NODES
) -> tuple[dict[str, int], list[str], float, list[NodeTiming]]:
    """Status counts, failed node ids, summed execution time and the ``top`` slowest nodes."""
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["status"]] = counts.get(node["status"], 0) + 1
    failed = [node["unique_id"] for node in nodes if node["status"] not in OK_STATUSES]
    total = round(sum(node["execution_time_s"] for node in nodes), 3)
    slowest = sorted(nodes, key=lambda node: node["execution_time_s"], reverse=True)[:top]
    return counts, failed, total, slowest


#: Model name prefixes (and names) of staging: what the staging floor does by hand.
STAGING_PREFIXES = ("base_crm__", "stg_crm__")
STAGING_NAMES = ("rejected_rows",)


def is_staging_node(unique_id: str) -> bool:
    """A staging model: ``base_crm__*``, ``stg_crm__*`` or ``rejected_rows``."""
    resource_type, _, rest = unique_id.partition(".")
    name = rest.rsplit(".", 1)[-1]
    return resource_type == "model" and (name.startswith(STAGING_PREFIXES) or name in STAGING_NAMES)


def staging_seconds(nodes: list[NodeTiming]) -> float:
    """Summed execution time of the staging models of a run."""
    staging = [node["execution_time_s"] for node in nodes if is_staging_node(node["unique_id"])]
    return round(sum(staging), 3)


def _database_bytes(db_path: Path) -> int | None:
    return db_path.stat().st_size if db_path.is_file() else None


def run_phase(
    project: DbtProject,
    verb: str,
    work_dir: Path,
    db_path: Path,
    *,
    extra: list[str],
    interval: float,
    on_heartbeat: Callable[[float, int], None] | None = None,
) -> Phase:
    """Run one dbt command from an empty target folder and measure it."""
    shutil.rmtree(work_dir, ignore_errors=True)
    command = dbt_command(project, verb, work_dir, extra)
    measured: Measurement = run_measured(
        command,
        log_path=work_dir / "dbt.out",
        env=dbt_env(project, db_path),
        cwd=project.project_dir,
        interval=interval,
        on_heartbeat=on_heartbeat,
    )
    nodes = read_run_results(work_dir / "target" / "run_results.json")
    counts, failed, total, slowest = summarise_nodes(nodes)
    return Phase(
        **measured,
        command=" ".join(["dbt", verb, *extra]),
        status_counts=counts,
        failed_nodes=failed[:20],
        nodes_execution_s=total,
        slowest=slowest,
        database_bytes=_database_bytes(db_path),
        staging_models_s=staging_seconds(nodes),
    )


def fresh_database(db_path: Path) -> Path:
    """Delete a DuckDB file, its WAL and its spill folder, so a build starts empty."""
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(db_path.with_name(db_path.name + ".tmp"), ignore_errors=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return db_path
