"""Real exports in, as exported: each numbered problem of the issue reproduced on a generated
export (files mode) and shown fixed. One mutated export and one build hold most cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import Warehouse, build, generate, run_dbt
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.contracts.graph.nodes import GenericTestNode

FILES = {"input_mode": "files", "raw_path": ""}


def read(export: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(export / f"{table}.csv", dtype=str, keep_default_na=False)


def write(export: Path, table: str, frame: pd.DataFrame) -> None:
    frame.to_csv(export / f"{table}.csv", index=False)


def files_vars(export: Path, **extra: Any) -> dict[str, Any]:
    return {**FILES, "raw_path": str(export), **extra}


@pytest.fixture(scope="module")
def mutated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Warehouse, dict[str, Any]]:
    """A clean export with the issue's problems 1, 2, 3 and 5 written into it, built once."""
    root = tmp_path_factory.mktemp("real_exports")
    export = root / "export"
    generate(export, "--deals", "300", "--seed", "21", "--no-defects")
    facts: dict[str, Any] = {}

    # 1. Leads with an empty lead source.
    leads = read(export, "leads")
    empty_source = leads.index[::10]
    leads.loc[empty_source, "lead_source"] = ""
    write(export, "leads", leads)
    facts["leads_without_source"] = len(empty_source)

    deals = read(export, "deals")
    won = deals.index[deals["stage"].str.lower().str.replace("_", " ") == "closed won"]
    # 2. Date-only close dates; one closed on its creation day (created in the afternoon).
    date_only = won[:20]
    deals.loc[date_only, "closed_at"] = deals.loc[date_only, "closed_at"].str[:10]
    same_day = won[20]
    deals.loc[same_day, "created_at"] = deals.loc[same_day, "closed_at"][:10] + " 15:00:00"
    deals.loc[same_day, "closed_at"] = deals.loc[same_day, "closed_at"][:10]
    facts["same_day_deal"] = deals.loc[same_day, "deal_id"]
    facts["date_only"] = dict(
        zip(deals.loc[date_only, "deal_id"], deals.loc[date_only, "closed_at"], strict=True)
    )
    # 3. A won deal and an open deal without an account; their rep keeps them.
    no_account_won = won[21]
    open_deals = deals.index[deals["closed_at"] == ""]
    no_account_open = open_deals[0]
    deals.loc[[no_account_won, no_account_open], "account_id"] = ""
    facts["no_account"] = {
        "won": deals.loc[no_account_won, "deal_id"],
        "open": deals.loc[no_account_open, "deal_id"],
        "rep": deals.loc[no_account_won, "owner_rep_id"],
    }
    # 4. An open deal exported without an amount is staged (its pipeline amount is unknown).
    no_amount_open = open_deals[1]
    deals.loc[no_amount_open, "amount"] = ""
    facts["open_without_amount"] = deals.loc[no_amount_open, "deal_id"]
    # 5. One row with three defects: negative amount, malformed currency, unmapped stage.
    broken = deals.loc[[won[22]]].copy()
    broken["deal_id"] = "D99999"
    broken["amount"] = "-5"
    broken["currency_code"] = "US Dollar"
    broken["stage"] = "Verbal Commitment"
    deals = pd.concat([deals, broken], ignore_index=True)
    write(export, "deals", deals)

    # 4. Reps without a hire date (employed throughout).
    reps = read(export, "reps")
    reps["hire_date"] = ""
    write(export, "reps", reps)
    # 7. A user's mapping folder is set for the whole build (unit tests keep their fixtures).
    mappings = root / "mappings"
    mappings.mkdir()
    (mappings / "map_deal_stages.csv").write_text(
        "source_value,canonical_stage,stage_order,stage_category,is_qualified\n"
        "verbal commit,negotiation,5,open,true\n"
    )
    warehouse = build(root / "w.duckdb", files_vars(export, mapping_path=str(mappings)))
    return export, warehouse, facts


