"""Customer: retention (CRR), churn, CLV, CAC, LTV:CAC and the cohort retention triangle."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components, queries
from sales_kpi_warehouse.dashboard.context import Context, Scope, ScopeLevel
from sales_kpi_warehouse.dashboard.queries import FamilyMart

MART: FamilyMart = "kpi_customer"
CUSTOMER_LEVELS: tuple[ScopeLevel, ...] = ("company", "segment", "region")
SCORECARD_KPIS: tuple[str, ...] = (
    "customer_retention_pct",
    "churn_rate_pct",
    "clv_historical",
    "clv_predictive",
    "cac",
    "ltv_cac_ratio",
    "revenue_lost_churn",
    "first_contact_resolution_pct",
)
COHORT_MONTHS = 24  # acquisition months in the triangle


def customer_scope(ctx: Context) -> Scope:
    """The company, a segment or a region, picked on this page."""
    frame = queries.scopes(ctx.source)
    choices = {ctx.company.scope_id: ctx.company}
    for row in frame[frame["scope"].isin(CUSTOMER_LEVELS[1:])].to_dict("records"):
        level: ScopeLevel = "segment" if row["scope"] == "segment" else "region"
        choices[f"{level}:{row['scope_id']}"] = Scope(
            level, str(row["scope_id"]), str(row["scope_name"])
        )
    key = st.selectbox(
        ctx.t("customer_scope"),
        list(choices),
        format_func=lambda value: ctx.scope_text(choices[value], markdown=False),
        key="customer_scope",
    )
    return choices[key]


def retention_chart(ctx: Context, frame: pd.DataFrame) -> None:
    figure = components.new_figure(ctx.t("retention_trend"))
    for kpi_id in ("customer_retention_pct", "churn_rate_pct"):
        figure.add_trace(components.kpi_trace(ctx, frame, "period_label", ctx.kpi(kpi_id)))
    figure.update_yaxes(ticksuffix="%", range=[0, 100])
    components.show(figure, "customer_retention")


def months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def cohort_heatmap(ctx: Context, scope: Scope) -> None:
    st.subheader(ctx.t("cohort_triangle"))
    frame = queries.customer_cohorts(
        ctx.source,
        scope.level,
        scope.scope_id,
        months_before(ctx.period.end, COHORT_MONTHS - 1),
        ctx.period.end,
    )
    if frame.empty:
        ctx.no_data(scope)
        return
    kpi = ctx.kpi("cohort_retention_pct")
    frame = frame.assign(
        hover_title=frame["period_label"]
        + " · +"
        + frame["months_since_acquisition"].astype(str)
        + (" months" if ctx.lang == "en" else "か月")
    )
    frame = frame.assign(hover=components.hover_texts(ctx, frame, "hover_title", kpis=[kpi]))
    values = frame.pivot(
        index="period_label", columns="months_since_acquisition", values="cohort_retention_pct"
    )
    texts = frame.pivot(index="period_label", columns="months_since_acquisition", values="hover")
    figure = components.new_figure("", height=max(360, 22 * len(values) + 120))
    figure.add_trace(
        go.Heatmap(
            z=values.to_numpy(),
            x=[str(column) for column in values.columns],
            y=components.labels(values.index),
            text=texts.fillna("").to_numpy(),
            hovertemplate="%{text}<extra></extra>",
            texttemplate="%{z:.0f}",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar={"ticksuffix": "%"},
        )
    )
    figure.update_xaxes(title=ctx.t("months_since"), type="category")
    figure.update_yaxes(title=ctx.t("cohort"), autorange="reversed", type="category")
    components.show(figure, "customer_cohorts")


def render(ctx: Context) -> None:
    components.page_header(ctx, "page.customer", ctx.company)
    st.caption(ctx.t("customer_note"))
    with st.columns([1, 2])[0]:
        scope = customer_scope(ctx)
    current, previous = components.period_rows(ctx, MART, scope)
    components.scorecard(ctx, SCORECARD_KPIS, scope, current, previous)
    trend = components.trend(ctx, MART, scope)
    left, right = st.columns([2, 3])
    with left:
        if trend.empty:
            ctx.no_data(scope)
        else:
            retention_chart(ctx, trend)
    with right:
        cohort_heatmap(ctx, scope)
