"""Tests of the synthetic CRM generator (tools/sales_kpi_warehouse/generator).

The manifest is checked against an independent re-implementation of the staging checks
(``STAGING_SPECS``, mirroring models/staging/crm/base in order), so a defect that staging
would count under another reason, or a clean row that staging would reject, fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from sales_kpi_warehouse.doctor.contract import load_contract
from sales_kpi_warehouse.generator import (
    MANIFEST_NAME,
    REASON_CODES,
    TABLE_COLUMNS,
    TABLES,
    GeneratorConfig,
    generate,
)
from sales_kpi_warehouse.generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "seeds" / "demo" / "crm"
MAPPING_DIR = ROOT / "seeds" / "config"
CONTRACT = ROOT / "docs" / "input_contract.md"
MAPPING_SEEDS = ("map_deal_stages", "map_activity_types", "map_lead_statuses", "map_deal_types")


# ---- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh demo (the CLI defaults) in a temporary directory."""
    out = tmp_path_factory.mktemp("demo")
    generate(GeneratorConfig(out_dir=out))
    return out


@pytest.fixture(scope="session")
def clean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company without defects."""
    out = tmp_path_factory.mktemp("clean")
    generate(GeneratorConfig(out_dir=out, defects=False))
    return out


@pytest.fixture(scope="session")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 deals written as Parquet in four 5,000-deal chunks."""
    out = tmp_path_factory.mktemp("parquet")
    generate(GeneratorConfig(out_dir=out, deals=20_000, chunk_deals=5_000, output_format="parquet"))
    return out