def test_empty_lead_source_counts_under_unknown(
    mutated: tuple[Path, Warehouse, dict[str, Any]],
) -> None:
    _, warehouse, facts = mutated
    staged = warehouse.query(
        "select count(*) from main_staging.stg_crm__leads where lead_source = '(unknown)'"
    )
    assert staged == [(facts["leads_without_source"],)]
    # Both lead-source marts show (unknown), and the sources sum to the company totals.
    unknown_leads = warehouse.query(
        "select sum(new_leads) from main_marts.kpi_leads_lead_sources"
        " where period_grain = 'fiscal_year' and lead_source = '(unknown)'"
    )[0][0]
    assert unknown_leads == facts["leads_without_source"]
    for mart, measure, company_mart in (
        ("kpi_leads_lead_sources", "new_leads", "kpi_leads"),
        ("kpi_growth_lead_sources", "deals_won", "kpi_growth"),
    ):
        per_source = dict(
            warehouse.query(
                f"select lead_source, sum({measure}) from main_marts.{mart}"
                " where period_grain = 'fiscal_year' group by lead_source"
            )
        )
        company = warehouse.query(
            f"select sum({measure}) from main_marts.{company_mart}"
            " where period_grain = 'fiscal_year' and scope = 'company'"
        )[0][0]
        assert "(unknown)" in per_source, mart
        assert sum(per_source.values()) == company, mart


def test_date_only_close_is_the_date_as_written(
    mutated: tuple[Path, Warehouse, dict[str, Any]],
) -> None:
    _, warehouse, facts = mutated
    rows = dict(
        warehouse.query(
            "select deal_id, cast(closed_date as varchar) from main_intermediate.int_deals_enriched"
            f" where deal_id in ({', '.join(repr(d) for d in facts['date_only'])})"
        )
    )
    assert rows == facts["date_only"]


def test_same_day_close_of_a_date_only_deal_is_staged(
    mutated: tuple[Path, Warehouse, dict[str, Any]],
) -> None:
    _, warehouse, facts = mutated
    staged = warehouse.query(
        "select count(*) from main_staging.stg_crm__deals"
        f" where deal_id = '{facts['same_day_deal']}'"
    )
    assert staged == [(1,)]


def test_deal_without_account_counts_for_its_rep(
    mutated: tuple[Path, Warehouse, dict[str, Any]],
) -> None:
    _, warehouse, facts = mutated
    deals = facts["no_account"]
    enriched = dict(
        warehouse.query(
            "select deal_id, owner_rep_id from main_intermediate.int_deals_enriched"
            f" where deal_id in ('{deals['won']}', '{deals['open']}')"
        )
    )
    assert enriched[deals["won"]] == deals["rep"]
    assert deals["open"] in enriched
    # The open deal is in the pipeline on the as-of date.
    pipeline = warehouse.query(
        "select count(*) from main_intermediate.int_deal_stage_transitions"
        f" where deal_id = '{deals['open']}'"
    )
    assert pipeline[0][0] >= 1
    findings = warehouse.query(
        "select check_name, severity from main_data_quality.dq_findings"
        f" where entity = 'deals' and record_key in ('{deals['won']}', '{deals['open']}')"
    )
    assert sorted(findings) == [("missing_reference", "info")] * 2


def test_open_deal_without_amount_and_reps_without_hire_date_are_staged(
    mutated: tuple[Path, Warehouse, dict[str, Any]],
) -> None:
    _, warehouse, facts = mutated
    deal = warehouse.query(
        "select amount_local, stage_category from main_staging.stg_crm__deals"
        f" where deal_id = '{facts['open_without_amount']}'"
    )
    assert deal == [(None, "open")]
    reps = warehouse.query("select count(*), count(hire_date) from main_staging.stg_crm__reps")
    assert reps[0][0] > 0 and reps[0][1] == 0


