"""The small tables generated once per run: teams, reps and their team history, FX rates,
content assets, training, acquisition costs; plus the rep look-ups the chunks use.

The company is built from *divisions*: each division has three field-sales teams
(enterprise, mid-market, SMB) and one inside-sales (SDR) team, 25 reps in all. The demo has
one division; bigger runs have more (see :attr:`GeneratorConfig.divisions`). Every division
has the same story: in its enterprise team one AE moves to the mid-market team, one
mid-market AE leaves, and one AE and one SDR are hired during the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]

from . import formatting as fmt
from .common import (
    DAY,
    F64,
    FAR_FUTURE,
    HOUR,
    I64,
    Bool,
    Calendar,
    add_months,
    day_number,
    f64,
    i64,
    round_half_up,
    uniform_time,
)
from .config import REPS_PER_DIVISION, TEAMS_PER_DIVISION, GeneratorConfig
from .schema import (
    ASSESSMENT_TYPES,
    ASSET_TYPES,
    COST_CATEGORIES,
    ROLE_AE,
    ROLE_MANAGER,
    ROLE_SDR,
    ROLES,
    TEAM_TYPES,
)

# Team kinds within a division: the three field teams serve one segment each.
KIND_ENTERPRISE, KIND_MID, KIND_SMB, KIND_SDR = 0, 1, 2, 3
KIND_NAMES = ("Enterprise", "Mid-Market", "SMB", "Inside Sales")
DIVISION_CITIES = (
    ("Tokyo", "Osaka", "Nagoya"),
    ("Yokohama", "Kobe", "Shizuoka"),
    ("Fukuoka", "Hiroshima", "Kumamoto"),
    ("Sapporo", "Sendai", "Niigata"),
    ("Kyoto", "Okayama", "Kanazawa"),
)
CITY_REGIONS = {
    "Tokyo": "kanto",
    "Yokohama": "kanto",
    "Osaka": "kansai",
    "Kobe": "kansai",
    "Kyoto": "kansai",
    "Nagoya": "chubu",
    "Shizuoka": "chubu",
    "Niigata": "chubu",
    "Kanazawa": "chubu",
    "Fukuoka": "kyushu",
    "Kumamoto": "kyushu",
    "Hiroshima": "chugoku",
    "Okayama": "chugoku",
    "Sapporo": "hokkaido",
    "Sendai": "tohoku",
}

# The 25 reps of a division: (team kind, role). Index 1/7/13/19 are the teams' anchors (in the
# team all period, never leave), 2 moves enterprise → mid-market, 9 leaves, 17 and 24 are hired
# during the period.
REP_TEMPLATE: tuple[tuple[int, int], ...] = (
    (KIND_ENTERPRISE, ROLE_MANAGER),
    (KIND_ENTERPRISE, ROLE_AE),
    (KIND_ENTERPRISE, ROLE_AE),
    (KIND_ENTERPRISE, ROLE_AE),
    (KIND_ENTERPRISE, ROLE_AE),
    (KIND_ENTERPRISE, ROLE_AE),
    (KIND_MID, ROLE_MANAGER),
    (KIND_MID, ROLE_AE),
    (KIND_MID, ROLE_AE),
    (KIND_MID, ROLE_AE),
    (KIND_MID, ROLE_AE),
    (KIND_MID, ROLE_AE),
    (KIND_SMB, ROLE_MANAGER),
    (KIND_SMB, ROLE_AE),
    (KIND_SMB, ROLE_AE),
    (KIND_SMB, ROLE_AE),
    (KIND_SMB, ROLE_AE),
    (KIND_SMB, ROLE_AE),
    (KIND_SDR, ROLE_MANAGER),
    (KIND_SDR, ROLE_SDR),
    (KIND_SDR, ROLE_SDR),
    (KIND_SDR, ROLE_SDR),
    (KIND_SDR, ROLE_SDR),
    (KIND_SDR, ROLE_SDR),
    (KIND_SDR, ROLE_SDR),
)
ANCHOR_SLOTS = (1, 7, 13, 19)
MOVER_SLOT = 2
LEAVER_SLOT = 9
NEW_AE_SLOT = 17
NEW_SDR_SLOT = 24
MOVE_AFTER_MONTHS = 7  # 2024-11 + 7 → moves on 2025-06-01
LEAVE_AFTER_MONTHS = 11  # last day 2025-09-30
NEW_AE_AFTER_MONTHS = 5  # hired 2025-04-01
NEW_SDR_AFTER_MONTHS = 11  # hired 2025-10-01

GIVEN_NAMES = (
    "Haruto", "Yui", "Sota", "Hina", "Yuto", "Mei", "Riku", "Sakura", "Kaito", "Aoi",
    "Ren", "Yuna", "Hiroshi", "Emi", "Takumi", "Mio", "Daiki", "Rina", "Kenta", "Ayaka",
    "Shota", "Nanami", "Yusuke", "Miyu", "Kazuki", "Honoka", "Naoki", "Saki", "Tomoya", "Kana",
    "Ryota", "Misaki", "Takeshi", "Yuka", "Shun", "Asuka", "Koji", "Erika", "Makoto", "Natsumi",
)  # fmt: skip
FAMILY_NAMES = (
    "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
    "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
    "Kimura", "Hayashi", "Shimizu", "Yamazaki", "Mori", "Abe", "Ikeda", "Hashimoto",
    "Ishikawa", "Ogawa", "Fujita", "Okada", "Goto", "Hasegawa",
)  # fmt: skip
EMAIL_DOMAIN = "sakuracloud.example"


@dataclass(frozen=True)
class Reps:
    """Reps as arrays indexed by rep number - 1, and the team look-ups used to pick owners."""

    ids: pa.Array
    role: I64
    division: I64
    team_a: I64  # team at hire
    team_b: I64  # team after a move (= team_a when none)
    change_ts: I64  # first second in team_b (FAR_FUTURE when none)
    emp_start: I64  # first second employed (hire day 00:00 UTC = 09:00 JST)
    emp_end: I64  # first second no longer employed (termination day 15:00 UTC = 24:00 JST)
    hire_day: I64
    term_day: I64  # -1 while employed
    win_p: F64
    contact_p: F64
    # spans (rep, team, from, to) sorted by team with cumulative pick weights
    span_rep: I64
    span_team: I64
    span_from: I64
    span_to: I64
    span_cum: F64
    team_lo: F64
    team_weight: F64
    anchor: I64  # per team: a rep in the team all period who never leaves

    @property
    def n(self) -> int:
        return int(self.role.shape[0])

    def team_at(self, rep: I64, ts: I64) -> I64:
        """Team of each rep at each time."""
        return i64(np.where(ts >= self.change_ts[rep], self.team_b[rep], self.team_a[rep]))

    def employed(self, rep: I64, start: I64, end: I64) -> Bool:
        """Whether each rep is employed over the whole of ``[start, end]``."""
        return (self.emp_start[rep] <= start) & (end < self.emp_end[rep])

    def pick(
        self,
        rng: np.random.Generator,
        team: I64,
        start: I64,
        end: I64,
        preferred: I64 | None = None,
    ) -> I64:
        """A rep for each (team, interval): in ``team`` at ``start``, employed through ``end``.

        ``preferred`` reps (>= 0) are kept when employed over the interval (whatever their
        team). Others are drawn by weight among the team's members, falling back to the team's
        anchor rep, who is always eligible.
        """
        n = team.shape[0]
        out = np.full(n, -1, dtype=np.int64)
        if preferred is not None:
            has = preferred >= 0
            keep = has & self.employed(np.where(has, preferred, 0), start, end)
            out[keep] = preferred[keep]
        for _ in range(40):
            pending = np.flatnonzero(out < 0)
            if pending.size == 0:
                break
            g = team[pending]
            x = self.team_lo[g] + rng.random(pending.size) * self.team_weight[g]
            s = np.minimum(np.searchsorted(self.span_cum, x, side="right"), self.span_rep.size - 1)
            rep = self.span_rep[s]
            ok = (
                (self.span_team[s] == g)
                & (self.span_from[s] <= start[pending])
                & (start[pending] < self.span_to[s])
                & self.employed(rep, start[pending], end[pending])
            )
            out[pending[ok]] = rep[ok]
        missing = out < 0
        out[missing] = self.anchor[team[missing]]
        return out


@dataclass(frozen=True)
class Assets:
    """Content assets: when each can be used and how popular it is."""

    ids: pa.Array
    published: I64
    retired: I64  # first second no longer used (FAR_FUTURE when never)
    month_mask: Bool  # (assets, 12): calendar months in which the asset is used
    weight: F64


@dataclass(frozen=True)
class World:
    """The run's fixed context: settings, calendar, reps, teams, FX and content assets."""

    config: GeneratorConfig
    calendar: Calendar
    reps: Reps
    team_ids: pa.Array
    team_kind: I64
    team_division: I64
    #: FX rate to JPY per currency (JPY, USD, EUR) and period month, in 1/10_000 units.
    fx_rate: I64
    assets: Assets

    @property
    def n_teams(self) -> int:
        return int(self.team_kind.shape[0])

    def rate(self, currency: I64, month: I64) -> F64:
        """JPY per unit of ``currency`` in period ``month`` (clipped to the period)."""
        m = np.clip(month, 0, self.calendar.months - 1)
        return f64(self.fx_rate[currency, m] / 10_000.0)


