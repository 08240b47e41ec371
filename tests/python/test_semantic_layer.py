"""The MetricFlow semantic layer: every KPI has a metric, and MetricFlow agrees with the marts.

Coverage: the KPI registry (seed kpi_catalogue) names each KPI's metric, or says in
`metric_exclusion_reason` why MetricFlow cannot express it faithfully; test_kpi_registry checks
that every KPI has one or the other, here every named metric is compared with its mart.

Two paths: `mf query` (through the CLI, on the demo warehouse) re-aggregates the monthly facts to
months and fiscal quarters; the result must equal the KPI marts' own rows — per rep, team and
company, per lead source (kpi_leads_lead_sources, kpi_growth_lead_sources), per customer segment
and region, per funnel stage, per content asset and per cohort age; and the product metrics
(win rate, won revenue, deals won, deal size by product) equal kpi_team_performance_products.
And the issue's example, win rate by team for FY2025 Q2, three ways: SQL, `mf query` and the
docs' formula. The deal-grain metrics (fct_deal_closes and its conformed dimensions) equal the
same marts by company, team and product family, and answer a cut no mart holds (win rate by
account segment x product family), checked against SQL over the fact's inputs.
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

# Which fiscal quarter the example asks for: FY2025 Q2 (April fiscal year start).
FY2025_Q2 = "2025-07-01"


# The demo's "today" (dbt_project.yml vars.as_of_date).
AS_OF_DATE = "2026-10-31"


@dataclass(frozen=True)
class Family:
    """Rows of a mart and the MetricFlow query that must reproduce them."""

    mart: str  # the mart the numbers are read from
    keys: tuple[str, ...]  # SQL over the mart identifying a row besides the period
    group_by: tuple[str, ...]  # the matching MetricFlow group-by items, same order
    kpi_mart: str = ""  # the catalogue mart whose KPIs are checked (default: mart)
    where: tuple[str, ...] = ()  # MetricFlow filters selecting the family's rows
    grains: tuple[str, ...] = ("month", "fiscal_quarter")
    # Stop the query here: cumulative metrics (clv_historical's to-date balances) run on to the
    # time spine's end otherwise. Only where needed: MetricFlow also clips the offset windows of
    # the growth metrics with it, which changes the quarter in progress.
    end_time: str | None = None
    mart_where: str = "true"  # SQL selecting the family's rows of the mart
    # Compare periods starting on or after this day only (not --start-time: MetricFlow would clip
    # the trailing windows with it too).
    compare_from: str = ""


SCOPE = ("scope", "scope_id")
SCOPE_BY = ("kpi_scope__scope", "kpi_scope__scope_id")
NOT_LEAD_SOURCE = "{{ Dimension('kpi_scope__scope') }} != 'lead_source'"
LEAD_SOURCE = "{{ Dimension('kpi_scope__scope') }} = 'lead_source'"
FAMILIES: dict[str, Family] = {
    "kpi_team_performance": Family("kpi_team_performance", SCOPE, SCOPE_BY),
    "kpi_leads": Family("kpi_leads", SCOPE, SCOPE_BY, where=(NOT_LEAD_SOURCE,)),
    "kpi_leads_lead_sources": Family(
        "kpi_leads_lead_sources",
        ("'lead_source'", "lead_source"),
        SCOPE_BY,
        kpi_mart="kpi_leads",
        where=(LEAD_SOURCE,),
    ),
    "kpi_growth": Family("kpi_growth", SCOPE, SCOPE_BY, where=(NOT_LEAD_SOURCE,)),
    "kpi_growth_lead_sources": Family(
        "kpi_growth_lead_sources",
        ("'lead_source'", "lead_source"),
        SCOPE_BY,
        kpi_mart="kpi_growth",
        where=(LEAD_SOURCE,),
    ),
    "kpi_growth_funnel_stages": Family(
        "kpi_growth_funnel_stages", (*SCOPE, "stage"), (*SCOPE_BY, "funnel_stage__stage")
    ),
    "kpi_customer": Family("kpi_customer", SCOPE, SCOPE_BY, end_time=AS_OF_DATE),
    "kpi_customer_cohorts": Family(
        "kpi_customer_cohorts",
        (*SCOPE, "months_since_acquisition"),
        (*SCOPE_BY, "customer_cohort__months_since_acquisition"),
        grains=("month",),  # the cohort is the acquisition month; the mart has no other grain
    ),
    "kpi_content_assets": Family("kpi_content_assets", ("asset_id",), ("content_asset",)),
    # The KGI back-calculation on the goal, deal-close, lead and activity facts: the company (no
    # grouping) and each team (the `team` entity; the company adjustment of fct_revenue_goals has
    # no team). MetricFlow has no row for a team in a month that neither holds nor follows within
    # the trailing window any event of the team, so in the fiscal quarter a team's first events
    # fall in, period_agg `first` takes a later month (kpi_planning: NULL, nothing before the
    # quarter). The demo's teams all start in November 2024: compare teams from the next quarter.
    "kpi_planning": Family(
        "kpi_planning", (), (), mart_where="scope = 'company'", end_time=AS_OF_DATE
    ),
    "kpi_planning_teams": Family(
        "kpi_planning",
        ("scope_id",),
        ("team",),
        where=("{{ Entity('team') }} is not null",),
        end_time=AS_OF_DATE,
        mart_where="scope = 'team'",
        compare_from="2025-01-01",
    ),
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

    def query(
        self, metrics: list[str], group_by: list[str], *where: str, end_time: str | None = None
    ) -> list[dict[str, str]]:
        out = self.project_dir / "query.csv"
        args = ["query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by)]
        for condition in where:
            args += ["--where", condition]
        if end_time:
            args += ["--end-time", end_time]
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


def test_validate_configs(semantic_layer: SemanticLayer) -> None:
    result = semantic_layer.mf("validate-configs")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERRORS: 0" in result.stdout and "ERRORS: 1" not in result.stdout


def close(mf_value: str, mart_value: Decimal | float | int | None) -> bool:
    if mart_value is None or mf_value == "":
        return mart_value is None and mf_value == ""
    # marts round rates to 4 decimals and money or days to 2; MetricFlow returns doubles
    return math.isclose(float(mf_value), float(mart_value), rel_tol=1e-9, abs_tol=0.006)


@pytest.mark.parametrize(
    ("mart", "grain"),
    [(mart, grain) for mart, family in sorted(FAMILIES.items()) for grain in family.grains],
)
def test_metrics_equal_marts(semantic_layer: SemanticLayer, mart: str, grain: str) -> None:
    family = FAMILIES[mart]
    mart_columns = {row[0] for row in semantic_layer.sql(f"describe main_marts.{family.mart}")}
    kpis = [
        row
        for row in catalogue()
        if row["mart"] == (family.kpi_mart or family.mart)
        and row["metric"]
        and row["value_column"] in mart_columns
        and GRAIN_ONLY.get(row["kpi_id"], grain) == grain
    ]
    assert kpis
    time_item = f"metric_time__{grain}"
    rows = semantic_layer.query(
        [k["metric"] for k in kpis],
        [time_item, *family.group_by],
        *family.where,
        end_time=family.end_time,
    )
    assert rows, "MetricFlow returned no rows"
    columns = ", ".join(k["value_column"] for k in kpis)
    mart_rows = {
        (str(r[0]), *map(str, r[1 : 1 + len(family.keys)])): r[1 + len(family.keys) :]
        for r in semantic_layer.sql(
            f"select {', '.join(('period_start', *family.keys, columns))} "
            f"from main_marts.{family.mart} where period_grain = '{grain}' "
            f"and {family.mart_where} and period_start >= '{family.compare_from or '1900-01-01'}'"
        )
    }
    mismatches: list[str] = []
    for row in rows:
        key = (row[time_item][:10], *(row[item] for item in family.group_by))
        if key[0] < family.compare_from:
            continue
        if key not in mart_rows:  # MetricFlow fills periods from the time spine; the mart may not
            assert all(row[k["metric"]] in ("", "0", "0.0") for k in kpis), key
            continue
        for kpi, mart_value in zip(kpis, mart_rows[key], strict=True):
            if not close(row[kpi["metric"]], mart_value):
                mismatches.append(
                    f"{kpi['kpi_id']} {key}: mf {row[kpi['metric']]!r} mart {mart_value}"
                )
    assert not mismatches, f"{len(mismatches)} mismatches, e.g.\n" + "\n".join(mismatches[:20])
    assert len(rows) >= len(mart_rows) * 0.5  # the comparison covered most of the mart


def test_win_rate_by_team_fy2025_q2(semantic_layer: SemanticLayer) -> None:
    """The issue's example, three ways (docs/serving.md "One number, three ways"): SQL on
    kpi_team_performance, `mf query`, and the formula the docs site shows (the doc block on the
    column names the numerator and denominator dim_kpi lists) applied to the mart's own parts.
    Win rate by amount is the JPY variant: both amounts are in the reporting currency."""
    rows = semantic_layer.query(
        ["win_rate", "win_rate_by_amount"],
        ["metric_time__fiscal_quarter", "kpi_scope__scope_name"],
        "{{ Dimension('kpi_scope__scope') }} = 'team'",
        f"{{{{ TimeDimension('metric_time', 'fiscal_quarter') }}}} = '{FY2025_Q2}'",
    )
    from_mf = {r["kpi_scope__scope_name"]: r for r in rows}
    assert all(r["metric_time__fiscal_quarter"][:10] == FY2025_Q2 for r in rows)
    # the docs: dim_kpi's formula and parts, and the column's rendered doc block naming them
    (formula, numerator, denominator), *_ = semantic_layer.sql(
        "select formula, numerator_column, denominator_column from main_marts.dim_kpi "
        "where kpi_id = 'win_rate_pct'"
    )
    manifest = json.loads((semantic_layer.project_dir / "target" / "manifest.json").read_text())
    column = manifest["nodes"]["model.sales_kpi_warehouse.kpi_team_performance"]["columns"]
    doc = column["win_rate_pct"]["description"]
    assert f"`{numerator}`" in doc and f"`{denominator}`" in doc and "× 100" in formula
    meta = column["win_rate_pct"]["meta"]  # what BI tools importing dbt metadata read
    assert (meta["format"], meta["kpi_id"]) == ("percent", "win_rate_pct")
    from_sql = semantic_layer.sql(
        f"select scope_name, win_rate_pct, {numerator}, {denominator}, win_rate_by_amount_pct "
        "from main_marts.kpi_team_performance "
        "where period_grain = 'fiscal_quarter' and period_label = 'FY2025 Q2' "
        "and scope = 'team'"
    )
    assert from_mf.keys() == {team for team, *_ in from_sql}
    assert sum(value is not None for _, value, *_ in from_sql) >= 3
    for team, value, won, closed, by_amount in from_sql:
        assert (closed == 0) == (value is None), team
        assert value is None or math.isclose(100 * won / closed, value, abs_tol=1e-4), team
        assert close(from_mf[team]["win_rate"], value), team
        assert close(from_mf[team]["win_rate_by_amount"], by_amount), team


# The product metrics (issue 23) and the kpi_team_performance_products column each must equal.
PRODUCT_METRICS: dict[str, str] = {
    "product_deals_won": "deals_won",
    "product_deals_closed": "deals_closed",
    "product_won_revenue": "won_revenue",
    "product_win_rate": "win_rate_pct",
    "product_average_deal_size": "average_deal_size",
}
PRODUCT_BY = ("product", "product__product_name", "product__product_family")


@pytest.mark.parametrize("grain", ["month", "fiscal_quarter"])
def test_product_metrics_equal_the_products_mart(semantic_layer: SemanticLayer, grain: str) -> None:
    """Win rate, won revenue, deals won and deal size by product, re-aggregated by MetricFlow
    from the month rows, for the company and one team: the rows of kpi_team_performance_products
    (same periods, scopes and products, same numbers)."""
    ((team,),) = semantic_layer.sql(  # the team that closed the most deals
        "select scope_id from main_marts.kpi_team_performance_products where scope = 'team' "
        "and period_grain = 'month' group by scope_id order by sum(deals_closed) desc limit 1"
    )
    time_item = f"metric_time__{grain}"
    rows = semantic_layer.query(
        list(PRODUCT_METRICS),
        [time_item, *SCOPE_BY, *PRODUCT_BY],
        "{{ Dimension('kpi_scope__scope') }} = 'company' or "
        f"({{{{ Dimension('kpi_scope__scope') }}}} = 'team' "
        f"and {{{{ Dimension('kpi_scope__scope_id') }}}} = '{team}')",
    )
    columns = ", ".join(PRODUCT_METRICS.values())
    mart_rows = {
        tuple(map(str, r[:6])): r[6:]
        for r in semantic_layer.sql(
            "select period_start, scope, scope_id, product_id, product_name, product_family, "
            f"{columns} from main_marts.kpi_team_performance_products "
            f"where period_grain = '{grain}' "
            f"and (scope = 'company' or (scope = 'team' and scope_id = '{team}'))"
        )
    }
    from_mf = {
        (r[time_item][:10], *(r[item] for item in (*SCOPE_BY, *PRODUCT_BY))): r for r in rows
    }
    assert from_mf.keys() == mart_rows.keys(), (
        f"rows only in mf: {sorted(from_mf.keys() - mart_rows.keys())[:5]}; "
        f"only in the mart: {sorted(mart_rows.keys() - from_mf.keys())[:5]}"
    )
    products = {key[3] for key in mart_rows}
    assert "(unknown)" in products and len(products) >= 3, f"too few products: {products}"
    assert {key[1] for key in mart_rows} == {"company", "team"}
    mismatches = [
        f"{metric} {key}: mf {from_mf[key][metric]!r} mart {value}"
        for key, values in mart_rows.items()
        for metric, value in zip(PRODUCT_METRICS, values, strict=True)
        if not close(from_mf[key][metric], value)
    ]
    assert not mismatches, f"{len(mismatches)} mismatches, e.g.\n" + "\n".join(mismatches[:20])


# The deal-grain fact (fct_deal_closes, semantic model deal_closes): its metrics and the
# kpi_team_performance(_products) columns each must equal wherever a mart has the same cut.
DEAL_METRICS: dict[str, str] = {
    "closed_deals": "deals_closed",
    "closed_deal_win_rate": "win_rate_pct",
    "closed_deal_won_revenue": "won_revenue",
    "closed_deal_average_size": "average_deal_size",
}
# DEAL_METRICS' columns from the additive parts of several mart rows
DEAL_PARTS = (
    "sum(deals_closed), 100.0 * sum(deals_won) / sum(deals_closed), sum(won_revenue), "
    "sum(won_revenue) / nullif(sum(deals_won), 0)"
)


@dataclass(frozen=True)
class DealCut:
    """A cut of the deal-close metrics and the mart rows (period_start, keys, DEAL_METRICS'
    columns in order; only periods with a closed deal) that must equal it."""

    grain: str
    group_by: tuple[str, ...]
    mart_sql: str


DEAL_CUTS: dict[str, DealCut] = {
    "company": DealCut(
        "fiscal_quarter",
        (),
        f"select period_start, {', '.join(DEAL_METRICS.values())} "
        "from main_marts.kpi_team_performance where scope = 'company' "
        "and period_grain = 'fiscal_quarter' and deals_closed > 0",
    ),
    "team": DealCut(
        "month",
        ("team",),
        f"select period_start, scope_id, {', '.join(DEAL_METRICS.values())} "
        "from main_marts.kpi_team_performance where scope = 'team' "
        "and period_grain = 'month' and deals_closed > 0",
    ),
    # the products mart holds product rows: summed to the family here
    "product_family": DealCut(
        "fiscal_quarter",
        ("product__product_family",),
        f"select period_start, product_family, {DEAL_PARTS} "
        "from main_marts.kpi_team_performance_products where scope = 'company' "
        "and period_grain = 'fiscal_quarter' group by period_start, product_family "
        "having sum(deals_closed) > 0",
    ),
}


def deal_cut_mismatches(layer: SemanticLayer, cut: DealCut) -> list[str]:
    """Where `mf query` on the deal-grain metrics differs from the mart rows of `cut`."""
    time_item = f"metric_time__{cut.grain}"
    rows = layer.query(list(DEAL_METRICS), [time_item, *cut.group_by])
    from_mf = {(r[time_item][:10], *(r[item] for item in cut.group_by)): r for r in rows}
    width = 1 + len(cut.group_by)
    mart_rows = {tuple(map(str, r[:width])): r[width:] for r in layer.sql(cut.mart_sql)}
    if not mart_rows:
        return [f"the mart has no rows for this cut: {cut.mart_sql}"]
    if from_mf.keys() != mart_rows.keys():
        return [
            f"rows only in mf: {sorted(from_mf.keys() - mart_rows.keys())[:5]}; "
            f"only in the mart: {sorted(mart_rows.keys() - from_mf.keys())[:5]}"
        ]
    return [
        f"{metric} {key}: mf {from_mf[key][metric]!r} mart {value}"
        for key, values in sorted(mart_rows.items())
        for metric, value in zip(DEAL_METRICS, values, strict=True)
        if not close(from_mf[key][metric], value)
    ]


@pytest.mark.parametrize("cut", sorted(DEAL_CUTS))
def test_deal_grain_metrics_equal_the_marts(semantic_layer: SemanticLayer, cut: str) -> None:
    """Deals closed, win rate, won revenue and deal size from the deal-grain fact, for the
    company by fiscal quarter, per team by month and per product family by fiscal quarter: the
    numbers of kpi_team_performance and kpi_team_performance_products."""
    mismatches = deal_cut_mismatches(semantic_layer, DEAL_CUTS[cut])
    assert not mismatches, f"{len(mismatches)} mismatches, e.g.\n" + "\n".join(mismatches[:20])


# A cut no period table holds: win rate by account segment x product family x fiscal year. The
# reference is SQL over the fact's inputs (int_deals_enriched, stg_crm__accounts and the time
# spine), not over fct_deal_closes, so the fact's keys, the dimensions and MetricFlow's joins
# are all under test; a deal without a staged account counts under the (unknown) segment.
SEGMENT_FAMILY_SQL = """
select
    cast(spine.fiscal_year_start as varchar),
    coalesce(accounts.segment, '(unknown)'),
    deals.product_family,
    100.0 * sum(case when deals.is_won then 1 else 0 end) / count(*)
