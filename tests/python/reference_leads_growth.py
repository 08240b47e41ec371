"""An independent pandas computation of the company-level leads (section B) and growth (section C)
KPIs per local month, straight from the raw CRM export — no dbt, no SQL — to check kpi_leads,
kpi_growth and the point-in-time pipeline against a second implementation of the rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from reference_kpis import (
    PROJECT_ROOT,
    latest_versions,
    normalise,
    parse_timestamp,
    read_raw,
    valid_deals,
)

CONFIG = PROJECT_ROOT / "seeds" / "config"


def local_dates(values: pd.Series, timezone: str) -> pd.Series:
    """UTC timestamps → calendar dates (as midnight timestamps) in the reporting time zone."""
    local = values.dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
    dates: pd.Series = local.dt.normalize()
    return dates


def month_label(dates: pd.Series) -> pd.Series:
    labels: pd.Series = dates.dt.strftime("%Y-%m")
    return labels


def valid_leads(folder: Path) -> pd.DataFrame:
    """Leads passing the checks: latest version, valid dates, mapped status, known rep."""
    statuses = read_raw(CONFIG, "map_lead_statuses")
    leads = read_raw(folder, "leads").dropna(subset=["lead_id"])
    leads = latest_versions(leads, "lead_id")
    parsed = {
        c: parse_timestamp(leads[c]) for c in ("created_at", "mql_at", "sql_at", "converted_at")
    }
    bad_date = pd.Series(False, index=leads.index)
    for column, values in parsed.items():
        bad_date |= leads[column].notna() & values.isna()
    created = parsed["created_at"]
    before_created = (
        (parsed["mql_at"] < created)
        | (parsed["sql_at"] < created)
        | (parsed["converted_at"] < created)
    )
    ok = (
        ~bad_date
        & created.notna()
        & ~before_created
        & normalise(leads["status"]).isin(set(statuses["source_value"]))
    )
    return leads.loc[ok].assign(**{f"{c}_ts": v[ok] for c, v in parsed.items()})


def deals_as_of(folder: Path, timezone: str, as_of: str) -> pd.DataFrame:
    """Valid deals created by the as-of date, with their local dates and status as of it."""
    stage_map = read_raw(CONFIG, "map_deal_stages")
    deals = valid_deals(folder, stage_map)
    as_of_date = pd.Timestamp(as_of)
    deals = deals.assign(
        created_date=local_dates(deals["created"], timezone),
        closed_date_local=local_dates(deals["closed"], timezone),
        type_key=normalise(deals["deal_type"]),
    )
    deals = deals[deals["created_date"] <= as_of_date]
    is_closed = deals["closed_date_local"].notna() & (deals["closed_date_local"] <= as_of_date)
    return deals.assign(
        status=deals["category"].where(is_closed, "open"),
        closed_date=deals["closed_date_local"].where(is_closed),
    )


def lead_lifecycles(folder: Path, timezone: str, as_of: str) -> pd.DataFrame:
    """One row per lead created by the as-of date with its cohort month and milestone dates."""
    as_of_date = pd.Timestamp(as_of)
    leads = valid_leads(folder)
    leads = leads.assign(created_date=local_dates(leads["created_at_ts"], timezone))
    leads = leads[leads["created_date"] <= as_of_date]
    deals = deals_as_of(folder, timezone, as_of)
    links = pd.concat(
        [
            deals.loc[deals["lead_id"].notna(), ["lead_id", "deal_id"]],
            leads.loc[leads["converted_deal_id"].notna(), ["lead_id", "converted_deal_id"]].rename(
                columns={"converted_deal_id": "deal_id"}
            ),
        ]
    ).drop_duplicates()
    linked = links.merge(deals, on="deal_id", how="inner", suffixes=("", "_deal"))
    first_deal = linked.groupby("lead_id")["created"].min().rename("first_deal_at")
    won = linked[linked["status"] == "won"]
    first_win = won.groupby("lead_id")["closed_date"].min().rename("customer_date")
    leads = leads.join(first_deal, on="lead_id").join(first_win, on="lead_id")
    opportunity_at = leads["first_deal_at"].fillna(leads["converted_at_ts"])
    mql_date = local_dates(leads["mql_at_ts"].fillna(leads["sql_at_ts"]), timezone)
    sql_date = local_dates(leads["sql_at_ts"], timezone)
    opportunity_date = local_dates(opportunity_at, timezone)
    return leads.assign(
        month=month_label(leads["created_date"]),
        mql_month=month_label(mql_date.where(mql_date <= as_of_date)),
        is_sql=sql_date.notna() & (sql_date <= as_of_date),
        is_opportunity=opportunity_date.notna() & (opportunity_date <= as_of_date),
        is_customer=leads["customer_date"].notna(),
        days_to_customer=(leads["customer_date"] - leads["created_date"]).dt.days,
    )


def company_leads_by_month(folder: Path, timezone: str, as_of: str) -> pd.DataFrame:
    """Leads-family parts and rates per local month, company-wide."""
    as_of_date = pd.Timestamp(as_of)
    leads = lead_lifecycles(folder, timezone, as_of)
    cohort = leads.groupby("month").agg(
        new_leads=("lead_id", "size"),
        cohort_leads_to_opportunity=("is_opportunity", "sum"),
    )
    mql = (
        leads[leads["mql_month"].notna()]
        .groupby("mql_month")
        .agg(mql_leads=("lead_id", "size"), mql_leads_to_sql=("is_sql", "sum"))
    )
    calls = valid_calls(folder, timezone, as_of_date)
    call_parts = calls.groupby("month").agg(
        outbound_calls=("activity_id", "size"),
        connected_calls=("outcome", lambda s: int((s == "connected").sum())),
    )
    emails = email_parts(folder, timezone, as_of_date)
    frame = pd.concat([cohort, mql, call_parts, emails], axis=1).fillna(0).astype("int64")
    frame["lead_to_opportunity_pct"] = pct(frame["cohort_leads_to_opportunity"], frame["new_leads"])
    frame["mql_to_sql_pct"] = pct(frame["mql_leads_to_sql"], frame["mql_leads"])
    frame["contact_rate_pct"] = pct(frame["connected_calls"], frame["outbound_calls"])
    delivered = frame["emails_sent"] - frame["emails_bounced"]
    frame["email_open_rate_pct"] = pct(frame["emails_opened"], delivered)
    return frame.sort_index()


def valid_calls(folder: Path, timezone: str, as_of_date: pd.Timestamp) -> pd.DataFrame:
    """Call activities that pass the contract's checks, dated locally, up to the as-of date."""
    types = read_raw(CONFIG, "map_activity_types")
    activities = read_raw(folder, "activities").dropna(subset=["activity_id"]).drop_duplicates()
    started = parse_timestamp(activities["started_at"])
    duration = pd.to_numeric(activities["duration_minutes"], errors="coerce")
    type_class = normalise(activities["activity_type"]).map(
        types.set_index("source_value")["activity_class"]
    )
    ok = (
        started.notna()
        & ~(activities["duration_minutes"].notna() & duration.isna())
        & ~(duration < 0)
        & type_class.notna()
    )
    calls = activities.loc[ok & (type_class == "call")]
    dates = local_dates(started[calls.index], timezone)
    calls = calls.assign(month=month_label(dates))
    return calls[dates <= as_of_date]


