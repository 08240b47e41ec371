"""Overview: the headline KPIs of the selected period vs the previous one; the alerts that fired."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components, queries
from sales_kpi_warehouse.dashboard.components import MART_SCOPES, Row
from sales_kpi_warehouse.dashboard.context import Context, Scope
from sales_kpi_warehouse.dashboard.formatting import as_unit
from sales_kpi_warehouse.dashboard.safe import CELL_CHARS, plain_text, safe_html, safe_text

# What a sales leader reads first, in this order (dim_kpi ids). The browser test checks each
# number shown against its mart.
HEADLINE_KPIS: tuple[str, ...] = (
    "won_revenue",
    "quota_attainment_pct",
    "win_rate_pct",
    "average_deal_size",
    "new_leads",
    "open_pipeline",
    "customer_retention_pct",
    "churn_rate_pct",
)
SEVERITY_STYLES = {"critical": "color: #d62728; font-weight: 600", "warning": "color: #e07b00"}


def headline_scope(ctx: Context, kpi_id: str) -> Scope:
    """The scope a headline KPI is shown for: the selection, or the nearest wider one measured."""
    return ctx.scope_for(MART_SCOPES[ctx.kpi(kpi_id).family_mart])


def headline_rows(ctx: Context) -> dict[str, tuple[Row | None, Row | None]]:
    return {
        kpi_id: components.period_rows(
            ctx, ctx.kpi(kpi_id).family_mart, headline_scope(ctx, kpi_id)
        )
        for kpi_id in HEADLINE_KPIS
    }


def alert_table(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """kpi_alerts rows as a table in the selected language, values in their units; names cut
    to CELL_CHARS (a table cell is plain text: no escaping needed)."""
    records = []
    for row in frame.to_dict("records"):
        unit = as_unit(str(row["unit"]))
        kpi = ctx.kpis.get(str(row["kpi_id"]))
        severity = str(row["severity"])
        records.append(
            {
                ctx.t("severity"): ctx.t(f"severity.{severity}"),
                ctx.t("kpi"): plain_text(
                    kpi.label(ctx.lang) if kpi else row["name_en"], CELL_CHARS
                ),
                ctx.t("scope"): ctx.t(f"scope_{row['scope']}")
                if row["scope"] in ("company", "team", "rep", "segment", "region")
                else plain_text(row["scope"], CELL_CHARS),
                ctx.t("entity"): plain_text(row["scope_name"] or row["scope_id"], CELL_CHARS),
                ctx.t("value"): ctx.fmt(row["kpi_value"], unit),
                ctx.t("threshold"): f"{plain_text(row['comparison'])} "
                + ctx.fmt(row["threshold_value"], unit),
            }
        )
    return pd.DataFrame.from_records(records)


def selected_alerts(ctx: Context, frame: pd.DataFrame) -> pd.DataFrame:
    """All alerts for the company view; only the selected team's or rep's otherwise."""
    if ctx.selected == ctx.company:
        return frame
    keep = (frame["scope"] == ctx.selected.level) & (frame["scope_id"] == ctx.selected.scope_id)
    return frame[keep]


def alerts_section(ctx: Context) -> None:
    st.subheader(ctx.t("alerts"))
    frame = selected_alerts(ctx, queries.alerts(ctx.source, ctx.grain, ctx.period.start))
    if frame.empty:
        st.success(ctx.t("no_alerts", period=safe_text(ctx.period.label)))
        return
    counts = frame["severity"].value_counts()
    st.markdown(
        ctx.t(
            "alerts_summary",
            critical=int(counts.get("critical", 0)),
            warning=int(counts.get("warning", 0)),
        )
    )
    table = alert_table(ctx, frame)
    styles = {ctx.t(f"severity.{severity}"): style for severity, style in SEVERITY_STYLES.items()}
    styled = table.style.map(lambda value: styles.get(str(value), ""), subset=[ctx.t("severity")])
    st.dataframe(styled, hide_index=True, width="stretch")


def revenue_trend(ctx: Context) -> None:
    """Won revenue and target for the selected scope, every period up to the selected one."""
    scope = ctx.scope_for(MART_SCOPES["kpi_team_performance"])
    frame = components.trend(ctx, "kpi_team_performance", scope)
    if frame.empty:
        return
    won = ctx.kpi("won_revenue")
    target = ctx.kpi("revenue_target")
    attainment = ctx.kpi("quota_attainment_pct")
    figure = components.new_figure(ctx.t("revenue_vs_target"))
    figure.add_trace(
        go.Bar(
            x=components.labels(frame["period_label"]),
            y=frame["won_revenue"],
            name=safe_html(won.label(ctx.lang)),
            hovertext=components.hover_texts(
                ctx,
                frame,
                "period_label",
                values=[(won.label(ctx.lang), "won_revenue", "money")],
                kpis=[attainment],
            ),
            hovertemplate=components.HOVER,
        )
    )
    figure.add_trace(
        go.Scatter(
            x=components.labels(frame["period_label"]),
            y=frame["revenue_target"],
            name=safe_html(target.label(ctx.lang)),
            mode="lines+markers",
            hovertext=components.hover_texts(
                ctx,
                frame,
                "period_label",
                values=[(target.label(ctx.lang), "revenue_target", "money")],
            ),
            hovertemplate=components.HOVER,
        )
    )
    figure.update_yaxes(**components.money_axis(ctx))
    components.show(figure, "overview_revenue_trend")


def render(ctx: Context) -> None:
    components.page_header(ctx, "page.overview")
    st.subheader(ctx.t("headline"))
    rows = headline_rows(ctx)
    selected = [
        current
        for kpi_id, (current, _) in rows.items()
        if headline_scope(ctx, kpi_id) == ctx.selected
    ]
    if all(current is None for current in selected):
        ctx.no_data()
    components.metric_grid(ctx, HEADLINE_KPIS, rows)
    if ctx.previous is None:
        st.caption(ctx.t("no_previous"))
    notes = {
        ctx.kpi(kpi_id).label(ctx.lang): headline_scope(ctx, kpi_id) for kpi_id in HEADLINE_KPIS
    }
    for label, scope in notes.items():
        ctx.fallback_note(label, scope)
    alerts_section(ctx)
    revenue_trend(ctx)