def _rng(config: GeneratorConfig, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([config.seed, 0, stream]))


def _month_first_days(rng: np.random.Generator, first: date, last: date, size: int) -> I64:
    """Random first-of-month day numbers between two months, half of them on 1 April."""
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    offsets = rng.integers(0, span, size)
    days = i64([day_number(add_months(first, int(o))) for o in offsets])
    years = rng.integers(first.year, last.year + 1, size)
    april = i64([day_number(date(int(y), 4, 1)) for y in years])
    use_april = (
        (rng.random(size) < 0.5) & (april <= day_number(last)) & (april >= day_number(first))
    )
    return i64(np.where(use_april, april, days))


def build_world(config: GeneratorConfig) -> World:
    """Teams, reps, FX rates and content assets for a run."""
    calendar = config.calendar
    reps, team_kind, team_division, team_ids = _build_reps(config, calendar)
    return World(
        config=config,
        calendar=calendar,
        reps=reps,
        team_ids=team_ids,
        team_kind=team_kind,
        team_division=team_division,
        fx_rate=_build_fx(config, calendar),
        assets=_build_assets(config, calendar),
    )


def _team_width(n_teams: int) -> int:
    return max(2, len(str(n_teams)))


def _rep_width(n_reps: int) -> int:
    return max(3, len(str(n_reps)))


