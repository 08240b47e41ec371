"""What every page works with: the selection made in the sidebar and the KPI catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st

from sales_kpi_warehouse.dashboard import queries
from sales_kpi_warehouse.dashboard.formatting import Lang, Unit, as_unit, format_value
from sales_kpi_warehouse.dashboard.i18n import text
from sales_kpi_warehouse.dashboard.queries import FAMILY_MARTS, GRAINS, FamilyMart, Grain
from sales_kpi_warehouse.dashboard.safe import plain_text, safe_text
from sales_kpi_warehouse.dashboard.settings import Currency

ScopeLevel = Literal["company", "team", "rep", "segment", "region"]
SCOPE_LEVELS: tuple[ScopeLevel, ...] = ("company", "team", "rep", "segment", "region")
ALL = ""  # the "all teams" / "all reps" choice of a filter


@dataclass(frozen=True)
class Period:
    grain: Grain
    start: dt.date
    end: dt.date
    label: str
    is_complete: bool


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel
    scope_id: str
    name: str


@dataclass(frozen=True)
class Kpi:
    """One dim_kpi row."""

    kpi_id: str
    name_en: str
    name_ja: str
    formula: str
    unit: Unit
    mart: str | None
    value_column: str | None
    numerator_column: str | None
    denominator_column: str | None

    def label(self, lang: Lang) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    @property
    def family_mart(self) -> FamilyMart:
        """The KPI's mart when it is a family mart with the common period × scope key."""
        for mart in FAMILY_MARTS:
            if self.mart == mart:
                return mart
        raise ValueError(f"KPI {self.kpi_id} lives in {self.mart}, not in a KPI family mart")


