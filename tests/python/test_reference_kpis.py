"""Company-level KPIs of the marts equal an independent pandas computation over the raw demo."""

from __future__ import annotations

import pytest
from conftest import DEMO_DIR, Warehouse
from reference_kpis import company_win_rate_by_month

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