def _hire_days(rng: np.random.Generator, slot: I64, role: I64, start: date) -> I64:
    """Hire dates: first of a month, often 1 April; managers and anchors long ago; the two
    scripted new hires during the period."""
    n = slot.shape[0]
    hire_day = _month_first_days(rng, date(2012, 4, 1), add_months(start, -6), n)
    manager_hire = _month_first_days(rng, date(2008, 4, 1), date(2016, 4, 1), n)
    hire_day = np.where(role == ROLE_MANAGER, manager_hire, hire_day)
    anchor_hire = _month_first_days(rng, date(2010, 4, 1), date(2018, 4, 1), n)
    hire_day = np.where(np.isin(slot, ANCHOR_SLOTS), anchor_hire, hire_day)
    new_ae = day_number(add_months(start, NEW_AE_AFTER_MONTHS))
    new_sdr = day_number(add_months(start, NEW_SDR_AFTER_MONTHS))
    hire_day = np.where(slot == NEW_AE_SLOT, new_ae, hire_day)
    return i64(np.where(slot == NEW_SDR_SLOT, new_sdr, hire_day))


def _spans(
    teams: dict[str, I64], employment: dict[str, npt.NDArray[Any]], n_teams: int
) -> dict[str, npt.NDArray[Any]]:
    """One span (rep, team, from, to) per team membership, sorted by team, with the
    cumulative pick weights used by :meth:`Reps.pick`."""
    team_a, team_b, change_ts = teams["team_a"], teams["team_b"], teams["change_ts"]
    emp_start, emp_end, weight = (
        employment["emp_start"],
        employment["emp_end"],
        employment["weight"],
    )
    n = team_a.shape[0]
    has_move = change_ts < FAR_FUTURE
    rep = np.concatenate([np.arange(n), np.flatnonzero(has_move)])
    team = np.concatenate([team_a, team_b[has_move]])
    start = np.concatenate([emp_start, change_ts[has_move]])
    end = np.concatenate([np.minimum(change_ts, emp_end), emp_end[has_move]])
    span_weight = np.concatenate([weight, weight[has_move]])
    order = np.lexsort((rep, team))
    team_weight = np.bincount(team[order], weights=span_weight[order], minlength=n_teams)
    return {
        "rep": rep[order],
        "team": team[order],
        "from": start[order],
        "to": end[order],
        "cum": np.cumsum(span_weight[order]),
        "team_weight": team_weight,
        "team_lo": np.concatenate([[0.0], np.cumsum(team_weight)[:-1]]),
    }


