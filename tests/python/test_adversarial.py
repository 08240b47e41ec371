"""Hostile and careless inputs (issue "Nothing lost, nothing silent"): a generated export mutated
the way broken exports arrive, built once; each case states its expected outcome, and every case
is checked against raw = staged + rejected. Var and file-format cases live in test_vars.py and
test_inputs.py; the real-export cases of the contract in test_real_exports.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import Warehouse, build, generate

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
    write(export, "deals", pd.concat([deals, *twins, newer, newest], ignore_index=True))

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
