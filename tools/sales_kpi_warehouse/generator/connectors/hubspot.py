"""The contract export as a Fivetran HubSpot connector would land it.

`write_hubspot(export_dir, out_dir)` reads a contract export written by the generator (CSV) and
writes the HubSpot connector's tables as CSV files (deal, deal_stage, deal_pipeline_stage,
deal_company, deal_contact, merged_deal, owner, team, owner_team, company, contact, engagement,
engagement_call / _meeting / _email / _task, engagement_deal / _contact / _company): Fivetran's
column names (`property_*`), HubSpot's standard values (default pipeline stage ids, deal types,
lead statuses and lifecycle stages, call disposition ids, meeting outcomes, e-mail and task
statuses), date-only close dates (the calendar date in the portal's time zone), deleted rows
(is_deleted, _fivetran_deleted), a merged deal, owners and associations. Ids are kept as they
are; from the export reduced by expressible.write_expressible_export (what HubSpot and
Salesforce can both express), every mart is identical to the files build of that reduced export
(tests/python/test_connector_shapes.py). What HubSpot has no standard property for is written
to custom properties whose names the adapter reads from vars (HUBSPOT_VARS). Contract columns
it does not know (a newer contract's) are ignored.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from .expressible import DEFAULT_ZONE, TASK_TYPE, current_teams, line_item_plan, local_date

Row = dict[str, str]

#: The dbt vars naming the (custom) properties this module writes.
HUBSPOT_VARS: dict[str, str] = {
    "hubspot_lead_source_property": "lead_source",
    "hubspot_account_region_property": "sales_region",
    "hubspot_activity_type_property": "hs_activity_type",
    "hubspot_value_added_call_property": "value_added",
    "hubspot_product_family_property": "product_family",
}

#: Contract stage (normalised) → (stage id of HubSpot's default pipeline, its label, closed, won).
STAGES: dict[str, tuple[str, str, bool, bool]] = {
    "prospecting": ("appointmentscheduled", "Appointment Scheduled", False, False),
    "qualification": ("qualifiedtobuy", "Qualified To Buy", False, False),
    "needs analysis": ("presentationscheduled", "Presentation Scheduled", False, False),
    "proposal/price quote": ("decisionmakerboughtin", "Decision Maker Bought-In", False, False),
    "negotiation/review": ("contractsent", "Contract Sent", False, False),
    "closed won": ("closedwon", "Closed Won", True, True),
    "closed lost": ("closedlost", "Closed Lost", True, False),
}
#: Contract deal type → HubSpot dealtype (cross_sell and renewal are custom options).
DEAL_TYPES = {
    "New Business": "newbusiness",
    "Upsell": "existingbusiness",
    "Cross-sell": "cross_sell",
    "Renewal": "renewal",
}
#: Contract lead status → hs_lead_status (MQL and SQL are custom options).
LEAD_STATUSES = {
    "New": "NEW",
    "Working": "IN_PROGRESS",
    "MQL": "MQL",
    "SQL": "SQL",
    "Converted": "OPEN_DEAL",
    "Disqualified": "UNQUALIFIED",
}
#: Contract call outcome → HubSpot's default call disposition id.
CALL_DISPOSITIONS = {
    "connected": "f240bbac-87c9-4f6e-bf70-924b57d47db7",
    "no_answer": "73a0d17f-1163-4015-bdd5-ec830791da20",
    "voicemail": "b2cf5968-551e-4856-9783-52b3da59a7d0",
}
#: Contract meeting outcome → hs_meeting_outcome.
MEETING_OUTCOMES = {
    "held": "COMPLETED",
    "completed": "COMPLETED",
    "no_show": "NO_SHOW",
    "cancelled": "CANCELED",
    "scheduled": "SCHEDULED",
}
#: Contract activity types written as a MEETING with this hs_activity_type ("" = a plain meeting).
MEETING_TYPES = {
    "Meeting": "",
    "Demo": "Demo",
    "Internal Meeting": "Internal Meeting",
    "Training": "Training",
    "Travel": "Travel",
}
#: Contract outcome of a TASK_TYPE activity (written as a TASK engagement; the adapter's preset
#: maps TASK to admin) → hs_task_status.
TASK_STATUSES = {"completed": "COMPLETED"}

OPEN_END = "9999-12-31 23:59:59"
STAMP = "%Y-%m-%d %H:%M:%S"
#: Every n-th row of a table is copied under a new id as a deleted row.
DELETED_EVERY = 40


def read_table(export_dir: Path, table: str) -> list[Row]:
    """The rows of a contract CSV, every value text."""
    with (export_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_table(out_dir: Path, table: str, columns: list[str], rows: Iterable[Row]) -> int:
    """Write `rows` as <out_dir>/<table>.csv with the header `columns`; return the row count."""
    count = 0
    with (out_dir / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
            count += 1
    return count


def plus_minutes(stamp: str, minutes: str) -> str:
    """`stamp` (YYYY-MM-DD HH:MM:SS) plus a whole number of minutes, same format."""
    moment = datetime.strptime(stamp, STAMP) + timedelta(minutes=int(minutes or "0"))
    return moment.strftime(STAMP)


def stage_of(stage: str) -> tuple[str, str, bool, bool]:
    """HubSpot's default-pipeline stage for a contract stage name."""
    key = " ".join(stage.lower().replace("_", " ").split())
    if key not in STAGES:
        raise ValueError(
            f"stage {stage!r} has no HubSpot default-pipeline stage; known: {sorted(STAGES)}"
        )
    return STAGES[key]


