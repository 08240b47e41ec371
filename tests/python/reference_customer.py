"""An independent pandas computation of company-level customer KPIs (KPI_CATALOGUE.md section D)
straight from the raw CRM export — no dbt, no SQL — to check kpi_customer against.

A customer is an account with at least one active contract on the date (start ≤ date ≤ end,
empty end = open-ended). Customers at a period's start are those active on the day before it;
at its end, those active on its last day (the as-of date while in progress)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from reference_kpis import latest_versions, parse_timestamp, read_raw


def valid_contracts(folder: Path) -> pd.DataFrame:
    """Contracts that pass the contract's checks (dates, amount, currency, known account)."""
    accounts = latest_versions(read_raw(folder, "accounts"), "account_id")
    contracts = latest_versions(
        read_raw(folder, "contracts").dropna(subset=["contract_id"]), "contract_id"
    )
    start = pd.to_datetime(contracts["start_date"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(contracts["end_date"], format="%Y-%m-%d", errors="coerce")
    amount = pd.to_numeric(contracts["monthly_amount"], errors="coerce")
    ok = (
        start.notna()
        & (contracts["end_date"].isna() | end.notna())
        & ~(end < start)
        & amount.notna()
        & (amount >= 0)
        & (contracts["currency_code"].str.len() == 3)
        & contracts["account_id"].isin(set(accounts["account_id"]))
    )
    return contracts.assign(start=start.dt.date, end=end.dt.date).loc[ok]


def customers_on(contracts: pd.DataFrame, day: date) -> set[str]:
    """Accounts with at least one contract active on `day`."""
    active = (contracts["start"] <= day) & (contracts["end"].isna() | (contracts["end"] >= day))
    return set(contracts.loc[active, "account_id"])


def company_customer_kpis(
    folder: Path, period_start: date, period_end: date, as_of: date, timezone: str
) -> dict[str, float | int | None]:
    """Customers at start/end, retained, lost, new, CRR, churn, FCR and quote turnaround."""
    contracts = valid_contracts(folder)
    contracts = contracts[contracts["start"] <= as_of]
    measured_end = min(period_end, as_of)
    at_start = customers_on(contracts, period_start - timedelta(days=1))
    at_end = customers_on(contracts, measured_end)
    first_start = contracts.groupby("account_id")["start"].min()
    new = int(((first_start >= period_start) & (first_start <= measured_end)).sum())
    retained = len(at_start & at_end)
    lost = len(at_start - at_end)

    def local_date(values: pd.Series) -> pd.Series:
        local: pd.Series = parse_timestamp(values).dt.tz_localize("UTC").dt.tz_convert(timezone)
        dates: pd.Series = local.dt.date
        return dates

    requests = read_raw(folder, "service_requests")
    opened = local_date(requests["opened_at"])
    resolved = local_date(requests["resolved_at"])
    in_period = (opened >= period_start) & (opened <= measured_end)
    first_contact = in_period & (requests["contact_count"] == "1") & (resolved <= as_of)

    quotes = read_raw(folder, "quotes")
    delivered = local_date(quotes["delivered_at"])
    hours = (
        parse_timestamp(quotes["delivered_at"]) - parse_timestamp(quotes["requested_at"])
    ).dt.total_seconds() / 3600
    delivered_in_period = (delivered >= period_start) & (delivered <= measured_end)

    def pct(numerator: int, denominator: int) -> float | None:
        return round(100 * numerator / denominator, 4) if denominator else None

    quotes_delivered = int(delivered_in_period.sum())
    return {
        "customers_at_start": len(at_start),
        "customers_at_end": len(at_end),
        "customers_retained": retained,
        "customers_lost": lost,
        "new_customers": new,
        "customer_retention_pct": pct(retained, len(at_start)),
        "churn_rate_pct": pct(lost, len(at_start)),
        "service_requests": int(in_period.sum()),
        "first_contact_resolutions": int(first_contact.sum()),
        "quotes_delivered": quotes_delivered,
        "quote_turnaround_hours": (
            round(float(hours[delivered_in_period].sum()) / quotes_delivered, 2)
            if quotes_delivered
            else None
        ),
    }
