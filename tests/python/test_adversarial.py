"""Hostile and careless inputs (issue "Nothing lost, nothing silent"): a generated export mutated
the way broken exports arrive, built once; each case states its expected outcome, and every case
is checked against raw = staged + rejected.

The adversarial suite is this module and its siblings; each row of the issue's table has its
case here:

| # | case | test |
|---|---|---|
| 1 | same key and updated_at, the invalid copy first | test_adversarial: test_an_invalid_twin_never_beats_the_valid_row, test_a_bad_duplicate_fx_rate_does_not_blank_the_month |
| 2 | a newer but invalid version | test_adversarial: test_a_newer_invalid_version_does_not_hide_the_valid_one |
| 3 | reporting_currency: usd | test_vars: test_bad_var_stops_the_run_before_any_model[reporting_currency-usd-...] |
| 4 | typed Parquet timestamps | test_inputs: test_typed_parquet_values_become_contract_text, test_typed_parquet_export_stages_the_same_deals |
| 5 | a deal before the calendar | test_adversarial: test_a_deal_years_before_the_rest_is_covered_by_the_calendar, test_a_deal_outside_the_calendar_is_listed_and_warned |
| 6 | an amount that overflows | test_adversarial: test_an_amount_beyond_what_the_warehouse_converts_is_rejected_not_fatal; test_adversarial_contract (every number column) |
| 7 | SQL in raw_path | test_vars: test_sql_in_raw_path_is_never_run |
| 8 | a quote in raw_path; bad as_of_date | test_inputs (the messy export lives in a folder with a quote in its name), test_vars (as_of_date cases) |
| 9 | a BI session idle in a transaction | test_postgres_ops: test_bi_role_sessions_end_when_idle_in_a_transaction, test_dbt_fails_on_a_bi_lock_within_the_lock_timeout |
| 10 | a batch file delivered twice | test_incremental: test_a_file_delivered_twice_is_never_double_counted |
| 11 | a rep in two teams at once | test_adversarial: test_a_rep_in_two_teams_at_once_is_resolved_and_listed |
| 12 | a ragged row; a 0-byte optional file | test_inputs: test_ragged_row_keeps_the_header, test_empty_optional_files_are_empty_tables |
| 13, 14 | Markdown / a 1 MB name in the dashboard | test_dashboard_app: test_safe_text_escapes_markdown_and_html, test_long_values_are_cut_with_an_ellipsis, test_hostile_names_render_literally_and_short_on_every_page |
| 15 | dbt seed alone on a fresh PostgreSQL | test_postgres_ops: test_seed_alone_succeeds_on_a_fresh_schema_with_a_bi_role |
| 16 | the dashboard started from another folder | test_dashboard_app: test_streamlit_run_from_another_folder_listens_on_loopback_only |
| – | every contract column × wrong type / empty / extreme; every var wrong | test_adversarial_contract |
| – | SIGKILL mid-build then rerun; concurrent builds | test_adversarial_operations |
"""

# ruff: noqa: E501  (the table above)

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import Warehouse, build, generate
from dbt.artifacts.schemas.run import RunExecutionResult

pytestmark = pytest.mark.dbt


