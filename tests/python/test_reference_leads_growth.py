"""Company-level leads and growth KPIs of the marts equal an independent pandas computation over
the raw demo: lead cohorts, MQL → SQL, contact and e-mail open rates, revenue and its MoM growth,
the opportunity and lead → customer cohorts, cross-sell / upsell, and the point-in-time pipeline."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from conftest import DEMO_DIR, Warehouse
from reference_leads_growth import (
    company_growth_by_month,
    company_leads_by_month,
    open_pipeline_on,
)

pytestmark = pytest.mark.dbt

AS_OF_DATE = "2026-10-31"
TIMEZONE = "Asia/Tokyo"

LEAD_COLUMNS = [
    "new_leads",
    "cohort_leads_to_opportunity",
    "lead_to_opportunity_pct",
    "mql_leads",
    "mql_leads_to_sql",
    "mql_to_sql_pct",
    "outbound_calls",
    "connected_calls",
    "contact_rate_pct",
    "emails_sent",
    "emails_bounced",
    "emails_opened",
    "email_open_rate_pct",
]
GROWTH_COLUMNS = [
    "revenue",
    "revenue_growth_mom_pct",
    "deals_won",
    "cross_sell_revenue",
    "cross_sell_pct",
    "upsell_revenue",
    "upsell_pct",
    "cohort_opportunities",
    "cohort_opportunities_won",
    "cohort_opportunities_lost",
    "cohort_opportunities_open",
    "order_rate_pct",
    "cohort_leads",
    "cohort_leads_to_customer",
    "cohort_days_to_customer",
    "lead_to_customer_pct",
]


def company_months(warehouse: Warehouse, mart: str, columns: list[str]) -> pd.DataFrame:
    rows = warehouse.query(
        f"select period_label, {', '.join(columns)} from main_marts.{mart}"
        " where scope = 'company' and period_grain = 'month' order by period_label"
    )
    frame = pd.DataFrame(rows, columns=["period_label", *columns]).set_index("period_label")
    return frame.astype("float64")


def assert_same(actual: Any, expected: Any, label: str) -> None:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        assert actual is None or math.isnan(float(actual)), label
    else:
        assert float(actual) == pytest.approx(float(expected), abs=1e-2), label


def assert_frames_match(actual: pd.DataFrame, expected: pd.DataFrame, columns: list[str]) -> None:
    for month in expected.index:
        assert month in actual.index, f"{month} missing from the mart"
        for column in columns:
            assert_same(actual.at[month, column], expected.at[month, column], f"{month} {column}")


def test_company_leads_by_month_match_pandas(demo_warehouse: Warehouse) -> None:
    expected = company_leads_by_month(DEMO_DIR, TIMEZONE, AS_OF_DATE)
    actual = company_months(demo_warehouse, "kpi_leads", LEAD_COLUMNS)
    assert len(expected) >= 20, "the demo should create leads in most of its 24 months"
    assert_frames_match(actual, expected, LEAD_COLUMNS)


def test_company_growth_by_month_matches_pandas(demo_warehouse: Warehouse) -> None:
    expected = company_growth_by_month(DEMO_DIR, TIMEZONE, AS_OF_DATE)
    actual = company_months(demo_warehouse, "kpi_growth", GROWTH_COLUMNS)
    assert len(expected) >= 20
    assert set(actual.index) == set(expected.index)
    assert_frames_match(actual, expected, GROWTH_COLUMNS)


@pytest.mark.parametrize("day", ["2025-03-31", "2025-09-30", "2026-03-31", "2026-09-30"])
def test_point_in_time_pipeline_matches_stage_history_replay(
    demo_warehouse: Warehouse, day: str
) -> None:
    expected_deals, expected_amount = open_pipeline_on(DEMO_DIR, TIMEZONE, AS_OF_DATE, day)
    mart = demo_warehouse.query(
        "select open_deals, open_pipeline from main_marts.kpi_growth"
        f" where scope = 'company' and period_grain = 'month' and pipeline_date = '{day}'"
    )
    daily = demo_warehouse.query(
        "select sum(open_deals), sum(open_pipeline_amount) from main_marts.fct_pipeline_daily"
        f" where pipeline_date = '{day}'"
    )
    assert expected_deals > 0
    for deals, amount in (mart[0], daily[0]):
        assert deals == expected_deals, day
        assert float(amount) == pytest.approx(expected_amount, abs=0.05), day


def test_opportunity_cohort_shares_add_up_to_100(demo_warehouse: Warehouse) -> None:
    rows = demo_warehouse.query(
        "select period_label, scope_id, order_rate_pct + cohort_lost_pct + cohort_open_pct"
        " from main_marts.kpi_growth where cohort_opportunities > 0"
    )
    assert rows
    for label, scope_id, total in rows:
        assert float(total) == pytest.approx(100, abs=1e-3), (label, scope_id)
