"""Every query the dashboard runs: parameterised SQL on the marts, cached per warehouse file.

Filters always travel as query parameters (`$name`); the only identifiers in the SQL are the
mart names of the allow-lists below, fixed at import. The warehouse is opened read-only for one
script run at most (`run_session`) and closed after it, so the dashboard never holds a lock that
would stop `make build` for longer than a page takes to draw; the results are cached
(st.cache_data) under the file's path and modification time, so a rebuild of the warehouse is
picked up on the next rerun.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import duckdb
import pandas as pd
import streamlit as st

MARTS_SCHEMA = "main_marts"

Grain = Literal["month", "fiscal_quarter", "fiscal_year"]
GRAINS: tuple[Grain, ...] = get_args(Grain)

# KPI family marts with the common key (period_grain, period_start, …, scope, scope_id).
FamilyMart = Literal[
    "kpi_team_performance", "kpi_leads", "kpi_growth", "kpi_customer", "kpi_planning"
]
FAMILY_MARTS: tuple[FamilyMart, ...] = get_args(FamilyMart)

# Every relation the dashboard reads (the dbt exposure `sales_kpi_dashboard` lists the same).
REQUIRED_MARTS: tuple[str, ...] = (
    "dim_kpi",
    "dim_kpi_scope",
    *FAMILY_MARTS,
    "kpi_team_performance_products",
    "kpi_leads_lead_sources",
    "kpi_growth_lead_sources",
    "kpi_growth_funnel_stages",
    "fct_pipeline_daily_v2",
    "kpi_customer_cohorts",
    "kpi_alerts",
)

CACHE_TTL = "1h"


class DashboardError(Exception):
    """A problem the user can fix; the message says how."""


@dataclass(frozen=True)
class WarehouseFile:
    """A warehouse file and its modification time: the cache key of every query."""

    path: str
    stamp: int


def open_warehouse(path: Path) -> WarehouseFile:
    """The warehouse at `path`, or a DashboardError saying how to build one."""
    if not path.is_file():
        raise DashboardError(
            f"No warehouse at `{path}`. Run `make build` first (it builds the demo into "
            "warehouse.duckdb), or set SKW_WAREHOUSE to the DuckDB file a `dbt build` wrote."
        )
    return WarehouseFile(str(path), path.stat().st_mtime_ns)


def _open(source: WarehouseFile) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(source.path, read_only=True)
    except duckdb.IOException as error:
        raise DashboardError(
            f"Cannot open `{source.path}` read-only: {error}. If a `make build` (or another "
            "dbt run) is writing to it, wait until it finishes and reload the page."
        ) from error


@dataclass
class _Session:
    source: WarehouseFile
    connection: duckdb.DuckDBPyConnection | None = None


# The script run in progress (see run_session); None outside one.
_SESSION: ContextVar[_Session | None] = ContextVar("skw_dashboard_session", default=None)


@contextmanager
def run_session(source: WarehouseFile) -> Iterator[None]:
    """Share one read-only connection among the queries of a script run and close it after.

    It is opened by the first query that misses the cache, so a run served from the cache never
    touches the file."""
    session = _Session(source)
    token = _SESSION.set(session)
    try:
        yield
    finally:
        _SESSION.reset(token)
        if session.connection is not None:
            session.connection.close()


@contextmanager
def _connect(source: WarehouseFile) -> Iterator[duckdb.DuckDBPyConnection]:
    """The run's shared connection inside run_session, else a connection of its own."""
    session = _SESSION.get()
    if session is not None and session.source == source:
        if session.connection is None:
            session.connection = _open(source)
        yield session.connection
        return
    connection = _open(source)
    try:
        yield connection
    finally:
        connection.close()