def test_a_row_with_three_defects_lists_three(
    mutated: tuple[Path, Warehouse, dict[str, Any]],
) -> None:
    _, warehouse, _ = mutated
    rows = warehouse.query(
        "select reason_code, reason_codes, reason_text from main_data_quality.rejected_rows"
        " where source_table = 'deals' and record_key = 'D99999'"
    )
    assert len(rows) == 1
    code, codes, text = rows[0]
    assert codes.split("; ") == ["negative_amount", "invalid_currency", "unmapped_stage"]
    assert code == "negative_amount"
    assert text.count("; ") == 2


def test_date_only_data_gives_the_same_dates_in_new_york_and_tokyo(tmp_path: Path) -> None:
    export = tmp_path / "export"
    generate(export, "--deals", "300", "--seed", "22", "--no-defects")
    deals = read(export, "deals")
    for column in ("created_at", "closed_at"):
        deals[column] = deals[column].str[:10]
    write(export, "deals", deals)
    dates = {}
    for zone in ("America/New_York", "Asia/Tokyo"):
        result = run_dbt(
            ["build", "--select", "+int_deals_enriched", "--indirect-selection", "empty"],
            tmp_path / f"{zone.replace('/', '_')}.duckdb",
            files_vars(export, reporting_timezone=zone),
        )
        assert result.success, result.exception
        warehouse = Warehouse(tmp_path / f"{zone.replace('/', '_')}.duckdb", result)
        dates[zone] = warehouse.query(
            "select deal_id, created_date, closed_date from main_intermediate.int_deals_enriched"
            " order by deal_id"
        )
    assert dates["America/New_York"] == dates["Asia/Tokyo"]
    won_in_march = sum(1 for _, _, closed in dates["Asia/Tokyo"] if closed and closed.month == 3)
    expected = int((deals["closed_at"].str[:7].str.endswith("-03")).sum())
    assert won_in_march == expected


def test_an_export_with_only_deals_and_reps_builds(tmp_path: Path) -> None:
    export = tmp_path / "export"
    generate(export, "--deals", "300", "--seed", "23", "--no-defects")
    for path in export.glob("*.csv"):
        if path.stem not in ("deals", "reps"):
            path.unlink()
    warehouse = build(tmp_path / "minimal.duckdb", files_vars(export))
    company = warehouse.query(
        "select sum(deals_won), sum(deals_lost), max(win_rate_pct), max(quota_attainment_pct)"
        " from main_marts.kpi_team_performance"
        " where scope = 'company' and period_grain = 'fiscal_year'"
    )[0]
    deals_won, deals_lost, win_rate, attainment = company
    assert deals_won > 0 and deals_lost > 0 and win_rate is not None
    assert attainment is None  # no quotas: the documented NULL KPI


def test_every_deal_rejected_fails_the_build(tmp_path: Path) -> None:
    export = tmp_path / "export"
    generate(export, "--deals", "300", "--seed", "24", "--no-defects")
    deals = read(export, "deals")
    deals["stage"] = "Some Stage Nobody Mapped"
    write(export, "deals", deals)
    result = run_dbt(
        ["build", "--select", "+dq_row_reconciliation"],
        tmp_path / "empty.duckdb",
        files_vars(export),
    )
    assert not result.success
    assert isinstance(result.result, RunExecutionResult), result.exception
    failed = [r for r in result.result.results if str(r.status) in ("fail", "error")]
    assert [r.node.name for r in failed] == ["raw_tables_not_mostly_rejected"]
    # The failing row says what happened, in words a user can act on.
    guard = failed[0].node
    assert isinstance(guard, GenericTestNode) and guard.compiled_code
    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        messages = con.sql(guard.compiled_code).fetchall()
    assert [row[-1] for row in messages] == [
        "deals: 300 of 300 distinct rows rejected (more than 50.0 %), 0 staged: see"
        " rejected_rows.reason_codes for this table, or run make doctor on the export"
    ]
