"""The MetricFlow semantic layer: every KPI has a metric, and MetricFlow agrees with the marts.

Coverage: every KPI of the catalogue (seed kpi_catalogue) that has a mart is a metric of the
same name, or is listed in SEMANTIC_LAYER_EXCLUSIONS with the reason MetricFlow cannot express it
faithfully — so a KPI added later without a metric fails here.

Two paths: `mf query` (through the CLI, on the demo warehouse) re-aggregates the monthly facts to
months and fiscal quarters; the result must equal the KPI marts' own rows.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_ROOT, Warehouse

CATALOGUE = PROJECT_ROOT / "seeds" / "config" / "kpi_catalogue.csv"
MF = Path(sys.executable).parent / "mf"
# What `mf` needs from the project besides target/semantic_manifest.json (it runs `dbt debug`).
PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "analyses", "data-tests")

# KPIs with a mart but no metric, and why MetricFlow cannot express them faithfully. A metric
# sums its measures over rows (then divides, for a ratio), so a KPI qualifies only if its parts
# add up across months and scopes.
SEMANTIC_LAYER_EXCLUSIONS: dict[str, str] = {
    "reps_at_quota_pct": "distinct reps (at quota / with quota) per period: a rep counts once per "
    "quarter, not once per month, so the parts do not add up across months",
    "revenue_per_rep": "denominator active_reps is a distinct-rep count per period",
    "deals_won_per_rep": "denominator active_reps is a distinct-rep count per period",
    "reps_using_content_pct": "distinct reps using content / active reps: both distinct counts",
    "assets_unused": "an asset is unused in a quarter only if unused in all its months: a 0/1 flag "
    "per period, not a sum of the monthly flags",
    "customer_retention_pct": "customers at the period's start and retained to its end: a "
    "quarter's cohort is not the sum of its months' cohorts (point in time)",
    "churn_rate_pct": "customers lost / customers at the period's start: point in time",
    "revenue_lost_churn": "revenue of customers lost in the period that were held at its start: a "
    "customer acquired and lost inside a quarter counts in its month, not in the quarter",
    "clv_historical": "to-date ratio over all history (contract revenue / customers acquired to "
    "date) measured at each period's end, including contracts before the reporting window",
    "clv_predictive": "model-based: revenue per customer-month × expected lifetime from the "
    "monthly churn rate — a product of ratios with a non-linear lifetime term",
    "ltv_cac_ratio": "clv_predictive / cac: inherits clv_predictive's model",
    "cohort_retention_pct": "a triangle indexed by months since acquisition, not by calendar time; "
    "read kpi_customer_cohorts",
    "required_deals": "goal / trailing 12-month average deal size: a quotient of trailing windows "
    "per period, not additive",
    "required_opportunities": "required_deals / trailing win rate (trailing windows, not additive)",
    "required_leads": "required_opportunities / trailing lead → opportunity rate (not additive)",
    "required_calls": "required_leads / trailing leads per connected call (not additive)",
    "kpi_threshold_alerts": "rows are rule breaches over any KPI (kpi_alerts), not a measure",
    "periodic_review": "a period-over-period comparison of every KPI (kpi_periodic_review), not a "
    "measure",
}

# Which fiscal quarter the example asks for: FY2025 Q2 (April fiscal year start).
FY2025_Q2 = "2025-07-01"


@dataclass(frozen=True)
class Family:
    """A semantic model and the mart its metrics are checked against."""

    mart: str
    keys: tuple[str, ...]  # mart columns that identify a row besides the period
    group_by: tuple[str, ...]  # the matching MetricFlow group-by items, same order


FAMILIES: dict[str, Family] = {
    "kpi_team_performance": Family(
        "kpi_team_performance", ("scope", "scope_id"), ("kpi_scope__scope", "kpi_scope__scope_id")
    ),
    "kpi_leads": Family(
        "kpi_leads", ("scope", "scope_id"), ("kpi_scope__scope", "kpi_scope__scope_id")
    ),
    "kpi_growth": Family(
        "kpi_growth", ("scope", "scope_id"), ("kpi_scope__scope", "kpi_scope__scope_id")
    ),
    "kpi_growth_funnel_stages": Family(
        "kpi_growth_funnel_stages",
        ("scope", "scope_id", "stage"),
        ("kpi_scope__scope", "kpi_scope__scope_id", "funnel_stage__stage"),
    ),
    "kpi_customer": Family(
        "kpi_customer", ("scope", "scope_id"), ("kpi_scope__scope", "kpi_scope__scope_id")
    ),
    "kpi_content_assets": Family("kpi_content_assets", ("asset_id",), ("content_asset",)),
}
# Growth vs the previous period is published at one grain only in the mart.
GRAIN_ONLY = {"revenue_growth_mom_pct": "month", "revenue_growth_qoq_pct": "fiscal_quarter"}


def catalogue() -> list[dict[str, str]]:
    with CATALOGUE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class SemanticLayer:
    """A throw-away dbt project root holding the demo build's semantic manifest, for `mf`."""

    project_dir: Path
    db_path: Path  # a copy of the demo warehouse: dbt-duckdb keeps the original locked in-process

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(query).fetchall()

    def mf(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "DBT_PROJECT_DIR": str(self.project_dir),
            "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"),
            "DBT_DUCKDB_PATH": str(self.db_path),
        }
        return subprocess.run(
            [str(MF), *args],
            cwd=self.project_dir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def query(self, metrics: list[str], group_by: list[str], *where: str) -> list[dict[str, str]]:
        out = self.project_dir / "query.csv"
        args = ["query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by)]
        for condition in where:
            args += ["--where", condition]
        result = self.mf(*args, "--csv", str(out), "--quiet")
        assert result.returncode == 0 and out.exists(), result.stdout + result.stderr
        with out.open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def semantic_layer(demo_warehouse: Warehouse) -> Iterator[SemanticLayer]:
    # conftest.run_dbt writes the build's artifacts next to the DuckDB file; `mf` reads
    # <project>/target/semantic_manifest.json, so that folder becomes the project root.
    project_dir = demo_warehouse.path.parent
    assert (project_dir / "target" / "semantic_manifest.json").exists()
    for entry in PROJECT_ENTRIES:
        link = project_dir / entry
        if not link.exists():
            link.symlink_to(PROJECT_ROOT / entry)
    # Same file name: the manifest's relations name the DuckDB catalog after it.
    copy = project_dir / "semantic_layer" / demo_warehouse.path.name
    copy.parent.mkdir(exist_ok=True)
    with duckdb.connect(str(demo_warehouse.path)) as con:
        con.sql("checkpoint")
    shutil.copyfile(demo_warehouse.path, copy)
    yield SemanticLayer(project_dir, copy)


def manifest_metrics(layer: SemanticLayer) -> set[str]:
    manifest = json.loads((layer.project_dir / "target" / "semantic_manifest.json").read_text())
    return {metric["name"] for metric in manifest["metrics"]}


def test_every_kpi_with_a_mart_has_a_metric(semantic_layer: SemanticLayer) -> None:
    metrics = manifest_metrics(semantic_layer)
    kpis = {row["kpi_id"] for row in catalogue() if row["mart"]}
    missing = sorted(kpis - metrics - SEMANTIC_LAYER_EXCLUSIONS.keys())
    assert not missing, f"KPIs with a mart but no metric (add one, or an exclusion): {missing}"
    both = sorted(kpis & metrics & SEMANTIC_LAYER_EXCLUSIONS.keys())
    assert not both, f"excluded KPIs that now have a metric (drop the exclusion): {both}"
    unknown = sorted(SEMANTIC_LAYER_EXCLUSIONS.keys() - kpis)
    assert not unknown, f"exclusions that are not KPIs with a mart: {unknown}"


def test_validate_configs(semantic_layer: SemanticLayer) -> None:
    result = semantic_layer.mf("validate-configs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERRORS: 0" in result.stdout and "ERRORS: 1" not in result.stdout


def close(mf_value: str, mart_value: Decimal | float | int | None) -> bool:
    if mart_value is None or mf_value == "":
        return mart_value is None and mf_value == ""
    # marts round rates to 4 decimals and money or days to 2; MetricFlow returns doubles
    return math.isclose(float(mf_value), float(mart_value), rel_tol=1e-9, abs_tol=0.006)


@pytest.mark.parametrize("grain", ["month", "fiscal_quarter"])
@pytest.mark.parametrize("mart", sorted(FAMILIES))
def test_metrics_equal_marts(semantic_layer: SemanticLayer, mart: str, grain: str) -> None:
    family = FAMILIES[mart]
    kpis = [
        row
        for row in catalogue()
        if row["mart"] == mart
        and row["kpi_id"] not in SEMANTIC_LAYER_EXCLUSIONS
        and GRAIN_ONLY.get(row["kpi_id"], grain) == grain
    ]
    assert kpis
    time_item = f"metric_time__{grain}"
    rows = semantic_layer.query([k["kpi_id"] for k in kpis], [time_item, *family.group_by])
    assert rows, "MetricFlow returned no rows"
    columns = ", ".join(k["value_column"] for k in kpis)
    mart_rows = {
        (str(r[0]), *map(str, r[1 : 1 + len(family.keys)])): r[1 + len(family.keys) :]
        for r in semantic_layer.sql(
            f"select period_start, {', '.join(family.keys)}, {columns} "
            f"from main_marts.{mart} where period_grain = '{grain}'"
        )
    }
    mismatches: list[str] = []
    for row in rows:
        key = (row[time_item][:10], *(row[item] for item in family.group_by))
        if key not in mart_rows:  # MetricFlow fills periods from the time spine; the mart may not
            assert all(row[k["kpi_id"]] in ("", "0", "0.0") for k in kpis), key
            continue
        for kpi, mart_value in zip(kpis, mart_rows[key], strict=True):
            if not close(row[kpi["kpi_id"]], mart_value):
                mismatches.append(
                    f"{kpi['kpi_id']} {key}: mf {row[kpi['kpi_id']]!r} mart {mart_value}"
                )
    assert not mismatches, f"{len(mismatches)} mismatches, e.g.\n" + "\n".join(mismatches[:20])
    assert len(rows) >= len(mart_rows) * 0.5  # the comparison covered most of the mart


def test_win_rate_by_team_fy2025_q2(semantic_layer: SemanticLayer) -> None:
    """The issue's example, both paths: SQL on kpi_team_performance and `mf query`."""
    rows = semantic_layer.query(
        ["win_rate"],
        ["metric_time__fiscal_quarter", "kpi_scope__scope_name"],
        "{{ Dimension('kpi_scope__scope') }} = 'team'",
        f"{{{{ TimeDimension('metric_time', 'fiscal_quarter') }}}} = '{FY2025_Q2}'",
    )
    from_mf = {r["kpi_scope__scope_name"]: r["win_rate"] for r in rows}
    from_sql = dict(
        semantic_layer.sql(
            "select scope_name, win_rate_pct from main_marts.kpi_team_performance "
            "where period_grain = 'fiscal_quarter' and period_label = 'FY2025 Q2' "
            "and scope = 'team'"
        )
    )
    assert from_mf.keys() == from_sql.keys()
    assert any(value is not None for value in from_sql.values())
    for team, value in from_sql.items():
        assert close(from_mf[team], value), team