def deleted_copies(rows: list[Row], key: str, prefix: str) -> list[Row]:
    """Every DELETED_EVERY-th row copied under a new id `<prefix><n>`: rows the CRM deleted."""
    copies = []
    for number, row in enumerate(rows[::DELETED_EVERY], start=1):
        copies.append({**row, key: f"{prefix}{number:05d}"})
    return copies


def product_rows(products: list[Row]) -> list[Row]:
    """The product library, plus deleted copies."""
    rows = [
        {
            "id": row["product_id"],
            "property_name": row["product_name"],
            "property_product_family": row["product_family"],
            "property_hs_product_type": "non_inventory",
            "_fivetran_deleted": "false",
        }
        for row in products
    ]
    deleted = [{**row, "_fivetran_deleted": "true"} for row in deleted_copies(rows, "id", "XPRD")]
    return rows + deleted


def line_item_rows(deals: list[Row], product_ids: list[str]) -> tuple[list[Row], list[Row]]:
    """The line items of line_item_plan and their deal associations."""
    items: list[Row] = []
    links: list[Row] = []
    for item in line_item_plan(deals, product_ids, DELETED_EVERY):
        line_item_id = f"LI{item.deal_id}-{item.number}"
        items.append(
            {
                "id": line_item_id,
                "product_id": item.product_id,
                "property_quantity": "1",
                "property_price": str(item.price),
                "property_amount": str(item.price),
                "_fivetran_deleted": str(item.deleted).lower(),
            }
        )
        links.append({"line_item_id": line_item_id, "deal_id": item.deal_id})
    return items, links


def deal_rows(deals: list[Row], zone: str) -> list[Row]:
    """HubSpot deals: live ones, deleted copies and one deal merged into another."""
    rows = []
    for deal in deals:
        stage_id, _, closed, _ = stage_of(deal["stage"])
        rows.append(
            {
                "deal_id": deal["deal_id"],
                "is_deleted": "false",
                "deal_pipeline_id": "default",
                "deal_pipeline_stage_id": stage_id,
                "owner_id": deal["owner_rep_id"],
                "portal_id": "4242",
                "property_dealname": deal["deal_name"],
                "property_dealtype": DEAL_TYPES.get(deal["deal_type"], deal["deal_type"]),
                "property_amount": deal["amount"],
                "property_deal_currency_code": deal["currency_code"],
                "property_createdate": deal["created_at"],
                "property_closedate": local_date(
                    deal["closed_at"] if closed else deal["expected_close_date"], zone
                ),
                "property_closed_lost_reason": deal["lost_reason"],
                "property_hs_lastmodifieddate": deal["updated_at"],
            }
        )
    deleted = [{**row, "is_deleted": "true"} for row in deleted_copies(rows, "deal_id", "DDEL")]
    merged = [{**rows[0], "deal_id": "DMERGED00001"}]
    return rows + deleted + merged


