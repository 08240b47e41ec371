"""The raw CRM tables of ``docs/input_contract.md``: names, columns (in order) and vocabulary.

Every value the generator writes for a vocabulary column comes from the tuples below, so the
mapping seeds in ``seeds/config/`` can be checked against them.
"""

from __future__ import annotations

from typing import Final

#: Every raw table and its columns, in the contract's order. Files are written in this order.
TABLE_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "teams": ("team_id", "team_name", "team_type", "region", "manager_rep_id"),
    "reps": (
        "rep_id",
        "rep_name",
        "email",
        "role",
        "hire_date",
        "termination_date",
        "updated_at",
    ),
    "rep_team_history": ("rep_id", "team_id", "valid_from", "valid_to"),
    "accounts": (
        "account_id",
        "account_name",
        "segment",
        "region",
        "industry",
        "employee_count",
        "owner_rep_id",
        "created_at",
        "updated_at",
    ),
    "contracts": (
        "contract_id",
        "account_id",
        "deal_id",
        "start_date",
        "end_date",
        "monthly_amount",
        "currency_code",
        "updated_at",
    ),
    "leads": (
        "lead_id",
        "lead_source",
        "status",
        "owner_rep_id",
        "company_name",
        "created_at",
        "mql_at",
        "sql_at",
        "converted_at",
        "converted_deal_id",
        "converted_account_id",
        "updated_at",
    ),
    "deals": (
        "deal_id",
        "deal_name",
        "account_id",
        "owner_rep_id",
        "lead_id",
        "deal_type",
        "stage",
        "amount",
        "currency_code",
        "created_at",
        "closed_at",
        "expected_close_date",
        "lost_reason",
        "updated_at",
        "product_id",
    ),
    "deal_stage_history": ("stage_history_id", "deal_id", "stage", "entered_at"),
    "activities": (
        "activity_id",
        "activity_type",
        "rep_id",
        "account_id",
        "deal_id",
        "lead_id",
        "started_at",
        "duration_minutes",
        "outcome",
        "is_value_added",
    ),
    "email_events": (
        "email_event_id",
        "email_id",
        "rep_id",
        "lead_id",
        "event_type",
        "occurred_at",
    ),
    "quotas": ("quota_id", "rep_id", "quota_month", "quota_type", "quota_value", "currency_code"),
    "fx_rates": ("rate_month", "currency_code", "quote_currency", "rate"),
    "acquisition_costs": ("cost_id", "cost_month", "category", "amount", "currency_code"),
    "training_enrolments": (
        "enrolment_id",
        "rep_id",
        "programme_id",
        "programme_name",
        "enrolled_at",
        "completed_at",
    ),
    "training_assessments": (
        "assessment_id",
        "rep_id",
        "programme_id",
        "assessment_type",
        "assessed_at",
        "score",
    ),
    "content_assets": ("asset_id", "asset_name", "asset_type", "published_at"),
    "content_usage": ("usage_id", "asset_id", "rep_id", "deal_id", "used_at"),
    "service_requests": (
        "request_id",
        "account_id",
        "rep_id",
        "channel",
        "opened_at",
        "resolved_at",
        "contact_count",
    ),
    "quotes": (
        "quote_id",
        "deal_id",
        "rep_id",
        "requested_at",
        "delivered_at",
        "quote_amount",
        "currency_code",
    ),
    "revenue_goals": ("goal_id", "goal_month", "team_id", "goal_amount", "currency_code"),
    "products": ("product_id", "product_name", "product_family"),
}

TABLES: Final[tuple[str, ...]] = tuple(TABLE_COLUMNS)

#: The closed list of staging reason codes (docs/input_contract.md, "Reason codes").
REASON_CODES: Final[tuple[str, ...]] = (
    "missing_key",
    "exact_duplicate",
    "superseded_version",
    "duplicate_key",
    "invalid_date",
    "impossible_date",
    "invalid_number",
    "negative_amount",
    "missing_amount",
    "missing_value",
    "invalid_currency",
    "invalid_value",
    "unmapped_stage",
    "unmapped_activity_type",
    "unmapped_lead_status",
    "unmapped_deal_type",
)

# ---- CRM vocabulary (raw values, as the CRM exports them) -----------------------------------

#: Deal stages in funnel order; the last two are the closed stages.
STAGES: Final[tuple[str, ...]] = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
)
STAGE_WON: Final = 5
STAGE_LOST: Final = 6
STAGE_PROPOSAL: Final = 3
STAGE_NEGOTIATION: Final = 4

DEAL_TYPES: Final[tuple[str, ...]] = ("New Business", "Upsell", "Cross-sell", "Renewal")
TYPE_NEW, TYPE_UPSELL, TYPE_CROSS, TYPE_RENEWAL = 0, 1, 2, 3

LEAD_STATUSES: Final[tuple[str, ...]] = (
    "New",
    "Working",
    "MQL",
    "SQL",
    "Converted",
    "Disqualified",
)
LS_NEW, LS_WORKING, LS_MQL, LS_SQL, LS_CONVERTED, LS_DISQUALIFIED = 0, 1, 2, 3, 4, 5

