"""Leads: the lead → customer funnel by source, contact and email open rates."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components, queries
from sales_kpi_warehouse.dashboard.components import HOVER
from sales_kpi_warehouse.dashboard.context import Context, Kpi
from sales_kpi_warehouse.dashboard.queries import FamilyMart
from sales_kpi_warehouse.dashboard.safe import safe_html

MART: FamilyMart = "kpi_leads"
SCORECARD_KPIS: tuple[str, ...] = (
    "new_leads",
    "new_opportunities",
    "lead_to_opportunity_pct",
    "mql_to_sql_pct",
    "outbound_calls",
    "contact_rate_pct",
    "email_open_rate_pct",
    "mql_drop_off_pct",
)


def funnel_hover(ctx: Context, frame: pd.DataFrame, stage: str, kpi: Kpi | None) -> list[str]:
    """Hover of one funnel stage per source: the count, and the conversion into it with its
    numerator and denominator."""
    texts = components.hover_texts(ctx, frame, "lead_source", kpis=[kpi] if kpi else [])
    return [text.replace("</b>", f" · {stage}</b>", 1) for text in texts]


def funnel_chart(ctx: Context, frame: pd.DataFrame) -> None:
    to_opportunity = ctx.kpi("lead_to_opportunity_pct")
    to_customer = ctx.kpi("lead_to_customer_pct")
    stages = [
        (ctx.t("stage.leads"), "new_leads", None),
        (ctx.t("stage.opportunities"), "cohort_leads_to_opportunity", to_opportunity),
        (ctx.t("stage.customers"), "cohort_leads_to_customer", to_customer),
    ]
    figure = components.new_figure("", height=380)
    hovers = {name: funnel_hover(ctx, frame, name, kpi) for name, _, kpi in stages}
    for index, row in enumerate(frame.to_dict("records")):
        figure.add_trace(
            go.Funnel(
                name=safe_html(row["lead_source"]),
                y=[name for name, _, _ in stages],
                x=[row[column] for _, column, _ in stages],
                textinfo="value",
                hovertext=[hovers[name][index] for name, _, _ in stages],
                hovertemplate=HOVER,
            )
        )
    components.show(figure, "leads_funnel")


def conversion_chart(ctx: Context, frame: pd.DataFrame) -> None:
    """Lead → opportunity and lead → customer rate per lead source."""
    figure = components.new_figure(ctx.t("conversion_by_source"))
    for kpi_id in ("lead_to_opportunity_pct", "lead_to_customer_pct"):
        kpi = ctx.kpi(kpi_id)
        figure.add_trace(components.kpi_trace(ctx, frame, "lead_source", kpi, kind="bar"))
    figure.update_layout(barmode="group")
    figure.update_yaxes(ticksuffix="%", rangemode="tozero")
    components.show(figure, "leads_conversion")


def rates_chart(ctx: Context, frame: pd.DataFrame) -> None:
    """Contact rate and email open rate per period for the selected scope."""
    figure = components.new_figure(ctx.t("contact_open_rates"))
    for kpi_id in ("contact_rate_pct", "email_open_rate_pct", "lead_to_opportunity_pct"):
        figure.add_trace(components.kpi_trace(ctx, frame, "period_label", ctx.kpi(kpi_id)))
    figure.update_yaxes(ticksuffix="%", rangemode="tozero")
    components.show(figure, "leads_rates")


def render(ctx: Context) -> None:
    scope = ctx.scope_for(components.MART_SCOPES[MART])
    components.page_header(ctx, "page.leads", scope)
    current, previous = components.period_rows(ctx, MART, scope)
    components.scorecard(ctx, SCORECARD_KPIS, scope, current, previous)
    trend = components.trend(ctx, MART, scope)
    st.subheader(ctx.t("lead_funnel"))
    st.caption(ctx.t("lead_funnel_note"))
    sources = queries.lead_source_funnel(ctx.source, ctx.grain, ctx.period.start)
    if sources.empty:
        ctx.no_data(ctx.company)
    else:
        left, right = st.columns(2)
        with left:
            funnel_chart(ctx, sources)
        with right:
            conversion_chart(ctx, sources)
    if trend.empty:
        ctx.no_data(scope)
    else:
        rates_chart(ctx, trend)
