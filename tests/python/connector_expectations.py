"""What the Fivetran Salesforce fixtures (tests/fixtures/fivetran_salesforce/) must give through
input_mode salesforce, on every engine: test_connector_salesforce.py asserts it on DuckDB,
test_connector_engines.py on PostgreSQL and Spark. (The HubSpot expectations are computed from
the fixture rows by test_connector_hubspot.py's functions, which both modules use.)"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fivetran_salesforce"


def salesforce_fixture_tables() -> dict[str, Path]:
    """sf_<table>_data.csv -> <table>."""
    return {path.name[3:-9]: path for path in FIXTURES.glob("sf_*_data.csv")}


# adapter_salesforce__row_counts: (table, read, deleted, past versions, passed), from the
# fixtures' is_deleted, _fivetran_deleted and _fivetran_active columns (SOURCE.md there).
SALESFORCE_ROW_COUNTS = [
    ("account", 10, 9, 0, 1),
    ("event", 10, 0, 0, 10),
    ("lead", 1, 0, 0, 1),
    ("opportunity", 10, 10, 0, 0),  # every sample opportunity is deleted
    ("opportunity_history", 10, 10, 0, 0),  # versions of deleted opportunities
    ("opportunity_line_item", 10, 0, 0, 10),  # of deleted opportunities: no deal to name
    ("product_2", 2, 0, 0, 2),
    ("task", 10, 0, 0, 10),
    ("user", 10, 5, 1, 4),
    ("user_role", 10, 0, 2, 8),
]
# dq_row_reconciliation: (contract table, raw, staged, rejected) of the tables the adapter maps.
SALESFORCE_RECONCILIATION = [
    ("accounts", 1, 0, 1),
    ("activities", 20, 13, 7),
    ("deal_stage_history", 0, 0, 0),
    ("deals", 0, 0, 0),
    ("leads", 1, 1, 0),
    ("products", 2, 2, 0),
    ("rep_team_history", 4, 4, 0),
    ("reps", 4, 4, 0),
    ("teams", 8, 8, 0),
]
SALESFORCE_MAPPED_TABLES = tuple(table for table, *_ in SALESFORCE_RECONCILIATION)
# rejected_rows: (contract table, reason, rows)
SALESFORCE_REASONS = [
    ("accounts", "missing_value", 1),  # the sample account table has no created_date
    ("activities", "unmapped_activity_type", 7),  # task type 'X' (obfuscated in the sample)
]
# The emptiness guard: no opportunity is live, so no deal is staged; and the one live sample
# account lacks created_date, so it is rejected.
SALESFORCE_GUARD_MESSAGES = [
    "accounts: 1 of 1 distinct rows rejected (more than 50.0 %), 0 staged: see"
    " rejected_rows.reason_codes for this table, or run make doctor on the export",
    "deals: the input has no rows, so nothing is staged and every KPI that needs it is"
    " empty: check the export (or, with a connector, that its rows are not all deleted)",
]