from main_intermediate.int_deals_enriched as deals
left join main_staging.stg_crm__accounts as accounts on deals.account_id = accounts.account_id
inner join main_marts.metricflow_time_spine as spine on deals.closed_date = spine.date_day
where deals.is_closed
group by all
"""
SEGMENT_FAMILY_BY = ("metric_time__fiscal_year", "account__segment", "product__product_family")


def segment_family_mismatches(layer: SemanticLayer) -> list[str]:
    rows = layer.query(["closed_deal_win_rate"], list(SEGMENT_FAMILY_BY))
    from_mf = {
        (r[SEGMENT_FAMILY_BY[0]][:10], *(r[k] for k in SEGMENT_FAMILY_BY[1:])): r for r in rows
    }
    expected = {tuple(row[:3]): row[3] for row in layer.sql(SEGMENT_FAMILY_SQL)}
    if not expected:
        return ["no closed deals in int_deals_enriched"]
    if from_mf.keys() != expected.keys():
        return [f"cuts differ: mf {sorted(from_mf)[:5]}, SQL {sorted(expected)[:5]}"]
    return [
        f"{key}: mf {from_mf[key]['closed_deal_win_rate']!r} SQL {value}"
        for key, value in sorted(expected.items())
        if not close(from_mf[key]["closed_deal_win_rate"], value)
    ]


def test_win_rate_by_account_segment_and_product_family(semantic_layer: SemanticLayer) -> None:
    """The question the period tables cannot answer, through the account and product entities."""
    mismatches = segment_family_mismatches(semantic_layer)
    assert not mismatches, f"{len(mismatches)} mismatches, e.g.\n" + "\n".join(mismatches[:20])
    segments = {segment for _, segment, *_ in semantic_layer.sql(SEGMENT_FAMILY_SQL)}
    assert "(unknown)" in segments and len(segments) >= 3, f"too few segments: {segments}"
