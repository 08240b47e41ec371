"""Activities, e-mail events, content usage, service requests and quotes of one chunk.

Activities come in four kinds, shared out of ``activities_per_deal`` × deals: work on deals
(55 %), SDR work on leads (20 %), customer care on active contracts (5 %) and non-selling
time (admin, internal meetings, travel, training: 20 %). Every activity falls within its
rep's employment and, when linked, within its deal's or lead's life.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .commercial import Commercial, Frame, cat, next_slot_time, size, sub
from .common import (
    DAY,
    F64,
    HOUR,
    I64,
    Bool,
    business_time,
    categorical,
    f64,
    i64,
    jst_day,
    lognormal,
    uniform_time,
)
from .dimensions import World
from .schema import (
    ACT_ADMIN,
    ACT_CALL,
    ACT_DEMO,
    ACT_EMAIL,
    ACT_INTERNAL,
    ACT_MEETING,
    ACT_TRAINING,
    ACT_TRAVEL,
    CUR_JPY,
    LS_CONVERTED,
    LS_DISQUALIFIED,
    LS_NEW,
    OUT_CANCELLED,
    OUT_COMPLETED,
    OUT_CONNECTED,
    OUT_HELD,
    OUT_NO_ANSWER,
    OUT_NO_SHOW,
    OUT_SCHEDULED,
    OUT_SENT,
    OUT_VOICEMAIL,
    ROLE_SDR,
    SEG_ENTERPRISE,
    SEG_SMB,
    STAGE_NEGOTIATION,
    STAGE_PROPOSAL,
)

SHARE_DEAL, SHARE_LEAD, SHARE_ACCOUNT, SHARE_NON_SELLING = 0.55, 0.20, 0.05, 0.20
DEAL_TYPE_MIX = (0.35, 0.30, 0.25, 0.10)  # call, email, meeting, demo
LEAD_TYPE_MIX = (0.65, 0.35)  # call, email
NON_SELLING_MIX = (0.45, 0.30, 0.15, 0.10)  # admin, internal meeting, travel, training
#: Median minutes and clip range per activity type (completed / held / connected).
DURATION = {
    ACT_CALL: (7.0, 1, 60),
    ACT_EMAIL: (6.0, 2, 20),
    ACT_MEETING: (45.0, 15, 120),
    ACT_DEMO: (60.0, 30, 150),
    ACT_ADMIN: (30.0, 5, 180),
    ACT_INTERNAL: (45.0, 15, 120),
    ACT_TRAVEL: (90.0, 20, 300),
    ACT_TRAINING: (120.0, 30, 480),
}
SCHEDULED_WINDOW = 21 * DAY


@dataclass
class Engagement:
    activities: Frame
    email_events: Frame
    content_usage: Frame
    service_requests: Frame
    quotes: Frame
    #: activity rows (after sorting) placed at 23:30 UTC on a month's last day
    month_end_activities: I64


def _rep_month_cells(world: World, roles: Bool) -> tuple[I64, I64, I64, I64]:
    """(rep, month, start, end) of every month a rep with one of ``roles`` is employed."""
    calendar, reps = world.calendar, world.reps
    months = calendar.months
    rep = np.repeat(np.flatnonzero(roles), months)
    month = np.tile(np.arange(months), int(roles.sum()))
    starts = calendar.month_starts * DAY
    lo = np.maximum(starts[month], reps.emp_start[rep])
    hi = np.minimum(np.minimum(starts[month + 1] - 1, reps.emp_end[rep] - 1), calendar.end_ts)
    keep = hi > lo + HOUR
    return i64(rep[keep]), i64(month[keep]), i64(lo[keep]), i64(hi[keep])


def _spread(rng: np.random.Generator, weight: F64, total: float) -> I64:
    """Poisson counts per item with means proportional to ``weight`` summing to ``total``."""
    if weight.size == 0 or weight.sum() <= 0:
        return np.zeros(weight.size, dtype=np.int64)
    return i64(rng.poisson(weight * (total / weight.sum())))


def _activity_frame(
    rep: I64,
    started: I64,
    kind: I64,
    value_added_p: float,
    links: dict[str, I64] | None = None,
) -> Frame:
    """Activities of ``rep`` at ``started``; ``links`` = account/deal/lead indices if any."""
    n = rep.shape[0]
    none = np.full(n, -1, dtype=np.int64)
    links = links or {}
    return {
        "rep": rep,
        "account": links.get("account", none),
        "deal": links.get("deal", none),
        "lead": links.get("lead", none),
        "started": started,
        "type": kind,
        "va_p": np.full(n, value_added_p),
        "fixture": np.zeros(n, dtype=np.bool_),
    }


def _outcomes_and_durations(world: World, rng: np.random.Generator, acts: Frame) -> None:
    """Fill ``outcome``, ``duration`` and ``value_added`` per activity type."""
    n = size(acts)
    kind, rep = acts["type"], acts["rep"]
    outcome = np.full(n, OUT_COMPLETED, dtype=np.int64)
    duration = np.zeros(n, dtype=np.int64)
    u = rng.random(n)
    base = np.zeros(n)
    for k, (median, low, high) in DURATION.items():
        idx = kind == k
        base[idx] = np.clip(lognormal(rng, median, 0.45, int(idx.sum())), low, high)
    minutes = np.rint(base).astype(np.int64)

    call = kind == ACT_CALL
    connected_p = world.reps.contact_p[rep]
    connected = call & (u < connected_p)
    voicemail = call & ~connected & (u < connected_p + (1 - connected_p) * 0.35)
    outcome[call] = OUT_NO_ANSWER
    outcome[voicemail] = OUT_VOICEMAIL
    outcome[connected] = OUT_CONNECTED
    duration[connected] = minutes[connected]
    duration[voicemail] = rng.integers(1, 3, int(voicemail.sum()))
    no_answer = call & ~connected & ~voicemail
    duration[no_answer] = rng.integers(0, 2, int(no_answer.sum()))

    email = kind == ACT_EMAIL
    outcome[email] = OUT_SENT
    duration[email] = minutes[email]

    recent = acts["started"] >= world.calendar.end_ts - SCHEDULED_WINDOW
    for k, mix in ((ACT_MEETING, (0.75, 0.07, 0.10, 0.08)), (ACT_DEMO, (0.78, 0.05, 0.09, 0.08))):
        idx = np.flatnonzero(kind == k)
        pick = categorical(rng, mix, idx.size)
        pick = np.where((pick == 3) & ~recent[idx], 0, pick)
        codes = np.array([OUT_HELD, OUT_NO_SHOW, OUT_CANCELLED, OUT_SCHEDULED])[pick]
        outcome[idx] = codes
        planned = np.where(rng.random(idx.size) < 0.5, 30, 60)
        duration[idx] = np.where(
            codes == OUT_HELD, minutes[idx], np.where(codes == OUT_SCHEDULED, planned, 0)
        )

    other = kind >= ACT_ADMIN
    duration[other] = minutes[other]
    acts["outcome"] = outcome
    acts["duration"] = duration
    acts["value_added"] = connected & (rng.random(n) < acts["va_p"])


def _month_end_activities(world: World) -> Frame:
    """Admin work logged at 23:30 UTC on month-ends (08:30 JST on the 1st) by anchor reps."""
    calendar, reps = world.calendar, world.reps
    rows: list[tuple[int, int]] = []
    labels = [calendar.month_label(m) for m in range(calendar.months)]
    quarterly = set(range(1, calendar.months - 1, 3))
    marches = {m for m in range(calendar.months - 1) if labels[m][5:7] == "03"}
    months = sorted(quarterly | marches)
    for number, m in enumerate(months):
        at = int(calendar.month_starts[m + 1]) * DAY - 30 * 60
        rep = int(reps.anchor[number % reps.anchor.size])
        if reps.emp_start[rep] <= at and at + DAY < reps.emp_end[rep]:
            rows.append((rep, at))
    rep_arr = i64([r for r, _ in rows])
    at_arr = i64([t for _, t in rows])
    n = rep_arr.size
    kind = i64(np.where(np.arange(n) % 2 == 0, ACT_ADMIN, ACT_INTERNAL))
    frame = _activity_frame(rep_arr, at_arr, kind, 0.0)
    frame["fixture"] = np.ones(n, dtype=np.bool_)
    return frame


def _deal_work(world: World, rng: np.random.Generator, deals: Frame, total: float) -> Frame:
    """Calls, e-mails, meetings and demos by the owner during each deal's life."""
    end = np.where(deals["closed"] >= 0, deals["closed"], world.calendar.end_ts)
    days = (end - deals["created"]) / DAY
    counts = _spread(rng, f64((1.0 + days) ** 0.6), total)
    d = i64(np.repeat(np.arange(size(deals)), counts))
    started = uniform_time(rng, deals["created"][d], i64(end[d]))
    kind = categorical(rng, DEAL_TYPE_MIX, d.size)
    links = {"account": deals["account"][d], "deal": d}
    return _activity_frame(deals["owner"][d], started, kind, 0.35, links)