def deal_stage_rows(history: list[Row], deal_ids: Iterable[str]) -> list[Row]:
    """deal_stage: one row per stage a deal entered; _fivetran_active marks its current stage.
    The deleted and merged deals get a copy of the first deal's history (the adapter drops it)."""
    by_deal: dict[str, list[Row]] = {}
    for row in history:
        by_deal.setdefault(row["deal_id"], []).append(row)
    first = next(iter(by_deal.values()), [])
    for deal_id in deal_ids:
        by_deal[deal_id] = [{**row, "deal_id": deal_id} for row in first]
    rows = []
    for deal_id, unordered in by_deal.items():
        entries = sorted(unordered, key=lambda row: row["entered_at"])
        for index, entry in enumerate(entries):
            end = entries[index + 1]["entered_at"] if index + 1 < len(entries) else OPEN_END
            rows.append(
                {
                    "deal_id": deal_id,
                    "value": stage_of(entry["stage"])[0],
                    "date_entered": entry["entered_at"],
                    "_fivetran_start": entry["entered_at"],
                    "_fivetran_end": end,
                    "_fivetran_active": "true" if end == OPEN_END else "false",
                    "source": "CRM_UI",
                }
            )
    return rows


def pipeline_stage_rows() -> list[Row]:
    """The default pipeline's stages, plus a deleted stage of an old pipeline."""
    rows = [
        {
            "stage_id": stage_id,
            "label": label,
            "pipeline_id": "default",
            "is_closed": str(closed).lower(),
            "closed_won": str(won).lower(),
            "probability": "1.0" if won else ("0.0" if closed else "0.5"),
            "display_order": str(order),
            "active": "true",
            "_fivetran_deleted": "false",
        }
        for order, (stage_id, label, closed, won) in enumerate(STAGES.values())
    ]
    rows.append(
        {**rows[0], "stage_id": "1234567", "label": "Old stage", "_fivetran_deleted": "true"}
    )
    return rows


def company_rows(accounts: list[Row]) -> list[Row]:
    rows = [
        {
            "id": account["account_id"],
            "is_deleted": "false",
            "property_name": account["account_name"],
            "property_industry": account["industry"],
            "property_numberofemployees": account["employee_count"],
            "property_sales_region": account["region"],
            "property_hubspot_owner_id": account["owner_rep_id"],
            "property_createdate": account["created_at"],
            "property_hs_lastmodifieddate": account["updated_at"],
        }
        for account in accounts
    ]
    return rows + [{**row, "is_deleted": "true"} for row in deleted_copies(rows, "id", "ADEL")]


def lifecycle_stage(lead: Row) -> str:
    """The lifecycle stage a contact reached, from its dates."""
    if lead["converted_at"]:
        return "opportunity"
    if lead["sql_at"]:
        return "salesqualifiedlead"
    if lead["mql_at"]:
        return "marketingqualifiedlead"
    return "lead"


def contact_rows(leads: list[Row]) -> list[Row]:
    rows = [
        {
            "id": lead["lead_id"],
            "_fivetran_deleted": "false",
            "property_lead_source": lead["lead_source"],
            "property_hs_lead_status": LEAD_STATUSES.get(lead["status"], lead["status"]),
            "property_lifecyclestage": lifecycle_stage(lead),
            "property_hubspot_owner_id": lead["owner_rep_id"],
            "property_company": lead["company_name"],
            "property_createdate": lead["created_at"],
            "property_hs_lifecyclestage_marketingqualifiedlead_date": lead["mql_at"],
            "property_hs_lifecyclestage_salesqualifiedlead_date": lead["sql_at"],
            "property_hs_lifecyclestage_opportunity_date": lead["converted_at"],
            "property_associatedcompanyid": lead["converted_account_id"],
            "property_lastmodifieddate": lead["updated_at"],
        }
        for lead in leads
    ]
    deleted = deleted_copies(rows, "id", "LDEL")
    return rows + [{**row, "_fivetran_deleted": "true"} for row in deleted]


def owner_rows(reps: list[Row]) -> list[Row]:
    rows = []
    for rep in reps:
        first, _, last = rep["rep_name"].partition(" ")
        rows.append(
            {
                "owner_id": rep["rep_id"],
                "email": rep["email"],
                "first_name": first,
                "last_name": last,
                "type": "PERSON",
                "created_at": rep["updated_at"],
                "updated_at": rep["updated_at"],
            }
        )
    return rows


