"""Team performance: attainment by rep and team, win rate, deal size, cycle, activity, selling
time; with a product picked, win rate, won revenue, deals won and deal size of that product."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components, queries
from sales_kpi_warehouse.dashboard.components import HOVER, Row
from sales_kpi_warehouse.dashboard.context import ALL, Context, Scope, ScopeLevel
from sales_kpi_warehouse.dashboard.formatting import format_delta
from sales_kpi_warehouse.dashboard.queries import FamilyMart
from sales_kpi_warehouse.dashboard.safe import plain_text, safe_html, safe_text

MART: FamilyMart = "kpi_team_performance"
SCORECARD_KPIS: tuple[str, ...] = (
    "won_revenue",
    "revenue_target",
    "quota_attainment_pct",
    "reps_at_quota_pct",
    "win_rate_pct",
    "average_deal_size",
    "average_sales_cycle_days",
    "selling_time_share_pct",
    "calls_made",
    "emails_sent",
    "meetings_booked",
    "meetings_held",
)
# With a product picked: these KPIs of kpi_team_performance_products, then its deals won.
PRODUCT_KPIS: tuple[str, ...] = ("won_revenue", "win_rate_pct", "average_deal_size")
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


def win_rate_chart(ctx: Context, frame: pd.DataFrame, title: str | None = None) -> None:
    """Win rate (x) against average deal size (y); marker size = deals won. The sales cycle is
    in the hover when the frame has it (not per product)."""
    win_rate = ctx.kpi("win_rate_pct")
    deal_size = ctx.kpi("average_deal_size")
    kpis = [win_rate, deal_size]
    if "average_sales_cycle_days" in frame.columns:
        kpis.append(ctx.kpi("average_sales_cycle_days"))
    rows = frame[frame["deals_closed"] > 0]
    if rows.empty:
        ctx.no_data()
        return
    figure = components.new_figure(title or ctx.t("win_rate_deal_size"))
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
            hovertext=components.hover_texts(ctx, rows, "scope_name", kpis=kpis),
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
    kpi = ctx.kpi("selling_time_share_pct")
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


def product_filter(ctx: Context) -> tuple[str, str]:
    """The page's product select: (product_id, name), or (ALL, "All products") for every
    product — the view without a product."""
    names = {
        str(row["product_id"]): str(row["product_name"])
        for row in queries.products(ctx.source).to_dict("records")
    }
    chosen = st.selectbox(
        ctx.t("product"),
        [ALL, *names],
        format_func=lambda value: plain_text(names[value]) if value else ctx.t("all_products"),
        key="team_product",
    )
    return (chosen, names[chosen]) if chosen else (ALL, ctx.t("all_products"))


def product_period_rows(
    ctx: Context, scope: Scope, product_id: str
) -> tuple[Row | None, Row | None]:
    """The rows of `scope` and one product in the selected and the previous period."""
    starts = tuple(p.start for p in (ctx.period, ctx.previous) if p is not None)
    frame = queries.product_rows(
        ctx.source,
        grain=ctx.grain,
        starts=starts,
        scope=scope.level,
        scope_id=scope.scope_id,
        product_id=product_id,
    )
    frame = frame.assign(period_start=pd.to_datetime(frame["period_start"]).dt.date)
    current = components.first_row(frame, period_start=ctx.period.start)
    previous = (
        components.first_row(frame, period_start=ctx.previous.start) if ctx.previous else None
    )
    return current, previous


def deals_won_metric(ctx: Context, current: Row | None, previous: Row | None) -> None:
    """The product's deals won (a count, not a catalogue KPI) vs the previous period."""
    value = components.value_of(current, "deals_won")
    earlier = components.value_of(previous, "deals_won")
    delta = None
    if value is not None and earlier is not None:
        delta = format_delta(value - earlier, "count", ctx.currency, ctx.lang, compact=True)
    st.metric(
        ctx.t("deals_won"),
        ctx.fmt(value, "count", compact=True),
        delta=delta,
        delta_description=(
            ctx.t("vs_previous", period=plain_text(ctx.previous.label))
            if delta and ctx.previous
            else None
        ),
        help=ctx.t("deals_won_help"),
        border=True,
    )


def product_scorecard(ctx: Context, scope: Scope, product_id: str, name: str) -> None:
    """Win rate, won revenue, deal size and deals won of one product for the selected scope."""
    st.subheader(ctx.t("product_scorecard", product=safe_text(name)))
    current, previous = product_period_rows(ctx, scope, product_id)
    if current is None:
        ctx.no_data(scope)
        return
    columns = st.columns(len(PRODUCT_KPIS) + 1)
    for column, kpi_id in zip(columns, PRODUCT_KPIS, strict=False):
        with column:
            components.kpi_metric(ctx, kpi_id, current, previous)
    with columns[-1]:
        deals_won_metric(ctx, current, previous)


def compare_level(ctx: Context) -> ScopeLevel:
    level: ScopeLevel = st.segmented_control(
        ctx.t("compare_by"),
        ("rep", "team"),
        default="rep",
        required=True,
        format_func=lambda value: ctx.t("by_rep" if value == "rep" else "by_team"),
        key="team_compare",
    )
    return level


def render_product(ctx: Context, scope: Scope, product_id: str, name: str) -> None:
    """The page for one product: its scorecard and its win rate × deal size by rep or team."""
    product_scorecard(ctx, scope, product_id, name)
    level = compare_level(ctx)
    frame = queries.product_level(ctx.source, ctx.grain, ctx.period.start, level, product_id)
    st.caption(ctx.t("product_note"))
    if frame.empty:
        ctx.no_data(ctx.company)
        return
    win_rate_chart(ctx, frame, ctx.t("product_win_rate_deal_size", product=name))


def render(ctx: Context) -> None:
    scope = ctx.scope_for(components.MART_SCOPES[MART])
    components.page_header(ctx, "page.team", scope)
    product_id, name = product_filter(ctx)
    if product_id != ALL:
        render_product(ctx, scope, product_id, name)
        return
    current, previous = components.period_rows(ctx, MART, scope)
    st.subheader(ctx.t("scorecard"))
    components.scorecard(ctx, SCORECARD_KPIS, scope, current, previous)

    level = compare_level(ctx)
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
