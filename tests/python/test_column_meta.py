"""Column metadata BI tools read: every mart column carries `meta` (under `config:`) with its
display format, the reporting currency on money columns and the KPI it belongs to.

The vocabulary (docs/serving.md "Column metadata for BI tools"):
- `format` (every column): one of FORMATS — `percent` is 0–100, `currency` is in the reporting
  currency, `ratio` a plain quotient (e.g. 3.2×), `number` a value whose unit varies per row
  (then `unit_column` names the column holding the row's unit) or a plain number;
- `currency` (exactly the `currency` columns): `{{ var('reporting_currency') }}`, so it follows
  the project variable — checked here by parsing with another currency;
- `kpi_id` (every column that holds a KPI's value, numerator or denominator), `kpi_role`
  (`value`, `numerator` or `denominator`, for kpi_id) and `kpi_ids` (all the KPIs the column
  takes part in, when more than one). Every KPI of the catalogue seed with a mart must find
  its id on its value column (role `value`) and on its numerator and denominator columns.

A second test breaks a copy of the metadata in each of those ways and proves the check fails.
"""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT
from dbt.artifacts.resources.types import NodeType
from dbt.cli.main import dbtRunner
from dbt.contracts.graph.manifest import Manifest

FORMATS = frozenset(
    {
        "currency",
        "percent",
        "ratio",
        "count",
        "days",
        "hours",
        "minutes",
        "score",
        "number",
        "date",
        "text",
        "id",
        "boolean",
    }
)
KPI_ROLES = frozenset({"value", "numerator", "denominator"})
# dim_kpi.unit → the format of the KPI's value column
UNIT_FORMATS = {
    "money": "currency",
    "pct": "percent",
    "ratio": "ratio",
    "count": "count",
    "days": "days",
    "hours": "hours",
    "score": "score",
}
TEST_CURRENCY = "EUR"  # not the demo's JPY: proves currency comes from var('reporting_currency')

Columns = dict[str, dict[str, Any]]  # column name → {"meta": ..., "data_type": ...}


@dataclass
class Marts:
    """Every mart model's columns (versioned marts: one entry per version, `name.vN`)."""

    models: dict[str, Columns] = field(default_factory=dict)
    latest: dict[str, str] = field(default_factory=dict)  # model name → key in models


def catalogue() -> list[dict[str, str]]:
    with (PROJECT_ROOT / "seeds" / "config" / "kpi_catalogue.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def parse_marts(tmp_path: Path) -> Marts:
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir", str(PROJECT_ROOT),
            "--profiles-dir", str(PROJECT_ROOT / "profiles"),
            "--target-path", str(tmp_path / "target"),
            "--log-path", str(tmp_path / "logs"),
            "--vars", f"{{reporting_currency: {TEST_CURRENCY}}}",
            "--no-partial-parse",
            "--quiet",
        ]
    )  # fmt: skip
    manifest = result.result
    assert isinstance(manifest, Manifest), result.exception
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


def column_problems(where: str, meta: dict[str, Any], columns: Columns, currency: str) -> list[str]:
    """What is wrong with one column's meta (`where` names it in the messages)."""
    found: list[str] = []
    fmt = meta.get("format")
    if fmt is None:
        found.append(f"{where}: no meta.format")
    elif fmt not in FORMATS:
        found.append(f"{where}: format {fmt!r} is not one of {sorted(FORMATS)}")
    if fmt == "currency" and meta.get("currency") != currency:
        found.append(f"{where}: currency column without currency {currency!r}")
    if fmt != "currency" and "currency" in meta:
        found.append(f"{where}: currency on a {fmt!r} column")
    if "kpi_id" in meta:
        if meta.get("kpi_role") not in KPI_ROLES:
            found.append(f"{where}: kpi_role {meta.get('kpi_role')!r} not in {sorted(KPI_ROLES)}")
        if meta.get("kpi_ids") and meta["kpi_id"] not in meta["kpi_ids"]:
            found.append(f"{where}: kpi_id not among kpi_ids")
    elif "kpi_ids" in meta or "kpi_role" in meta:
        found.append(f"{where}: kpi_ids or kpi_role without kpi_id")
    if "unit_column" in meta and meta["unit_column"] not in columns:
        found.append(f"{where}: unit_column {meta['unit_column']!r} is not a column")
    return found