def engagement_rows(activities: list[Row]) -> dict[str, list[Row]]:
    """engagement, engagement_call / _meeting / _email and the association tables."""
    tables: dict[str, list[Row]] = {
        name: []
        for name in (
            "engagement",
            "engagement_call",
            "engagement_meeting",
            "engagement_email",
            "engagement_task",
            "engagement_deal",
            "engagement_contact",
            "engagement_company",
        )
    }
    for activity in activities:
        kind = engagement_kind(activity["activity_type"])
        engagement_id = activity["activity_id"]
        common = {
            "engagement_id": engagement_id,
            "_fivetran_deleted": "false",
            "type": kind,
            "property_hubspot_owner_id": activity["rep_id"],
            "property_hs_timestamp": activity["started_at"],
        }
        tables["engagement"].append(
            {
                "id": engagement_id,
                "type": kind,
                "owner_id": activity["rep_id"],
                "timestamp": activity["started_at"],
            }
        )
        tables[f"engagement_{kind.lower()}"].append({**common, **typed_properties(kind, activity)})
        for table, column, key in (
            ("engagement_deal", "deal_id", "deal_id"),
            ("engagement_contact", "contact_id", "lead_id"),
            ("engagement_company", "company_id", "account_id"),
        ):
            if activity[key]:
                tables[table].append(
                    {"engagement_id": engagement_id, column: activity[key], "engagement_type": kind}
                )
    calls = tables["engagement_call"]
    calls += [
        {**row, "_fivetran_deleted": "true"}
        for row in deleted_copies(calls, "engagement_id", "EDEL")
    ]
    return tables


def engagement_kind(activity_type: str) -> str:
    """CALL, EMAIL, TASK or MEETING: the engagement table an activity type is written to."""
    if activity_type == "Call":
        return "CALL"
    if activity_type == "Email":
        return "EMAIL"
    if activity_type == TASK_TYPE:
        return "TASK"
    if activity_type in MEETING_TYPES:
        return "MEETING"
    raise ValueError(
        f"activity type {activity_type!r} has no HubSpot engagement;"
        f" known: Call, Email, {TASK_TYPE}, {sorted(MEETING_TYPES)}"
    )


def typed_properties(kind: str, activity: Row) -> Row:
    """The properties of the engagement's own table."""
    if kind == "CALL":
        duration = activity["duration_minutes"]
        return {
            "property_hs_activity_type": "",
            "property_hs_call_duration": str(int(duration) * 60000) if duration else "",
            "property_hs_call_disposition": CALL_DISPOSITIONS.get(activity["outcome"], ""),
            "property_value_added": activity["is_value_added"],
        }
    if kind == "EMAIL":
        return {"property_hs_email_status": "SENT" if activity["outcome"] == "sent" else ""}
    if kind == "TASK":
        return {"property_hs_task_status": TASK_STATUSES.get(activity["outcome"], "")}
    return {
        "property_hs_activity_type": MEETING_TYPES[activity["activity_type"]],
        "property_hs_meeting_start_time": activity["started_at"],
        "property_hs_meeting_end_time": plus_minutes(
            activity["started_at"], activity["duration_minutes"]
        ),
        "property_hs_meeting_outcome": MEETING_OUTCOMES.get(activity["outcome"], ""),
    }


COLUMNS: dict[str, list[str]] = {
    "product": [
        "id",
        "property_name",
        "property_product_family",
        "property_hs_product_type",
        "_fivetran_deleted",
    ],
    "line_item": [
        "id",
        "product_id",
        "property_quantity",
        "property_price",
        "property_amount",
        "_fivetran_deleted",
    ],
    "line_item_deal": ["line_item_id", "deal_id"],
    "deal": [
        "deal_id",
        "is_deleted",
        "deal_pipeline_id",
        "deal_pipeline_stage_id",
        "owner_id",
        "portal_id",
        "property_dealname",
        "property_dealtype",
        "property_amount",
        "property_deal_currency_code",
        "property_createdate",
        "property_closedate",
        "property_closed_lost_reason",
        "property_hs_lastmodifieddate",
    ],
    "deal_stage": [
        "deal_id",
        "value",
        "date_entered",
        "_fivetran_start",
        "_fivetran_end",
        "_fivetran_active",
        "source",
    ],
    "deal_pipeline_stage": [
        "stage_id",
        "label",
        "pipeline_id",
        "is_closed",
        "closed_won",
        "probability",
        "display_order",
        "active",
        "_fivetran_deleted",
    ],
    "deal_company": ["deal_id", "company_id", "type_id", "category"],
    "deal_contact": ["deal_id", "contact_id", "type_id", "category"],
    "merged_deal": ["deal_id", "merged_deal_id"],
    "owner": ["owner_id", "email", "first_name", "last_name", "type", "created_at", "updated_at"],
    "team": ["id", "name"],
    "owner_team": ["owner_id", "team_id", "is_team_primary"],
    "company": [
        "id",
        "is_deleted",
        "property_name",
        "property_industry",
        "property_numberofemployees",
        "property_sales_region",
        "property_hubspot_owner_id",
        "property_createdate",
        "property_hs_lastmodifieddate",
    ],
    "contact": [
        "id",
        "_fivetran_deleted",
        "property_lead_source",
        "property_hs_lead_status",
        "property_lifecyclestage",
        "property_hubspot_owner_id",
        "property_company",
        "property_createdate",
        "property_hs_lifecyclestage_marketingqualifiedlead_date",
        "property_hs_lifecyclestage_salesqualifiedlead_date",
        "property_hs_lifecyclestage_opportunity_date",
        "property_associatedcompanyid",
        "property_lastmodifieddate",
    ],
    "engagement": ["id", "type", "owner_id", "timestamp"],
    "engagement_call": [
        "engagement_id",
        "_fivetran_deleted",
        "type",
        "property_hubspot_owner_id",
        "property_hs_timestamp",
        "property_hs_activity_type",
        "property_hs_call_duration",
        "property_hs_call_disposition",
        "property_value_added",
    ],
    "engagement_meeting": [
        "engagement_id",
        "_fivetran_deleted",
        "type",
        "property_hubspot_owner_id",
        "property_hs_timestamp",
        "property_hs_activity_type",
        "property_hs_meeting_start_time",
        "property_hs_meeting_end_time",
        "property_hs_meeting_outcome",
    ],
    "engagement_email": [
        "engagement_id",
        "_fivetran_deleted",
        "type",
        "property_hubspot_owner_id",
        "property_hs_timestamp",
        "property_hs_email_status",
    ],
    "engagement_task": [
        "engagement_id",
        "_fivetran_deleted",
        "type",
        "property_hubspot_owner_id",
        "property_hs_timestamp",
        "property_hs_task_status",
    ],
    "engagement_deal": ["engagement_id", "deal_id", "engagement_type"],
    "engagement_contact": ["engagement_id", "contact_id", "engagement_type"],
    "engagement_company": ["engagement_id", "company_id", "engagement_type"],
}


