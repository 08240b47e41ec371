"""Quotas and revenue goals, written after all chunks from what the reps actually won, so
attainment is plausible (roughly 60-140 %) at any size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from . import formatting as fmt
from .common import DAY, F64, I64, add_months, f64, i64, seasonal_month_weights
from .dimensions import KIND_SMB, World
from .schema import QUOTA_TYPES, ROLE_AE, ROLE_MANAGER, ROLE_SDR

SEASON_QUOTA = {3: 1.3, 9: 1.25, 12: 0.9, 8: 0.9, 5: 0.95}


@dataclass
class Actuals:
    """Won business per rep/team and month (JST), accumulated over the chunks."""

    won_jpy: F64  # (reps, months)
    won_count: I64  # (reps, months)
    conversions: I64  # (reps, months): leads converted, per owning SDR
    team_won_jpy: F64  # (teams, months)

    @classmethod
    def empty(cls, world: World) -> Actuals:
        months, reps = world.calendar.months, world.reps.n
        return cls(
            won_jpy=np.zeros((reps, months)),
            won_count=np.zeros((reps, months), dtype=np.int64),
            conversions=np.zeros((reps, months), dtype=np.int64),
            team_won_jpy=np.zeros((world.n_teams, months)),
        )

    def add_wins(self, owner: I64, team: I64, month: I64, jpy: F64) -> None:
        ok = (month >= 0) & (month < self.won_jpy.shape[1])
        np.add.at(self.won_jpy, (owner[ok], month[ok]), jpy[ok])
        np.add.at(self.won_count, (owner[ok], month[ok]), 1)
        np.add.at(self.team_won_jpy, (team[ok], month[ok]), jpy[ok])

    def add_conversions(self, owner: I64, month: I64) -> None:
        ok = (month >= 0) & (month < self.conversions.shape[1])
        np.add.at(self.conversions, (owner[ok], month[ok]), 1)


def _employed_months(world: World) -> tuple[np.ndarray, np.ndarray]:
    """(reps, months) masks: employed at some point of the month; and months since hire."""
    calendar, reps = world.calendar, world.reps
    starts = calendar.month_starts * DAY
    employed = (reps.emp_start[:, None] < starts[None, 1:]) & (
        reps.emp_end[:, None] > starts[None, :-1]
    )
    tenure = (starts[None, :-1] - reps.emp_start[:, None]) // (30 * DAY)
    return employed, tenure


def quotas_table(world: World, actuals: Actuals, seed: int) -> pa.Table:
    """Monthly quotas: revenue (JPY) for AEs, plus deals won for SMB AEs; new accounts
    (converted leads) for SDRs; revenue for managers only from the first April (fiscal year
    start) in the period, so earlier months have no manager quota."""
    calendar, reps = world.calendar, world.reps
    rng = np.random.default_rng(np.random.SeedSequence([seed, 3, 0]))
    employed, tenure = _employed_months(world)
    months = calendar.months
    month_of_year = np.array([add_months(calendar.start_month, m).month for m in range(months)])
    season = np.array([SEASON_QUOTA.get(int(x), 1.0) for x in month_of_year])
    active = np.maximum(employed.sum(axis=1), 1)
    avg_jpy = actuals.won_jpy.sum(axis=1) / active
    avg_won = actuals.won_count.sum(axis=1) / active
    avg_conv = actuals.conversions.sum(axis=1) / active
    is_ae = reps.role == ROLE_AE
    floor_jpy = 0.6 * (avg_jpy[is_ae].mean() if is_ae.any() else 0.0)
    first_april = next((m for m in range(months) if month_of_year[m] == 4), 0)
    ramp = np.where(tenure <= 0, 0.4, np.where(tenure == 1, 0.6, np.where(tenure == 2, 0.8, 1.0)))

    rep_rows: list[I64] = []
    month_rows: list[I64] = []
    type_rows: list[I64] = []
    value_rows: list[I64] = []
    for m in range(months):
        noise = rng.uniform(0.85, 1.2, reps.n)
        month_start = int(calendar.month_starts[m]) * DAY
        kind = world.team_kind[
            reps.team_at(
                np.arange(reps.n, dtype=np.int64), np.full(reps.n, month_start, dtype=np.int64)
            )
        ]
        base = np.maximum(avg_jpy, floor_jpy) * 1.05 * season[m] * noise * ramp[:, m]
        revenue = np.maximum(np.rint(base / 100_000.0) * 100_000.0, 500_000.0)
        deals_won = np.maximum(np.rint(avg_won * 1.1 * season[m] * ramp[:, m]), 1.0)
        new_accounts = np.maximum(
            np.rint(avg_conv * rng.uniform(0.9, 1.2, reps.n) * ramp[:, m]), 1.0
        )
        emp = employed[:, m]
        has_revenue = emp & (
            is_ae | ((reps.role == ROLE_MANAGER) & (kind != 3) & (m >= first_april))
        )
        has_deals = emp & is_ae & (kind == KIND_SMB)
        has_accounts = emp & (reps.role == ROLE_SDR)
        for quota_type, mask, values in (
            (0, has_revenue, revenue),
            (1, has_deals, deals_won),
            (2, has_accounts, new_accounts),
        ):
            idx = np.flatnonzero(mask)
            rep_rows.append(i64(idx))
            month_rows.append(np.full(idx.size, m, dtype=np.int64))
            type_rows.append(np.full(idx.size, quota_type, dtype=np.int64))
            value_rows.append(i64(values[idx]))
    rep = np.concatenate(rep_rows)
    month = np.concatenate(month_rows)
    qtype = np.concatenate(type_rows)
    value = np.concatenate(value_rows)
    order = np.lexsort((qtype, rep, month))
    rep, month, qtype, value = rep[order], month[order], qtype[order], value[order]
    n = rep.size
    width = max(5, len(str(n)) + 1)
    return fmt.build_table(
        "quotas",
        {
            "quota_id": fmt.ids("Q", np.arange(1, n + 1, dtype=np.int64), width),
            "rep_id": fmt.take(reps.ids, i64(rep)),
            "quota_month": fmt.dates(calendar.month_starts[month]),
            "quota_type": fmt.vocabulary(QUOTA_TYPES, i64(qtype)),
            "quota_value": fmt.integers(i64(value)),
            "currency_code": fmt.vocabulary(("JPY",), np.zeros(n, dtype=np.int64), qtype == 0),
        },
    )


def revenue_goals_table(world: World, actuals: Actuals) -> pa.Table:
    """Company-wide (empty team_id) and field-team revenue goals per month: the period's
    average monthly won revenue shaped by trend and season, plus 8 %."""
    calendar = world.calendar
    months = calendar.months
    weights = seasonal_month_weights(calendar)
    company_total = actuals.team_won_jpy.sum()
    company = company_total / months * weights / weights.mean() * 1.08
    field_teams = np.flatnonzero(world.team_kind != 3)
    team_total = actuals.team_won_jpy.sum(axis=1)[field_teams]
    share = team_total / max(float(team_total.sum()), 1.0)
    team_values = np.maximum(
        np.rint(company[None, :] * share[:, None] / 1_000_000.0) * 1_000_000.0, 1_000_000.0
    )
    company_values = np.maximum(np.rint(company / 1_000_000.0) * 1_000_000.0, 1_000_000.0)
    rows_team: list[int] = []
    rows_month: list[int] = []
    rows_value: list[float] = []
    for m in range(months):
        rows_team.append(-1)
        rows_month.append(m)
        rows_value.append(float(company_values[m]))
        for i, field_team in enumerate(field_teams):
            rows_team.append(int(field_team))
            rows_month.append(m)
            rows_value.append(float(team_values[i, m]))
    team = i64(rows_team)
    month = i64(rows_month)
    n = team.size
    return fmt.build_table(
        "revenue_goals",
        {
            "goal_id": fmt.ids("G", np.arange(1, n + 1, dtype=np.int64), max(4, len(str(n)) + 1)),
            "goal_month": fmt.dates(calendar.month_starts[month]),
            "team_id": fmt.take(world.team_ids, i64(np.maximum(team, 0)), team >= 0),
            "goal_amount": fmt.integers(i64(f64(rows_value))),
            "currency_code": fmt.constant("JPY", n),
        },
    )
