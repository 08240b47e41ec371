"""An independent computation of company-level KPIs straight from the raw CRM export with
pandas — no dbt, no SQL — so the marts can be checked against a second implementation of the
rules in docs/input_contract.md and KPI_CATALOGUE.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def read_raw(folder: Path, table: str) -> pd.DataFrame:
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    stripped: pd.DataFrame = frame.apply(lambda column: column.str.strip())
    return stripped.replace("", None)


def normalise(values: pd.Series) -> pd.Series:
    text = values.str.lower().str.replace(r"[_\-]", " ", regex=True)
    return text.str.replace(r"\s+", " ", regex=True).str.strip()


def parse_timestamp(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.str.replace("T", " "), format=TIMESTAMP_FORMAT, errors="coerce")


def latest_versions(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Drop exact copies, then keep the latest export (updated_at) of each key."""
    frame = frame.drop_duplicates()
    frame = frame.assign(_updated=parse_timestamp(frame["updated_at"]))
    frame = frame.sort_values([key, "_updated"], ascending=[True, False], na_position="last")
    return frame.drop_duplicates(subset=[key], keep="first").drop(columns="_updated")


def valid_deals(folder: Path, stage_map: pd.DataFrame) -> pd.DataFrame:
    """Deals that pass the contract's checks, with their canonical stage category."""
    deal_types = read_raw(PROJECT_ROOT / "seeds" / "config", "map_deal_types")
    deals = read_raw(folder, "deals").dropna(subset=["deal_id"])
    deals = latest_versions(deals, "deal_id")
    deals = deals.assign(
        created=parse_timestamp(deals["created_at"]),
        closed=parse_timestamp(deals["closed_at"]),
        amount_num=pd.to_numeric(deals["amount"], errors="coerce"),
        stage_key=normalise(deals["stage"]),
        type_key=normalise(deals["deal_type"]),
    )
    stages = stage_map.set_index("source_value")["stage_category"]
    deals = deals.assign(category=deals["stage_key"].map(stages))
    bad_dates = (deals["created"].isna()) | (deals["closed_at"].notna() & deals["closed"].isna())
    ok = (
        ~bad_dates
        & ~(deals["closed"] < deals["created"])
        & (deals["amount_num"].notna() | (deals["amount"].isna() & (deals["category"] == "open")))
        & (deals["amount_num"] >= 0)
        & (deals["currency_code"].str.len() == 3)
        & deals["category"].notna()
        & deals["type_key"].isin(set(deal_types["source_value"]))
        & ((deals["category"] == "open") == deals["closed"].isna())
    )
    # A deal's owner or account need not exist: it is staged and counts under the (unknown)
    # member (issue "Real exports in"), so no reference check here.
    return deals.loc[ok]


def company_win_rate_by_month(folder: Path, timezone: str, as_of: str) -> pd.DataFrame:
    """deals won / deals closed × 100 per local close month, for the whole company."""
    stage_map = read_raw(PROJECT_ROOT / "seeds" / "config", "map_deal_stages")
    deals = valid_deals(folder, stage_map)
    local_created = deals["created"].dt.tz_localize("UTC").dt.tz_convert(timezone)
    local_closed = deals["closed"].dt.tz_localize("UTC").dt.tz_convert(timezone)
    as_of_date = pd.Timestamp(as_of).date()
    closed = deals.assign(
        created_date=local_created.dt.date,
        closed_date=local_closed.dt.date,
        month=local_closed.dt.strftime("%Y-%m"),
    )
    closed = closed[
        (closed["created_date"] <= as_of_date)
        & closed["closed_date"].notna()
        & (closed["closed_date"] <= as_of_date)
    ]
    monthly = closed.groupby("month").agg(
        deals_won=("category", lambda s: int((s == "won").sum())),
        deals_closed=("category", "size"),
    )
    monthly["win_rate_pct"] = (100 * monthly["deals_won"] / monthly["deals_closed"]).round(4)
    return monthly


def _fx_to_reporting(folder: Path, reporting_currency: str) -> pd.Series:
    """Rate to the reporting currency per (month, currency), direct rates plus the identity."""
    rates = read_raw(folder, "fx_rates")
    rates = rates[rates["quote_currency"].str.upper() == reporting_currency]
    index = pd.MultiIndex.from_arrays(
        [pd.to_datetime(rates["rate_month"]).dt.date, rates["currency_code"].str.upper()]
    )
    return pd.Series(pd.to_numeric(rates["rate"]).to_numpy(), index=index)


def company_deal_kpis_by_month(
    folder: Path, timezone: str, as_of: str, reporting_currency: str = "JPY"
) -> pd.DataFrame:
    """Won revenue (reporting currency), average deal size and average sales cycle per month."""
    stage_map = read_raw(PROJECT_ROOT / "seeds" / "config", "map_deal_stages")
    deals = valid_deals(folder, stage_map)
    created = deals["created"].dt.tz_localize("UTC").dt.tz_convert(timezone)
    closed = deals["closed"].dt.tz_localize("UTC").dt.tz_convert(timezone)
    won = deals.assign(
        created_date=created.dt.normalize().dt.tz_localize(None),
        closed_date=closed.dt.normalize().dt.tz_localize(None),
        month=closed.dt.strftime("%Y-%m"),
        fx_month=closed.dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date,
        currency=deals["currency_code"].str.upper(),
    )
    won = won[(won["category"] == "won") & (won["closed_date"] <= pd.Timestamp(as_of))]
    rates = _fx_to_reporting(folder, reporting_currency)
    rate = [
        1.0 if currency == reporting_currency else rates.get((month, currency), float("nan"))
        for month, currency in zip(won["fx_month"], won["currency"], strict=True)
    ]
    won = won.assign(
        amount_reporting=(won["amount_num"] * pd.Series(rate, index=won.index)).round(2),
        cycle_days=(won["closed_date"] - won["created_date"]).dt.days,
    )
    monthly = won.groupby("month").agg(
        won_revenue=("amount_reporting", "sum"),
        deals_won=("deal_id", "size"),
        cycle_days=("cycle_days", "sum"),
    )
    monthly["average_deal_size"] = (monthly["won_revenue"] / monthly["deals_won"]).round(2)
    monthly["average_sales_cycle_days"] = (monthly["cycle_days"] / monthly["deals_won"]).round(2)
    return monthly


