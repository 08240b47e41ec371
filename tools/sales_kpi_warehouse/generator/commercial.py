"""Accounts, leads, deals, contracts and deal stage history of one chunk, as arrays.

A chunk is self-contained: its accounts, leads and contracts are referenced only by its own
deals and children, so chunks can be written one after another with bounded memory. Reps,
teams and FX rates are shared (see :mod:`.dimensions`).

The deal mix per chunk of ``n`` deals: 70 % new business (one new account each, most from a
converted lead), then renewals of contracts that end in the period (capped at 60 % of the
rest) and upsell/cross-sell deals on active customers for the remainder, so a chunk has
exactly ``n`` deals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .common import (
    DAY,
    F64,
    FAR_FUTURE,
    HOUR,
    I64,
    Bool,
    add_months_days,
    business_time,
    categorical,
    f64,
    i64,
    jst_day,
    lognormal,
    month_start_days,
    round_half_up,
    seasonal_time,
    uniform_time,
)
from .dimensions import KIND_SDR, World
from .schema import (
    CUR_JPY,
    LS_CONVERTED,
    LS_DISQUALIFIED,
    LS_MQL,
    LS_NEW,
    LS_SQL,
    LS_WORKING,
    STAGE_LOST,
    STAGE_WON,
    TYPE_CROSS,
    TYPE_NEW,
    TYPE_RENEWAL,
    TYPE_UPSELL,
)

Frame = dict[str, npt.NDArray[Any]]

NEW_BUSINESS_SHARE = 0.70
LEGACY_CUSTOMER_SHARE = 0.08  # customers from before the period, per deal
PROSPECT_SHARE = 0.08  # accounts that never get a deal, per deal
LEADS_PER_DEAL = 3.0
MAX_RENEWAL_SHARE_OF_REST = 0.6

SEGMENT_MIX = (0.20, 0.35, 0.45)
LEGACY_SEGMENT_MIX = (0.25, 0.40, 0.35)
#: Median deal size (JPY) and sales cycle (days) per segment.
SEGMENT_MEDIAN_JPY = (9_000_000.0, 3_500_000.0, 1_200_000.0)
SEGMENT_CYCLE_DAYS = (105.0, 68.0, 44.0)
SEGMENT_P_24_MONTHS = (0.55, 0.35, 0.25)
#: Currency mix per segment (JPY, USD, EUR): about 10 % USD and 5 % EUR overall.
SEGMENT_CURRENCY = ((0.73, 0.18, 0.09), (0.85, 0.10, 0.05), (0.93, 0.05, 0.02))
REGION_MIX = (0.45, 0.25, 0.15, 0.10, 0.05)
LEAD_SOURCE_MIX_CONVERTED = (0.28, 0.18, 0.14, 0.22, 0.10, 0.08)
LEAD_SOURCE_MIX_OTHER = (0.36, 0.08, 0.16, 0.22, 0.06, 0.12)
LOST_REASON_MIX = (0.28, 0.24, 0.2, 0.12, 0.1, 0.06)
INDUSTRY_MIX = (0.2, 0.12, 0.1, 0.08, 0.14, 0.1, 0.09, 0.05, 0.05, 0.07)

NAME_PREFIXES = (
    "Aoba", "Hikari", "Sakura", "Midori", "Fuji", "Taiyo", "Asahi", "Yamato", "Nishiki",
    "Tsubasa", "Hoshino", "Minato", "Shirasagi", "Daiichi", "Tokai", "Hokuriku", "Seiwa",
    "Meiwa", "Heiwa", "Kyowa", "Sanwa", "Toyo", "Chuo", "Nanyo", "Mirai", "Akatsuki",
    "Hinode", "Kotobuki", "Matsuba", "Wakaba", "Koyo", "Shinsei", "Ginga", "Kasumi",
    "Tachibana", "Hayate", "Izumi", "Kirin", "Momiji", "Suzuran",
)  # fmt: skip
#: Three name words per industry (schema.INDUSTRIES order).
INDUSTRY_NOUNS = (
    ("Seiki", "Kogyo", "Electric"),
    ("Retail", "Shoji", "Stores"),
    ("Financial", "Securities", "Capital"),
    ("Medical", "Pharma", "Healthcare"),
    ("Systems", "Soft", "Digital"),
    ("Logistics", "Transport", "Unyu"),
    ("Construction", "Kensetsu", "Homes"),
    ("Public Services", "Civic Systems", "Municipal Services"),
    ("Gakuen", "Education", "Academy"),
    ("Media", "Broadcasting", "Publishing"),
)
NAME_SUFFIXES = ("K.K.", "Co., Ltd.", "Corporation", "Holdings")


def cat(frames: list[Frame]) -> Frame:
    """Concatenate frames with the same columns."""
    return {key: np.concatenate([f[key] for f in frames]) for key in frames[0]}


def sub(frame: Frame, index: npt.NDArray[Any]) -> Frame:
    """Rows ``index`` (or a boolean mask) of a frame."""
    return {key: value[index] for key, value in frame.items()}


def size(frame: Frame) -> int:
    """Rows of a frame."""
    return int(next(iter(frame.values())).shape[0])


@dataclass
class Commercial:
    """The chunk's commercial tables as arrays, sorted and indexed as they are written."""

    accounts: Frame
    leads: Frame
    deals: Frame
    contracts: Frame
    history: Frame
    #: per deal: stage entry times (n, 8) and which slots are used, for quotes
    slot_time: I64
    slot_active: Bool
    slot_stage: I64
    #: deals closed at 23:30 UTC on a month's last day: (deal index, fixture label)
    month_end_deals: list[tuple[int, str]] = field(default_factory=list)