def email_parts(folder: Path, timezone: str, as_of_date: pd.Timestamp) -> pd.DataFrame:
    """E-mails sent, bounced and opened (delivered, opened by the as-of date) per send month."""
    path = folder / "email_events.csv"
    columns = ["emails_sent", "emails_bounced", "emails_opened"]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    events = read_raw(folder, "email_events").drop_duplicates(subset=["email_event_id"])
    events = events.assign(occurred=parse_timestamp(events["occurred_at"]))
    events = events[events["occurred"].notna() & events["email_id"].notna()]
    events = events[local_dates(events["occurred"], timezone) <= as_of_date]
    kinds = events.pivot_table(
        index="email_id", columns="event_type", values="occurred", aggfunc="min"
    )
    sent = kinds[kinds["sent"].notna()]
    bounced = sent["bounced"].notna() if "bounced" in sent else pd.Series(False, index=sent.index)
    opened = sent["opened"].notna() if "opened" in sent else pd.Series(False, index=sent.index)
    parts = pd.DataFrame(
        {
            "month": month_label(local_dates(sent["sent"], timezone)),
            "emails_sent": 1,
            "emails_bounced": bounced.astype("int64"),
            "emails_opened": (opened & ~bounced).astype("int64"),
        }
    )
    return parts.groupby("month")[columns].sum()