def _lead_work(rng: np.random.Generator, leads: Frame, total: float) -> Frame:
    """SDR calls and e-mails on leads until they convert or are last updated."""
    status = leads["status"]
    end = np.where(status == LS_CONVERTED, leads["converted"], leads["updated"])
    end = np.maximum(end, leads["created"])
    weight = np.where(status == LS_NEW, 0.5, np.where(status == LS_CONVERTED, 1.6, 1.0))
    weight = np.where(status == LS_DISQUALIFIED, 0.8, weight)
    counts = _spread(rng, f64(weight), total)
    li = i64(np.repeat(np.arange(size(leads)), counts))
    started = uniform_time(rng, leads["created"][li], i64(end[li]))
    kind = i64(np.where(categorical(rng, LEAD_TYPE_MIX, li.size) == 0, ACT_CALL, ACT_EMAIL))
    return _activity_frame(leads["owner"][li], started, kind, 0.25, {"lead": li})


def _customer_care(world: World, rng: np.random.Generator, com: Commercial, total: float) -> Frame:
    """Calls and meetings with customers while a contract runs, by the account owner (the
    team's anchor rep when the owner is not employed then)."""
    calendar, reps = world.calendar, world.reps
    con, accounts = com.contracts, com.accounts
    lo = np.maximum(con["start_day"] * DAY, calendar.start_ts)
    hi = np.minimum((con["end_day"] + 1) * DAY - 1, calendar.end_ts)
    active_days = np.where(con["kind"] == 0, np.maximum(hi - lo, 0) / DAY, 0.0)
    counts = _spread(rng, f64(active_days), total)
    ci = np.repeat(np.arange(size(con)), counts)
    started = uniform_time(rng, i64(lo[ci]), i64(hi[ci]))
    acc = con["account"][ci]
    owner = accounts["owner"][acc]
    rep = i64(
        np.where(reps.employed(owner, started, started), owner, reps.anchor[accounts["team"][acc]])
    )
    kind = i64(np.where(rng.random(ci.size) < 0.6, ACT_CALL, ACT_MEETING))
    return _activity_frame(rep, started, kind, 0.5, {"account": acc})


