"""Building blocks the pages share: KPI metrics with their numerator and denominator, charts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go  # type: ignore[import-untyped]
import streamlit as st

from sales_kpi_warehouse.dashboard import queries
from sales_kpi_warehouse.dashboard.context import Context, Kpi, Scope, ScopeLevel
from sales_kpi_warehouse.dashboard.formatting import (
    Unit,
    column_unit,
    format_delta,
    humanise,
    to_float,
)
from sales_kpi_warehouse.dashboard.queries import FamilyMart
from sales_kpi_warehouse.dashboard.safe import CELL_CHARS, plain_text, safe_html, safe_text

Row = Mapping[str, object]

# The scope levels each KPI family mart has rows for (sidebar levels only; kpi_customer also has
# segment and region, chosen on the customer page).
MART_SCOPES: dict[FamilyMart, tuple[ScopeLevel, ...]] = {
    "kpi_team_performance": ("company", "team", "rep"),
    "kpi_leads": ("company", "team", "rep"),
    "kpi_growth": ("company", "team"),
    "kpi_planning": ("company", "team"),
    "kpi_customer": ("company",),
}

# KPIs where a fall is good news: their change vs the previous period is coloured inversely.
LOWER_IS_BETTER = frozenset(
    {
        "churn_rate_pct",
        "revenue_lost_churn",
        "average_sales_cycle_days",
        "cac",
        "mql_drop_off_pct",
        "stage_leakage_pct",
        "avg_days_in_stage",
        "avg_days_lead_to_customer",
        "quote_turnaround_hours",
        "cohort_lost_pct",
    }
)
CHART_CONFIG = {"displaylogo": False, "responsive": True}


def first_row(frame: pd.DataFrame, **match: object) -> Row | None:
    """The first row of `frame` whose columns equal `match`, as a dict; None when there is none."""
    rows = frame
    for column, value in match.items():
        rows = rows[rows[column] == value]
    records = rows.to_dict("records")
    return {str(key): value for key, value in records[0].items()} if records else None


def value_of(row: Row | None, column: str | None) -> float | None:
    """A numeric cell of a row; None for a missing row, column or NULL."""
    if row is None or column is None:
        return None
    return to_float(row.get(column))


def period_rows(ctx: Context, mart: FamilyMart, scope: Scope) -> tuple[Row | None, Row | None]:
    """The rows of `scope` in the selected and the previous period."""
    starts = tuple(p.start for p in (ctx.period, ctx.previous) if p is not None)
    frame = queries.family_rows(
        ctx.source,
        mart,
        grain=ctx.grain,
        starts=starts,
        scope=scope.level,
        scope_id=scope.scope_id,
    )
    frame = frame.assign(period_start=pd.to_datetime(frame["period_start"]).dt.date)
    current = first_row(frame, period_start=ctx.period.start)
    previous = first_row(frame, period_start=ctx.previous.start) if ctx.previous else None
    return current, previous


def trend(ctx: Context, mart: FamilyMart, scope: Scope) -> pd.DataFrame:
    """The rows of `scope` in every period of the selected grain up to the selected one."""
    return queries.family_trend(
        ctx.source,
        mart,
        grain=ctx.grain,
        scope=scope.level,
        scope_id=scope.scope_id,
        until=ctx.period.start,
    )


Escape = Callable[[object], str]


def ratio_lines(ctx: Context, kpi: Kpi, row: Row | None, escape: Escape) -> list[str]:
    """`Numerator: deals won = 12` and `Denominator: deals closed = 35` for a ratio KPI, the
    column names escaped with `escape` (safe_text for Markdown, safe_html for a chart)."""
    lines = []
    for key, column in (
        ("numerator", kpi.numerator_column),
        ("denominator", kpi.denominator_column),
    ):
        if column is not None:
            shown = ctx.fmt(value_of(row, column), column_unit(column))
            lines.append(f"{ctx.t(key)}: {escape(humanise(column))} = {shown}")
    return lines


def metric_help(ctx: Context, kpi: Kpi, row: Row | None, previous: Row | None) -> str:
    """The hover text of a KPI metric: formula, numerator, denominator, previous value."""
    lines = [f"**{safe_text(kpi.label(ctx.lang))}** — {safe_text(kpi.formula, CELL_CHARS)}"]
    if kpi.unit == "money" and row is not None:
        lines.append(f"= {ctx.fmt(value_of(row, kpi.value_column), kpi.unit)}")
    lines += ratio_lines(ctx, kpi, row, safe_text)
    if ctx.previous is not None:
        earlier = ctx.fmt(value_of(previous, kpi.value_column), kpi.unit)
        period = safe_text(ctx.previous.label)
        lines.append(f"{ctx.t('previous_value', period=period)}: {earlier}")
    if row is None:
        lines.append(ctx.t("no_data_short"))
    return "\n\n".join(lines)


def kpi_metric(
    ctx: Context, kpi_id: str, row: Row | None, previous: Row | None, *, column: str | None = None
) -> None:
    """A KPI as an st.metric: value in the selected period, change vs the previous one."""
    kpi = ctx.kpi(kpi_id)
    value_column = column or kpi.value_column
    value = value_of(row, value_column)
    earlier = value_of(previous, value_column)
    delta = None
    if value is not None and earlier is not None:
        delta = format_delta(value - earlier, kpi.unit, ctx.currency, ctx.lang, compact=True)
    st.metric(
        safe_text(kpi.label(ctx.lang)),
        ctx.fmt(value, kpi.unit, compact=True),
        delta=delta,
        delta_color="inverse" if kpi_id in LOWER_IS_BETTER else "normal",
        delta_description=(
            ctx.t("vs_previous", period=plain_text(ctx.previous.label))
            if delta and ctx.previous
            else None
        ),
        help=metric_help(ctx, kpi, row, previous),
        border=True,
    )


def metric_grid(
    ctx: Context, kpi_ids: Sequence[str], rows: Mapping[str, tuple[Row | None, Row | None]]
) -> None:
    """KPI metrics four to a row; `rows` maps each KPI to its (current, previous) rows."""
    for start in range(0, len(kpi_ids), 4):
        columns = st.columns(4)
        for column, kpi_id in zip(columns, kpi_ids[start : start + 4], strict=False):
            with column:
                current, previous = rows[kpi_id]
                kpi_metric(ctx, kpi_id, current, previous)


def scorecard(
    ctx: Context, kpi_ids: Sequence[str], scope: Scope, current: Row | None, previous: Row | None
) -> None:
    """The KPIs of one entity in the selected period vs the previous one, or "no data"."""
    if current is None:
        ctx.no_data(scope)
        return
    metric_grid(ctx, kpi_ids, dict.fromkeys(kpi_ids, (current, previous)))


# ---- charts -------------------------------------------------------------------------------


def kpi_lines(ctx: Context, kpi: Kpi, row: Row | None, *, label: str | None = None) -> list[str]:
    """Hover lines of a KPI (chart markup escaped): its value, then numerator and denominator when
    it is a ratio."""
    value = ctx.fmt(value_of(row, kpi.value_column), kpi.unit)
    name = safe_html(label or kpi.label(ctx.lang))
    return [f"{name}: {value}", *ratio_lines(ctx, kpi, row, safe_html)]


def hover_texts(
    ctx: Context,
    frame: pd.DataFrame,
    title_column: str,
    *,
    kpis: Sequence[Kpi] = (),
    values: Sequence[tuple[str, str, Unit]] = (),
) -> list[str]:
    """One hover text per row: a bold title, `values` (label, column, unit), then each KPI with
    its numerator and denominator; every text from the data escaped for Plotly. Use with
    `hovertemplate=HOVER`."""
    texts = []
    for record in frame.to_dict("records"):
        row = {str(key): value for key, value in record.items()}
        lines = [f"<b>{safe_html(row[title_column])}</b>"]
        lines += [
            f"{safe_html(label)}: {ctx.fmt(row.get(column), unit)}"
            for label, column, unit in values
        ]
        for kpi in kpis:
            lines += kpi_lines(ctx, kpi, row)
        texts.append("<br>".join(lines))
    return texts


HOVER = "%{hovertext}<extra></extra>"


def labels(values: Iterable[object]) -> list[str]:
    """Chart categories or texts from the data (names, periods, stages), escaped for Plotly."""
    return [safe_html(value) for value in values]


def kpi_trace(
    ctx: Context,
    frame: pd.DataFrame,
    x: str,
    kpi: Kpi,
    *,
    kind: Literal["line", "bar"] = "line",
    yaxis: str = "y",
) -> go.Scatter | go.Bar:
    """One KPI over the categories `x` (names, periods) as a line or bar trace: its value
    column, its label in the page's language and a hover with its numerator and denominator, on
    axis `yaxis`."""
    trace: dict[str, Any] = {
        "x": labels(frame[x]),
        "y": frame[kpi.value_column or kpi.kpi_id],
        "name": safe_html(kpi.label(ctx.lang)),
        "hovertext": hover_texts(ctx, frame, x, kpis=[kpi]),
        "hovertemplate": HOVER,
        "yaxis": yaxis,
    }
    if kind == "bar":
        return go.Bar(**trace)
    return go.Scatter(**{"mode": "lines+markers", **trace})


def new_figure(title: str, *, height: int = 360) -> go.Figure:
    """An empty figure with the dashboard's layout; `title` is shown literally."""
    figure = go.Figure()
    figure.update_layout(
        title={"text": safe_html(title)},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": -0.3},
        hovermode="closest",
    )
    return figure


def money_axis(ctx: Context) -> dict[str, str]:
    return {"tickprefix": ctx.currency.symbol, "tickformat": "~s"}


def show(figure: go.Figure, key: str) -> None:
    st.plotly_chart(figure, width="stretch", config=CHART_CONFIG, key=key)


def page_header(ctx: Context, page_key: str, scope: Scope | None = None) -> None:
    """The page title, the period and scope shown, and a note for a period still in progress."""
    st.header(ctx.t(page_key))
    period = safe_text(ctx.period.label)
    st.caption(ctx.t("showing", period=period, scope=ctx.scope_text(scope or ctx.selected)))
    if not ctx.period.is_complete:
        st.caption(ctx.t("incomplete", period=period))