def _optional(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def catalogue(frame: pd.DataFrame) -> dict[str, Kpi]:
    """dim_kpi as a mapping kpi_id → Kpi."""
    return {
        str(row["kpi_id"]): Kpi(
            kpi_id=str(row["kpi_id"]),
            name_en=str(row["name_en"]),
            name_ja=str(row["name_ja"]),
            formula=str(row["formula"]),
            unit=as_unit(str(row["unit"])),
            mart=_optional(row["mart"]),
            value_column=_optional(row["value_column"]),
            numerator_column=_optional(row["numerator_column"]),
            denominator_column=_optional(row["denominator_column"]),
        )
        for row in frame.to_dict("records")
    }


def period_list(frame: pd.DataFrame, grain: Grain) -> list[Period]:
    """queries.periods as Period objects, oldest first."""
    return [
        Period(
            grain=grain,
            start=pd.Timestamp(row["period_start"]).date(),
            end=pd.Timestamp(row["period_end"]).date(),
            label=str(row["period_label"]),
            is_complete=bool(row["is_complete_period"]),
        )
        for row in frame.to_dict("records")
    ]


def previous_period(periods: list[Period], current: Period) -> Period | None:
    """The period of the same grain ending the day before `current` starts, if there is one."""
    for period in periods:
        if period.end == current.start - dt.timedelta(days=1):
            return period
    return None


def default_period(periods: list[Period]) -> Period:
    """The latest complete period (the latest one when none is complete yet)."""
    complete = [period for period in periods if period.is_complete]
    return (complete or periods)[-1]


@dataclass(frozen=True)
class Context:
    """The sidebar's selection plus what every page needs to show it."""

    source: queries.WarehouseFile
    lang: Lang
    currency: Currency
    period: Period
    previous: Period | None
    company: Scope
    team: Scope | None
    rep: Scope | None
    kpis: Mapping[str, Kpi]

    @property
    def grain(self) -> Grain:
        return self.period.grain

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def kpi(self, kpi_id: str) -> Kpi:
        if kpi_id not in self.kpis:
            raise queries.DashboardError(
                f"dim_kpi has no KPI `{kpi_id}`: rebuild the warehouse with this version of the "
                "project (`make build`)."
            )
        return self.kpis[kpi_id]

    def label(self, kpi_id: str) -> str:
        return self.kpi(kpi_id).label(self.lang)

    def fmt(self, value: object, unit: Unit, *, compact: bool = False) -> str:
        return format_value(value, unit, self.currency, self.lang, compact=compact)

    @property
    def selected(self) -> Scope:
        """The most specific scope picked in the sidebar: rep, else team, else the company."""
        return self.rep or self.team or self.company

    def scope_for(self, levels: Collection[ScopeLevel]) -> Scope:
        """The most specific selected scope a mart measures at (`levels`), else the company."""
        if self.rep is not None and "rep" in levels:
            return self.rep
        if self.team is not None and "team" in levels:
            return self.team
        return self.company

    def scope_text(self, scope: Scope, *, markdown: bool = True) -> str:
        """`team Tokyo Inside Sales`: the name escaped for Markdown (plain for a select option)
        and cut to a label's length."""
        level = self.t(f"scope_{scope.level}")
        if scope.level == "company":
            return level
        return f"{level} {safe_text(scope.name) if markdown else plain_text(scope.name)}"

    def fallback_note(self, what: str, shown: Scope) -> None:
        """Say so when a page shows a wider scope than the one selected."""
        if shown != self.selected:
            st.caption(
                self.t(
                    "scope_fallback",
                    what=safe_text(what),
                    wanted=self.t(f"scope_{self.selected.level}"),
                    shown=self.scope_text(shown),
                )
            )

    def no_data(self, scope: Scope | None = None, period: Period | None = None) -> None:
        st.info(
            self.t(
                "no_data",
                scope=self.scope_text(scope or self.selected),
                period=safe_text((period or self.period).label),
            )
        )


# ---- the sidebar --------------------------------------------------------------------------


def _scope_options(frame: pd.DataFrame, level: ScopeLevel) -> dict[str, Scope]:
    rows = frame[frame["scope"] == level]
    return {
        str(row["scope_id"]): Scope(level, str(row["scope_id"]), str(row["scope_name"]))
        for row in rows.to_dict("records")
    }


def company_scope(frame: pd.DataFrame) -> Scope:
    companies = _scope_options(frame, "company")
    return next(iter(companies.values()), Scope("company", "company", "company"))


def sidebar(source: queries.WarehouseFile, lang: Lang, currency: Currency) -> Context:
    """Draw the filters (grain, period, team, rep) in the sidebar and return the selection."""
    kpis = catalogue(queries.kpi_catalogue(source))
    scope_frame = queries.scopes(source)
    grain: Grain = st.sidebar.segmented_control(
        text("grain", lang),
        GRAINS,
        default="fiscal_quarter",
        required=True,
        format_func=lambda value: text(f"grain.{value}", lang),
        key="grain",
    )
    periods = period_list(queries.periods(source, grain), grain)
    if not periods:
        raise queries.DashboardError(text("no_periods", lang, path=source.path))
    by_label = {period.label: period for period in reversed(periods)}
    default = default_period(periods)
    labels = list(by_label)
    label = st.sidebar.selectbox(
        text("period", lang),
        labels,
        index=labels.index(default.label),
        format_func=lambda value: (
            plain_text(value)
            if by_label[value].is_complete
            else f"{plain_text(value)} ({text('in_progress', lang)})"
        ),
        key="period",
    )
    period = by_label[label]
    teams = _scope_options(scope_frame, "team")
    team_id = st.sidebar.selectbox(
        text("team", lang),
        [ALL, *teams],
        format_func=lambda value: (
            plain_text(teams[value].name) if value else text("all_teams", lang)
        ),
        key="team",
    )
    reps = _scope_options(scope_frame, "rep")
    rep_id = st.sidebar.selectbox(
        text("rep", lang),
        [ALL, *reps],
        format_func=lambda value: plain_text(reps[value].name) if value else text("all_reps", lang),
        key="rep",
    )
    st.sidebar.caption(text("money_in", lang, code=currency.code, symbol=currency.symbol.strip()))
    st.sidebar.caption(text("warehouse", lang, path=source.path))
    return Context(
        source=source,
        lang=lang,
        currency=currency,
        period=period,
        previous=previous_period(periods, period),
        company=company_scope(scope_frame),
        team=teams.get(team_id) if team_id else None,
        rep=reps.get(rep_id) if rep_id else None,
        kpis=kpis,
    )
