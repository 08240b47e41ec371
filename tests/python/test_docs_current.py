"""The README and the docs say what the code does: every KPI mapped in the catalogue seed is
listed in the README's KPI table with its mart and value column."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import PROJECT_ROOT
from dbt.artifacts.resources.types import NodeType
from dbt.cli.main import dbtRunner
from dbt.contracts.graph.manifest import Manifest


def test_readme_kpi_table_lists_every_catalogue_kpi() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    catalogue = PROJECT_ROOT / "seeds" / "config" / "kpi_catalogue.csv"
    with catalogue.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    missing = []
    for row in rows:
        where = f"`{row['mart']}` | `{row['value_column']}`" if row["mart"] else "(not yet built)"
        if f"| {row['name_en']} | {row['name_ja']} | {where}" not in readme:
            missing.append(row["kpi_id"])
    assert not missing, f"README KPI table out of date for: {missing}"


def test_every_model_and_column_is_documented(tmp_path: Path) -> None:
    """Every model has a description starting with its grain and every column a description;
    every mart column also declares its data type (the enforced contract)."""
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir", str(PROJECT_ROOT),
            "--profiles-dir", str(PROJECT_ROOT / "profiles"),
            "--target-path", str(tmp_path / "target"),
            "--log-path", str(tmp_path / "logs"),
            "--quiet",
        ]
    )  # fmt: skip
    manifest = result.result
    assert isinstance(manifest, Manifest), result.exception
    problems = []
    for node in manifest.nodes.values():
        if node.resource_type != NodeType.Model or node.package_name != "sales_kpi_warehouse":
            continue
        if not node.description.strip():
            problems.append(f"{node.name}: no description")
        for column in node.columns.values():
            if not column.description.strip():
                problems.append(f"{node.name}.{column.name}: no description")
            if "marts" in node.fqn and not column.data_type:
                problems.append(f"{node.name}.{column.name}: no data_type")
    assert not problems, "\n".join(problems)