def _build_reps(config: GeneratorConfig, calendar: Calendar) -> tuple[Reps, I64, I64, pa.Array]:
    rng = _rng(config, 1)
    divisions = config.divisions
    n = divisions * REPS_PER_DIVISION
    n_teams = divisions * TEAMS_PER_DIVISION
    slot = np.tile(np.arange(REPS_PER_DIVISION), divisions)
    division = np.repeat(np.arange(divisions), REPS_PER_DIVISION)
    kind = i64([REP_TEMPLATE[s][0] for s in range(REPS_PER_DIVISION)])[slot]
    role = i64([REP_TEMPLATE[s][1] for s in range(REPS_PER_DIVISION)])[slot]
    team_a = division * TEAMS_PER_DIVISION + kind

    start = calendar.start_month
    hire_day = _hire_days(rng, i64(slot), role, start)
    term_day = np.full(n, -1, dtype=np.int64)
    term_day[slot == LEAVER_SLOT] = day_number(add_months(start, LEAVE_AFTER_MONTHS)) - 1
    team_b = team_a.copy()
    change_ts = np.full(n, FAR_FUTURE, dtype=np.int64)
    mover = slot == MOVER_SLOT
    team_b[mover] = division[mover] * TEAMS_PER_DIVISION + KIND_MID
    change_ts[mover] = day_number(add_months(start, MOVE_AFTER_MONTHS)) * DAY

    emp_start = hire_day * DAY
    emp_end = i64(np.where(term_day >= 0, term_day * DAY + 15 * HOUR, FAR_FUTURE))
    win_p = np.where(role == ROLE_AE, rng.uniform(0.13, 0.36, n), rng.uniform(0.2, 0.3, n))
    contact_p = rng.uniform(0.30, 0.45, n)

    weight = np.where(role == ROLE_MANAGER, 0.35, 1.0)
    weight = f64(np.where(np.isin(slot, (NEW_AE_SLOT, NEW_SDR_SLOT)), 0.8, weight))
    spans = _spans(
        {"team_a": i64(team_a), "team_b": team_b, "change_ts": change_ts},
        {"emp_start": i64(emp_start), "emp_end": emp_end, "weight": weight},
        n_teams,
    )
    anchor = np.flatnonzero(np.isin(slot, ANCHOR_SLOTS))
    anchor = anchor[np.argsort(team_a[anchor], kind="stable")]

    width = _rep_width(n)
    ids = fmt.ids("R", np.arange(1, n + 1, dtype=np.int64), width)
    team_ids = fmt.ids("T", np.arange(1, n_teams + 1, dtype=np.int64), _team_width(n_teams))
    reps = Reps(
        ids=ids,
        role=role,
        division=i64(division),
        team_a=i64(team_a),
        team_b=i64(team_b),
        change_ts=change_ts,
        emp_start=i64(emp_start),
        emp_end=emp_end,
        hire_day=hire_day,
        term_day=term_day,
        win_p=f64(win_p),
        contact_p=f64(contact_p),
        span_rep=i64(spans["rep"]),
        span_team=i64(spans["team"]),
        span_from=i64(spans["from"]),
        span_to=i64(spans["to"]),
        span_cum=f64(spans["cum"]),
        team_lo=f64(spans["team_lo"]),
        team_weight=f64(spans["team_weight"]),
        anchor=i64(anchor),
    )
    team_kind = i64(np.tile(np.arange(TEAMS_PER_DIVISION), divisions))
    team_division = i64(np.repeat(np.arange(divisions), TEAMS_PER_DIVISION))
    return reps, team_kind, team_division, team_ids


def _build_fx(config: GeneratorConfig, calendar: Calendar) -> I64:
    rng = _rng(config, 2)
    months = calendar.months
    rates = np.zeros((3, months), dtype=np.int64)
    rates[0, :] = 10_000
    for currency, (level, low, high) in enumerate(
        ((150.0, 140.5, 159.5), (161.0, 150.5, 169.5)), 1
    ):
        value = level
        for m in range(months):
            value = value + 0.25 * (level - value) + rng.normal(0.0, 2.2)
            value = min(max(value, low), high)
            rates[currency, m] = round(value * 10_000)
    return rates


