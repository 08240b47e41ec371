"""Team performance: attainment by rep and team, win rate, deal size, cycle, activity, selling
time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components, queries
from sales_kpi_warehouse.dashboard.components import HOVER
from sales_kpi_warehouse.dashboard.context import Context, ScopeLevel
from sales_kpi_warehouse.dashboard.queries import FamilyMart
from sales_kpi_warehouse.dashboard.safe import safe_html

MART: FamilyMart = "kpi_team_performance"
SCORECARD_KPIS: tuple[str, ...] = (
    "won_revenue",
    "revenue_target",
    "quota_attainment_pct",
    "reps_at_quota_pct",
    "win_rate",
    "avg_deal_size",
    "avg_sales_cycle_days",
    "selling_time_pct",
    "calls_made",
    "emails_sent",
    "meetings_booked",
    "meetings_held",
)
ACTIVITY_KPIS: tuple[str, ...] = ("calls_made", "emails_sent", "meetings_booked", "meetings_held")
SELECTED_COLOUR = "#d62728"
OTHER_COLOUR = "#1f77b4"


def colours(ctx: Context, frame: pd.DataFrame) -> list[str]:
    """Highlight the entity selected in the sidebar."""
    chosen = ctx.selected.scope_id
    return [SELECTED_COLOUR if sid == chosen else OTHER_COLOUR for sid in frame["scope_id"]]


def attainment_chart(ctx: Context, frame: pd.DataFrame) -> None:
    kpi = ctx.kpi("quota_attainment_pct")
    rows = frame.sort_values("quota_attainment_pct", na_position="first")
    figure = components.new_figure(ctx.t("attainment"), height=max(320, 26 * len(rows) + 120))
    figure.add_trace(
        go.Bar(
            x=rows["quota_attainment_pct"],
            y=components.labels(rows["scope_name"]),
            orientation="h",
            marker_color=colours(ctx, rows),
            hovertext=components.hover_texts(ctx, rows, "scope_name", kpis=[kpi]),
            hovertemplate=HOVER,
            name=safe_html(kpi.label(ctx.lang)),
        )
    )
    figure.add_vline(x=100, line_dash="dash", annotation_text=ctx.t("target_line"))
    figure.update_xaxes(title=safe_html(kpi.label(ctx.lang)), ticksuffix="%")
    figure.update_layout(showlegend=False)
    components.show(figure, "team_attainment")


def win_rate_chart(ctx: Context, frame: pd.DataFrame) -> None:
    """Win rate (x) against average deal size (y); marker size = deals won."""
    win_rate = ctx.kpi("win_rate")
    deal_size = ctx.kpi("avg_deal_size")
    cycle = ctx.kpi("avg_sales_cycle_days")
    rows = frame[frame["deals_closed"] > 0]
    if rows.empty:
        ctx.no_data()
        return
    figure = components.new_figure(ctx.t("win_rate_deal_size"))
    figure.add_trace(
        go.Scatter(
            x=rows["win_rate_pct"],
            y=rows["average_deal_size"],
            mode="markers+text",
            text=components.labels(rows["scope_name"]),
            textposition="top center",
            marker={
                "size": [8 + 4 * float(won) ** 0.5 for won in rows["deals_won"]],
                "color": colours(ctx, rows),
                "opacity": 0.8,
            },
            hovertext=components.hover_texts(
                ctx, rows, "scope_name", kpis=[win_rate, deal_size, cycle]
            ),
            hovertemplate=HOVER,
        )
    )
    figure.update_xaxes(title=safe_html(win_rate.label(ctx.lang)), ticksuffix="%")
    figure.update_yaxes(title=safe_html(deal_size.label(ctx.lang)), **components.money_axis(ctx))
    figure.update_layout(showlegend=False)
    components.show(figure, "team_win_rate")


def activity_chart(ctx: Context, frame: pd.DataFrame) -> None:
    figure = components.new_figure(ctx.t("activity"))
    for kpi_id in ACTIVITY_KPIS:
        kpi = ctx.kpi(kpi_id)
        figure.add_trace(components.kpi_trace(ctx, frame, "scope_name", kpi, kind="bar"))
    figure.update_layout(barmode="group")
    components.show(figure, "team_activity")


def selling_time_chart(ctx: Context, frame: pd.DataFrame) -> None:
    kpi = ctx.kpi("selling_time_pct")
    rows = frame.sort_values("selling_time_share_pct", na_position="first")
    figure = components.new_figure(ctx.t("selling_time"))
    figure.add_trace(
        go.Bar(
            x=components.labels(rows["scope_name"]),
            y=rows["selling_time_share_pct"],
            marker_color=colours(ctx, rows),
            hovertext=components.hover_texts(ctx, rows, "scope_name", kpis=[kpi]),
            hovertemplate=HOVER,
        )
    )
    figure.update_yaxes(title=safe_html(kpi.label(ctx.lang)), ticksuffix="%", rangemode="tozero")
    components.show(figure, "team_selling_time")


def render(ctx: Context) -> None:
    scope = ctx.scope_for(components.MART_SCOPES[MART])
    components.page_header(ctx, "page.team", scope)
    current, previous = components.period_rows(ctx, MART, scope)
    st.subheader(ctx.t("scorecard"))
    components.scorecard(ctx, SCORECARD_KPIS, scope, current, previous)

    level: ScopeLevel = st.segmented_control(
        ctx.t("compare_by"),
        ("rep", "team"),
        default="rep",
        required=True,
        format_func=lambda value: ctx.t("by_rep" if value == "rep" else "by_team"),
        key="team_compare",
    )
    frame = queries.family_level(ctx.source, MART, ctx.grain, ctx.period.start, level)
    if frame.empty:
        ctx.no_data(ctx.company)
        return
    left, right = st.columns(2)
    with left:
        attainment_chart(ctx, frame)
    with right:
        win_rate_chart(ctx, frame)
    left, right = st.columns(2)
    with left:
        activity_chart(ctx, frame)
    with right:
        selling_time_chart(ctx, frame)