def read(export: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(export / f"{table}.csv", dtype=str, keep_default_na=False)


def write(export: Path, table: str, frame: pd.DataFrame) -> None:
    frame.to_csv(export / f"{table}.csv", index=False)


def one_day_later(timestamp: str) -> str:
    return str(pd.Timestamp(timestamp) + pd.Timedelta(days=1))


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, dict[str, Any]]:
    root = tmp_path_factory.mktemp("adversarial")
    export = root / "export"
    generate(export, "--deals", "300", "--seed", "31", "--no-defects")
    cases: dict[str, Any] = {}

    deals = read(export, "deals")
    won = deals.index[deals["closed_at"] != ""]
    # Same key and updated_at, one copy invalid: the valid copy is staged whatever the
    # fingerprints (two deals, so each order of the fingerprints is likely covered).
    twins = []
    for index in won[:2]:
        invalid = deals.loc[[index]].copy()
        invalid["amount"] = "twelve thousand"
        twins.append(invalid)
    cases["twins"] = list(deals.loc[won[:2], "deal_id"])
    # A newer export of a valid deal that is itself invalid: the older valid version stays.
    newer = deals.loc[[won[2]]].copy()
    newer["updated_at"] = one_day_later(newer["updated_at"].iloc[0])
    newer["amount"] = "-100"
    cases["newer_invalid"] = deals.loc[won[2], "deal_id"]
    cases["newer_invalid_amount"] = deals.loc[won[2], "amount"]
    # A newer valid export still wins over an older one.
    newest = deals.loc[[won[3]]].copy()
    newest["updated_at"] = one_day_later(newest["updated_at"].iloc[0])
    newest["lost_reason"] = "changed later"
    cases["newer_valid"] = deals.loc[won[3], "deal_id"]
    # A deal dated long before the calendar: staged, listed, and the build warns.
    ancient = deals.loc[[won[4]]].copy()
    ancient["deal_id"] = "D1900"
    ancient["created_at"] = "1900-01-02 10:00:00"
    ancient["closed_at"] = "1900-02-01 10:00:00"
    # A deal won in 2014, years before the rest of the export (and before the fixed calendar
    # start of 2015 the project used to have): the calendar stretches to cover it.
    early = deals.loc[[won[5]]].copy()
    early["deal_id"] = "D2014"
    early["created_at"] = "2014-05-02 10:00:00"
    early["closed_at"] = "2014-06-10 10:00:00"
    early["updated_at"] = "2014-06-10 10:00:00"
    # A deal whose amount overflows what the warehouse can convert: rejected, the build goes on.
    huge = deals.loc[[won[6]]].copy()
    huge["deal_id"] = "DHUGE"
    huge["amount"] = "9999999999999999.99"
    write(
        export,
        "deals",
        pd.concat([deals, *twins, newer, newest, ancient, early, huge], ignore_index=True),
    )

    # A rep in two teams at once: a second assignment starts while the first is still open.
    history = read(export, "rep_team_history")
    first = history.loc[[0]].copy()
    other_team = next(t for t in history["team_id"] if t != first["team_id"].iloc[0])
    overlap = first.copy()
    overlap["team_id"] = other_team
    overlap["valid_from"] = str(
        (pd.Timestamp(first["valid_from"].iloc[0]) + pd.Timedelta(days=30)).date()
    )
    overlap["valid_to"] = ""
    cases["overlap_rep"] = first["rep_id"].iloc[0]
    cases["overlap_from"] = overlap["valid_from"].iloc[0]
    write(export, "rep_team_history", pd.concat([history, overlap], ignore_index=True))

    # An FX rate delivered twice, the second copy unparseable: the valid rate is kept.
    rates = read(export, "fx_rates")
    bad_rate = rates.loc[[0]].copy()
    bad_rate["rate"] = "n/a"
    cases["fx_key"] = tuple(rates.loc[0, ["rate_month", "currency_code", "quote_currency"]])
    write(export, "fx_rates", pd.concat([rates, bad_rate], ignore_index=True))

    warehouse = build(root / "w.duckdb", {"input_mode": "files", "raw_path": str(export)})
    return warehouse, cases


def reasons(warehouse: Warehouse, table: str, key: str) -> list[str | None]:
    return sorted(
        (row[0] or "")
        for row in warehouse.query(
            "select reason_codes from main_data_quality.rejected_rows"
            f" where source_table = '{table}' and record_key = '{key}'"
        )
    )