ASSET_CATALOGUE: tuple[tuple[str, str], ...] = (
    ("case_study", "Case study: Aoba Logistics cuts quote turnaround by 40%"),
    ("case_study", "Case study: Hikari Foods unifies 12 sales offices"),
    ("case_study", "Case study: Kyowa Seiki doubles its renewal rate"),
    ("case_study", "Case study: Minato Financial passes FISC audit"),
    ("case_study", "Case study: Tokai Medical goes live in 6 weeks"),
    ("case_study", "Case study: Yamato Retail forecasts by store"),
    ("case_study", "Case study: Shinsei Construction on-site mobile CRM"),
    ("case_study", "Case study: Asahi Media subscription analytics"),
    ("deck", "Sakura Cloud overview deck"),
    ("deck", "Pricing deck (previous fiscal year)"),
    ("deck", "Pricing deck (current fiscal year)"),
    ("deck", "Security and compliance deck"),
    ("deck", "Implementation plan deck"),
    ("deck", "Fiscal year-end campaign deck"),
    ("deck", "Half-year campaign deck"),
    ("whitepaper", "Whitepaper: Sales KPI design for Japanese B2B"),
    ("whitepaper", "Whitepaper: Invoice System (qualified invoices) readiness"),
    ("whitepaper", "Whitepaper: Data residency in Japan"),
    ("whitepaper", "Whitepaper: From Excel to CRM in 90 days"),
    ("whitepaper", "Whitepaper: Total cost of ownership"),
    ("whitepaper", "Whitepaper: AI forecasting explained"),
    ("video", "Video: 3-minute product tour"),
    ("video", "Video: Customer voices 2025"),
    ("video", "Video: Admin console walkthrough"),
    ("video", "Video: Year-end campaign message"),
    ("video", "Video: Mobile app demo"),
    ("battlecard", "Battlecard: vs global CRM suites"),
    ("battlecard", "Battlecard: vs spreadsheets"),
    ("battlecard", "Battlecard: vs domestic SFA tools"),
    ("battlecard", "Battlecard: objection handling"),
)
#: Assets used only in some calendar months (campaign material) and the pricing deck pair.
SEASONAL_ASSETS = {13: (2, 3), 14: (8, 9), 24: (11, 12)}
OLD_PRICING, NEW_PRICING = 9, 10
PRICING_SWITCH_MONTHS = 5  # the new fiscal year's price list, 2025-04


def _build_assets(config: GeneratorConfig, calendar: Calendar) -> Assets:
    rng = _rng(config, 3)
    n = len(ASSET_CATALOGUE)
    assert all(kind in ASSET_TYPES for kind, _ in ASSET_CATALOGUE)
    start = calendar.start_ts
    before = start - rng.integers(30, 700, n) * DAY
    during_months = rng.integers(1, max(2, calendar.months - 3), n)
    during = (
        i64([day_number(add_months(calendar.start_month, int(m))) for m in during_months]) * DAY
    )
    during = during + rng.integers(0, 20, n) * DAY
    published = np.where(rng.random(n) < 0.62, before, during)
    switch = day_number(add_months(calendar.start_month, PRICING_SWITCH_MONTHS)) * DAY
    published[OLD_PRICING] = before[OLD_PRICING]
    published[NEW_PRICING] = switch - 10 * DAY
    for index in SEASONAL_ASSETS:
        published[index] = before[index]
    published = uniform_time(rng, i64(published), i64(published + 5 * DAY))
    retired = np.full(n, FAR_FUTURE, dtype=np.int64)
    retired[OLD_PRICING] = switch
    month_mask = np.ones((n, 12), dtype=np.bool_)
    for index, months in SEASONAL_ASSETS.items():
        month_mask[index, :] = False
        for month in months:
            month_mask[index, month - 1] = True
    rank = rng.permutation(n)
    weight = 1.0 / (rank + 1.0) ** 0.8
    weight[list(SEASONAL_ASSETS)] *= 4.0  # used heavily while in season
    ids = fmt.ids("CA", np.arange(1, n + 1, dtype=np.int64), 3)
    return Assets(
        ids=ids,
        published=i64(published),
        retired=retired,
        month_mask=month_mask,
        weight=f64(weight),
    )


# ---- tables ---------------------------------------------------------------------------------