def _non_selling(world: World, rng: np.random.Generator, total: float) -> Frame:
    """Admin, internal meetings, travel and training of every rep while employed."""
    rep, _, lo, hi = _rep_month_cells(world, np.ones(world.reps.n, dtype=np.bool_))
    counts = _spread(rng, f64(hi - lo), total)
    ri = np.repeat(np.arange(rep.size), counts)
    started = uniform_time(rng, lo[ri], hi[ri])
    kind = i64(categorical(rng, NON_SELLING_MIX, ri.size) + ACT_ADMIN)
    return _activity_frame(rep[ri], started, kind, 0.0)


def generate_engagement(
    world: World,
    rng: np.random.Generator,
    com: Commercial,
    n_deals: int,
    *,
    fixtures: bool,
) -> Engagement:
    """All activity-like tables of a chunk."""
    total = world.config.activity_rate * n_deals
    parts = [
        _deal_work(world, rng, com.deals, SHARE_DEAL * total),
        _lead_work(rng, com.leads, SHARE_LEAD * total),
        _customer_care(world, rng, com, SHARE_ACCOUNT * total),
        _non_selling(world, rng, SHARE_NON_SELLING * total),
    ]
    if fixtures:
        parts.append(_month_end_activities(world))
    acts = cat(parts)
    acts = sub(acts, np.argsort(acts["started"], kind="stable"))
    _outcomes_and_durations(world, rng, acts)
    return Engagement(
        activities=acts,
        email_events=_email_events(world, rng, acts),
        content_usage=_content_usage(world, rng, com, n_deals),
        service_requests=_service_requests(world, rng, com),
        quotes=_quotes(world, rng, com),
        month_end_activities=i64(np.flatnonzero(acts["fixture"])),
    )


