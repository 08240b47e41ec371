"""The contract export reduced to what BOTH connector shapes (Salesforce, HubSpot) can express.

`write_expressible_export(export_dir, out_dir)` copies a contract export (CSV) and applies every
reduction in EXPRESSIBLE: the union of what the Salesforce and the HubSpot connector cannot hold,
each with its reason per connector. The reduced export is the same company in the contract's
shape as write_salesforce and write_hubspot write from it in theirs, so the three build to
identical marts with no exclusion (tests/python/test_connector_shapes.py). The helpers the
converters share with the reduction (local_date, current_teams) live here, so each reduction is
written once.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

Row = dict[str, str]
TableReduction = Callable[[list[Row], Path, str], list[Row]]

CONNECTORS: tuple[str, ...] = ("salesforce", "hubspot")

#: The contract tables each connector's adapter models produce (macros/inputs/connector_tables.sql);
#: every other contract table is the supplement (var supplement_path).
CONNECTOR_TABLES: dict[str, frozenset[str]] = {
    connector: frozenset(
        (
            "teams",
            "reps",
            "rep_team_history",
            "accounts",
            "products",
            "leads",
            "deals",
            "deal_stage_history",
            "activities",
        )
    )
    for connector in CONNECTORS
}

#: What a connector cannot express: (contract table, column; "*" = the whole table) → the
#: connectors that cannot, each with its reason. write_expressible_export applies the union.
EXPRESSIBLE: dict[tuple[str, str], dict[str, str]] = {
    ("teams", "team_type"): {
        "salesforce": "a user role has no team type and takes no custom fields",
        "hubspot": "a HubSpot team has only an id and a name",
    },
    ("teams", "region"): {
        "salesforce": "a user role has no region and takes no custom fields",
        "hubspot": "a HubSpot team has only an id and a name",
    },
    ("teams", "manager_rep_id"): {"hubspot": "a HubSpot team has only an id and a name"},
    ("reps", "role"): {
        "hubspot": "owners have no sales role (HubSpot roles are permission sets)",
    },
    ("reps", "hire_date"): {"hubspot": "owners have no hire date"},
    ("reps", "termination_date"): {"hubspot": "owners have no termination date"},
    ("rep_team_history", "*"): {
        "salesforce": "a user has only its current role: one open-ended assignment",
        "hubspot": "an owner has only its current team, without dates",
    },
    ("accounts", "segment"): {
        "salesforce": "no standard segment field: derived from number_of_employees",
        "hubspot": "no standard segment property: derived from numberofemployees",
    },
    ("deals", "closed_at"): {
        "salesforce": "close_date is a date (no time of day), in the org's time zone",
        "hubspot": "closedate is kept as a date (no time of day)",
    },
    ("deals", "expected_close_date"): {
        "salesforce": "close_date is overwritten at closing",
        "hubspot": "closedate is the close date once the deal is closed",
    },
    ("leads", "converted_at"): {
        "salesforce": "converted_date is a date: the time is the converted opportunity's creation",
    },
    ("activities", "duration_minutes"): {
        "hubspot": "e-mails and tasks (the contract's Admin activities) have no duration",
    },
    ("activities", "outcome"): {
        "hubspot": "a meeting is COMPLETED = held: a meeting-shaped activity has no 'completed'",
    },
    ("activities", "is_value_added"): {
        "salesforce": "the value-added field is read from tasks only, and Salesforce has no "
        "standard one (var salesforce_task_value_added_field)",
        "hubspot": "only calls carry the value-added property",
    },
}

#: Contract activity types: the call (it keeps duration and value-added everywhere), and those
#: HubSpot holds as an untimed e-mail or task engagement. Every other type is meeting-shaped.
CALL_TYPE = "Call"
TASK_TYPE = "Admin"
UNTIMED_TYPES = frozenset({"Email", TASK_TYPE})

STAMP = "%Y-%m-%d %H:%M:%S"
HISTORY_START = "1900-01-01"
DEFAULT_ZONE = "Asia/Tokyo"


def local_date(timestamp: str, zone: str) -> str:
    """The calendar date in `zone` of a UTC timestamp text; a date-only text is already a
    calendar date and stays as it is ('' stays '')."""
    if len(timestamp) <= 10:
        return timestamp
    moment = datetime.strptime(timestamp[:19], STAMP).replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(zone)).date().isoformat()


def current_teams(history: list[Row]) -> dict[str, str]:
    """Each rep's latest team assignment: all a connector keeps of a rep's team."""
    latest: dict[str, Row] = {}
    for row in history:
        if row["rep_id"] not in latest or row["valid_from"] > latest[row["rep_id"]]["valid_from"]:
            latest[row["rep_id"]] = row
    return {rep_id: row["team_id"] for rep_id, row in latest.items()}


@dataclass(frozen=True)
class LineItem:
    """One line item a converter writes: `number` (1, 2, ...) within its deal."""

    deal_id: str
    number: int
    product_id: str
    price: Decimal
    deleted: bool


def line_item_plan(deals: list[Row], product_ids: list[str], deleted_every: int) -> list[LineItem]:
    """The line items both converters write, so a deal's product is its largest live line item
    in either CRM: for each deal with a product, one item of that product for its whole amount;
    every 7th such deal also a smaller one of another product, and every `deleted_every`-th a
    deleted one of another product for twice the amount (a deleted item never counts)."""
    items: list[LineItem] = []
    with_product = [deal for deal in deals if deal["product_id"]]
    for number, deal in enumerate(with_product):
        amount = Decimal(deal["amount"] or "0")
        others = [product for product in product_ids if product != deal["product_id"]]
        other = others[number % len(others)] if others else deal["product_id"]
        lines = [(deal["product_id"], amount, False)]
        if number % 7 == 3:
            lines.append((other, (amount / 10).quantize(Decimal("0.01")), False))
        if number % deleted_every == 5:
            lines.append((other, amount * 2, True))
        items += [
            LineItem(deal["deal_id"], line, product_id, price, deleted)
            for line, (product_id, price, deleted) in enumerate(lines, start=1)
        ]
    return items


def read_table(export_dir: Path, table: str) -> list[Row]:
    """The rows of a contract CSV, every value text."""
    with (export_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


def write_rows(path: Path, columns: list[str], rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({column: row.get(column, "") for column in columns} for row in rows)


def blanked(rows: list[Row], columns: tuple[str, ...]) -> list[Row]:
    """The rows with `columns` emptied (a column the export lacks stays absent)."""
    return [{**row, **{column: "" for column in columns if column in row}} for row in rows]


def reduce_teams(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    return blanked(rows, ("team_type", "region", "manager_rep_id"))


def reduce_reps(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    return blanked(rows, ("role", "hire_date", "termination_date"))


def reduce_rep_team_history(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    """One open-ended assignment per rep, to its current team, from 1900-01-01 (what both
    adapters derive without a hire date or var calendar_start_date)."""
    return [
        {
            "rep_id": rep_id,
            "team_id": team_id,
            "valid_from": HISTORY_START,
            "valid_to": "",
        }
        for rep_id, team_id in sorted(current_teams(rows).items())
    ]


def reduce_accounts(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    return blanked(rows, ("segment",))


def reduce_deals(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    """Closed deals as expressible_deal."""
    return [expressible_deal(deal, zone) for deal in rows]


def expressible_deal(deal: Row, zone: str) -> Row:
    """A closed deal closed on the local date of its close, without an expected close date."""
    if not deal["closed_at"]:
        return deal
    return {**deal, "closed_at": local_date(deal["closed_at"], zone), "expected_close_date": ""}


def reduce_leads(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    """A converted lead converted when its deal was created, else on the local date."""
    created = {deal["deal_id"]: deal["created_at"] for deal in read_table(export_dir, "deals")}
    return [
        {
            **lead,
            "converted_at": created.get(lead["converted_deal_id"])
            or local_date(lead["converted_at"], zone),
        }
        if lead["converted_at"]
        else lead
        for lead in rows
    ]


def reduce_activities(rows: list[Row], export_dir: Path, zone: str) -> list[Row]:
    return [expressible_activity(activity) for activity in rows]


def expressible_activity(activity: Row) -> Row:
    """Value-added on calls only; no duration on e-mails and Admin tasks; a meeting-shaped
    activity completed is held."""
    kind = activity["activity_type"]
    if kind == CALL_TYPE:
        return activity
    changes = {"is_value_added": ""}
    if kind in UNTIMED_TYPES:
        changes["duration_minutes"] = ""
    elif activity["outcome"] == "completed":
        changes["outcome"] = "held"
    return {**activity, **changes}


#: The row changes per contract table, one per table EXPRESSIBLE names.
REDUCTIONS: dict[str, TableReduction] = {
    "teams": reduce_teams,
    "reps": reduce_reps,
    "rep_team_history": reduce_rep_team_history,
    "accounts": reduce_accounts,
    "deals": reduce_deals,
    "leads": reduce_leads,
    "activities": reduce_activities,
}


def write_expressible_export(export_dir: Path, out_dir: Path, zone: str = DEFAULT_ZONE) -> None:
    """Copy the contract export at `export_dir` (CSV) to `out_dir` (created if missing), reduced
    to what both connectors can express (EXPRESSIBLE); `zone` is the time zone whose calendar
    dates the date-only close dates are (the CRM's, the project's reporting_timezone)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(export_dir.iterdir()):
        if path.is_file() and path.stem not in REDUCTIONS:
            shutil.copyfile(path, out_dir / path.name)
    for table, reduce in REDUCTIONS.items():
        path = export_dir / f"{table}.csv"
        rows = reduce(read_table(export_dir, table), export_dir, zone)
        write_rows(out_dir / path.name, read_header(path), rows)


def supplement_tables(export_dir: Path, connectors: tuple[str, ...]) -> list[Path]:
    """The contract files of the export that not every one of `connectors` holds: what their
    builds read from var supplement_path."""
    held = frozenset.intersection(*(CONNECTOR_TABLES[name] for name in connectors))
    return [path for path in sorted(export_dir.glob("*.csv")) if path.stem not in held]
