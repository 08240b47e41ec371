"""Company-level customer KPIs of kpi_customer equal an independent pandas computation."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import DEMO_DIR, Warehouse
from reference_customer import company_customer_kpis

pytestmark = pytest.mark.dbt

AS_OF_DATE = date(2026, 10, 31)
COLUMNS = [
    "customers_at_start",
    "customers_at_end",
    "customers_retained",
    "customers_lost",
    "new_customers",
    "customer_retention_pct",
    "churn_rate_pct",
    "service_requests",
    "first_contact_resolutions",
    "quotes_delivered",
    "quote_turnaround_hours",
]


def test_company_customer_kpis_by_fiscal_quarter_match_pandas(demo_warehouse: Warehouse) -> None:
    rows = demo_warehouse.query(
        f"select period_start, period_end, {', '.join(COLUMNS)} from main_marts.kpi_customer"
        " where scope = 'company' and period_grain = 'fiscal_quarter'"
        " and period_start >= date '2025-01-01' order by period_start"
    )
    assert len(rows) >= 7, "the demo covers FY2024 Q4 to FY2026 Q3"
    for period_start, period_end, *values in rows:
        expected = company_customer_kpis(
            DEMO_DIR, period_start, period_end, AS_OF_DATE, "Asia/Tokyo"
        )
        actual = dict(zip(COLUMNS, values, strict=True))
        for column in COLUMNS:
            want = expected[column]
            got = actual[column]
            if want is None:
                assert got is None, (period_start, column)
            else:
                assert got is not None, (period_start, column)
                assert float(got) == pytest.approx(want, abs=0.011), (period_start, column)