def _email_events(world: World, rng: np.random.Generator, acts: Frame) -> Frame:
    """sent for every e-mail; then bounced (4 %) or maybe opened (≈28 %) and clicked."""
    reps, end_ts = world.reps, world.calendar.end_ts
    email = np.flatnonzero(acts["type"] == ACT_EMAIL)
    n = email.size
    sent_at = acts["started"][email]
    rep = acts["rep"][email]
    limit = np.minimum(reps.emp_end[rep] - 1, end_ts)
    bounced = rng.random(n) < 0.04
    opened = ~bounced & (rng.random(n) < 0.28)
    clicked = opened & (rng.random(n) < 0.25)
    bounce_at = sent_at + rng.integers(30, 600, n)
    open_at = sent_at + i64(np.clip(lognormal(rng, 3.0, 1.2, n), 0.02, 168.0) * HOUR)
    click_at = open_at + rng.integers(5, 1800, n)
    rows = [
        (email, np.zeros(n, dtype=np.int64), sent_at, np.ones(n, dtype=np.bool_)),
        (email, np.ones(n, dtype=np.int64), bounce_at, bounced & (bounce_at <= limit)),
        (email, np.full(n, 2, dtype=np.int64), open_at, opened & (open_at <= limit)),
        (
            email,
            np.full(n, 3, dtype=np.int64),
            click_at,
            clicked & (open_at <= limit) & (click_at <= limit),
        ),
    ]
    activity = np.concatenate([r[0][r[3]] for r in rows])
    event = np.concatenate([r[1][r[3]] for r in rows])
    at = np.concatenate([r[2][r[3]] for r in rows])
    order = np.lexsort((event, at))
    activity, event, at = activity[order], event[order], at[order]
    return {
        "activity": i64(activity),
        "event": i64(event),
        "at": i64(at),
        "rep": acts["rep"][activity],
        "lead": acts["lead"][activity],
    }


def _content_usage(world: World, rng: np.random.Generator, com: Commercial, n_deals: int) -> Frame:
    """Content used on deals (more on deals that are won) and outside deals."""
    calendar, reps, assets = world.calendar, world.reps, world.assets
    deals = com.deals
    end = np.where(deals["closed"] >= 0, deals["closed"], calendar.end_ts)
    lam = np.where(deals["won"], 1.4, np.where(deals["lost"], 0.7, 0.8))
    counts = i64(rng.poisson(lam))
    d = np.repeat(np.arange(size(deals)), counts)
    used = uniform_time(rng, deals["created"][d], i64(end[d]))
    rep = deals["owner"][d]
    deal = i64(d)
    roles = reps.role != ROLE_SDR
    cell_rep, _, lo, hi = _rep_month_cells(world, roles)
    free = _spread(rng, f64(hi - lo), 0.25 * n_deals)
    ci = np.repeat(np.arange(cell_rep.size), free)
    used = np.concatenate([used, uniform_time(rng, lo[ci], hi[ci])])
    rep = np.concatenate([rep, cell_rep[ci]])
    deal = np.concatenate([deal, np.full(ci.size, -1, dtype=np.int64)])

    n = used.size
    asset = np.full(n, -1, dtype=np.int64)
    cumulative = np.cumsum(assets.weight)
    cal_month = (
        jst_day(i64(used)).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    ) % 12
    for _ in range(30):
        pending = np.flatnonzero(asset < 0)
        if pending.size == 0:
            break
        draw = np.minimum(
            np.searchsorted(cumulative, rng.random(pending.size) * cumulative[-1], side="right"),
            cumulative.size - 1,
        )
        t = used[pending]
        ok = (
            (assets.published[draw] <= t)
            & (t < assets.retired[draw])
            & assets.month_mask[draw, cal_month[pending]]
        )
        asset[pending[ok]] = draw[ok]
    keep = asset >= 0
    order = np.argsort(used[keep], kind="stable")
    return {
        "asset": asset[keep][order],
        "rep": i64(rep[keep][order]),
        "deal": i64(deal[keep][order]),
        "used": i64(used[keep][order]),
    }