def hubspot_tables(export_dir: Path, zone: str = DEFAULT_ZONE) -> dict[str, list[Row]]:
    """Every HubSpot connector table of the contract export at `export_dir`, as rows; `zone` is
    the portal's time zone, the one its date-only close dates are written in."""
    deals = read_table(export_dir, "deals")
    reps = read_table(export_dir, "reps")
    deal_table = deal_rows(deals, zone)
    removed = [row["deal_id"] for row in deal_table if row["is_deleted"] == "true"]
    merged_id = deal_table[-1]["deal_id"]
    teams = current_teams(read_table(export_dir, "rep_team_history"))
    tables: dict[str, list[Row]] = {
        "deal": deal_table,
        "deal_stage": deal_stage_rows(
            read_table(export_dir, "deal_stage_history"), [*removed, merged_id]
        ),
        "deal_pipeline_stage": pipeline_stage_rows(),
        "deal_company": [
            {
                "deal_id": d["deal_id"],
                "company_id": d["account_id"],
                "type_id": "5",
                "category": "HUBSPOT_DEFINED",
            }
            for d in deals
            if d["account_id"]
        ],
        "deal_contact": [
            {
                "deal_id": d["deal_id"],
                "contact_id": d["lead_id"],
                "type_id": "3",
                "category": "HUBSPOT_DEFINED",
            }
            for d in deals
            if d["lead_id"]
        ],
        "merged_deal": [{"deal_id": deals[0]["deal_id"], "merged_deal_id": merged_id}],
        "owner": owner_rows(reps),
        "team": [
            {"id": t["team_id"], "name": t["team_name"]} for t in read_table(export_dir, "teams")
        ],
        "owner_team": [
            {"owner_id": rep_id, "team_id": team_id, "is_team_primary": "true"}
            for rep_id, team_id in sorted(teams.items())
        ],
        "company": company_rows(read_table(export_dir, "accounts")),
        "contact": contact_rows(read_table(export_dir, "leads")),
    }
    tables.update(engagement_rows(read_table(export_dir, "activities")))
    products = read_table(export_dir, "products")
    tables["product"] = product_rows(products)
    tables["line_item"], tables["line_item_deal"] = line_item_rows(
        deals, [row["product_id"] for row in products]
    )
    return tables


def write_hubspot(export_dir: Path, out_dir: Path, zone: str = DEFAULT_ZONE) -> dict[str, int]:
    """Write the HubSpot connector tables of the contract export at `export_dir` into `out_dir`
    (created if missing), one CSV per table; return the rows written per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        table: write_table(out_dir, table, COLUMNS[table], rows)
        for table, rows in hubspot_tables(export_dir, zone).items()
    }
