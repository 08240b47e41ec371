"""Growth: revenue trend with MoM / QoQ / YoY growth, funnel stage leakage and days in stage,
pipeline coverage and the daily open pipeline."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components, queries
from sales_kpi_warehouse.dashboard.components import HOVER
from sales_kpi_warehouse.dashboard.context import Context, Scope
from sales_kpi_warehouse.dashboard.queries import FamilyMart, Grain
from sales_kpi_warehouse.dashboard.safe import safe_html

MART: FamilyMart = "kpi_growth"
# Growth rates that make sense at each grain (a month's YoY compares with the same month a year
# earlier; a fiscal year only has YoY).
GROWTH_KPIS: dict[Grain, tuple[str, ...]] = {
    "month": ("revenue_growth_mom_pct", "revenue_growth_yoy_pct"),
    "fiscal_quarter": ("revenue_growth_qoq_pct", "revenue_growth_yoy_pct"),
    "fiscal_year": ("revenue_growth_yoy_pct",),
}
OTHER_KPIS: tuple[str, ...] = (
    "deals_won",
    "order_rate_pct",
    "open_pipeline",
    "pipeline_coverage",
    "lead_to_customer_pct",
    "upsell_pct",
)


def scorecard_kpis(ctx: Context) -> tuple[str, ...]:
    return ("revenue", *GROWTH_KPIS[ctx.grain], *OTHER_KPIS)[:8]


def revenue_chart(ctx: Context, frame: pd.DataFrame) -> None:
    revenue = ctx.kpi("revenue")
    growth = [ctx.kpi(kpi_id) for kpi_id in GROWTH_KPIS[ctx.grain]]
    figure = components.new_figure(ctx.t("revenue_trend"))
    figure.add_trace(
        go.Bar(
            x=components.labels(frame["period_label"]),
            y=frame["revenue"],
            name=safe_html(revenue.label(ctx.lang)),
            hovertext=components.hover_texts(ctx, frame, "period_label", kpis=[revenue, *growth]),
            hovertemplate=HOVER,
        )
    )
    for kpi in growth:
        figure.add_trace(components.kpi_trace(ctx, frame, "period_label", kpi, yaxis="y2"))
    figure.update_layout(
        yaxis=components.money_axis(ctx),
        yaxis2={"overlaying": "y", "side": "right", "ticksuffix": "%", "showgrid": False},
    )
    components.show(figure, "growth_revenue")


def coverage_chart(ctx: Context, frame: pd.DataFrame) -> None:
    kpi = ctx.kpi("pipeline_coverage")
    figure = components.new_figure(ctx.t("pipeline_coverage_trend"))
    figure.add_trace(components.kpi_trace(ctx, frame, "period_label", kpi))
    figure.add_hline(y=1, line_dash="dot")
    figure.update_yaxes(ticksuffix="×", rangemode="tozero")
    components.show(figure, "growth_coverage")


def funnel_charts(ctx: Context, scope: Scope) -> None:
    st.subheader(ctx.t("funnel_leakage"))
    frame = queries.funnel_stages(
        ctx.source, ctx.grain, ctx.period.start, scope.level, scope.scope_id
    )
    if frame.empty:
        ctx.no_data(scope)
        return
    leakage = ctx.kpi("stage_leakage_pct")
    conversion = ctx.kpi("stage_conversion_pct")
    days = ctx.kpi("avg_days_in_stage")
    left, right = st.columns(2)
    with left:
        figure = components.new_figure(f"{leakage.label(ctx.lang)} / {conversion.label(ctx.lang)}")
        for kpi in (conversion, leakage):
            figure.add_trace(
                go.Bar(
                    x=components.labels(frame["stage"]),
                    y=frame[kpi.value_column or kpi.kpi_id],
                    name=safe_html(kpi.label(ctx.lang)),
                    hovertext=components.hover_texts(ctx, frame, "stage", kpis=[kpi]),
                    hovertemplate=HOVER,
                )
            )
        figure.update_layout(barmode="group")
        figure.update_yaxes(ticksuffix="%", range=[0, 100])
        components.show(figure, "growth_leakage")
    with right:
        figure = components.new_figure(days.label(ctx.lang))
        figure.add_trace(
            go.Bar(
                x=components.labels(frame["stage"]),
                y=frame["avg_days_in_stage"],
                name=safe_html(days.label(ctx.lang)),
                hovertext=components.hover_texts(ctx, frame, "stage", kpis=[days]),
                hovertemplate=HOVER,
            )
        )
        components.show(figure, "growth_days_in_stage")


def daily_pipeline_chart(ctx: Context, scope: Scope) -> None:
    st.subheader(ctx.t("daily_pipeline"))
    team_id = scope.scope_id if scope.level == "team" else None
    frame = queries.pipeline_daily(ctx.source, ctx.period.start, ctx.period.end, team_id)
    if frame.empty:
        ctx.no_data(scope)
        return
    open_pipeline = ctx.kpi("open_pipeline")
    figure = components.new_figure(open_pipeline.label(ctx.lang), height=380)
    dates = pd.to_datetime(frame["pipeline_date"]).dt.strftime("%Y-%m-%d")
    frame = frame.assign(hover_title=dates + " · " + frame["stage"].astype(str))
    for _, rows in frame.groupby("stage_order", sort=True):
        figure.add_trace(
            go.Scatter(
                x=rows["pipeline_date"],
                y=rows["open_pipeline"],
                name=safe_html(rows["stage"].iloc[0]),
                mode="lines",
                stackgroup="pipeline",
                hovertext=components.hover_texts(
                    ctx,
                    rows,
                    "hover_title",
                    values=[
                        (open_pipeline.label(ctx.lang), "open_pipeline", "money"),
                        (ctx.t("open_deals"), "open_deals", "count"),
                    ],
                ),
                hovertemplate=HOVER,
            )
        )
    figure.update_yaxes(**components.money_axis(ctx))
    components.show(figure, "growth_daily_pipeline")


def render(ctx: Context) -> None:
    scope = ctx.scope_for(components.MART_SCOPES[MART])
    components.page_header(ctx, "page.growth", scope)
    ctx.fallback_note(ctx.t("page.growth"), scope)
    current, previous = components.period_rows(ctx, MART, scope)
    components.scorecard(ctx, scorecard_kpis(ctx), scope, current, previous)
    trend = components.trend(ctx, MART, scope)
    if trend.empty:
        ctx.no_data(scope)
    else:
        revenue_chart(ctx, trend)
    funnel_charts(ctx, scope)
    left, right = st.columns([1, 2])
    with left:
        if not trend.empty:
            coverage_chart(ctx, trend)
            st.caption(ctx.t("coverage_note"))
    with right:
        daily_pipeline_chart(ctx, scope)