def pct(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """100 × numerator / denominator rounded to 4 places; NaN when the denominator is 0."""
    ratio = 100 * numerator / denominator.where(denominator != 0)
    return ratio.round(4)


def fx_rates(folder: Path) -> pd.DataFrame:
    """Monthly rate to JPY per currency (direct rates of the demo; JPY itself is 1)."""
    rates = read_raw(folder, "fx_rates")
    rates = rates[rates["quote_currency"].str.upper() == "JPY"]
    rates = rates.assign(
        currency=rates["currency_code"].str.upper(),
        month=pd.to_datetime(rates["rate_month"]).dt.strftime("%Y-%m"),
        rate=pd.to_numeric(rates["rate"]),
    )
    return rates[["currency", "month", "rate"]]


def to_jpy(frame: pd.DataFrame, month_column: str, folder: Path) -> pd.Series:
    """The deal amount converted to JPY at the rate of the month in `month_column`."""
    currency = frame["currency_code"].str.upper()
    keyed = frame.assign(currency=currency, month=frame[month_column])
    merged = keyed.merge(fx_rates(folder), on=["currency", "month"], how="left")
    rate = merged["rate"].where(merged["currency"] != "JPY", 1.0).to_numpy()
    return pd.Series(frame["amount_num"].to_numpy() * rate, index=frame.index).round(2)


def company_growth_by_month(folder: Path, timezone: str, as_of: str) -> pd.DataFrame:
    """Growth-family parts and rates per local month, company-wide."""
    deals = deals_as_of(folder, timezone, as_of)
    won = deals[deals["status"] == "won"].copy()
    won["month"] = month_label(won["closed_date"])
    won["revenue"] = to_jpy(won, "month", folder).fillna(0)
    won["cross_sell_revenue"] = won["revenue"].where(won["type_key"] == "cross sell", 0)
    won["upsell_revenue"] = won["revenue"].where(won["type_key"] == "upsell", 0)
    revenue = won.groupby("month").agg(
        revenue=("revenue", "sum"),
        deals_won=("deal_id", "size"),
        cross_sell_revenue=("cross_sell_revenue", "sum"),
        upsell_revenue=("upsell_revenue", "sum"),
    )
    deals = deals.assign(month=month_label(deals["created_date"]))
    cohort = deals.groupby("month").agg(
        cohort_opportunities=("deal_id", "size"),
        cohort_opportunities_won=("status", lambda s: int((s == "won").sum())),
        cohort_opportunities_lost=("status", lambda s: int((s == "lost").sum())),
        cohort_opportunities_open=("status", lambda s: int((s == "open").sum())),
    )
    leads = lead_lifecycles(folder, timezone, as_of)
    lead_cohort = leads.groupby("month").agg(
        cohort_leads=("lead_id", "size"),
        cohort_leads_to_customer=("is_customer", "sum"),
        cohort_days_to_customer=("days_to_customer", "sum"),
    )
    frame = pd.concat([revenue, cohort, lead_cohort], axis=1).fillna(0).sort_index()
    months = pd.period_range(frame.index.min(), pd.Timestamp(as_of).strftime("%Y-%m"), freq="M")
    frame = frame.reindex(months.strftime("%Y-%m"), fill_value=0)
    frame["revenue"] = frame["revenue"].round(2)
    previous = frame["revenue"].shift(1)
    frame["revenue_growth_mom_pct"] = pct(frame["revenue"] - previous, previous)
    frame["order_rate_pct"] = pct(frame["cohort_opportunities_won"], frame["cohort_opportunities"])
    frame["lead_to_customer_pct"] = pct(frame["cohort_leads_to_customer"], frame["cohort_leads"])
    frame["cross_sell_pct"] = pct(frame["cross_sell_revenue"], frame["revenue"])
    frame["upsell_pct"] = pct(frame["upsell_revenue"], frame["revenue"])
    return frame


def open_pipeline_on(folder: Path, timezone: str, as_of: str, day: str) -> tuple[int, float]:
    """Deals open at the end of a local day and their JPY amount (that month's rate), replayed
    from the stage history: the last stage change on or before the day decides."""
    stage_map = read_raw(CONFIG, "map_deal_stages")
    categories = stage_map.set_index("source_value")["stage_category"]
    deals = deals_as_of(folder, timezone, as_of)
    history = read_raw(folder, "deal_stage_history").dropna(subset=["stage_history_id"])
    history = history.drop_duplicates(subset=["stage_history_id"])
    history = history.assign(
        entered=parse_timestamp(history["entered_at"]),
        category=normalise(history["stage"]).map(categories),
    )
    history = history[history["entered"].notna() & history["category"].notna()]
    history = history[history["deal_id"].isin(set(deals["deal_id"]))]
    history = history.assign(entered_date=local_dates(history["entered"], timezone))
    cutoff = min(pd.Timestamp(day), pd.Timestamp(as_of))
    history = history[history["entered_date"] <= cutoff]
    last = history.sort_values(["entered", "stage_history_id"]).groupby("deal_id").tail(1)
    open_ids = set(last.loc[last["category"] == "open", "deal_id"])
    open_deals = deals[deals["deal_id"].isin(open_ids)].assign(
        month=pd.Timestamp(day).strftime("%Y-%m")
    )
    amount = to_jpy(open_deals, "month", folder)
    return len(open_deals), float(amount.sum())