def teams_table(world: World) -> pa.Table:
    """One row per team."""
    reps = world.reps
    names: list[str] = []
    regions: list[str] = []
    for team in range(world.n_teams):
        division, kind = divmod(team, TEAMS_PER_DIVISION)
        cities = DIVISION_CITIES[division % len(DIVISION_CITIES)]
        cycle = division // len(DIVISION_CITIES)
        suffix = f" {cycle + 1}" if cycle else ""
        if kind == KIND_SDR:
            names.append(f"{cities[0]} Inside Sales{suffix}")
            regions.append("national")
        else:
            names.append(f"{cities[kind]} {KIND_NAMES[kind]}{suffix}")
            regions.append(CITY_REGIONS[cities[kind]])
    managers = np.flatnonzero(reps.role == ROLE_MANAGER)
    managers = managers[np.argsort(reps.team_a[managers], kind="stable")]
    team_type = i64(np.where(world.team_kind == KIND_SDR, 1, 0))
    return fmt.build_table(
        "teams",
        {
            "team_id": world.team_ids,
            "team_name": pa.array(names),
            "team_type": fmt.vocabulary(TEAM_TYPES, team_type),
            "region": pa.array(regions),
            "manager_rep_id": fmt.take(reps.ids, i64(managers)),
        },
    )


