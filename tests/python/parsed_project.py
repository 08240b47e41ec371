"""`dbt parse` of the project into a temporary target, once per test session, and the mart
models' columns from its manifest — shared by test_column_meta and test_kpi_registry (one parse,
about 10 s, for both)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from conftest import PROJECT_ROOT
from dbt.artifacts.resources.types import NodeType
from dbt.cli.main import dbtRunner
from dbt.contracts.graph.manifest import Manifest

TEST_CURRENCY = "EUR"  # not the demo's JPY: proves currency comes from var('reporting_currency')

Columns = dict[str, dict[str, Any]]  # column name → {"meta": ..., "data_type": ...}


@dataclass
class Marts:
    """Every mart model's columns (versioned marts: one entry per version, `name.vN`)."""

    models: dict[str, Columns] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)  # model name → key in models

    def columns(self, model: str) -> Columns:
        """The columns of a mart's latest version (empty when there is no such mart)."""
        return self.models.get(self.latest.get(model, ""), {})


@cache
def parse_project(target: Path) -> Manifest:
    """The manifest of the project parsed with reporting_currency = TEST_CURRENCY."""
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir", str(PROJECT_ROOT),
            "--profiles-dir", str(PROJECT_ROOT / "profiles"),
            "--target-path", str(target / "target"),
            "--log-path", str(target / "logs"),
            "--vars", f"{{reporting_currency: {TEST_CURRENCY}}}",
            "--no-partial-parse",
            "--quiet",
        ]
    )  # fmt: skip
    manifest = result.result
    assert isinstance(manifest, Manifest), result.exception
    return manifest


def mart_columns(manifest: Manifest) -> Marts:
    marts = Marts()
    for node in manifest.nodes.values():
        if node.resource_type != NodeType.Model or node.package_name != "sales_kpi_warehouse":
            continue
        if "marts" not in node.fqn:
            continue
        version = getattr(node, "version", None)
        key = node.name if version is None else f"{node.name}.v{version}"
        marts.models[key] = {
            name: {"meta": dict(column.meta), "data_type": column.data_type}
            for name, column in node.columns.items()
        }
        if version is None or str(version) == str(getattr(node, "latest_version", None)):
            marts.latest[node.name] = key
    return marts