def _currency(rng: np.random.Generator, seg: I64) -> I64:
    out = np.zeros(seg.shape[0], dtype=np.int64)
    for s, mix in enumerate(SEGMENT_CURRENCY):
        idx = np.flatnonzero(seg == s)
        out[idx] = categorical(rng, mix, idx.size)
    return out


def _to_minor(world: World, jpy: F64, currency: I64, at: I64) -> I64:
    """JPY values as amounts in ``currency`` (minor units): JPY to ¥10,000, others to 10."""
    rate = world.rate(currency, world.calendar.utc_month_index(at))
    step = np.where(currency == CUR_JPY, 10_000.0, 10.0)
    rounded = np.maximum(np.rint(jpy / rate / step), 1.0) * step
    return i64(np.rint(rounded * 100.0))


def _monthly_minor(amount: I64, months: I64, currency: I64) -> I64:
    """A contract's monthly amount: whole yen, or cents."""
    monthly = amount / np.maximum(months, 1)
    yen = np.rint(monthly / 100.0) * 100.0
    return i64(np.where(currency == CUR_JPY, yen, np.rint(monthly)))


@dataclass(frozen=True)
class WinModel:
    """How a kind of deal is won: owner's win rate × ``multiplier`` (at most ``cap``), or a
    ``fixed`` probability; ``stalled`` deals stay open whatever their cycle."""

    multiplier: float = 1.0
    cap: float = 0.9
    fixed: float | None = None
    stalled: float = 0.02


def _outcomes(
    world: World,
    rng: np.random.Generator,
    deals: Frame,
    model: WinModel,
    preferred: I64 | None = None,
) -> None:
    """Fill owner, closed (-1 while open), won and lost of deals with team, created, planned.

    A deal closes ``planned`` days after creation unless that is after the period end (then
    it is open, as are a few stalled deals). The owner is employed over the whole deal; the
    win probability is the owner's (13-36 %) adjusted by ``model``. Lost deals close sooner.
    """
    calendar, reps = world.calendar, world.reps
    team, created = deals["team"], deals["created"]
    n = team.shape[0]
    raw_close = created + i64(np.maximum(deals["planned"], 1.0) * DAY)
    raw_close = business_time(rng, raw_close, created + HOUR, FAR_FUTURE)
    is_open = (raw_close > calendar.end_ts) | (rng.random(n) < model.stalled)
    until = i64(np.where(is_open, calendar.end_ts, raw_close))
    owner = reps.pick(rng, team, created, until, preferred)
    if model.fixed is None:
        p = np.minimum(reps.win_p[owner] * model.multiplier, model.cap)
    else:
        p = np.full(n, model.fixed)
    won = ~is_open & (rng.random(n) < p)
    lost = ~is_open & ~won
    shrunk = created + i64((raw_close - created) * rng.uniform(0.6, 1.0, n))
    lost_close = business_time(rng, shrunk, created + HOUR, raw_close)
    deals["owner"] = owner
    deals["closed"] = i64(np.where(won, raw_close, np.where(lost, lost_close, -1)))
    deals["won"] = won
    deals["lost"] = lost
    deals["lost_reason"] = i64(np.where(lost, categorical(rng, LOST_REASON_MIX, n), -1))


def _deal_frame(
    account: I64, team: I64, seg: I64, *, deal_type: I64, created: I64, planned: F64
) -> Frame:
    n = account.shape[0]
    return {
        "account": account,
        "team": team,
        "seg": seg,
        "type": deal_type,
        "created": created,
        "planned": planned,
        "lead": np.full(n, -1, dtype=np.int64),
    }


