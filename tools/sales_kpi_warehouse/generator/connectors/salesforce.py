"""The contract export as a Fivetran Salesforce connector would land it.

`write_salesforce(export_dir, out_dir)` reads a contract export written by the generator (CSV)
and writes the Salesforce connector's tables as CSV files (opportunity, opportunity_history,
user, user_role, account, lead, task, event): Salesforce column names and standard picklist
values, date-only close and conversion dates, Fivetran's deleted-row flags and a few deleted
rows and past versions added, owners and what/who associations. Ids are kept as they are, so a
build from these tables can be compared with a build of the export (tests/python/
test_connector_salesforce.py). What Salesforce has no standard field for is written to custom
fields whose names the adapter reads from vars (SALESFORCE_VARS).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from .expressible import DEFAULT_ZONE, current_teams, line_item_plan, local_date

Row = dict[str, str]

#: The dbt vars naming the custom fields this module writes.
SALESFORCE_VARS: dict[str, str] = {
    "salesforce_lead_mql_date_field": "mql_date_c",
    "salesforce_lead_sql_date_field": "sql_date_c",
    "salesforce_user_rep_role_field": "rep_role_c",
    "salesforce_user_hire_date_field": "hire_date_c",
    "salesforce_user_termination_date_field": "termination_date_c",
    "salesforce_account_region_field": "region_c",
    "salesforce_opportunity_lost_reason_field": "lost_reason_c",
    "salesforce_task_duration_field": "duration_minutes_c",
    "salesforce_task_value_added_field": "value_added_c",
    "salesforce_event_outcome_field": "outcome_c",
}

DEAL_TYPES = {
    "New Business": "New Customer",
    "Upsell": "Existing Customer - Upgrade",
    "Renewal": "Existing Customer - Replacement",
}
LEAD_STATUSES = {
    "New": "Open - Not Contacted",
    "Working": "Working - Contacted",
    "Converted": "Closed - Converted",
    "Disqualified": "Closed - Not Converted",
}
CALL_DISPOSITIONS = {
    "connected": "Connected",
    "no_answer": "No Answer",
    "voicemail": "Left Voicemail",
}
TASK_TYPES = {"Call", "Email", "Admin"}
OPEN_END = "9999-12-31 23:59:59"
STAMP = "%Y-%m-%d %H:%M:%S"

#: Rows added as deleted per table (every n-th source row is copied under a new id).
DELETED_EVERY = 50


def read_table(export_dir: Path, table: str) -> list[Row]:
    with (export_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_table(out_dir: Path, table: str, rows: list[Row]) -> None:
    columns: list[str] = []
    for row in rows:
        columns += [column for column in row if column not in columns]
    with (out_dir / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def flags(deleted: bool = False) -> Row:
    return {"is_deleted": str(deleted).lower()}


def with_deleted(rows: list[Row], prefix: str) -> list[Row]:
    """The rows plus a deleted copy of every DELETED_EVERY-th row under a new id."""
    deleted = [
        {**row, "id": f"{prefix}{index:05d}", "is_deleted": "true"}
        for index, row in enumerate(rows[::DELETED_EVERY], start=1)
    ]
    return rows + deleted


def user_roles(teams: list[Row]) -> list[Row]:
    roles = [
        {
            "id": team["team_id"],
            "name": team["team_name"],
            "developer_name": team["team_name"].replace(" ", "_").replace("-", "_"),
            "forecast_user_id": team["manager_rep_id"],
            "_fivetran_deleted": "false",
            "_fivetran_active": "true",
        }
        for team in teams
    ]
    retired = {**roles[0], "id": "XROLE1", "name": "Retired role", "_fivetran_deleted": "true"}
    return [*roles, retired]


def users(reps: list[Row], history: list[Row]) -> list[Row]:
    team_of = current_teams(history)  # Salesforce keeps only a user's current role
    rows = [
        {
            "id": rep["rep_id"],
            "name": rep["rep_name"],
            "email": rep["email"],
            "user_role_id": team_of.get(rep["rep_id"], ""),
            "is_active": str(rep["termination_date"] == "").lower(),
            "rep_role_c": rep["role"],
            "hire_date_c": rep["hire_date"],
            "termination_date_c": rep["termination_date"],
            "system_modstamp": rep["updated_at"],
            "_fivetran_deleted": "false",
            "_fivetran_active": "true",
        }
        for rep in reps
    ]
    # A past version (history mode) and a user deleted in Salesforce.
    past = {**rows[0], "name": rows[0]["name"] + " (old name)", "_fivetran_active": "false"}
    gone = {**rows[1], "id": "XUSER1", "_fivetran_deleted": "true"}
    return [*rows, past, gone]


def accounts(rows: Iterable[Row]) -> list[Row]:
    converted = [
        {
            "id": row["account_id"],
            "name": row["account_name"],
            "industry": row["industry"],
            "number_of_employees": row["employee_count"],
            "owner_id": row["owner_rep_id"],
            "region_c": row["region"],
            "created_date": row["created_at"],
            "system_modstamp": row["updated_at"],
            **flags(),
        }
        for row in rows
    ]
    return with_deleted(converted, "XACC")


def opportunities(deals: list[Row], zone: str) -> list[Row]:
    converted = []
    for deal in deals:
        closed = deal["closed_at"] != ""
        converted.append(
            {
                "id": deal["deal_id"],
                "name": deal["deal_name"],
                "account_id": deal["account_id"],
                "owner_id": deal["owner_rep_id"],
                "type": DEAL_TYPES.get(deal["deal_type"], deal["deal_type"]),
                "stage_name": deal["stage"],
                "amount": deal["amount"],
                "currency_iso_code": deal["currency_code"],
                "created_date": deal["created_at"],
                "close_date": local_date(deal["closed_at"], zone)
                if closed
                else deal["expected_close_date"],
                "is_closed": str(closed).lower(),
                "is_won": str(deal["stage"] == "Closed Won").lower(),
                "lost_reason_c": deal["lost_reason"],
                "system_modstamp": deal["updated_at"],
                **flags(),
            }
        )
    return with_deleted(converted, "XOPP")


def products(rows: list[Row]) -> list[Row]:
    """Product2 rows, plus deleted copies."""
    converted = [
        {
            "id": row["product_id"],
            "name": row["product_name"],
            "family": row["product_family"],
            "is_active": "true",
            **flags(),
        }
        for row in rows
    ]
    return with_deleted(converted, "XPRD")


def line_items(deals: list[Row], product_ids: list[str]) -> list[Row]:
    """OpportunityLineItem rows of line_item_plan."""
    return [
        {
            "id": f"00k{item.deal_id}-{item.number}",
            "opportunity_id": item.deal_id,
            "product_2_id": item.product_id,
            "quantity": "1",
            "unit_price": str(item.price),
            "total_price": str(item.price),
            "sort_order": str(item.number),
            **flags(item.deleted),
        }
        for item in line_item_plan(deals, product_ids, DELETED_EVERY)
    ]


def deleted_copies(rows: list[Row], id_column: str, prefix: str) -> dict[str, str]:
    """Original id -> id of its deleted copy, as with_deleted numbers them."""
    return {
        row[id_column]: f"{prefix}{index:05d}"
        for index, row in enumerate(rows[::DELETED_EVERY], start=1)
    }


def opportunity_versions(history: list[Row], copies: dict[str, str]) -> list[Row]:
    """Fivetran history mode: one row per version, a new version at each stage entry, plus a
    same-stage version (an amount change) on every fifth deal, which is no stage entry. A
    deleted opportunity's versions are deleted too."""
    by_deal: dict[str, list[Row]] = defaultdict(list)
    for row in history:
        by_deal[row["deal_id"]].append(row)
    versions: list[Row] = []
    for number, (deal_id, entries) in enumerate(sorted(by_deal.items())):
        starts = [entry["entered_at"] for entry in sorted(entries, key=lambda e: e["entered_at"])]
        stages = [entry["stage"] for entry in sorted(entries, key=lambda e: e["entered_at"])]
        if number % 5 == 0:
            extra = (datetime.strptime(starts[0], STAMP) + timedelta(seconds=1)).strftime(STAMP)
            if len(starts) == 1 or extra < starts[1]:
                starts.insert(1, extra)
                stages.insert(1, stages[0])
        ids = [deal_id] + ([copies[deal_id]] if deal_id in copies else [])
        for index, (start, stage) in enumerate(zip(starts, stages, strict=True)):
            last = index == len(starts) - 1
            for version_id in ids:
                versions.append(
                    {
                        "id": version_id,
                        "stage_name": stage,
                        "amount": str(index),
                        "_fivetran_start": start,
                        "_fivetran_end": OPEN_END if last else starts[index + 1],
                        "_fivetran_active": str(last).lower(),
                        **flags(version_id != deal_id),
                    }
                )
    return versions