LEAD_SOURCES: Final[tuple[str, ...]] = (
    "web",
    "referral",
    "event",
    "outbound",
    "partner",
    "advertising",
)

ACTIVITY_TYPES: Final[tuple[str, ...]] = (
    "Call",
    "Email",
    "Meeting",
    "Demo",
    "Admin",
    "Internal Meeting",
    "Travel",
    "Training",
)
ACT_CALL, ACT_EMAIL, ACT_MEETING, ACT_DEMO = 0, 1, 2, 3
ACT_ADMIN, ACT_INTERNAL, ACT_TRAVEL, ACT_TRAINING = 4, 5, 6, 7

OUTCOMES: Final[tuple[str, ...]] = (
    "connected",
    "no_answer",
    "voicemail",
    "held",
    "no_show",
    "cancelled",
    "scheduled",
    "sent",
    "completed",
)
OUT_CONNECTED, OUT_NO_ANSWER, OUT_VOICEMAIL, OUT_HELD, OUT_NO_SHOW = 0, 1, 2, 3, 4
OUT_CANCELLED, OUT_SCHEDULED, OUT_SENT, OUT_COMPLETED = 5, 6, 7, 8

EMAIL_EVENT_TYPES: Final[tuple[str, ...]] = ("sent", "bounced", "opened", "clicked")

LOST_REASONS: Final[tuple[str, ...]] = (
    "Price",
    "Lost to competitor",
    "No decision",
    "Budget",
    "Timing",
    "Missing feature",
)

SEGMENTS: Final[tuple[str, ...]] = ("enterprise", "mid_market", "smb")
SEG_ENTERPRISE, SEG_MID, SEG_SMB = 0, 1, 2

REGIONS: Final[tuple[str, ...]] = ("kanto", "kansai", "chubu", "kyushu", "hokkaido")

INDUSTRIES: Final[tuple[str, ...]] = (
    "manufacturing",
    "retail",
    "finance",
    "healthcare",
    "it_services",
    "logistics",
    "construction",
    "public_sector",
    "education",
    "media",
)

ROLES: Final[tuple[str, ...]] = ("account_executive", "sdr", "manager")
ROLE_AE, ROLE_SDR, ROLE_MANAGER = 0, 1, 2

TEAM_TYPES: Final[tuple[str, ...]] = ("field_sales", "inside_sales")

CURRENCIES: Final[tuple[str, ...]] = ("JPY", "USD", "EUR")
CUR_JPY, CUR_USD, CUR_EUR = 0, 1, 2

QUOTA_TYPES: Final[tuple[str, ...]] = ("revenue", "deals_won", "new_accounts")
COST_CATEGORIES: Final[tuple[str, ...]] = ("marketing", "advertising", "sales_salaries", "other")
ASSET_TYPES: Final[tuple[str, ...]] = ("case_study", "deck", "whitepaper", "video", "battlecard")
SERVICE_CHANNELS: Final[tuple[str, ...]] = ("phone", "email", "web_form", "chat")
ASSESSMENT_TYPES: Final[tuple[str, ...]] = ("post_training", "reassessment")

# ---- Variants that staging normalises (case, spaces, '_'/'-' for space): never rejected ------

STAGE_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "Prospecting": ("prospecting", " Prospecting", "PROSPECTING"),
    "Qualification": ("qualification", "QUALIFICATION ", "Qualification  "),
    "Needs Analysis": ("needs_analysis", "NEEDS ANALYSIS", "Needs  Analysis"),
    "Proposal/Price Quote": (
        "proposal/price quote",
        "PROPOSAL/PRICE_QUOTE",
        " Proposal/Price  Quote",
    ),
    "Negotiation/Review": ("negotiation/review", "NEGOTIATION/REVIEW", "Negotiation/Review "),
    "Closed Won": ("closed won", " Closed  Won ", "CLOSED_WON", "Closed-Won"),
    "Closed Lost": ("closed lost", "CLOSED_LOST", " Closed  Lost", "closed-lost"),
}

ACTIVITY_TYPE_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "Call": ("CALL", "call", " Call"),
    "Email": (" email", "EMAIL", "email "),
    "Meeting": ("MEETING", "meeting"),
    "Demo": ("DEMO", "demo "),
    "Admin": ("ADMIN", "admin"),
    "Internal Meeting": ("internal_meeting", "Internal  Meeting", "INTERNAL MEETING"),
    "Travel": ("travel", "TRAVEL"),
    "Training": ("TRAINING", " training"),
}

# ---- Values that staging must reject (used only in appended defect rows) ---------------------

UNMAPPED_STAGE: Final = "Legacy Stage X"
UNMAPPED_ACTIVITY_TYPE: Final = "Fax"
UNMAPPED_LEAD_STATUS: Final = "Recycled"
UNMAPPED_DEAL_TYPE: Final = "Partnership"
MALFORMED_TIMESTAMPS: Final[tuple[str, ...]] = (
    "2025-02-30 10:00:00",
    "31/01/2025",
    "n/a",
    "2025-13-01 09:00:00",
)