def _frame(source: WarehouseFile, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run one query and fetch the whole result as a DataFrame."""
    with _connect(source) as connection:
        return connection.execute(sql, params or {}).df()


# ---- catalogue, calendar, scopes ----------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def missing_marts(source: WarehouseFile) -> list[str]:
    """The marts the dashboard needs that the warehouse lacks (empty when all are there)."""
    present = _frame(
        source,
        "select table_name from information_schema.tables where table_schema = $schema",
        {"schema": MARTS_SCHEMA},
    )
    names = set(present["table_name"])
    return [mart for mart in REQUIRED_MARTS if mart not in names]


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def kpi_catalogue(source: WarehouseFile) -> pd.DataFrame:
    """dim_kpi: one row per KPI with its English and Japanese names, unit, mart and columns."""
    return _frame(
        source,
        f"""
        select kpi_id, family, name_en, name_ja, formula, unit, mart,
            value_column, numerator_column, denominator_column
        from {MARTS_SCHEMA}.dim_kpi
        order by kpi_id
        """,
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def periods(source: WarehouseFile, grain: Grain) -> pd.DataFrame:
    """The reporting periods of a grain, oldest first (company rows of kpi_team_performance)."""
    return _frame(
        source,
        f"""
        select period_start, period_end, period_label, is_complete_period
        from {MARTS_SCHEMA}.kpi_team_performance
        where period_grain = $grain and scope = 'company'
        order by period_start
        """,
        {"grain": grain},
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def scopes(source: WarehouseFile) -> pd.DataFrame:
    """dim_kpi_scope: every team, rep, segment and region with its display name."""
    return _frame(
        source,
        f"""
        select scope, scope_id, coalesce(scope_name, scope_id) as scope_name
        from {MARTS_SCHEMA}.dim_kpi_scope
        order by scope, scope_name, scope_id
        """,
    )


# ---- KPI family marts ---------------------------------------------------------------------

_FAMILY_ROWS_SQL = {
    mart: f"""
        select *
        from {MARTS_SCHEMA}.{mart}
        where period_grain = $grain
            and period_start in (select unnest($starts::date[]))
            and scope = $scope and scope_id = $scope_id
        order by period_start
        """
    for mart in FAMILY_MARTS
}

_FAMILY_LEVEL_SQL = {
    mart: f"""
        select *
        from {MARTS_SCHEMA}.{mart}
        where period_grain = $grain and period_start = $start and scope = $scope
        order by scope_name, scope_id
        """
    for mart in FAMILY_MARTS
}

_FAMILY_TREND_SQL = {
    mart: f"""
        select *
        from {MARTS_SCHEMA}.{mart}
        where period_grain = $grain and scope = $scope and scope_id = $scope_id
            and period_start <= $until
        order by period_start
        """
    for mart in FAMILY_MARTS
}


def _family_sql(statements: dict[FamilyMart, str], mart: FamilyMart) -> str:
    if mart not in statements:
        raise ValueError(f"unknown KPI family mart {mart!r}; expected one of {FAMILY_MARTS}")
    return statements[mart]


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def family_rows(
    source: WarehouseFile,
    mart: FamilyMart,
    *,
    grain: Grain,
    starts: tuple[dt.date, ...],
    scope: str,
    scope_id: str,
) -> pd.DataFrame:
    """One entity's rows of a family mart for the given periods (e.g. this and the previous)."""
    return _frame(
        source,
        _family_sql(_FAMILY_ROWS_SQL, mart),
        {
            "grain": grain,
            "starts": list(starts),
            "scope": scope,
            "scope_id": scope_id,
        },
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def family_level(
    source: WarehouseFile, mart: FamilyMart, grain: Grain, start: dt.date, scope: str
) -> pd.DataFrame:
    """Every entity of one scope level (all reps, all teams, …) in one period."""
    return _frame(
        source,
        _family_sql(_FAMILY_LEVEL_SQL, mart),
        {"grain": grain, "start": start, "scope": scope},
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def family_trend(
    source: WarehouseFile,
    mart: FamilyMart,
    *,
    grain: Grain,
    scope: str,
    scope_id: str,
    until: dt.date,
) -> pd.DataFrame:
    """One entity's rows of a family mart for every period starting up to `until`."""
    return _frame(
        source,
        _family_sql(_FAMILY_TREND_SQL, mart),
        {"grain": grain, "scope": scope, "scope_id": scope_id, "until": until},
    )


# ---- team performance by product -----------------------------------------------------------

PRODUCTS_MART = "kpi_team_performance_products"


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def products(source: WarehouseFile) -> pd.DataFrame:
    """Every product the company has closed a deal of, by name; the (unknown) product last."""
    return _frame(
        source,
        f"""
        select product_id, max(product_name) as product_name
        from {MARTS_SCHEMA}.{PRODUCTS_MART}
        where scope = 'company'
        group by product_id
        order by product_id = '(unknown)', product_name, product_id
        """,
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def product_rows(
    source: WarehouseFile,
    *,
    grain: Grain,
    starts: tuple[dt.date, ...],
    scope: str,
    scope_id: str,
    product_id: str,
) -> pd.DataFrame:
    """One entity's rows of one product (kpi_team_performance_products) for the given periods."""
    return _frame(
        source,
        f"""
        select *
        from {MARTS_SCHEMA}.{PRODUCTS_MART}
        where period_grain = $grain
            and period_start in (select unnest($starts::date[]))
            and scope = $scope and scope_id = $scope_id and product_id = $product_id
        order by period_start
        """,
        {
            "grain": grain,
            "starts": list(starts),
            "scope": scope,
            "scope_id": scope_id,
            "product_id": product_id,
        },
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def product_level(
    source: WarehouseFile, grain: Grain, start: dt.date, scope: str, product_id: str
) -> pd.DataFrame:
    """Every entity of one scope level (all reps, all teams) for one product in one period."""
    return _frame(
        source,
        f"""
        select *
        from {MARTS_SCHEMA}.{PRODUCTS_MART}
        where period_grain = $grain and period_start = $start and scope = $scope
            and product_id = $product_id
        order by scope_name, scope_id
        """,
        {"grain": grain, "start": start, "scope": scope, "product_id": product_id},
    )


# ---- monitoring, leads, growth, customer --------------------------------------------------


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def alerts(source: WarehouseFile, grain: Grain, start: dt.date) -> pd.DataFrame:
    """kpi_alerts that fired in one period: critical first, then by KPI and entity."""
    return _frame(
        source,
        f"""
        select severity, kpi_id, name_en, name_ja, unit, scope, scope_id, scope_name,
            kpi_value, comparison, threshold_value
        from {MARTS_SCHEMA}.kpi_alerts
        where period_grain = $grain and period_start = $start
        order by case severity when 'critical' then 0 else 1 end, kpi_id, scope, scope_name
        """,
        {"grain": grain, "start": start},
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def lead_source_funnel(source: WarehouseFile, grain: Grain, start: dt.date) -> pd.DataFrame:
    """Per lead source in one period: leads → opportunities → customers (company-wide cohorts)."""
    return _frame(
        source,
        f"""
        select
            leads.lead_source,
            leads.new_leads,
            leads.cohort_leads_to_opportunity,
            leads.lead_to_opportunity_pct,
            growth.cohort_leads,
            growth.cohort_leads_to_customer,
            growth.lead_to_customer_pct,
            leads.outbound_calls,
            leads.connected_calls,
            leads.contact_rate_pct,
            leads.emails_delivered,
            leads.emails_opened,
            leads.email_open_rate_pct
        from {MARTS_SCHEMA}.kpi_leads_lead_sources as leads
        left join {MARTS_SCHEMA}.kpi_growth_lead_sources as growth
            on growth.period_grain = leads.period_grain
            and growth.period_start = leads.period_start
            and growth.lead_source = leads.lead_source
        where leads.period_grain = $grain and leads.period_start = $start
            and leads.new_leads > 0
        order by leads.new_leads desc, leads.lead_source
        """,
        {"grain": grain, "start": start},
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def funnel_stages(
    source: WarehouseFile, grain: Grain, start: dt.date, scope: str, scope_id: str
) -> pd.DataFrame:
    """kpi_growth_funnel_stages of one entity and period, in funnel order."""
    return _frame(
        source,
        f"""
        select stage, stage_order, stage_deals_entered, stage_deals_advanced,
            stage_conversion_pct, stage_deals_lost, stage_leakage_pct, stage_deals_still_open,
            stage_deals_exited, stage_days_total, avg_days_in_stage, open_deals, open_pipeline
        from {MARTS_SCHEMA}.kpi_growth_funnel_stages
        where period_grain = $grain and period_start = $start
            and scope = $scope and scope_id = $scope_id
        order by stage_order
        """,
        {"grain": grain, "start": start, "scope": scope, "scope_id": scope_id},
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def pipeline_daily(
    source: WarehouseFile, first: dt.date, last: dt.date, team_id: str | None
) -> pd.DataFrame:
    """Open pipeline per day and stage between two dates, for one team or (None) the company."""
    return _frame(
        source,
        f"""
        select pipeline_date, stage, stage_order,
            sum(open_deals) as open_deals,
            sum(open_pipeline) as open_pipeline
        from {MARTS_SCHEMA}.fct_pipeline_daily_v2
        where pipeline_date between $first and $last
            and ($team_id::varchar is null or team_id = $team_id)
        group by pipeline_date, stage, stage_order
        order by pipeline_date, stage_order
        """,
        {"first": first, "last": last, "team_id": team_id},
    )


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def customer_cohorts(
    source: WarehouseFile, scope: str, scope_id: str, first: dt.date, last: dt.date
) -> pd.DataFrame:
    """The cohort triangle as it stood at `last`: retention per acquisition month (first … last)
    and month of age, measured up to the month of `last`."""
    return _frame(
        source,
        f"""
        select period_start, period_label, months_since_acquisition, measured_month,
            cohort_customers, customers_retained, cohort_retention_pct
        from {MARTS_SCHEMA}.kpi_customer_cohorts
        where scope = $scope and scope_id = $scope_id
            and period_start between $first and $last
            and measured_month <= $last
        order by period_start, months_since_acquisition
        """,
        {"scope": scope, "scope_id": scope_id, "first": first, "last": last},
    )
