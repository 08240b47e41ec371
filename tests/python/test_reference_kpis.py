"""Company-level KPIs of the marts equal an independent pandas computation over the raw demo."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import DEMO_DIR, Warehouse
from reference_kpis import (
    company_activity_kpis_by_month,
    company_deal_kpis_by_month,
    company_product_kpis_by_month,
    company_win_rate_by_month,
)

pytestmark = pytest.mark.dbt

AS_OF_DATE = "2026-10-31"


def test_company_win_rate_by_month_matches_pandas(demo_warehouse: Warehouse) -> None:
    expected = company_win_rate_by_month(DEMO_DIR, "Asia/Tokyo", AS_OF_DATE)
    rows = demo_warehouse.query(
        "select period_label, deals_won, deals_closed, win_rate_pct"
        " from main_marts.kpi_team_performance"
        " where scope = 'company' and period_grain = 'month' and deals_closed > 0"
        " order by period_label"
    )
    actual = {label: (won, closed, float(rate)) for label, won, closed, rate in rows}
    assert len(expected) >= 20, "the demo should close deals in most of its 24 months"
    assert set(actual) == set(expected.index)
    for month, row in expected.iterrows():
        won, closed, rate = actual[str(month)]
        assert (won, closed) == (row["deals_won"], row["deals_closed"]), month
        assert rate == pytest.approx(row["win_rate_pct"], abs=1e-4), month


def test_rep_and_team_rows_add_up_to_the_company(demo_warehouse: Warehouse) -> None:
    rows = demo_warehouse.query(
        "select period_grain, period_start, scope, sum(deals_won), sum(deals_closed)"
        " from main_marts.kpi_team_performance group by all"
    )
    totals: dict[tuple[str, object], dict[str, tuple[int, int]]] = {}
    for grain, start, scope, won, closed in rows:
        totals.setdefault((grain, start), {})[scope] = (won, closed)
    for period, by_scope in totals.items():
        assert by_scope["rep"] == by_scope["team"] == by_scope["company"], period


def _company_months(warehouse: Warehouse, columns: str) -> dict[str, tuple[Any, ...]]:
    rows = warehouse.query(
        f"select period_label, {columns} from main_marts.kpi_team_performance"
        " where scope = 'company' and period_grain = 'month' order by period_label"
    )
    return {row[0]: row[1:] for row in rows}


def test_company_revenue_deal_size_and_cycle_match_pandas(demo_warehouse: Warehouse) -> None:
    expected = company_deal_kpis_by_month(DEMO_DIR, "Asia/Tokyo", AS_OF_DATE)
    actual = _company_months(
        demo_warehouse, "won_revenue, deals_won, average_deal_size, average_sales_cycle_days"
    )
    for month, row in expected.iterrows():
        won_revenue, deals_won, deal_size, cycle = actual[str(month)]
        assert deals_won == row["deals_won"], month
        assert float(won_revenue) == pytest.approx(row["won_revenue"], abs=0.05), month
        assert float(deal_size) == pytest.approx(row["average_deal_size"], abs=0.05), month
        assert float(cycle) == pytest.approx(row["average_sales_cycle_days"], abs=0.01), month


def test_company_activity_and_selling_time_match_pandas(demo_warehouse: Warehouse) -> None:
    expected = company_activity_kpis_by_month(DEMO_DIR, "Asia/Tokyo", AS_OF_DATE)
    columns = ["calls_made", "emails_sent", "meetings_booked", "meetings_held", "selling_minutes"]
    actual = _company_months(demo_warehouse, ", ".join([*columns, "selling_time_share_pct"]))
    assert set(expected.index) <= set(actual)
    for month, row in expected.iterrows():
        values = actual[str(month)]
        assert list(values[:-1]) == [int(row[c]) for c in columns], month
        assert float(values[-1]) == pytest.approx(row["selling_time_share_pct"], abs=1e-4), month


def test_company_win_rate_and_revenue_by_product_match_pandas(demo_warehouse: Warehouse) -> None:
    """kpi_team_performance_products (issue 23): per month and product, deals won, lost and
    closed, win rate and won revenue of the company; (unknown) for an empty or unknown id."""
    expected = company_product_kpis_by_month(DEMO_DIR, "Asia/Tokyo", AS_OF_DATE)
    rows = demo_warehouse.query(
        "select period_label, product_id, deals_won, deals_lost, deals_closed, win_rate_pct,"
        " won_revenue from main_marts.kpi_team_performance_products"
        " where scope = 'company' and period_grain = 'month' and deals_closed > 0"
    )
    actual = {(label, product): values for label, product, *values in rows}
    products = {product for _, product in expected.index}
    assert "(unknown)" in products and len(products) >= 3, f"too few products: {products}"
    assert set(actual) == set(expected.index)
    for row in expected.reset_index().to_dict("records"):
        key = (str(row["month"]), str(row["product_id"]))
        won, lost, closed, rate, revenue = actual[key]
        assert (won, lost, closed) == (row["deals_won"], row["deals_lost"], row["deals_closed"]), (
            key
        )
        assert float(rate) == pytest.approx(row["win_rate_pct"], abs=1e-4), key
        assert float(revenue) == pytest.approx(row["won_revenue"], abs=0.05), key