def leads(rows: list[Row], zone: str) -> list[Row]:
    converted = [
        {
            "id": row["lead_id"],
            "lead_source": row["lead_source"],
            "status": LEAD_STATUSES.get(row["status"], row["status"]),
            "owner_id": row["owner_rep_id"],
            "company": row["company_name"],
            "created_date": row["created_at"],
            "mql_date_c": row["mql_at"],
            "sql_date_c": row["sql_at"],
            "is_converted": str(row["converted_at"] != "").lower(),
            "converted_date": local_date(row["converted_at"], zone),
            "converted_opportunity_id": row["converted_deal_id"],
            "converted_account_id": row["converted_account_id"],
            "system_modstamp": row["updated_at"],
            **flags(),
        }
        for row in rows
    ]
    return with_deleted(converted, "XLEAD")


def task(row: Row) -> Row:
    kind = row["activity_type"]
    is_call = kind == "Call"
    return {
        "id": row["activity_id"],
        "type": {"Call": "Call", "Email": "", "Admin": "Other"}[kind],
        "task_subtype": {"Call": "Call", "Email": "Email", "Admin": "Task"}[kind],
        "call_type": "Outbound" if is_call else "",
        "call_disposition": CALL_DISPOSITIONS.get(row["outcome"], "") if is_call else "",
        "call_duration_in_seconds": str(int(row["duration_minutes"]) * 60)
        if is_call and row["duration_minutes"]
        else "",
        "duration_minutes_c": row["duration_minutes"],
        "value_added_c": row["is_value_added"],
        "status": "Completed",
        "created_date": row["started_at"],
        "completed_date_time": row["started_at"],
        "activity_date": row["started_at"][:10],
        **associations(row),
    }