def manifest(directory: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    return result


def connect(directory: Path, output_format: str = "csv") -> duckdb.DuckDBPyConnection:
    """DuckDB with one all-text view per raw table (and the mapping seeds when present)."""
    con = duckdb.connect()
    for name in TABLES:
        path = directory / f"{name}.{output_format}"
        if output_format == "csv":
            reader = f"read_csv('{path}', header = true, all_varchar = true, quote = '\"')"
        else:
            reader = f"read_parquet('{path}')"
        con.execute(f"create view {name} as select * from {reader}")
    if MAPPING_DIR.is_dir():
        for seed in MAPPING_SEEDS:
            con.execute(
                f"create view {seed} as select * from read_csv('{MAPPING_DIR / seed}.csv', "
                "header = true, all_varchar = true)"
            )
    return con


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


# ---- determinism -------------------------------------------------------------------------------


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate(GeneratorConfig(out_dir=tmp_path / name, deals=400, seed=7))
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == len(TABLES) + 1
    for file in files:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_other_seed_gives_other_data(tmp_path: Path, demo_dir: Path) -> None:
    generate(GeneratorConfig(out_dir=tmp_path, seed=43))
    assert (tmp_path / "deals.csv").read_bytes() != (demo_dir / "deals.csv").read_bytes()


def test_committed_demo_equals_fresh_generation(demo_dir: Path) -> None:
    if not (DEMO_DIR / MANIFEST_NAME).exists():
        pytest.skip("seeds/demo/crm has not been generated (make generate)")
    for file in sorted(p.name for p in demo_dir.iterdir()):
        committed = DEMO_DIR / file
        assert committed.exists(), f"{committed} is missing: run make generate"
        assert committed.read_bytes() == (demo_dir / file).read_bytes(), (
            f"{committed} differs from a fresh generation: run make generate and commit"
        )


# ---- shape and manifest ------------------------------------------------------------------------


def contract_columns() -> dict[str, tuple[str, ...]]:
    """Table → columns of the input contract (the crm source in _crm__sources.yml)."""
    return {table.name: tuple(c.name for c in table.columns) for table in load_contract()}


def test_columns_match_the_contract() -> None:
    assert contract_columns() == TABLE_COLUMNS


def test_files_have_exactly_the_contract_columns(demo_dir: Path) -> None:
    for name in TABLES:
        header = (demo_dir / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert tuple(header.split(",")) == TABLE_COLUMNS[name]


def appended_unknown_references(con: duckdb.DuckDBPyConnection, data: dict[str, Any]) -> int:
    """Deals findings that are appended defect rows (an unknown rep or account): the manifest's
    unknown_reference count less the clean deals whose product_id names no product."""
    unknown_product = data["notes"]["defect_values"]["unknown_product_id"]
    on_clean_deals: int = scalar(
        con, f"select count(*) from deals where product_id = '{unknown_product}'"
    )
    assert on_clean_deals > 0, "the demo has deals with an unknown product"
    findings: int = data["tables"]["deals"]["expected_findings"]["unknown_reference"]
    return findings - on_clean_deals


def test_manifest_arithmetic_and_row_counts(demo_dir: Path) -> None:
    data = manifest(demo_dir)
    con = connect(demo_dir)
    assert set(data["tables"]) == set(TABLES)
    for name, entry in data["tables"].items():
        rejected = entry["expected_rejected"]
        assert set(rejected) <= set(REASON_CODES), name
        assert entry["raw_rows"] == entry["expected_staged"] + sum(rejected.values()), name
        assert entry["raw_rows"] == scalar(con, f"select count(*) from {name}"), name
    deals = data["tables"]["deals"]
    assert deals["expected_staged"] == 1_500 + appended_unknown_references(con, data)


def test_every_required_defect_is_injected(demo_dir: Path) -> None:
    tables = manifest(demo_dir)["tables"]
    required = {
        "deals": {
            "exact_duplicate", "superseded_version", "invalid_date", "impossible_date",
            "negative_amount", "missing_amount", "unmapped_stage", "unmapped_deal_type",
            "invalid_currency", "missing_key",
        },
        "activities": {
            "exact_duplicate", "invalid_date", "negative_amount", "unmapped_activity_type",
            "missing_key",
        },
        "leads": {"exact_duplicate", "superseded_version", "invalid_date", "unmapped_lead_status"},
        "accounts": {"exact_duplicate", "superseded_version"},
        "reps": {"exact_duplicate"},
        "contracts": {"impossible_date"},
    }  # fmt: skip
    for name, reasons in required.items():
        counts = tables[name]["expected_rejected"]
        assert set(counts) == reasons, name
        assert min(counts.values()) >= 3, name
    # Unknown references are staged (the (unknown) member) and listed in dq_findings.
    for name in ("deals", "deal_stage_history", "activities"):
        findings = tables[name]["expected_findings"]
        assert set(findings) == {"unknown_reference"}, name
        assert findings["unknown_reference"] >= 3, name


def test_no_defects_means_no_rejections(clean_dir: Path) -> None:
    data = manifest(clean_dir)
    for entry in data["tables"].values():
        assert entry["expected_rejected"] == {}
    assert data["notes"]["deals_missing_fx_rate"] == 0
    assert data["notes"]["stage_case_variants"] == 0


# ---- staging emulation -------------------------------------------------------------------------


def ct(column: str) -> str:
    return f"nullif(trim({column}), '')"


def ts(column: str) -> str:
    value = ct(column)
    return (
        f"case when length({value}) in (10, 16, 19) "
        f"then try_cast(replace({value}, 'T', ' ') as timestamp) end"
    )


def dt(column: str) -> str:
    return f"case when length({ct(column)}) = 10 then try_cast({ct(column)} as date) end"


def code(column: str) -> str:
    spaced = f"replace(replace(lower({column}), '_', ' '), '-', ' ')"
    return f"nullif(trim(regexp_replace({spaced}, ' +', ' ', 'g')), '')"


def cur(column: str) -> str:
    return f"case when length({ct(column)}) = 3 then upper({ct(column)}) end"


def num(column: str, sql_type: str = "decimal(18, 2)") -> str:
    return f"try_cast({ct(column)} as {sql_type})"


def bad(column: str) -> str:
    """The value is given but does not parse."""
    return f"({column} is null and {column}_text is not null)"


@dataclass(frozen=True)
class Spec:
    table: str
    key: tuple[str, ...]
    updated: str | None
    typed: tuple[str, ...]
    joins: tuple[str, ...]
    checks: tuple[tuple[str, str], ...]


def texts(*columns: str) -> tuple[str, ...]:
    return tuple(f"{ct(c)} as {c}_text" for c in columns)


SPECS: tuple[Spec, ...] = (
    Spec(
        "teams",
        ("team_id",),
        None,
        (
            f"{ct('team_id')} as team_id",
            f"{ct('team_name')} as team_name",
            f"lower({ct('team_type')}) as team_type",
        ),
        (),
        (
            ("team_name is null", "missing_value"),
            (
                "team_type is null or team_type not in ('field_sales', 'inside_sales')",
                "invalid_value",
            ),
        ),
    ),
    Spec(
        "products",
        ("product_id",),
        None,
        (f"{ct('product_id')} as product_id",),
        (),
        (),
    ),
    Spec(
        "reps",
        ("rep_id",),
        "updated_at",
        (
            f"{ct('rep_id')} as rep_id",
            f"lower({ct('role')}) as role",
            f"{dt('hire_date')} as hire_date",
            f"{dt('termination_date')} as termination_date",
            f"{ts('updated_at')} as updated_at",
            *texts("hire_date", "termination_date", "updated_at"),
        ),
        (),
        (
            (
                "{} or {} or {}".format(
                    bad("hire_date"), bad("termination_date"), bad("updated_at")
                ),
                "invalid_date",
            ),
            ("hire_date is null", "missing_value"),
            ("termination_date < hire_date", "impossible_date"),
            (
                "role is null or role not in ('account_executive', 'sdr', 'manager')",
                "invalid_value",
            ),
        ),
    ),
    Spec(
        "rep_team_history",
        ("rep_id", "valid_from_text"),
        None,
        (
            f"{ct('rep_id')} as rep_id",
            f"{ct('team_id')} as team_id",
            f"{dt('valid_from')} as valid_from",
            f"{dt('valid_to')} as valid_to",
            *texts("valid_from", "valid_to"),
        ),
        (
            "left join s_reps k1 on v.rep_id = k1.rep_id",
            "left join s_teams k2 on v.team_id = k2.team_id",
        ),
        (
            (f"{bad('valid_from')} or {bad('valid_to')}", "invalid_date"),
            ("valid_to < valid_from", "impossible_date"),
            ("v.team_id is null", "missing_value"),
        ),
    ),
    Spec(
        "accounts",
        ("account_id",),
        "updated_at",
        (
            f"{ct('account_id')} as account_id",
            f"lower({ct('segment')}) as segment",
            f"{ct('owner_rep_id')} as owner_rep_id",
            f"{ts('created_at')} as created_at",
            f"{ts('updated_at')} as updated_at",
            *texts("created_at", "updated_at"),
        ),
        ("left join s_reps k1 on v.owner_rep_id = k1.rep_id",),
        (
            (f"{bad('created_at')} or {bad('updated_at')}", "invalid_date"),
            ("created_at is null", "missing_value"),
            (
                "segment is null or segment not in ('enterprise', 'mid_market', 'smb')",
                "invalid_value",
            ),
        ),
    ),
    Spec(
        "contracts",
        ("contract_id",),
        "updated_at",
        (
            f"{ct('contract_id')} as contract_id",
            f"{ct('account_id')} as account_id",
            f"{dt('start_date')} as start_date",
            f"{dt('end_date')} as end_date",
            f"{num('monthly_amount')} as monthly_amount",
            f"{cur('currency_code')} as currency_code",
            f"{ts('updated_at')} as updated_at",
            *texts("start_date", "end_date", "monthly_amount", "updated_at"),
        ),
        ("left join s_accounts k1 on v.account_id = k1.account_id",),
        (
            (f"{bad('start_date')} or {bad('end_date')} or {bad('updated_at')}", "invalid_date"),
            ("start_date is null", "missing_value"),
            ("end_date < start_date", "impossible_date"),
            (bad("monthly_amount"), "invalid_number"),
            ("monthly_amount < 0", "negative_amount"),
            ("monthly_amount is null", "missing_amount"),
            ("currency_code is null", "invalid_currency"),
        ),
    ),
    Spec(
        "leads",
        ("lead_id",),
        "updated_at",
        (
            f"{ct('lead_id')} as lead_id",
            f"{code('status')} as status",
            f"{ct('owner_rep_id')} as owner_rep_id",
            *(
                f"{ts(c)} as {c}"
                for c in ("created_at", "mql_at", "sql_at", "converted_at", "updated_at")
            ),
            *texts("created_at", "mql_at", "sql_at", "converted_at", "updated_at"),
        ),
        (
            "left join map_lead_statuses m on v.status = m.source_value",
            "left join s_reps k1 on v.owner_rep_id = k1.rep_id",
        ),
        (
            (
                " or ".join(
                    bad(c) for c in ("created_at", "mql_at", "sql_at", "converted_at", "updated_at")
                ),
                "invalid_date",
            ),
            ("created_at is null", "missing_value"),
            (
                "mql_at < created_at or sql_at < created_at or converted_at < created_at",
                "impossible_date",
            ),
            ("m.source_value is null", "unmapped_lead_status"),
        ),
    ),
    Spec(
        "deals",
        ("deal_id",),
        "updated_at",
        (
            f"{ct('deal_id')} as deal_id",
            f"{ct('account_id')} as account_id",
            f"{ct('owner_rep_id')} as owner_rep_id",
            f"{code('deal_type')} as deal_type",
            f"{code('stage')} as stage",
            f"{num('amount')} as amount",
            f"{cur('currency_code')} as currency_code",
            f"{ts('created_at')} as created_at",
            f"{ts('closed_at')} as closed_at",
            f"{dt('expected_close_date')} as expected_close_date",
            f"{ts('updated_at')} as updated_at",
            *texts("created_at", "closed_at", "expected_close_date", "updated_at", "amount"),
        ),
        (
            "left join map_deal_stages m on v.stage = m.source_value",
            "left join map_deal_types t on v.deal_type = t.source_value",
            "left join s_reps k1 on v.owner_rep_id = k1.rep_id",
            "left join s_accounts k2 on v.account_id = k2.account_id",
        ),
        (
            (
                " or ".join(
                    bad(c) for c in ("created_at", "closed_at", "expected_close_date", "updated_at")
                ),
                "invalid_date",
            ),
            ("created_at is null", "missing_value"),
            ("closed_at < created_at", "impossible_date"),
            (bad("amount"), "invalid_number"),
            ("amount < 0", "negative_amount"),
            ("amount is null and m.stage_category <> 'open'", "missing_amount"),
            ("currency_code is null", "invalid_currency"),
            ("m.source_value is null", "unmapped_stage"),
            ("t.source_value is null", "unmapped_deal_type"),
            ("m.stage_category = 'open' and closed_at is not null", "impossible_date"),
            ("m.stage_category <> 'open' and closed_at is null", "missing_value"),
        ),
    ),
    Spec(
        "deal_stage_history",
        ("stage_history_id",),
        None,
        (
            f"{ct('stage_history_id')} as stage_history_id",
            f"{ct('deal_id')} as deal_id",
            f"{code('stage')} as stage",
            f"{ts('entered_at')} as entered_at",
            *texts("entered_at"),
        ),
        (
            "left join map_deal_stages m on v.stage = m.source_value",
            "left join s_deals k1 on v.deal_id = k1.deal_id",
        ),
        (
            (bad("entered_at"), "invalid_date"),
            ("entered_at is null", "missing_value"),
            ("m.source_value is null", "unmapped_stage"),
        ),
    ),
    Spec(
        "activities",
        ("activity_id",),
        None,
        (
            f"{ct('activity_id')} as activity_id",
            f"{code('activity_type')} as activity_type",
            f"{ct('rep_id')} as rep_id",
            f"{ts('started_at')} as started_at",
            f"{num('duration_minutes', 'integer')} as duration_minutes",
            f"lower({ct('outcome')}) as outcome",
            *texts("started_at", "duration_minutes"),
        ),
        (
            "left join map_activity_types m on v.activity_type = m.source_value",
            "left join s_reps k1 on v.rep_id = k1.rep_id",
        ),
        (
            (bad("started_at"), "invalid_date"),
            ("started_at is null", "missing_value"),
            (bad("duration_minutes"), "invalid_number"),
            ("duration_minutes < 0", "negative_amount"),
            (
                "outcome is not null and outcome not in ('connected', 'no_answer', 'voicemail', "
                "'held', 'no_show', "
                "'cancelled', 'scheduled', 'sent', 'completed')",
                "invalid_value",
            ),
            ("m.source_value is null", "unmapped_activity_type"),
        ),
    ),
    Spec(
        "email_events",
        ("email_event_id",),
        None,
        (
            f"{ct('email_event_id')} as email_event_id",
            f"{ct('email_id')} as email_id",
            f"{ct('rep_id')} as rep_id",
            f"lower({ct('event_type')}) as event_type",
            f"{ts('occurred_at')} as occurred_at",
            *texts("occurred_at"),
        ),
        ("left join s_reps k1 on v.rep_id = k1.rep_id",),
        (
            (bad("occurred_at"), "invalid_date"),
            ("occurred_at is null or email_id is null", "missing_value"),
            (
                "event_type is null or event_type not in ('sent', 'bounced', 'opened', 'clicked')",
                "invalid_value",
            ),
        ),
    ),
    Spec(
        "quotas",
        ("quota_id",),
        None,
        (
            f"{ct('quota_id')} as quota_id",
            f"{ct('rep_id')} as rep_id",
            f"date_trunc('month', {dt('quota_month')}) as quota_month",
            f"lower({ct('quota_type')}) as quota_type",
            f"{num('quota_value')} as quota_value",
            f"{cur('currency_code')} as currency_code",
            *texts("quota_month", "quota_value"),
        ),
        ("left join s_reps k1 on v.rep_id = k1.rep_id",),
        (
            (bad("quota_month"), "invalid_date"),
            ("quota_month is null", "missing_value"),
            (
                "quota_type is null or quota_type not in ('revenue', 'deals_won', 'new_accounts')",
                "invalid_value",
            ),
            (bad("quota_value"), "invalid_number"),
            ("quota_value < 0", "negative_amount"),
            ("quota_value is null", "missing_amount"),
            ("quota_type = 'revenue' and currency_code is null", "invalid_currency"),
        ),
    ),
    Spec(
        "fx_rates",
        ("rate_month_text", "currency_code", "quote_currency"),
        None,
        (
            f"{ct('rate_month')} as rate_month_text",
            f"date_trunc('month', {dt('rate_month')}) as rate_month",
            f"{cur('currency_code')} as currency_code",
            f"{cur('quote_currency')} as quote_currency",
            f"{num('rate', 'decimal(18, 8)')} as rate",
            *texts("rate"),
        ),
        (),
        (
            ("rate_month is null", "invalid_date"),
            (bad("rate"), "invalid_number"),
            ("rate is null", "missing_amount"),
            ("rate <= 0", "negative_amount"),
        ),
    ),
    Spec(
        "acquisition_costs",
        ("cost_id",),
        None,
        (
            f"{ct('cost_id')} as cost_id",
            f"date_trunc('month', {dt('cost_month')}) as cost_month",
            f"lower({ct('category')}) as category",
            f"{num('amount')} as amount",
            f"{cur('currency_code')} as currency_code",
            *texts("amount"),
        ),
        (),
        (
            ("cost_month is null", "invalid_date"),
            (
                "category is null or category not in "
                "('marketing', 'advertising', 'sales_salaries', 'other')",
                "invalid_value",
            ),
            (bad("amount"), "invalid_number"),
            ("amount < 0", "negative_amount"),
            ("amount is null", "missing_amount"),
            ("currency_code is null", "invalid_currency"),
        ),
    ),
    Spec(
        "training_enrolments",
        ("enrolment_id",),
        None,
        (
            f"{ct('enrolment_id')} as enrolment_id",
            f"{ct('rep_id')} as rep_id",
            f"{ct('programme_id')} as programme_id",
            f"{ts('enrolled_at')} as enrolled_at",
            f"{ts('completed_at')} as completed_at",
            *texts("enrolled_at", "completed_at"),
        ),
        ("left join s_reps k1 on v.rep_id = k1.rep_id",),
        (
            (f"{bad('enrolled_at')} or {bad('completed_at')}", "invalid_date"),
            ("enrolled_at is null or programme_id is null", "missing_value"),
            ("completed_at < enrolled_at", "impossible_date"),
        ),
    ),
    Spec(
        "training_assessments",
        ("assessment_id",),
        None,
        (
            f"{ct('assessment_id')} as assessment_id",
            f"{ct('rep_id')} as rep_id",
            f"{ct('programme_id')} as programme_id",
            f"lower({ct('assessment_type')}) as assessment_type",
            f"{ts('assessed_at')} as assessed_at",
            f"{num('score', 'decimal(5, 2)')} as score",
            *texts("assessed_at", "score"),
        ),
        ("left join s_reps k1 on v.rep_id = k1.rep_id",),
        (
            (bad("assessed_at"), "invalid_date"),
            ("assessed_at is null or programme_id is null", "missing_value"),
            (
                "assessment_type is null "
                "or assessment_type not in ('post_training', 'reassessment')",
                "invalid_value",
            ),
            (bad("score"), "invalid_number"),
            ("score is null", "missing_value"),
            ("score < 0 or score > 100", "invalid_value"),
        ),
    ),
    Spec(
        "content_assets",
        ("asset_id",),
        None,
        (
            f"{ct('asset_id')} as asset_id",
            f"{ct('asset_name')} as asset_name",
            f"{ts('published_at')} as published_at",
            *texts("published_at"),
        ),
        (),
        ((bad("published_at"), "invalid_date"), ("asset_name is null", "missing_value")),
    ),
    Spec(
        "content_usage",
        ("usage_id",),
        None,
        (
            f"{ct('usage_id')} as usage_id",
            f"{ct('asset_id')} as asset_id",
            f"{ct('rep_id')} as rep_id",
            f"{ts('used_at')} as used_at",
            *texts("used_at"),
        ),
        (
            "left join s_content_assets k1 on v.asset_id = k1.asset_id",
            "left join s_reps k2 on v.rep_id = k2.rep_id",
        ),
        (
            (bad("used_at"), "invalid_date"),
            ("used_at is null", "missing_value"),
        ),
    ),
    Spec(
        "service_requests",
        ("request_id",),
        None,
        (
            f"{ct('request_id')} as request_id",
            f"{ct('account_id')} as account_id",
            f"{ts('opened_at')} as opened_at",
            f"{ts('resolved_at')} as resolved_at",
            f"{num('contact_count', 'integer')} as contact_count",
            *texts("opened_at", "resolved_at", "contact_count"),
        ),
        ("left join s_accounts k1 on v.account_id = k1.account_id",),
        (
            (f"{bad('opened_at')} or {bad('resolved_at')}", "invalid_date"),
            ("opened_at is null", "missing_value"),
            ("resolved_at < opened_at", "impossible_date"),
            (bad("contact_count"), "invalid_number"),
            ("contact_count < 0", "negative_amount"),
        ),
    ),
    Spec(
        "quotes",
        ("quote_id",),
        None,
        (
            f"{ct('quote_id')} as quote_id",
            f"{ct('deal_id')} as deal_id",
            f"{ts('requested_at')} as requested_at",
            f"{ts('delivered_at')} as delivered_at",
            f"{num('quote_amount')} as quote_amount",
            f"{cur('currency_code')} as currency_code",
            *texts("requested_at", "delivered_at", "quote_amount"),
        ),
        ("left join s_deals k1 on v.deal_id = k1.deal_id",),
        (
            (f"{bad('requested_at')} or {bad('delivered_at')}", "invalid_date"),
            ("requested_at is null", "missing_value"),
            ("delivered_at < requested_at", "impossible_date"),
            (bad("quote_amount"), "invalid_number"),
            ("quote_amount < 0", "negative_amount"),
            ("currency_code is null and quote_amount is not null", "invalid_currency"),
        ),
    ),
    Spec(
        "revenue_goals",
        ("goal_id",),
        None,
        (
            f"{ct('goal_id')} as goal_id",
            f"date_trunc('month', {dt('goal_month')}) as goal_month",
            f"{ct('team_id')} as team_id",
            f"{num('goal_amount')} as goal_amount",
            f"{cur('currency_code')} as currency_code",
            *texts("goal_amount"),
        ),
        ("left join s_teams k1 on v.team_id = k1.team_id",),
        (
            ("goal_month is null", "invalid_date"),
            (bad("goal_amount"), "invalid_number"),
            ("goal_amount < 0", "negative_amount"),
            ("goal_amount is null", "missing_amount"),
            ("currency_code is null", "invalid_currency"),
        ),
    ),
)


def emulate_staging(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Reason-code counts per table, computed the way models/staging/crm/base does."""
    result: dict[str, dict[str, int]] = {}
    for spec in SPECS:
        raw = TABLE_COLUMNS[spec.table]
        fingerprint = (
            "md5(concat_ws('|', " + ", ".join(f"coalesce({c}, '<null>')" for c in raw) + "))"
        )
        key = ", ".join(spec.key)
        if spec.updated:
            versions = (
                f"dense_rank() over (partition by {key} order by {spec.updated} desc nulls last) "
                f"as version_rank, dense_rank() over (partition by {key}, {spec.updated} "
                "order by fp) as same_version_rank"
            )
        else:
            versions = (
                "1 as version_rank, "
                f"dense_rank() over (partition by {key} order by fp) as same_version_rank"
            )
        missing = " or ".join(f"v.{k} is null" for k in spec.key)
        checks = (
            (missing, "missing_key"),
            ("v.copy_number > 1", "exact_duplicate"),
            ("v.version_rank > 1", "superseded_version"),
            ("v.same_version_rank > 1", "duplicate_key"),
            *spec.checks,
        )
        case = "case " + " ".join(f"when {c} then '{r}'" for c, r in checks) + " end"
        con.execute(
            f"""create or replace temp table v_{spec.table} as
            with typed as (select {", ".join(spec.typed)}, {fingerprint} as fp from {spec.table}),
            versioned as (
                select *, row_number() over (partition by fp order by fp) as copy_number,
                {versions} from typed
            )
            select v.*, {case} as reason_code from versioned v {" ".join(spec.joins)}"""
        )
        con.execute(
            f"create or replace temp table s_{spec.table} as "
            f"select {spec.key[0]} from v_{spec.table} where reason_code is null"
        )
        rows = con.execute(
            f"select reason_code, count(*) from v_{spec.table} "
            "where reason_code is not null group by 1"
        ).fetchall()
        result[spec.table] = {str(r): int(n) for r, n in rows}
    return result


def expected_rejections(directory: Path) -> dict[str, dict[str, int]]:
    return {
        name: entry["expected_rejected"] for name, entry in manifest(directory)["tables"].items()
    }


@pytest.mark.skipif(not MAPPING_DIR.is_dir(), reason="seeds/config mapping seeds not present")
def test_staging_rejects_exactly_what_the_manifest_says(demo_dir: Path) -> None:
    assert emulate_staging(connect(demo_dir)) == expected_rejections(demo_dir)


@pytest.mark.skipif(not MAPPING_DIR.is_dir(), reason="seeds/config mapping seeds not present")
def test_clean_data_is_never_rejected(clean_dir: Path) -> None:
    assert all(not counts for counts in emulate_staging(connect(clean_dir)).values())


def test_every_raw_vocabulary_value_is_mapped(clean_dir: Path) -> None:
    if not MAPPING_DIR.is_dir():
        pytest.skip("seeds/config mapping seeds not present")
    con = connect(clean_dir)
    pairs = (
        ("deals", "stage", "map_deal_stages"),
        ("deal_stage_history", "stage", "map_deal_stages"),
        ("deals", "deal_type", "map_deal_types"),
        ("leads", "status", "map_lead_statuses"),
        ("activities", "activity_type", "map_activity_types"),
    )
    for table, column, seed in pairs:
        unmapped = con.execute(
            f"select distinct {column} from {table} "
            f"where {code(column)} not in (select source_value from {seed})"
        ).fetchall()
        assert unmapped == [], (table, column, unmapped)


# ---- clean data: referential integrity and consistency --------------------------------------


def violations(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(scalar(con, f"select count(*) from ({sql})"))


@pytest.fixture(scope="session")
def clean_con(clean_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(clean_dir)
    yield con
    con.close()


FOREIGN_KEYS = (
    ("teams", "manager_rep_id", "reps", "rep_id"),
    ("rep_team_history", "rep_id", "reps", "rep_id"),
    ("rep_team_history", "team_id", "teams", "team_id"),
    ("accounts", "owner_rep_id", "reps", "rep_id"),
    ("contracts", "account_id", "accounts", "account_id"),
    ("contracts", "deal_id", "deals", "deal_id"),
    ("leads", "owner_rep_id", "reps", "rep_id"),
    ("leads", "converted_deal_id", "deals", "deal_id"),
    ("leads", "converted_account_id", "accounts", "account_id"),
    ("deals", "account_id", "accounts", "account_id"),
    ("deals", "owner_rep_id", "reps", "rep_id"),
    ("deals", "lead_id", "leads", "lead_id"),
    ("deals", "product_id", "products", "product_id"),
    ("deal_stage_history", "deal_id", "deals", "deal_id"),
    ("activities", "rep_id", "reps", "rep_id"),
    ("activities", "account_id", "accounts", "account_id"),
    ("activities", "deal_id", "deals", "deal_id"),
    ("activities", "lead_id", "leads", "lead_id"),
    ("email_events", "email_id", "activities", "activity_id"),
    ("email_events", "rep_id", "reps", "rep_id"),
    ("email_events", "lead_id", "leads", "lead_id"),
    ("quotas", "rep_id", "reps", "rep_id"),
    ("training_enrolments", "rep_id", "reps", "rep_id"),
    ("training_assessments", "rep_id", "reps", "rep_id"),
    ("content_usage", "asset_id", "content_assets", "asset_id"),
    ("content_usage", "rep_id", "reps", "rep_id"),
    ("content_usage", "deal_id", "deals", "deal_id"),
    ("service_requests", "account_id", "accounts", "account_id"),
    ("service_requests", "rep_id", "reps", "rep_id"),
    ("quotes", "deal_id", "deals", "deal_id"),
    ("quotes", "rep_id", "reps", "rep_id"),
    ("revenue_goals", "team_id", "teams", "team_id"),
)

KEYS = {
    "teams": "team_id",
    "reps": "rep_id",
    "accounts": "account_id",
    "contracts": "contract_id",
    "leads": "lead_id",
    "deals": "deal_id",
    "deal_stage_history": "stage_history_id",
    "activities": "activity_id",
    "email_events": "email_event_id",
    "quotas": "quota_id",
    "acquisition_costs": "cost_id",
    "training_enrolments": "enrolment_id",
    "training_assessments": "assessment_id",
    "content_assets": "asset_id",
    "content_usage": "usage_id",
    "service_requests": "request_id",
    "quotes": "quote_id",
    "revenue_goals": "goal_id",
}


def test_keys_are_unique_and_foreign_keys_resolve(clean_con: duckdb.DuckDBPyConnection) -> None:
    for table, key in KEYS.items():
        assert scalar(clean_con, f"select count(*) - count(distinct {key}) from {table}") == 0, (
            table
        )
        assert scalar(clean_con, f"select count(*) from {table} where {key} is null") == 0, table
    for table, column, parent, key in FOREIGN_KEYS:
        sql = (
            f"select c.{column} from {table} c left join {parent} p on c.{column} = p.{key} "
            f"where c.{column} is not null and p.{key} is null"
        )
        assert violations(clean_con, sql) == 0, f"{table}.{column} → {parent}"


EMPLOYMENT = """
    create or replace temp view employment as
    select rep_id, hire_date::timestamp as from_ts,
           coalesce(termination_date::timestamp + interval 15 hour, timestamp '9999-01-01') as to_ts
    from reps
"""


def test_reps_are_employed_when_they_act(clean_con: duckdb.DuckDBPyConnection) -> None:
    clean_con.execute(EMPLOYMENT)
    as_of = scalar(
        clean_con,
        "select max(rate_month)::date + interval 1 month - interval 12 hour from fx_rates",
    )
    events = (
        ("activities", "rep_id", "started_at", "started_at"),
        ("deals", "owner_rep_id", "created_at", f"coalesce(closed_at, '{as_of}')"),
        ("leads", "owner_rep_id", "created_at", "created_at"),
        ("accounts", "owner_rep_id", "updated_at", "updated_at"),
        ("email_events", "rep_id", "occurred_at", "occurred_at"),
        ("content_usage", "rep_id", "used_at", "used_at"),
        ("quotes", "rep_id", "requested_at", "coalesce(delivered_at, requested_at)"),
        ("service_requests", "rep_id", "opened_at", "opened_at"),
        ("training_enrolments", "rep_id", "enrolled_at", "coalesce(completed_at, enrolled_at)"),
        ("training_assessments", "rep_id", "assessed_at", "assessed_at"),
    )
    for table, rep, start, end in events:
        sql = f"""select 1 from {table} t join employment e on t.{rep} = e.rep_id
                  where t.{start}::timestamp < e.from_ts or ({end})::timestamp >= e.to_ts"""
        assert violations(clean_con, sql) == 0, table


def test_timestamps_are_ordered(clean_con: duckdb.DuckDBPyConnection) -> None:
    rules = (
        "select 1 from deals where closed_at::timestamp <= created_at::timestamp",
        "select 1 from deals "
        "where updated_at::timestamp < coalesce(closed_at, created_at)::timestamp",
        "select 1 from leads where mql_at::timestamp < created_at::timestamp "
        "or sql_at::timestamp < mql_at::timestamp "
        "or converted_at::timestamp < sql_at::timestamp or (sql_at is not null and mql_at is null)",
        "select 1 from leads l join deals d on l.converted_deal_id = d.deal_id "
        "where l.converted_at <> d.created_at "
        "or l.converted_account_id <> d.account_id or d.lead_id <> l.lead_id",
        "select 1 from leads where (status = 'Converted') <> (converted_deal_id is not null)",
        "select 1 from contracts where end_date::date < start_date::date",
        "select 1 from quotes where delivered_at::timestamp < requested_at::timestamp "
        "or delivered_at::timestamp > requested_at::timestamp + interval 4 day",
        "select 1 from service_requests where resolved_at::timestamp < opened_at::timestamp",
        "select 1 from training_enrolments where completed_at::timestamp < enrolled_at::timestamp",
        "select 1 from rep_team_history where valid_to::date < valid_from::date",
        "select 1 from accounts where updated_at::timestamp < created_at::timestamp",
        "select 1 from content_usage u join content_assets a using (asset_id) "
        "where u.used_at < a.published_at",
        "select 1 from activities a join deals d using (deal_id) "
        "where a.started_at::timestamp < d.created_at::timestamp "
        "or a.started_at > coalesce(d.closed_at, '9999')",
        "select 1 from email_events e join activities a on e.email_id = a.activity_id "
        "where e.occurred_at < a.started_at or a.activity_type <> 'Email'",
    )
    for sql in rules:
        assert violations(clean_con, sql) == 0, sql
    as_of_end = "(select max(rate_month)::date + interval 1 month - interval 12 hour from fx_rates)"
    last_events = (
        ("deals", "closed_at"),
        ("activities", "started_at"),
        ("leads", "updated_at"),
        ("email_events", "occurred_at"),
        ("deal_stage_history", "entered_at"),
    )
    for table, column in last_events:
        assert (
            violations(clean_con, f"select 1 from {table} where {column}::timestamp > {as_of_end}")
            == 0
        )


def test_stage_history_matches_the_deal(clean_con: duckdb.DuckDBPyConnection) -> None:
    clean_con.execute("""
        create or replace temp view ordered as
        select h.*,
               row_number() over (partition by deal_id order by entered_at, stage_history_id) as n,
               count(*) over (partition by deal_id) as rows_per_deal,
               lag(entered_at) over (partition by deal_id order by entered_at, stage_history_id)
                   as previous_at
        from deal_stage_history h
    """)
    rules = (
        "select 1 from ordered where previous_at >= entered_at",
        "select 1 from ordered o join deals d using (deal_id) "
        "where o.n = 1 and o.entered_at <> d.created_at",
        "select 1 from ordered o join deals d using (deal_id) where o.n = o.rows_per_deal "
        "and (o.stage <> d.stage or o.entered_at <> coalesce(d.closed_at, o.entered_at))",
        "select deal_id from deals except select deal_id from deal_stage_history",
    )
    for sql in rules:
        assert violations(clean_con, sql) == 0, sql
    per_deal = scalar(
        clean_con, "select count(*) / count(distinct deal_id) from deal_stage_history"
    )
    assert 3.0 <= per_deal <= 5.5
    skipped_or_back = """select count(*) from (
            select deal_id, list(stage order by entered_at) s from deal_stage_history group by 1
        )
        where len(s) <> len(list_distinct(s))"""
    assert scalar(clean_con, skipped_or_back) > 0  # some deals step back once


# ---- plausibility -------------------------------------------------------------------------------


def test_deals_are_plausible(clean_con: duckdb.DuckDBPyConnection) -> None:
    closed = "from deals where closed_at is not null"
    win_rate = scalar(clean_con, f"select avg((stage = 'Closed Won')::int) {closed}")
    assert 0.15 <= win_rate <= 0.40
    cycle = scalar(
        clean_con,
        f"select median(date_diff('day', created_at::timestamp, closed_at::timestamp)) {closed}",
    )
    assert 14 <= cycle <= 120
    share = dict(
        clean_con.execute(
            "select currency_code, count(*) / sum(count(*)) over () from deals group by 1"
        ).fetchall()
    )
    assert set(share) == {"JPY", "USD", "EUR"}
    assert 0.05 <= share["USD"] <= 0.16 and 0.02 <= share["EUR"] <= 0.08
    types = dict(clean_con.execute("select deal_type, count(*) from deals group by 1").fetchall())
    assert set(types) == {"New Business", "Upsell", "Cross-sell", "Renewal"}
    assert types["New Business"] > sum(types.values()) / 2
    open_deals = scalar(clean_con, "select count(*) from deals where closed_at is null")
    assert open_deals > 0
    assert (
        scalar(
            clean_con, "select count(*) from deals where closed_at is null and stage like 'Closed%'"
        )
        == 0
    )
    jpy = "select median(amount::double) from deals where currency_code = 'JPY'"
    assert 500_000 <= scalar(clean_con, jpy) <= 30_000_000


def test_activities_leads_and_emails_are_plausible(clean_con: duckdb.DuckDBPyConnection) -> None:
    per_deal = scalar(
        clean_con, "select (select count(*) from activities) / (select count(*) from deals)"
    )
    assert 11 <= per_deal <= 17
    contact = scalar(
        clean_con,
        "select avg((outcome = 'connected')::int) from activities where activity_type = 'Call'",
    )
    assert 0.30 <= contact <= 0.45
    leads_per_deal = scalar(
        clean_con, "select (select count(*) from leads) / (select count(*) from deals)"
    )
    assert 2.5 <= leads_per_deal <= 3.5
    events = dict(
        clean_con.execute("select event_type, count(*) from email_events group by 1").fetchall()
    )
    assert 0.02 <= events["bounced"] / events["sent"] <= 0.06
    assert 0.20 <= events["opened"] / (events["sent"] - events["bounced"]) <= 0.35
    first_contact = scalar(
        clean_con, "select avg((contact_count = '1')::int) from service_requests"
    )
    assert 0.6 <= first_contact <= 0.8
    assert scalar(clean_con, "select count(*) from service_requests where resolved_at is null") > 0


def test_demo_story(clean_dir: Path, clean_con: duckdb.DuckDBPyConnection) -> None:
    notes = manifest(clean_dir)["notes"]
    mover = notes["special_reps"]["team_changer"]
    history = clean_con.execute(
        "select team_id, valid_from, valid_to from rep_team_history "
        f"where rep_id = '{mover['rep_id']}' order by valid_from"
    ).fetchall()
    assert [h[0] for h in history] == ["T01", "T02"]
    assert history[0][2] == "2025-05-31" and history[1][1] == "2025-06-01" and history[1][2] is None
    leaver = notes["special_reps"]["leaver"]
    assert (
        scalar(clean_con, f"select termination_date from reps where rep_id = '{leaver['rep_id']}'")
        == "2025-09-30"
    )
    assert (
        scalar(
            clean_con, f"select valid_to from rep_team_history where rep_id = '{leaver['rep_id']}'"
        )
        == "2025-09-30"
    )
    assert scalar(clean_con, "select count(*) from teams") == 4
    assert scalar(clean_con, "select count(*) from reps") == 25
    events = notes["month_end_2330_utc_events"]
    fiscal = events["fiscal_year_end_won_deal_ids"]
    assert len(fiscal) >= 2
    ids = ", ".join(f"'{d}'" for d in fiscal)
    rows = clean_con.execute(
        f"select closed_at, stage from deals where deal_id in ({ids})"
    ).fetchall()
    assert rows == [("2025-03-31 23:30:00", "Closed Won")] * len(fiscal)
    for deal in events["deal_closes"]:
        assert deal["closed_at"].endswith(" 23:30:00")
    for activity in events["activities"]:
        started = scalar(
            clean_con,
            f"select started_at from activities where activity_id = '{activity['activity_id']}'",
        )
        assert started == activity["started_at"] and started.endswith(" 23:30:00")
    managers_early = (
        "select count(*) from quotas q join reps r using (rep_id) "
        "where r.role = 'manager' and quota_month < '2025-04-01'"
    )
    assert scalar(clean_con, managers_early) == 0
    assert (
        scalar(
            clean_con,
            "select count(*) from quotas q join reps r using (rep_id) where r.role = 'manager'",
        )
        > 0
    )
    goals = clean_con.execute("select count(*), count(team_id) from revenue_goals").fetchone()
    assert goals == (24 * 4, 24 * 3)


def test_fx_gap_and_notes(demo_dir: Path) -> None:
    notes = manifest(demo_dir)["notes"]
    gap = notes["fx_rate_gap"]
    con = connect(demo_dir)
    month = gap["rate_month"]
    assert (
        scalar(
            con,
            f"select count(*) from fx_rates where currency_code = 'EUR' and rate_month = '{month}'",
        )
        == 0
    )
    assert scalar(con, "select count(*) from fx_rates") == 24 * 2 - 1
    won_in_month = f"""select count(distinct deal_id) from deals
        where upper(trim(currency_code)) = 'EUR' and {code("stage")} = 'closed won'
        and deal_id < 'D9'
        and date_trunc('month', closed_at::timestamp + interval 9 hour) = '{month}'::date"""
    assert scalar(con, won_in_month) == notes["deals_missing_fx_rate"] > 0
    assert notes["stage_case_variants"] > 0 and notes["activity_type_variants"] > 0
    assert notes["lowercase_currency_codes"] == scalar(
        con,
        "select count(distinct deal_id) from deals "
        "where currency_code in ('jpy', 'usd', 'eur') and deal_id < 'D9'",
    )


# ---- chunked Parquet ----------------------------------------------------------------------------


def test_chunked_parquet_matches_its_manifest(parquet_dir: Path) -> None:
    data = manifest(parquet_dir)
    for name in TABLES:
        path = parquet_dir / f"{name}.parquet"
        schema = pq.read_schema(path)
        assert tuple(schema.names) == TABLE_COLUMNS[name]
        assert all(str(field.type) == "string" for field in schema)
        assert pq.read_metadata(path).num_rows == data["tables"][name]["raw_rows"], name
    deals = data["tables"]["deals"]
    unknown = appended_unknown_references(connect(parquet_dir, "parquet"), data)
    assert deals["expected_staged"] == 20_000 + unknown
    assert data["notes"]["scale"]["chunks"] == 4
    if MAPPING_DIR.is_dir():
        assert emulate_staging(connect(parquet_dir, "parquet")) == expected_rejections(parquet_dir)


# ---- command line -------------------------------------------------------------------------------


def test_cli_writes_and_summarises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--deals", "300", "--out", str(tmp_path), "--format", "parquet"]) == 0
    err = capsys.readouterr().err
    assert "deals" in err and "Done in" in err
    assert (tmp_path / "deals.parquet").exists() and (tmp_path / MANIFEST_NAME).exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--deals", "5", "--out", "x"], "--deals must be at least 100"),
        (["--deals", "2000"], "--out DIR is required"),
        (["--start-month", "2024/11", "--out", "x"], "use YYYY-MM"),
        (["--format", "xlsx", "--out", "x"], "invalid choice"),
        (["--months", "3", "--out", "x"], "--months must be between"),
    ],
)
def test_cli_errors_say_what_to_do(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_help_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for option in (
        "--deals",
        "--seed",
        "--out",
        "--format",
        "--chunk-deals",
        "--no-defects",
        "--start-month",
        "--months",
    ):
        assert option in out