def test_an_invalid_twin_never_beats_the_valid_row(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, cases = attacked
    for deal_id in cases["twins"]:
        staged = warehouse.query(
            f"select amount_local from main_staging.stg_crm__deals where deal_id = '{deal_id}'"
        )
        assert len(staged) == 1 and staged[0][0] is not None, deal_id
        assert reasons(warehouse, "deals", deal_id) == ["invalid_number"], deal_id


def test_a_newer_invalid_version_does_not_hide_the_valid_one(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, cases = attacked
    deal_id = cases["newer_invalid"]
    staged = warehouse.query(
        "select cast(amount_local as varchar) from main_staging.stg_crm__deals"
        f" where deal_id = '{deal_id}'"
    )
    assert staged and float(staged[0][0]) == float(cases["newer_invalid_amount"])
    assert reasons(warehouse, "deals", deal_id) == ["negative_amount"]


def test_a_newer_valid_version_still_supersedes(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, cases = attacked
    deal_id = cases["newer_valid"]
    staged = warehouse.query(
        f"select lost_reason from main_staging.stg_crm__deals where deal_id = '{deal_id}'"
    )
    assert staged == [("changed later",)]
    assert reasons(warehouse, "deals", deal_id) == ["superseded_version"]


def test_a_bad_duplicate_fx_rate_does_not_blank_the_month(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, cases = attacked
    month, currency, quote = cases["fx_key"]
    staged = warehouse.query(
        "select rate from main_staging.stg_crm__fx_rates"
        f" where rate_month = cast('{month}' as date) and currency_code = '{currency}'"
        f" and quote_currency = '{quote}'"
    )
    assert len(staged) == 1 and staged[0][0] is not None
    rejected = warehouse.query(
        "select reason_codes from main_data_quality.rejected_rows where source_table = 'fx_rates'"
    )
    assert rejected == [("invalid_number",)]


def test_nothing_is_lost(attacked: tuple[Warehouse, dict[str, Any]]) -> None:
    warehouse, _ = attacked
    unbalanced = warehouse.query(
        "select source_table from main_data_quality.dq_row_reconciliation"
        " where raw_rows <> staged_rows + rejected_rows"
    )
    assert unbalanced == []


def test_a_rep_in_two_teams_at_once_is_resolved_and_listed(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, cases = attacked
    rep = cases["overlap_rep"]
    ranges = warehouse.query(
        "select cast(valid_from as varchar), cast(valid_to as varchar)"
        " from main_intermediate.int_rep_team_assignments"
        f" where rep_id = '{rep}' order by valid_from"
    )
    starts = [start for start, _ in ranges]
    assert cases["overlap_from"] in starts
    for (_, end), (next_start, _) in itertools.pairwise(ranges):
        assert end < next_start  # no two teams on one day
    findings = warehouse.query(
        "select count(*) from main_data_quality.dq_findings"
        f" where check_name = 'overlapping_range' and record_key like '{rep} / %'"
    )
    assert findings[0][0] >= 1


def test_a_deal_outside_the_calendar_is_listed_and_warned(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, _ = attacked
    findings = warehouse.query(
        "select column_name from main_data_quality.dq_findings"
        " where check_name = 'outside_calendar' and record_key = 'D1900'"
    )
    assert findings == [("created_at",)]
    result = warehouse.result.result
    assert isinstance(result, RunExecutionResult)
    warned = {r.node.name for r in result.results if str(r.status) == "warn"}
    assert "warn_deals_outside_calendar" in warned


def test_a_deal_years_before_the_rest_is_covered_by_the_calendar(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, _ = attacked
    bounds = warehouse.query(
        "select cast(calendar_start_date as varchar) from main_intermediate.int_calendar_bounds"
    )
    assert bounds == [("2014-04-01",)], "the calendar starts with the fiscal year of 2014-05-02"
    won = warehouse.query(
        "select deals_won from main_marts.kpi_team_performance"
        " where scope = 'company' and period_grain = 'month' and period_start = '2014-06-01'"
    )
    assert won == [(1,)]
    listed = warehouse.query(
        "select count(*) from main_data_quality.dq_findings where record_key = 'D2014'"
    )
    assert listed == [(0,)], "inside the calendar: not an outlier"


def test_an_amount_beyond_what_the_warehouse_converts_is_rejected_not_fatal(
    attacked: tuple[Warehouse, dict[str, Any]],
) -> None:
    warehouse, _ = attacked
    assert reasons(warehouse, "deals", "DHUGE") == ["out_of_range"]
    result = warehouse.result.result
    assert isinstance(result, RunExecutionResult)
    errors = [r.node.name for r in result.results if str(r.status) in ("error", "fail")]
    assert errors == []
