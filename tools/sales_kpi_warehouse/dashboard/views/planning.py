"""Planning: the KGI (revenue goal) against won revenue, and the KPIs back-calculated from it
(required deals, opportunities, leads, calls) against what actually happened."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import components
from sales_kpi_warehouse.dashboard.components import HOVER, Row, value_of
from sales_kpi_warehouse.dashboard.context import Context
from sales_kpi_warehouse.dashboard.formatting import Unit
from sales_kpi_warehouse.dashboard.queries import FamilyMart
from sales_kpi_warehouse.dashboard.safe import CELL_CHARS, plain_text, safe_html, safe_text

MART: FamilyMart = "kpi_planning"
# KPI, the actual column it is compared with, the gap column
BACK_CALCULATION: tuple[tuple[str, str, str], ...] = (
    ("required_deals", "deals_won", "deals_gap"),
    ("required_opportunities", "opportunities_created", "opportunities_gap"),
    ("required_leads", "leads_created", "leads_gap"),
    ("required_calls", "calls_made", "calls_gap"),
)
# The trailing rates the back-calculation divides by: (label kpi or column, column, unit)
TRAILING: tuple[tuple[str, str, Unit], ...] = (
    ("average_deal_size", "trailing_average_deal_size", "money"),
    ("win_rate_pct", "trailing_win_rate_pct", "pct"),
    ("lead_to_opportunity_pct", "trailing_lead_to_opportunity_pct", "pct"),
    ("contact_rate_pct", "trailing_contact_rate_pct", "pct"),
)


def kgi_metrics(ctx: Context, row: Row | None, previous: Row | None) -> None:
    """Goal, won revenue, attainment (won ÷ goal, both on hover) and the gap."""
    st.subheader(ctx.t("kgi"))
    goal = ctx.fmt(value_of(row, "revenue_goal"), "money")
    won = ctx.fmt(value_of(row, "won_revenue"), "money")
    shown: tuple[tuple[str, str, Unit, list[str]], ...] = (
        ("revenue_goal", ctx.t("revenue_goal"), "money", []),
        ("won_revenue", safe_text(ctx.label("won_revenue")), "money", []),
        (
            "revenue_goal_attainment_pct",
            ctx.t("goal_attainment"),
            "pct",
            [
                f"{ctx.t('numerator')}: won revenue = {won}",
                f"{ctx.t('denominator')}: revenue goal = {goal}",
            ],
        ),
        ("revenue_goal_gap", ctx.t("goal_gap"), "money", ["won revenue − revenue goal"]),
    )
    for column, (name, label, unit, lines) in zip(st.columns(4), shown, strict=True):
        with column:
            help_lines = [f"`{name}` = {ctx.fmt(value_of(row, name), unit)}", *lines]
            if ctx.previous is not None:
                earlier = ctx.fmt(value_of(previous, name), unit)
                period = safe_text(ctx.previous.label)
                help_lines.append(f"{ctx.t('previous_value', period=period)}: {earlier}")
            st.metric(
                label,
                ctx.fmt(value_of(row, name), unit, compact=True),
                help="\n\n".join(help_lines),
                border=True,
            )


def back_calculation_frame(ctx: Context, row: Row) -> pd.DataFrame:
    records = []
    for kpi_id, actual, gap in BACK_CALCULATION:
        required = value_of(row, kpi_id)
        done = value_of(row, actual)
        share = None if not required or done is None else done / required * 100
        records.append(
            {
                "measure": ctx.label(kpi_id),
                "required": required,
                "actual": done,
                "gap": value_of(row, gap),
                "share": share,
                "actual_column": actual,
                "required_column": kpi_id,
            }
        )
    return pd.DataFrame.from_records(records)


def back_calculation_chart(ctx: Context, frame: pd.DataFrame) -> None:
    hover = [
        "<br>".join(
            [
                f"<b>{safe_html(record['measure'])}</b>",
                f"{ctx.t('actual_vs_required')}: {ctx.fmt(record['share'], 'pct')}",
                f"{ctx.t('numerator')} ({record['actual_column'].replace('_', ' ')}): "
                + ctx.fmt(record["actual"], "count"),
                f"{ctx.t('denominator')} ({record['required_column'].replace('_', ' ')}): "
                + ctx.fmt(record["required"], "count"),
                f"{ctx.t('gap')}: {ctx.fmt(record['gap'], 'count')}",
            ]
        )
        for record in frame.to_dict("records")
    ]
    figure = components.new_figure(ctx.t("actual_vs_required"))
    figure.add_trace(
        go.Bar(
            x=frame["share"],
            y=components.labels(frame["measure"]),
            orientation="h",
            hovertext=hover,
            hovertemplate=HOVER,
            marker_color=[
                "#2ca02c" if share is not None and share >= 100 else "#ff7f0e"
                for share in frame["share"].astype(object).where(frame["share"].notna(), None)
            ],
        )
    )
    figure.add_vline(x=100, line_dash="dash")
    figure.update_xaxes(ticksuffix="%", rangemode="tozero")
    figure.update_yaxes(autorange="reversed")
    components.show(figure, "planning_back_calculation")


def back_calculation_table(ctx: Context, frame: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            ctx.t("measure"): [plain_text(measure, CELL_CHARS) for measure in frame["measure"]],
            ctx.t("required"): [ctx.fmt(value, "count") for value in frame["required"]],
            ctx.t("actual"): [ctx.fmt(value, "count") for value in frame["actual"]],
            ctx.t("gap"): [ctx.fmt(value, "count") for value in frame["gap"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def trailing_rates(ctx: Context, row: Row) -> None:
    months = value_of(row, "trailing_months")
    st.markdown(f"**{ctx.t('trailing_rates', months=int(months or 0))}**")
    columns = st.columns(len(TRAILING))
    for column, (kpi_id, name, unit) in zip(columns, TRAILING, strict=True):
        with column:
            value = value_of(row, name)
            st.metric(
                safe_text(ctx.label(kpi_id)),
                ctx.fmt(value, unit, compact=True),
                help=f"`{name}` = {ctx.fmt(value, unit)}",
            )
    st.caption(ctx.t("chain"))


def render(ctx: Context) -> None:
    scope = ctx.scope_for(components.MART_SCOPES[MART])
    components.page_header(ctx, "page.planning", scope)
    ctx.fallback_note(ctx.t("page.planning"), scope)
    current, previous = components.period_rows(ctx, MART, scope)
    if current is None:
        ctx.no_data(scope)
        return
    kgi_metrics(ctx, current, previous)
    st.subheader(ctx.t("back_calculation"))
    frame = back_calculation_frame(ctx, current)
    left, right = st.columns([3, 2])
    with left:
        back_calculation_chart(ctx, frame)
    with right:
        back_calculation_table(ctx, frame)
    trailing_rates(ctx, current)