def kpi_ids(meta: dict[str, Any]) -> set[str]:
    return {*(meta.get("kpi_ids") or []), *([meta["kpi_id"]] if "kpi_id" in meta else [])}


def catalogue_problems(marts: Marts, row: dict[str, str]) -> list[str]:
    """What is missing for one catalogue KPI on its mart's value, numerator and denominator."""
    found: list[str] = []
    columns = marts.models.get(marts.latest.get(row["mart"], ""), {})
    kpi, where = row["kpi_id"], row["mart"]
    value = columns.get(row["value_column"], {}).get("meta", {})
    if value.get("kpi_id") != kpi or value.get("kpi_role") != "value":
        found.append(f"{kpi}: {where}.{row['value_column']} lacks kpi_id {kpi} (role value)")
    expected = UNIT_FORMATS.get(row["unit"])
    if value and "unit_column" not in value and value.get("format") != expected:
        found.append(
            f"{kpi}: {where}.{row['value_column']} format {value.get('format')!r}, "
            f"unit {row['unit']} wants {expected!r}"
        )
    for part in ("numerator_column", "denominator_column"):
        meta = columns.get(row[part], {}).get("meta", {})
        if row[part] and kpi not in kpi_ids(meta):
            found.append(f"{kpi}: {where}.{row[part]} ({part[:-7]}) lacks kpi_id {kpi}")
    return found


def problems(marts: Marts, kpis: list[dict[str, str]], currency: str) -> list[str]:
    """Everything wrong with the marts' column metadata; empty when all is well."""
    known = {row["kpi_id"] for row in kpis}
    found: list[str] = []
    for model, columns in sorted(marts.models.items()):
        for name, column in columns.items():
            where = f"{model}.{name}"
            found += column_problems(where, column["meta"], columns, currency)
            unknown = sorted(kpi_ids(column["meta"]) - known)
            found += [f"{where}: kpi_id {kpi!r} not in the catalogue" for kpi in unknown]
    for row in kpis:
        if row["mart"]:
            found += catalogue_problems(marts, row)
    return found


@pytest.fixture(scope="module")
def marts(tmp_path_factory: pytest.TempPathFactory) -> Marts:
    return parse_marts(tmp_path_factory.mktemp("column_meta"))


def test_every_mart_column_has_bi_metadata(marts: Marts) -> None:
    assert len(marts.models) >= 20 and "kpi_team_performance" in marts.models
    found = problems(marts, catalogue(), TEST_CURRENCY)
    assert not found, f"{len(found)} column metadata problems:\n" + "\n".join(found[:40])


def _broken(marts: Marts, model: str, column: str, **meta: Any) -> Marts:
    broken = copy.deepcopy(marts)
    target = broken.models[model][column]["meta"]
    for key, value in meta.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return broken


@pytest.mark.parametrize(
    ("model", "column", "change", "expected"),
    [
        ("kpi_leads", "period_label", {"format": None}, "no meta.format"),
        ("kpi_leads", "new_leads", {"format": "thousands"}, "is not one of"),
        ("kpi_growth", "revenue", {"currency": None}, "currency column without currency"),
        ("kpi_growth", "revenue", {"currency": "JPY"}, "currency column without currency"),
        ("kpi_leads", "new_leads", {"currency": TEST_CURRENCY}, "currency on a 'count' column"),
        ("kpi_leads", "new_leads", {"kpi_id": "no_such_kpi"}, "not in the catalogue"),
        ("kpi_team_performance", "win_rate_pct", {"kpi_id": None, "kpi_role": None}, "lacks"),
        (
            "kpi_team_performance",
            "deals_closed",
            {"kpi_id": "calls_made", "kpi_ids": None},
            "lacks",
        ),
        ("kpi_team_performance", "win_rate_pct", {"format": "ratio"}, "unit pct wants"),
    ],
)
def test_the_check_fails_on_broken_metadata(
    marts: Marts, model: str, column: str, change: dict[str, Any], expected: str
) -> None:
    found = problems(_broken(marts, model, column, **change), catalogue(), TEST_CURRENCY)
    assert any(expected in problem for problem in found), found