def reps_table(world: World) -> pa.Table:
    """One row per rep."""
    config, calendar, reps = world.config, world.calendar, world.reps
    rng = _rng(config, 4)
    n = reps.n
    combos = rng.permutation(len(GIVEN_NAMES) * len(FAMILY_NAMES))
    names: list[str] = []
    emails: list[str] = []
    seen: dict[str, int] = {}
    for i in range(n):
        combo = int(combos[i % combos.size])
        given, family = (
            GIVEN_NAMES[combo % len(GIVEN_NAMES)],
            FAMILY_NAMES[combo // len(GIVEN_NAMES)],
        )
        names.append(f"{given} {family}")
        local = f"{given}.{family}".lower()
        count = seen.get(local, 0)
        seen[local] = count + 1
        emails.append(f"{local}{count + 1 if count else ''}@{EMAIL_DOMAIN}")
    lower = np.maximum(reps.emp_start, calendar.start_ts - 200 * DAY)
    upper = np.minimum(lower + 150 * DAY, calendar.end_ts)
    updated = uniform_time(rng, i64(lower), i64(upper))
    left = reps.term_day >= 0
    updated = np.where(left, (reps.term_day + 1) * DAY + HOUR, updated)
    moved = reps.change_ts < FAR_FUTURE
    updated = np.where(moved, reps.change_ts + 30 * 60, updated)
    updated = i64(np.minimum(updated, calendar.end_ts))
    return fmt.build_table(
        "reps",
        {
            "rep_id": reps.ids,
            "rep_name": pa.array(names),
            "email": pa.array(emails),
            "role": fmt.vocabulary(ROLES, reps.role),
            "hire_date": fmt.dates(reps.hire_day),
            "termination_date": fmt.dates(reps.term_day, left),
            "updated_at": fmt.timestamps(updated),
        },
    )


def rep_team_history_table(world: World) -> pa.Table:
    """One row per rep per team assignment (two for the reps who move)."""
    reps = world.reps
    n = reps.n
    moved = np.flatnonzero(reps.change_ts < FAR_FUTURE)
    rep = np.concatenate([np.arange(n), moved])
    order = np.argsort(rep, kind="stable")
    rep = i64(rep[order])
    second = np.concatenate([np.zeros(n, dtype=np.bool_), np.ones(moved.size, dtype=np.bool_)])[
        order
    ]
    change_day = i64(np.where(reps.change_ts < FAR_FUTURE, reps.change_ts // DAY, -1))
    team = np.where(second, reps.team_b[rep], reps.team_a[rep])
    valid_from = np.where(second, change_day[rep], reps.hire_day[rep])
    has_move = change_day[rep] >= 0
    valid_to = np.where(~second & has_move, change_day[rep] - 1, reps.term_day[rep])
    return fmt.build_table(
        "rep_team_history",
        {
            "rep_id": fmt.take(reps.ids, rep),
            "team_id": fmt.take(world.team_ids, i64(team)),
            "valid_from": fmt.dates(i64(valid_from)),
            "valid_to": fmt.dates(i64(valid_to), valid_to >= 0),
        },
    )


def fx_rates_table(world: World, missing: tuple[int, int] | None) -> pa.Table:
    """USD→JPY and EUR→JPY per month; ``missing`` = (currency, month) left out."""
    calendar = world.calendar
    months = np.repeat(np.arange(calendar.months), 2)
    currency = np.tile(np.array([1, 2]), calendar.months)
    keep = np.ones(months.size, dtype=np.bool_)
    if missing is not None:
        keep &= ~((currency == missing[0]) & (months == missing[1]))
    months, currency = i64(months[keep]), i64(currency[keep])
    return fmt.build_table(
        "fx_rates",
        {
            "rate_month": fmt.dates(calendar.month_starts[months]),
            "currency_code": fmt.vocabulary(("JPY", "USD", "EUR"), currency),
            "quote_currency": fmt.constant("JPY", months.size),
            "rate": fmt.decimals(world.fx_rate[currency, months], 4),
        },
    )


def content_assets_table(world: World) -> pa.Table:
    """The sales content catalogue."""
    kinds = [ASSET_TYPES.index(kind) for kind, _ in ASSET_CATALOGUE]
    return fmt.build_table(
        "content_assets",
        {
            "asset_id": world.assets.ids,
            "asset_name": pa.array([title for _, title in ASSET_CATALOGUE]),
            "asset_type": fmt.vocabulary(ASSET_TYPES, i64(kinds)),
            "published_at": fmt.timestamps(world.assets.published),
        },
    )


PROGRAMMES: tuple[tuple[str, int], ...] = (
    ("Product Fundamentals", 1),
    ("Consultative Selling", 5),
    ("Negotiation Skills", 11),
    ("Platform Update", 17),
)


def training_tables(world: World) -> tuple[pa.Table, pa.Table]:
    """Enrolments and assessments of the training programmes that start within the period."""
    config, calendar, reps = world.config, world.calendar, world.reps
    rng = _rng(config, 5)
    enrol_rows: list[tuple[I64, I64, I64, I64, Bool]] = []
    assess_rows: list[tuple[I64, I64, I64, I64, I64]] = []
    names: list[str] = []
    for number, (name, offset) in enumerate(PROGRAMMES):
        if offset >= calendar.months - 1:
            continue
        begin = add_months(calendar.start_month, offset)
        names.append(f"{name} {begin.year}" if name == "Platform Update" else name)
        n = reps.n
        rep = np.arange(n, dtype=np.int64)
        lower = np.full(n, day_number(begin) * DAY, dtype=np.int64)
        enrolled = uniform_time(rng, lower, lower + 20 * DAY)
        p_enrol = np.where(reps.role == ROLE_MANAGER, 0.7, 0.92)
        take = (rng.random(n) < p_enrol) & reps.employed(rep, enrolled, enrolled + DAY)
        limit = np.minimum(reps.emp_end - 1, calendar.end_ts)
        completed = uniform_time(rng, enrolled + 7 * DAY, enrolled + 42 * DAY)
        done = take & (rng.random(n) < 0.85) & (completed <= limit)
        post = uniform_time(rng, completed + HOUR, completed + 3 * DAY)
        has_post = done & (post <= limit)
        score = np.clip(np.rint(rng.normal(78.0, 9.0, n)), 35, 100).astype(np.int64)
        later = uniform_time(rng, post + 90 * DAY, post + 180 * DAY)
        has_re = has_post & (rng.random(n) < 0.75) & (later <= limit)
        re_score = np.clip(np.rint(score * rng.uniform(0.78, 1.05, n)), 0, 100).astype(np.int64)
        programme = np.full(n, number, dtype=np.int64)
        enrol_rows.append((rep[take], programme[take], enrolled[take], completed[take], done[take]))
        kinds0 = np.zeros(int(has_post.sum()), dtype=np.int64)
        kinds1 = np.ones(int(has_re.sum()), dtype=np.int64)
        assess_rows.append(
            (rep[has_post], programme[has_post], kinds0, post[has_post], score[has_post])
        )
        assess_rows.append(
            (rep[has_re], programme[has_re], kinds1, later[has_re], re_score[has_re])
        )
    e_rep, e_prog, e_at, e_done_at, e_done = (
        np.concatenate(c) for c in zip(*enrol_rows, strict=True)
    )
    a_rep, a_prog, a_kind, a_at, a_score = (
        np.concatenate(c) for c in zip(*assess_rows, strict=True)
    )
    order = np.argsort(a_at, kind="stable")
    a_rep, a_prog, a_kind, a_at, a_score = (
        c[order] for c in (a_rep, a_prog, a_kind, a_at, a_score)
    )
    programme_ids = pa.array([f"P{i + 1:02d}" for i in range(len(PROGRAMMES))])
    programme_names = pa.array(names + [""] * (len(PROGRAMMES) - len(names)))
    enrolments = fmt.build_table(
        "training_enrolments",
        {
            "enrolment_id": fmt.ids("EN", np.arange(1, e_rep.size + 1, dtype=np.int64), 5),
            "rep_id": fmt.take(reps.ids, i64(e_rep)),
            "programme_id": fmt.take(programme_ids, i64(e_prog)),
            "programme_name": fmt.take(programme_names, i64(e_prog)),
            "enrolled_at": fmt.timestamps(i64(e_at)),
            "completed_at": fmt.timestamps(i64(e_done_at), e_done.astype(np.bool_)),
        },
    )
    assessments = fmt.build_table(
        "training_assessments",
        {
            "assessment_id": fmt.ids("AS", np.arange(1, a_rep.size + 1, dtype=np.int64), 5),
            "rep_id": fmt.take(reps.ids, i64(a_rep)),
            "programme_id": fmt.take(programme_ids, i64(a_prog)),
            "assessment_type": fmt.vocabulary(ASSESSMENT_TYPES, i64(a_kind)),
            "assessed_at": fmt.timestamps(i64(a_at)),
            "score": fmt.integers(i64(a_score)),
        },
    )
    return enrolments, assessments


MONTHLY_SALARY_JPY = {ROLE_AE: 650_000, ROLE_SDR: 420_000, ROLE_MANAGER: 900_000}


def acquisition_costs_table(world: World) -> pa.Table:
    """Monthly acquisition spend per category, in JPY, scaled with the number of deals."""
    config, calendar, reps = world.config, world.calendar, world.reps
    rng = _rng(config, 6)
    scale = config.deals / 1500.0
    months = calendar.months
    salary = f64([MONTHLY_SALARY_JPY[int(r)] for r in reps.role])
    season = {3: 1.3, 9: 1.2, 8: 0.8, 12: 0.85}
    amounts = np.zeros((months, len(COST_CATEGORIES)), dtype=np.int64)
    for m in range(months):
        month = add_months(calendar.start_month, m)
        mid = (day_number(month) + 14) * DAY
        factor = season.get(month.month, 1.0)
        employed = (reps.emp_start <= mid) & (mid < reps.emp_end)
        values = (
            4_500_000 * scale * factor * rng.uniform(0.85, 1.15),
            3_000_000 * scale * factor * rng.uniform(0.8, 1.2),
            float(salary[employed].sum()),
            900_000 * scale * rng.uniform(0.8, 1.2),
        )
        amounts[m, :] = [round_half_up(v / 1000.0) * 1000 for v in values]
    month_index = np.repeat(np.arange(months), len(COST_CATEGORIES))
    category = np.tile(np.arange(len(COST_CATEGORIES)), months)
    flat = amounts.reshape(-1)
    return fmt.build_table(
        "acquisition_costs",
        {
            "cost_id": fmt.ids("COST", np.arange(1, flat.size + 1, dtype=np.int64), 4),
            "cost_month": fmt.dates(calendar.month_starts[month_index]),
            "category": fmt.vocabulary(COST_CATEGORIES, i64(category)),
            "amount": fmt.integers(i64(flat)),
            "currency_code": fmt.constant("JPY", flat.size),
        },
    )


def special_reps(world: World) -> dict[str, object]:
    """The ids and dates of the demo's scripted rep events (first division)."""
    reps, calendar = world.reps, world.calendar
    ids = reps.ids.to_pylist()
    team_ids = world.team_ids.to_pylist()
    start = calendar.start_month
    return {
        "team_changer": {
            "rep_id": ids[MOVER_SLOT],
            "from_team_id": team_ids[KIND_ENTERPRISE],
            "to_team_id": team_ids[KIND_MID],
            "moved_on": add_months(start, MOVE_AFTER_MONTHS).isoformat(),
        },
        "leaver": {
            "rep_id": ids[LEAVER_SLOT],
            "team_id": team_ids[KIND_MID],
            "termination_date": date.fromordinal(
                add_months(start, LEAVE_AFTER_MONTHS).toordinal() - 1
            ).isoformat(),
        },
        "new_hires": [
            {
                "rep_id": ids[NEW_AE_SLOT],
                "hire_date": add_months(start, NEW_AE_AFTER_MONTHS).isoformat(),
            },
            {
                "rep_id": ids[NEW_SDR_SLOT],
                "hire_date": add_months(start, NEW_SDR_AFTER_MONTHS).isoformat(),
            },
        ],
        "every_division_repeats_this": world.config.divisions > 1,
    }