def company_activity_kpis_by_month(folder: Path, timezone: str, as_of: str) -> pd.DataFrame:
    """Calls, e-mails, meetings booked/held and selling-time share per local month."""
    types = read_raw(PROJECT_ROOT / "seeds" / "config", "map_activity_types")
    acts = read_raw(folder, "activities").dropna(subset=["activity_id"]).drop_duplicates()
    acts = acts.assign(
        started=parse_timestamp(acts["started_at"]),
        minutes=pd.to_numeric(acts["duration_minutes"], errors="coerce"),
        type_key=normalise(acts["activity_type"]),
    )
    acts = acts.merge(types, left_on="type_key", right_on="source_value", how="inner")
    acts = acts[
        acts["started"].notna()
        & ~(acts["minutes"] < 0)
        & ~(acts["duration_minutes"].notna() & acts["minutes"].isna())
    ]
    local = acts["started"].dt.tz_localize("UTC").dt.tz_convert(timezone)
    acts = acts.assign(month=local.dt.strftime("%Y-%m"), local_day=local.dt.tz_localize(None))
    acts = acts[acts["local_day"].dt.normalize() <= pd.Timestamp(as_of)]
    minutes = acts["minutes"].fillna(0)
    is_meeting = acts["activity_class"].isin(["meeting", "demo"])
    flags = pd.DataFrame(
        {
            "month": acts["month"],
            "calls_made": (acts["activity_class"] == "call").astype(int),
            "emails_sent": (acts["activity_class"] == "email").astype(int),
            "meetings_booked": is_meeting.astype(int),
            "meetings_held": (is_meeting & (acts["outcome"].str.lower() == "held")).astype(int),
            "selling_minutes": minutes.where(acts["is_selling"].str.lower() == "true", 0),
            "logged_minutes": minutes,
        }
    )
    monthly = flags.groupby("month").sum()
    monthly["selling_time_share_pct"] = (
        100 * monthly["selling_minutes"] / monthly["logged_minutes"]
    ).round(4)
    return monthly


UNKNOWN = "(unknown)"  # the member a missing or unmatched reference counts under


def _product_ids(folder: Path) -> set[str]:
    """The product ids of the optional products table (none when the export has no such file)."""
    if not (folder / "products.csv").exists():
        return set()
    products = read_raw(folder, "products").dropna(subset=["product_id"]).drop_duplicates()
    conflicting = products["product_id"].duplicated()
    if conflicting.any():
        raise ValueError(
            f"products.csv repeats product ids with different values "
            f"({sorted(products.loc[conflicting, 'product_id'])[:5]}): staging keeps the row with "
            "the smallest fingerprint, which this reference does not model — use an export "
            "without such duplicates"
        )
    return set(products["product_id"])


def company_product_kpis_by_month(
    folder: Path, timezone: str, as_of: str, reporting_currency: str = "JPY"
) -> pd.DataFrame:
    """Deals won, lost and closed, win rate and won revenue (reporting currency) per local close
    month and product, for the whole company; indexed by (month, product_id). A deal with no
    product, or one not in products, counts under the (unknown) product."""
    stage_map = read_raw(PROJECT_ROOT / "seeds" / "config", "map_deal_stages")
    deals = valid_deals(folder, stage_map)
    closed_local = deals["closed"].dt.tz_localize("UTC").dt.tz_convert(timezone)
    known = _product_ids(folder)
    product = deals["product_id"] if "product_id" in deals else pd.Series(None, index=deals.index)
    deals = deals.assign(
        closed_date=closed_local.dt.normalize().dt.tz_localize(None),
        month=closed_local.dt.strftime("%Y-%m"),
        fx_month=closed_local.dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date,
        currency=deals["currency_code"].str.upper(),
        product=product.where(product.isin(known), UNKNOWN),
    )
    closed = deals[deals["closed_date"].notna() & (deals["closed_date"] <= pd.Timestamp(as_of))]
    rates = _fx_to_reporting(folder, reporting_currency)
    rate = [
        1.0 if currency == reporting_currency else rates.get((month, currency), float("nan"))
        for month, currency in zip(closed["fx_month"], closed["currency"], strict=True)
    ]
    is_won = closed["category"] == "won"
    amount = (closed["amount_num"] * pd.Series(rate, index=closed.index)).round(2)
    flags = pd.DataFrame(
        {
            "month": closed["month"],
            "product_id": closed["product"],
            "deals_won": is_won.astype(int),
            "deals_lost": (closed["category"] == "lost").astype(int),
            "deals_closed": 1,
            "won_revenue": amount.where(is_won, 0.0),
        }
    )
    monthly = flags.groupby(["month", "product_id"]).sum()
    monthly["win_rate_pct"] = (100 * monthly["deals_won"] / monthly["deals_closed"]).round(4)
    return monthly