def _service_requests(world: World, rng: np.random.Generator, com: Commercial) -> Frame:
    """Requests from customers while their contract runs."""
    calendar, reps = world.calendar, world.reps
    con, accounts = com.contracts, com.accounts
    base = con["kind"] == 0
    lo = np.maximum(con["start_day"] * DAY, calendar.start_ts)
    hi = np.minimum((con["end_day"] + 1) * DAY - 1, calendar.end_ts)
    months = np.where(base, np.maximum(hi - lo, 0) / (30.44 * DAY), 0.0)
    seg = accounts["seg"][con["account"]]
    factor = np.where(seg == SEG_ENTERPRISE, 1.6, np.where(seg == SEG_SMB, 0.7, 1.0))
    counts = i64(rng.poisson(0.12 * months * factor))
    ci = np.repeat(np.arange(size(con)), counts)
    opened = uniform_time(rng, i64(lo[ci]), i64(hi[ci]))
    acc = con["account"][ci]
    owner = accounts["owner"][acc]
    n = ci.size
    contacts = categorical(rng, (0.70, 0.18, 0.08, 0.04), n) + 1
    hours = np.clip(lognormal(rng, 4.0, 1.0, n) * contacts**1.3, 0.1, 24.0 * 30)
    resolved = opened + i64(hours * HOUR)
    unresolved = (rng.random(n) < 0.05) | (resolved > calendar.end_ts)
    order = np.argsort(opened, kind="stable")
    rep_ok = reps.employed(owner, opened, opened)
    return {
        "account": i64(acc[order]),
        "rep": i64(np.where(rep_ok, owner, -1)[order]),
        "channel": categorical(rng, (0.35, 0.40, 0.15, 0.10), n)[order],
        "opened": i64(opened[order]),
        "resolved": i64(np.where(unresolved, -1, resolved)[order]),
        "contacts": i64(contacts[order]),
    }


def _quotes(world: World, rng: np.random.Generator, com: Commercial) -> Frame:
    """A quote when a deal enters Proposal/Price Quote and a revised one in some
    negotiations: requested soon after, delivered hours (at most four days) later."""
    end_ts = world.calendar.end_ts
    deals = com.deals
    times, active = com.slot_time, com.slot_active
    n = size(deals)
    is_open = deals["closed"] < 0
    bound = np.full(n, end_ts, dtype=np.int64)
    following = next_slot_time(times, active, bound)
    frames: list[Frame] = []
    for slot, p, revised in ((STAGE_PROPOSAL, 1.0, False), (STAGE_NEGOTIATION, 0.4, True)):
        has = active[:, slot] & (rng.random(n) < p)
        d = np.flatnonzero(has)
        entered = times[d, slot]
        nxt = following[d, slot]
        gap = np.maximum(nxt - entered, 1)
        requested = entered + i64(gap * rng.uniform(0.02, 0.2, d.size))
        requested = business_time(rng, requested, entered, nxt - 1)
        turnaround = i64(np.clip(lognormal(rng, 20.0, 0.9, d.size), 0.5, 96.0) * HOUR)
        latest = requested + np.maximum(np.minimum(turnaround, i64((nxt - requested) * 0.9)), 0)
        delivered = business_time(rng, latest, requested, latest)
        last_open = is_open[d] & (nxt >= end_ts)
        pending = last_open & (rng.random(d.size) < 0.3)
        amount = deals["amount"][d]
        currency = deals["currency"][d]
        if not revised:
            step = np.where(currency == CUR_JPY, 1_000_000, 1_000)
            amount = i64(np.rint(amount * rng.uniform(1.0, 1.15, d.size) / step) * step)
        frames.append(
            {
                "deal": i64(d),
                "requested": requested,
                "delivered": i64(np.where(pending, -1, delivered)),
                "amount": amount,
                "currency": currency,
            }
        )
    quotes = cat(frames)
    quotes["rep"] = deals["owner"][quotes["deal"]]
    return sub(quotes, np.argsort(quotes["requested"], kind="stable"))