def _pull_in(rng: np.random.Generator, deals: Frame) -> None:
    """Pull some wins from early April/October into the last days of March/September
    (fiscal year and half-year end), and fewer from early July/January into June/December.
    """
    created, closed, won = deals["created"], deals["closed"], deals["won"]
    day = i64(closed // DAY)
    as_date = day.astype("datetime64[D]")
    month = (as_date.astype("datetime64[M]").astype(np.int64) % 12) + 1
    dom = (as_date - as_date.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    n = closed.shape[0]
    u = rng.random(n)
    fiscal = won & np.isin(month, (4, 10)) & (dom <= 20) & (u < 0.6)
    quarter = won & np.isin(month, (1, 7)) & (dom <= 10) & (u < 0.25)
    window = np.where(fiscal, 10, 7)
    prev_end = month_start_days(day) - 1
    new_day = prev_end - rng.integers(0, 10_000, n) % window
    dow = (new_day + 3) % 7
    new_day = new_day - np.where(dow == 5, 1, 0) - np.where(dow == 6, 2, 0)
    new_close = new_day * DAY + rng.integers(0, 10 * HOUR, n)
    move = (fiscal | quarter) & (new_close >= created + DAY)
    deals["closed"] = i64(np.where(move, new_close, closed))


def _month_end_fixtures(world: World, deals: Frame, chosen: list[tuple[int, str]]) -> None:
    """Close some deals at exactly 23:30:00 UTC on a month's last day (next day in JST).

    Two won deals on the first 31 March in the period (fiscal year end: they count in April
    and in the next fiscal year in JST), one won deal every fourth month-end and one lost
    deal on the first 30 September, each the closest fit (JPY preferred). Updates
    ``deals['closed']`` in place and appends (deal index, kind) to ``chosen``.
    """
    calendar, reps = world.calendar, world.reps
    labels = [calendar.month_label(m) for m in range(calendar.months)]
    march = next((m for m in range(calendar.months - 1) if labels[m][5:7] == "03"), None)
    september = next((m for m in range(calendar.months - 1) if labels[m][5:7] == "09"), None)
    targets: list[tuple[int, bool, str]] = []
    if march is not None:
        targets += [(march, True, "fiscal_year_end_won")] * 2
    targets += [(m, True, "month_end_won") for m in range(2, calendar.months - 1, 4) if m != march]
    if september is not None:
        targets.append((september, False, "month_end_lost"))
    n = size(deals)
    used = np.zeros(n, dtype=np.bool_)
    for m, want_won, label in targets:
        at = int(calendar.month_starts[m + 1]) * DAY - 30 * 60
        status = deals["won"] if want_won else deals["lost"]
        ok = status & ~used & (deals["created"] <= at - 2 * DAY)
        ok &= reps.employed(deals["owner"], deals["created"], np.full(n, at + DAY))
        jpy = ok & (deals["currency"] == CUR_JPY)
        pool = np.flatnonzero(jpy if jpy.any() else ok)
        if pool.size == 0:
            continue
        best = int(pool[np.argmin(np.abs(deals["closed"][pool] - at))])
        deals["closed"][best] = at
        used[best] = True
        chosen.append((best, label))


def _name_parts(rng: np.random.Generator, n: int) -> Frame:
    industry = categorical(rng, INDUSTRY_MIX, n)
    return {
        "industry": industry,
        "name_prefix": i64(rng.integers(0, len(NAME_PREFIXES), n)),
        "name_noun": i64(industry * 3 + rng.integers(0, 3, n)),
        "name_suffix": categorical(rng, (0.45, 0.35, 0.12, 0.08), n),
    }


def _accounts(rng: np.random.Generator, columns: Frame, kind: int) -> Frame:
    """Accounts from division, seg, created, updated, owner and currency columns."""
    n = size(columns)
    return {
        **columns,
        "team": columns["division"] * 4 + columns["seg"],
        "region": categorical(rng, REGION_MIX, n),
        **_name_parts(rng, n),
        "kind": np.full(n, kind, dtype=np.int64),
    }


def _legacy_customers(world: World, rng: np.random.Generator, n_deals: int) -> tuple[Frame, Frame]:
    """Customers from before the period: accounts and running contracts (no deal)."""
    calendar, reps = world.calendar, world.reps
    start_ts, end_ts = calendar.start_ts, calendar.end_ts
    n = max(3, round_half_up(LEGACY_CUSTOMER_SHARE * n_deals))
    division = i64(rng.integers(0, world.config.divisions, n))
    seg = categorical(rng, LEGACY_SEGMENT_MIX, n)
    term = i64(np.where(rng.random(n) < f64(SEGMENT_P_24_MONTHS)[seg], 24, 12))
    end_month = i64(np.floor(rng.random(n) * (term - 1)))
    end_day = add_months_days(np.full(n, calendar.start_day, dtype=np.int64), end_month + 1) - 1
    start_day = add_months_days(end_day + 1, -term)
    currency = _currency(rng, seg)
    created = uniform_time(rng, start_day * DAY - 700 * DAY, start_day * DAY - 30 * DAY)
    updated = uniform_time(
        rng, np.full(n, start_ts, dtype=np.int64), np.full(n, start_ts + 90 * DAY, dtype=np.int64)
    )
    owner = reps.pick(rng, division * 4 + seg, updated, np.full(n, end_ts, dtype=np.int64))
    accounts = _accounts(
        rng,
        {
            "division": division,
            "seg": seg,
            "created": created,
            "updated": updated,
            "owner": owner,
            "currency": currency,
        },
        0,
    )
    yearly = np.clip(lognormal(rng, f64(SEGMENT_MEDIAN_JPY)[seg], 0.55, n), 500_000.0, 30_000_000.0)
    rate = world.rate(currency, np.zeros(n, dtype=np.int64))
    monthly = np.where(
        currency == CUR_JPY,
        np.rint(yearly / 12.0 / 100.0) * 10_000.0,
        np.rint(yearly / 12.0 / rate) * 100.0,
    )
    contracts: Frame = {
        "account": np.arange(n, dtype=np.int64),
        "deal": np.full(n, -1, dtype=np.int64),
        "start_day": start_day,
        "end_day": end_day,
        "monthly": i64(monthly),
        "currency": currency,
        "term": term,
        "kind": np.zeros(n, dtype=np.int64),
        "updated": i64(np.minimum(updated + rng.integers(HOUR, 30 * DAY, n), end_ts)),
    }
    return accounts, contracts


def _new_business(
    world: World, rng: np.random.Generator, n_deals: int, first_account: int
) -> Frame:
    """New business deals, one new account each (accounts first_account, first_account+1, …)."""
    calendar = world.calendar
    n = round_half_up(NEW_BUSINESS_SHARE * n_deals)
    division = i64(rng.integers(0, world.config.divisions, n))
    seg = categorical(rng, SEGMENT_MIX, n)
    created = seasonal_time(rng, calendar, n, DAY)
    planned = f64(np.clip(lognormal(rng, f64(SEGMENT_CYCLE_DAYS)[seg], 0.75, n), 1.0, 400.0))
    account = first_account + np.arange(n, dtype=np.int64)
    deals = _deal_frame(
        account,
        division * 4 + seg,
        seg,
        deal_type=np.full(n, TYPE_NEW, dtype=np.int64),
        created=created,
        planned=planned,
    )
    deals["division"] = division
    _outcomes(world, rng, deals, WinModel(stalled=0.03))
    _pull_in(rng, deals)
    deals["currency"] = _currency(rng, seg)
    jpy = np.clip(lognormal(rng, f64(SEGMENT_MEDIAN_JPY)[seg], 0.55, n), 500_000.0, 30_000_000.0)
    deals["amount"] = _to_minor(world, f64(jpy), deals["currency"], created)
    return deals


def _converted_leads(world: World, rng: np.random.Generator, deals: Frame) -> Frame:
    """Leads converted into the new business deals (about 90 % of them); links both ways."""
    calendar, reps = world.calendar, world.reps
    start_ts, end_ts = calendar.start_ts, calendar.end_ts
    created_deal = deals["created"]
    has_lead = (rng.random(size(deals)) < 0.9) & (created_deal - start_ts >= 3 * DAY)
    index = np.flatnonzero(has_lead)
    n = index.size
    converted = created_deal[index]
    lag = np.clip(lognormal(rng, 21.0, 0.8, n), 1.0, 120.0) * DAY
    raw = converted - i64(lag)
    fallback = start_ts + i64(rng.random(n) * (converted - start_ts - HOUR))
    raw = i64(np.where(raw < start_ts, fallback, raw))
    created = business_time(rng, raw, np.full(n, start_ts, dtype=np.int64), converted - HOUR)
    mql = created + np.maximum(i64((converted - created) * rng.uniform(0.1, 0.5, n)), 1)
    mql = business_time(rng, mql, created + 1, converted - 2)
    sql = mql + np.maximum(i64((converted - mql) * rng.uniform(0.2, 0.8, n)), 1)
    sql = business_time(rng, i64(np.minimum(sql, converted - 1)), mql + 1, converted - 1)
    deals["lead"][index] = np.arange(n, dtype=np.int64)
    none = np.zeros(n, dtype=np.int64)
    return {
        "division": deals["division"][index],
        "source": categorical(rng, LEAD_SOURCE_MIX_CONVERTED, n),
        "status": np.full(n, LS_CONVERTED, dtype=np.int64),
        "owner": reps.pick(rng, deals["division"][index] * 4 + KIND_SDR, created, converted),
        "created": created,
        "mql": mql,
        "sql": sql,
        "converted": converted,
        "deal": i64(index),
        "account": deals["account"][index],
        "updated": i64(np.minimum(converted + rng.integers(60, 2 * HOUR, n), end_ts)),
        "name_account": deals["account"][index],
        "name_prefix": none,
        "name_noun": none,
        "name_suffix": none,
    }


def _new_business_accounts(world: World, rng: np.random.Generator, deals: Frame) -> Frame:
    """The accounts of new business deals: created at lead conversion or shortly before."""
    calendar, reps = world.calendar, world.reps
    start_ts, end_ts = calendar.start_ts, calendar.end_ts
    n = size(deals)
    created_deal = deals["created"]
    before = business_time(
        rng,
        i64(created_deal - rng.integers(HOUR, 20 * DAY, n)),
        np.full(n, start_ts, dtype=np.int64),
        created_deal - 60,
    )
    created = np.where(deals["lead"] >= 0, created_deal - rng.integers(60, 600, n), before)
    created = i64(np.maximum(created, start_ts))
    last_event = np.where(deals["closed"] >= 0, deals["closed"], created_deal)
    updated = i64(np.minimum(last_event + rng.integers(HOUR, 3 * DAY, n), end_ts))
    owner = reps.pick(
        rng, deals["team"], updated, np.full(n, end_ts, dtype=np.int64), deals["owner"]
    )
    columns = {
        "division": deals["division"],
        "seg": deals["seg"],
        "created": created,
        "updated": updated,
    }
    return _accounts(rng, {**columns, "owner": owner, "currency": deals["currency"]}, 1)


def _prospects(world: World, rng: np.random.Generator, n_deals: int) -> Frame:
    """Accounts that never get a deal."""
    calendar, reps = world.calendar, world.reps
    n = round_half_up(PROSPECT_SHARE * n_deals)
    division = i64(rng.integers(0, world.config.divisions, n))
    seg = categorical(rng, SEGMENT_MIX, n)
    created = seasonal_time(rng, calendar, n, 2 * DAY)
    updated = i64(np.minimum(created + rng.integers(HOUR, 30 * DAY, n), calendar.end_ts))
    owner = reps.pick(rng, division * 4 + seg, updated, np.full(n, calendar.end_ts, dtype=np.int64))
    columns = {
        "division": division,
        "seg": seg,
        "created": created,
        "updated": updated,
        "owner": owner,
    }
    return _accounts(rng, {**columns, "currency": _currency(rng, seg)}, 2)


def _contracts_from_wins(
    world: World,
    rng: np.random.Generator,
    deals: Frame,
    won: I64,
    dates: tuple[I64, I64, I64],
) -> Frame:
    """Contracts of won deals ``won``; ``dates`` = (term months, start day, end day)."""
    term, start_day, end_day = dates
    months = i64(np.maximum(np.rint((end_day - start_day + 1) / 30.44), 1))
    closed = deals["closed"][won]
    return {
        "account": deals["account"][won],
        "deal": won,
        "start_day": start_day,
        "end_day": end_day,
        "monthly": _monthly_minor(deals["amount"][won], months, deals["currency"][won]),
        "currency": deals["currency"][won],
        "term": term,
        "kind": np.zeros(won.shape[0], dtype=np.int64),
        "updated": i64(
            np.minimum(closed + rng.integers(HOUR, 5 * DAY, won.shape[0]), world.calendar.end_ts)
        ),
    }


def _new_business_contracts(world: World, rng: np.random.Generator, deals: Frame) -> Frame:
    """12- or 24-month contracts starting on the 1st of the month after the win (JST)."""
    won = i64(np.flatnonzero(deals["won"]))
    term = i64(np.where(rng.random(won.size) < f64(SEGMENT_P_24_MONTHS)[deals["seg"][won]], 24, 12))
    start = add_months_days(jst_day(deals["closed"][won]), 1)
    return _contracts_from_wins(
        world, rng, deals, won, (term, start, add_months_days(start, term) - 1)
    )


def _renewal_round(
    world: World,
    rng: np.random.Generator,
    accounts: Frame,
    candidates: Frame,
    budget: int,
) -> tuple[Frame, Frame]:
    """Renewal deals for contracts ending in the period (created 40-90 days before the end)
    and the contracts of the renewals won: from the day after the old end, or from the 1st
    of the month after a late win (a gap, then reactivation)."""
    calendar = world.calendar
    start_ts, end_ts = calendar.start_ts, calendar.end_ts
    nc = size(candidates)
    end_at = candidates["end_day"] * DAY
    raw = end_at - rng.integers(40, 91, nc) * DAY
    raw = np.maximum(raw, start_ts + rng.integers(0, 10, nc) * DAY)
    created = business_time(rng, i64(raw), start_ts, end_at - HOUR)
    eligible = (rng.random(nc) < 0.9) & (created <= end_ts - DAY) & (created >= start_ts)
    pick = np.flatnonzero(eligible)
    if pick.size > budget:
        pick = np.sort(rng.permutation(pick)[:budget])
    c = sub(candidates, pick)
    acc = c["account"]
    planned = f64(np.clip(lognormal(rng, 35.0, 0.6, pick.size), 1.0, 200.0))
    deal_type = np.full(pick.size, TYPE_RENEWAL, dtype=np.int64)
    deals = _deal_frame(
        acc,
        accounts["team"][acc],
        accounts["seg"][acc],
        deal_type=deal_type,
        created=created[pick],
        planned=planned,
    )
    _outcomes(world, rng, deals, WinModel(fixed=0.6), accounts["owner"][acc])
    uplift = c["monthly"] * rng.uniform(1.0, 1.08, pick.size)
    monthly = i64(
        np.where(c["currency"] == CUR_JPY, np.rint(uplift / 10_000.0) * 10_000.0, np.rint(uplift))
    )
    deals["amount"] = monthly * c["term"]
    deals["currency"] = c["currency"]
    won = i64(np.flatnonzero(deals["won"]))
    close_day = jst_day(deals["closed"][won])
    old_end = c["end_day"][won]
    start = i64(np.where(close_day <= old_end, old_end + 1, add_months_days(close_day, 1)))
    term = c["term"][won]
    contracts = _contracts_from_wins(
        world, rng, deals, won, (term, start, add_months_days(start, term) - 1)
    )
    contracts["monthly"] = monthly[won]
    return deals, contracts


def _upsells(
    world: World, rng: np.random.Generator, accounts: Frame, base: Frame, n: int
) -> tuple[Frame, Frame]:
    """Upsell and cross-sell deals on customers with a running contract, and the add-on
    contracts of those won (co-terminous with the base contract where possible)."""
    calendar = world.calendar
    lo = np.maximum(base["start_day"] * DAY, calendar.start_ts)
    hi = np.minimum((base["end_day"] + 1) * DAY - 1, calendar.end_ts - 20 * DAY)
    weight = np.maximum(hi - lo, 0).astype(np.float64)
    chosen = rng.choice(size(base), size=n, p=weight / weight.sum())
    created = uniform_time(rng, i64(lo[chosen]), i64(hi[chosen]))
    acc = base["account"][chosen]
    seg = accounts["seg"][acc]
    is_upsell = rng.random(n) < 0.55
    deal_type = i64(np.where(is_upsell, TYPE_UPSELL, TYPE_CROSS))
    planned = f64(np.clip(lognormal(rng, 40.0, 0.6, n), 1.0, 250.0))
    deals = _deal_frame(
        acc, accounts["team"][acc], seg, deal_type=deal_type, created=created, planned=planned
    )
    _outcomes(world, rng, deals, WinModel(multiplier=1.25, cap=0.55), accounts["owner"][acc])
    share = np.where(is_upsell, 0.3, 0.4)
    jpy = np.clip(
        lognormal(rng, f64(SEGMENT_MEDIAN_JPY)[seg] * share, 0.5, n), 200_000.0, 15_000_000.0
    )
    deals["currency"] = base["currency"][chosen]
    deals["amount"] = _to_minor(world, f64(jpy), deals["currency"], created)
    won = i64(np.flatnonzero(deals["won"]))
    start = add_months_days(jst_day(deals["closed"][won]), 1)
    base_end = base["end_day"][chosen][won]
    end = i64(np.where(base_end >= start + 27, base_end, add_months_days(start, 12) - 1))
    contracts = _contracts_from_wins(
        world, rng, deals, won, (np.full(won.size, 12, dtype=np.int64), start, end)
    )
    contracts["kind"] = np.ones(won.size, dtype=np.int64)
    return deals, contracts


DEAL_COLUMNS = (
    "account", "team", "seg", "type", "created", "planned", "lead", "owner", "closed", "won",
    "lost", "lost_reason", "currency", "amount",
)  # fmt: skip


def generate_commercial(
    world: World, rng: np.random.Generator, n_deals: int, *, fixtures: bool
) -> Commercial:
    """Accounts, leads, deals, contracts and stage history for ``n_deals`` deals."""
    legacy_accounts, legacy_contracts = _legacy_customers(world, rng, n_deals)
    nb = _new_business(world, rng, n_deals, size(legacy_accounts))
    month_end: list[tuple[int, str]] = []
    if fixtures:
        _month_end_fixtures(world, nb, month_end)
    converted = _converted_leads(world, rng, nb)
    accounts = cat(
        [legacy_accounts, _new_business_accounts(world, rng, nb), _prospects(world, rng, n_deals)]
    )
    contract_parts = [legacy_contracts, _new_business_contracts(world, rng, nb)]
    deal_parts = [{c: nb[c] for c in DEAL_COLUMNS}]
    offset = size(nb)

    budget = int(np.floor(MAX_RENEWAL_SHARE_OF_REST * (n_deals - offset)))
    candidates = cat(contract_parts)
    for _ in range(3):
        if budget <= 0 or size(candidates) == 0:
            break
        renewals, renewed = _renewal_round(world, rng, accounts, candidates, budget)
        if size(renewals) == 0:
            break
        budget -= size(renewals)
        renewed["deal"] = renewed["deal"] + offset
        offset += size(renewals)
        deal_parts.append(renewals)
        contract_parts.append(renewed)
        candidates = renewed
    if n_deals > offset:
        upsells, addons = _upsells(world, rng, accounts, cat(contract_parts), n_deals - offset)
        addons["deal"] = addons["deal"] + offset
        deal_parts.append(upsells)
        contract_parts.append(addons)
    deals = cat([{c: part[c] for c in DEAL_COLUMNS} for part in deal_parts])
    leads = cat(
        [
            converted,
            _other_leads(
                world, rng, max(0, round_half_up(LEADS_PER_DEAL * n_deals) - size(converted))
            ),
        ]
    )
    contracts = cat(contract_parts)
    return _sorted(
        world,
        rng,
        accounts=accounts,
        leads=leads,
        deals=deals,
        contracts=contracts,
        month_end=month_end,
    )


def _other_leads(world: World, rng: np.random.Generator, n: int) -> Frame:
    """Leads that never converted, with consistent MQL/SQL timestamps."""
    calendar, reps = world.calendar, world.reps
    end_ts = calendar.end_ts
    division = rng.integers(0, world.config.divisions, n)
    created = seasonal_time(rng, calendar, n, 2 * HOUR)
    status = i64(np.array([LS_NEW, LS_WORKING, LS_MQL, LS_SQL, LS_DISQUALIFIED])[
        categorical(rng, (0.10, 0.27, 0.17, 0.04, 0.42), n)
    ])  # fmt: skip
    mql_raw = created + i64(np.maximum(lognormal(rng, 7.0, 0.8, n), 0.05) * DAY)
    mql = business_time(rng, i64(mql_raw), created + 60, FAR_FUTURE)
    sql_raw = mql + i64(np.maximum(lognormal(rng, 10.0, 0.8, n), 0.05) * DAY)
    sql = business_time(rng, i64(sql_raw), mql + 60, FAR_FUTURE)
    disq = status == LS_DISQUALIFIED
    has_mql = np.isin(status, (LS_MQL, LS_SQL)) | (disq & (rng.random(n) < 0.35))
    has_sql = (status == LS_SQL) | (disq & has_mql & (rng.random(n) < 0.2))
    late_sql = has_sql & (sql > end_ts)
    has_sql &= ~late_sql
    status = i64(np.where(late_sql & (status == LS_SQL), LS_MQL, status))
    late_mql = has_mql & (mql > end_ts)
    has_mql &= ~late_mql
    has_sql &= has_mql
    status = i64(np.where(late_mql & np.isin(status, (LS_MQL, LS_SQL)), LS_WORKING, status))
    last = np.maximum(created, np.maximum(np.where(has_mql, mql, 0), np.where(has_sql, sql, 0)))
    wait = np.where(
        disq, np.clip(lognormal(rng, 12.0, 0.8, n), 0.1, 90.0) * DAY, rng.uniform(HOUR, 5 * DAY, n)
    )
    updated = i64(np.minimum(last + i64(wait), end_ts))
    owner = reps.pick(rng, division * 4 + KIND_SDR, created, updated)
    names = _name_parts(rng, n)
    return {
        "division": division,
        "source": categorical(rng, LEAD_SOURCE_MIX_OTHER, n),
        "status": status,
        "owner": owner,
        "created": created,
        "mql": i64(np.where(has_mql, mql, -1)),
        "sql": i64(np.where(has_sql, sql, -1)),
        "converted": np.full(n, -1, dtype=np.int64),
        "deal": np.full(n, -1, dtype=np.int64),
        "account": np.full(n, -1, dtype=np.int64),
        "updated": updated,
        "name_account": np.full(n, -1, dtype=np.int64),
        "name_prefix": names["name_prefix"],
        "name_noun": names["name_noun"],
        "name_suffix": names["name_suffix"],
    }


def _inverse(order: npt.NDArray[Any]) -> I64:
    inverse = np.empty(order.shape[0], dtype=np.int64)
    inverse[order] = np.arange(order.shape[0], dtype=np.int64)
    return inverse


def _remap(values: npt.NDArray[Any], inverse: I64) -> I64:
    return i64(np.where(values >= 0, inverse[np.maximum(values, 0)], -1))


def _sorted(
    world: World,
    rng: np.random.Generator,
    *,
    accounts: Frame,
    leads: Frame,
    deals: Frame,
    contracts: Frame,
    month_end: list[tuple[int, str]],
) -> Commercial:
    """Sort each table by creation time (ids follow time) and fix the references."""
    acc_order = np.argsort(accounts["created"], kind="stable")
    acc_inv = _inverse(acc_order)
    lead_order = np.argsort(leads["created"], kind="stable")
    lead_inv = _inverse(lead_order)
    deal_order = np.argsort(deals["created"], kind="stable")
    deal_inv = _inverse(deal_order)
    con_order = np.lexsort((contracts["account"], contracts["start_day"]))

    accounts = sub(accounts, acc_order)
    # company names of converted leads are their account's name
    leads["name_prefix"] = np.where(
        leads["name_account"] >= 0,
        accounts["name_prefix"][acc_inv[np.maximum(leads["name_account"], 0)]],
        leads["name_prefix"],
    )
    leads["name_noun"] = np.where(
        leads["name_account"] >= 0,
        accounts["name_noun"][acc_inv[np.maximum(leads["name_account"], 0)]],
        leads["name_noun"],
    )
    leads["name_suffix"] = np.where(
        leads["name_account"] >= 0,
        accounts["name_suffix"][acc_inv[np.maximum(leads["name_account"], 0)]],
        leads["name_suffix"],
    )
    leads["account"] = _remap(leads["account"], acc_inv)
    leads["deal"] = _remap(leads["deal"], deal_inv)
    leads = sub(leads, lead_order)
    deals["account"] = _remap(deals["account"], acc_inv)
    deals["lead"] = _remap(deals["lead"], lead_inv)
    deals = sub(deals, deal_order)
    contracts["account"] = _remap(contracts["account"], acc_inv)
    contracts["deal"] = _remap(contracts["deal"], deal_inv)
    contracts = sub(contracts, con_order)
    month_end = [(int(deal_inv[i]), label) for i, label in month_end]

    slot_time, slot_active, slot_stage = _stage_slots(world, rng, deals)
    history = _flatten_history(slot_time, slot_active, slot_stage)
    last = np.where(
        deals["closed"] >= 0, deals["closed"], slot_time.max(axis=1, where=slot_active, initial=0)
    )
    wait = rng.integers(600, 3 * DAY, size(deals))
    deals["updated"] = i64(np.minimum(last + wait, world.calendar.end_ts))
    last_slot = 7 - np.argmax(slot_active[:, ::-1], axis=1)
    deals["stage"] = slot_stage[np.arange(size(deals)), last_slot]
    expected = deals["created"] // DAY + i64(deals["planned"] * rng.uniform(0.8, 1.25, size(deals)))
    deals["expected_close_day"] = i64(np.maximum(expected, deals["created"] // DAY + 1))
    return Commercial(
        accounts=accounts,
        leads=leads,
        deals=deals,
        contracts=contracts,
        history=history,
        slot_time=slot_time,
        slot_active=slot_active,
        slot_stage=slot_stage,
        month_end_deals=month_end,
    )


# ---- deal stage history ----------------------------------------------------------------------
# Each deal has 8 slots: 0-4 = the open stages in funnel order, 5-6 = a step back to the
# previous stage and forward again (a few deals), 7 = Closed Won / Closed Lost. A deal's rows
# are its used slots in slot order, so entered_at increases along them.

SLOTS = 8


def _stage_slots(world: World, rng: np.random.Generator, deals: Frame) -> tuple[I64, Bool, I64]:
    """(entered_at, used, stage) per deal and slot."""
    active, stage = _stage_paths(world, rng, deals)
    return _stage_times(world, rng, deals, active), active, stage


def _stage_paths(world: World, rng: np.random.Generator, deals: Frame) -> tuple[Bool, I64]:
    """Which slots each deal uses and the stage of each slot.

    Won deals reach Negotiation/Review, lost ones stop at a random stage, open ones have got
    further the older they are. About 7 % of middle stages are skipped, 6 % of deals start
    at Qualification, 4 % step back once.
    """
    end_ts = world.calendar.end_ts
    n = size(deals)
    won, lost = deals["won"], deals["lost"]
    elapsed = (end_ts - deals["created"]) / (np.maximum(deals["planned"], 1.0) * DAY)
    top_open = np.clip(np.floor(elapsed * 4.0 + rng.random(n) * 1.5), 0, 4).astype(np.int64)
    top_lost = categorical(rng, (0.22, 0.25, 0.2, 0.2, 0.13), n)
    top = np.where(won, 4, np.where(lost, top_lost, top_open))
    slot = np.arange(5)[None, :]
    skip = rng.random((n, 5)) < 0.07
    middle = (slot > 0) & (slot < top[:, None])
    open_stage = (slot <= top[:, None]) & ~(skip & middle)
    open_stage[:, 0] &= ~((rng.random(n) < 0.06) & (top >= 1))
    open_stage[:, 4] &= ~(won & skip[:, 4])
    open_stage[~open_stage.any(axis=1), 0] = True
    back = (rng.random(n) < 0.04) & (top >= 2) & open_stage[np.arange(n), top]
    active = np.zeros((n, SLOTS), dtype=np.bool_)
    active[:, :5] = open_stage
    active[:, 5] = back
    active[:, 6] = back
    active[:, 7] = deals["closed"] >= 0
    stage = np.zeros((n, SLOTS), dtype=np.int64)
    stage[:, :5] = np.arange(5)
    stage[:, 5] = top - 1
    stage[:, 6] = top
    stage[:, 7] = np.where(won, STAGE_WON, STAGE_LOST)
    return active, stage


def _stage_times(world: World, rng: np.random.Generator, deals: Frame, active: Bool) -> I64:
    """Increasing entry times: the first row at created_at, the closed row at closed_at, the
    others spread in between (open deals: before the period end) in business hours."""
    n = size(deals)
    closed = deals["closed"] >= 0
    created = deals["created"]
    bound = np.where(closed, deals["closed"], world.calendar.end_ts)
    gap = np.where(active, rng.exponential(1.0, (n, SLOTS)), 0.0)
    cum = np.cumsum(gap, axis=1)
    first = np.argmax(active, axis=1)
    rows = np.arange(n)
    start_cum = cum[rows, first]
    tail = np.where(closed, 0.0, rng.exponential(0.7, n) + 1e-3)
    total = np.maximum(cum[:, -1] - start_cum + tail, 1e-9)
    pos = np.clip((cum - start_cum[:, None]) / total[:, None], 0.0, 1.0)
    raw = created[:, None] + np.floor(pos * (bound - created)[:, None]).astype(np.int64)
    day = raw // DAY
    squeezed = day * DAY + (raw % DAY) * BUSINESS_FRACTION_NUM // BUSINESS_FRACTION_DEN
    times = np.where(active, squeezed, 0)
    times[rows, first] = created
    rank = np.cumsum(active, axis=1) - 1
    lifted = np.where(active, times - rank, np.iinfo(np.int64).min)
    times = np.maximum.accumulate(lifted, axis=1) + rank
    times = np.maximum(times, created[:, None] + rank)
    times[:, 7] = np.where(closed, deals["closed"], 0)
    return i64(np.where(active, times, 0))


BUSINESS_FRACTION_NUM = 10
BUSINESS_FRACTION_DEN = 24


def _flatten_history(times: I64, active: Bool, stage: I64) -> Frame:
    rows, slots = np.nonzero(active)
    return {
        "deal": i64(rows),
        "stage": stage[rows, slots],
        "entered": times[rows, slots],
    }


def next_slot_time(times: I64, active: Bool, bound: I64) -> I64:
    """For each slot, the time of the deal's next used slot (``bound`` when none)."""
    later = np.where(active, times, FAR_FUTURE)
    suffix_min = np.minimum.accumulate(later[:, ::-1], axis=1)[:, ::-1]
    following = np.concatenate(
        [suffix_min[:, 1:], np.full((times.shape[0], 1), FAR_FUTURE)], axis=1
    )
    return i64(np.where(following >= FAR_FUTURE, bound[:, None], following))