def event(row: Row) -> Row:
    return {
        "id": row["activity_id"],
        "type": row["activity_type"],
        "event_subtype": "Event",
        "start_date_time": row["started_at"],
        "activity_date_time": row["started_at"],
        "duration_in_minutes": row["duration_minutes"],
        "outcome_c": row["outcome"],
        **associations(row),
    }


def associations(row: Row) -> Row:
    """Owner, account and the what (opportunity, else account) / who (lead) polymorphic ids."""
    return {
        "owner_id": row["rep_id"],
        "account_id": row["account_id"],
        "what_id": row["deal_id"] or row["account_id"],
        "who_id": row["lead_id"],
        **flags(),
    }


def write_salesforce(export_dir: Path, out_dir: Path, zone: str = DEFAULT_ZONE) -> dict[str, int]:
    """Convert the contract export in `export_dir` into Salesforce connector tables in `out_dir`
    (CSV); `zone` is the org's time zone, the one its date-only fields are written in. Returns
    the rows written per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    deals = read_table(export_dir, "deals")
    activities = read_table(export_dir, "activities")
    opportunity_rows = opportunities(deals, zone)
    product_rows = read_table(export_dir, "products")
    tables: dict[str, list[Row]] = {
        "product_2": products(product_rows),
        "opportunity_line_item": line_items(deals, [row["product_id"] for row in product_rows]),
        "user_role": user_roles(read_table(export_dir, "teams")),
        "user": users(read_table(export_dir, "reps"), read_table(export_dir, "rep_team_history")),
        "account": accounts(read_table(export_dir, "accounts")),
        "opportunity": opportunity_rows,
        "opportunity_history": opportunity_versions(
            read_table(export_dir, "deal_stage_history"), deleted_copies(deals, "deal_id", "XOPP")
        ),
        "lead": leads(read_table(export_dir, "leads"), zone),
        "task": with_deleted(
            [task(row) for row in activities if row["activity_type"] in TASK_TYPES], "XTSK"
        ),
        "event": with_deleted(
            [event(row) for row in activities if row["activity_type"] not in TASK_TYPES], "XEVT"
        ),
    }
    for table, rows in tables.items():
        write_table(out_dir, table, rows)
    return {table: len(rows) for table, rows in tables.items()}
