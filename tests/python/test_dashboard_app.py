"""The dashboard without a browser: number formatting, settings, and the error page a user sees
when the warehouse is missing or lacks the marts (run in-process with Streamlit's AppTest)."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT
from streamlit.testing.v1 import AppTest

from sales_kpi_warehouse.dashboard import queries, settings
from sales_kpi_warehouse.dashboard.formatting import (
    column_unit,
    compact_money,
    format_delta,
    format_value,
    to_float,
)
from sales_kpi_warehouse.dashboard.settings import currency_for

APP = PROJECT_ROOT / "src" / "sales_kpi_warehouse" / "dashboard" / "app.py"
YEN = currency_for("JPY")


@pytest.mark.parametrize(
    ("value", "unit", "lang", "shown"),
    [
        (265082032.4, "money", "en", "¥265,082,032"),
        (-5712464, "money", "en", "-¥5,712,464"),
        (34.6154, "pct", "en", "34.6%"),
        (4.3999, "ratio", "en", "4.40×"),
        (4.3999, "ratio", "ja", "4.40倍"),
        (72.31, "days", "en", "72.3 days"),
        (72.31, "days", "ja", "72.3日"),
        (12.25, "hours", "en", "12.2 h"),
        (1150, "count", "en", "1,150"),
        (67.18, "count", "en", "67.2"),
        (None, "pct", "en", "—"),
        (math.nan, "money", "en", "—"),
    ],
)
def test_format_value(value: object, unit: str, lang: str, shown: str) -> None:
    assert format_value(value, unit, YEN, lang) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "english", "japanese"),
    [
        (265082032, "265M", "2.65億"),
        (3681695, "3.68M", "368万"),
        (1001809801, "1.00B", "10.0億"),
        (10602124, "10.6M", "1,060万"),
        (999_600_000, "1.00B", "10.0億"),
        (999_999, "1.00M", "100万"),
        (9_999, None, "1.00万"),
        (999, None, None),
    ],
)
def test_compact_money(amount: float, english: str | None, japanese: str | None) -> None:
    assert compact_money(amount, "en") == english
    assert compact_money(amount, "ja") == japanese


def test_format_delta_is_signed_and_in_points_for_rates() -> None:
    assert format_delta(2.14, "pct", YEN) == "+2.1 pt"
    assert format_delta(-308606, "money", YEN) == "-¥308,606"
    assert format_delta(-5712464, "money", YEN, compact=True) == "-¥5.71M"
    assert format_delta(5712464, "money", YEN, "ja", compact=True) == "+¥571万"
    assert format_delta(0, "count", YEN) == "±0"
    assert format_delta(None, "pct", YEN) is None


def test_to_float_treats_sql_nulls_and_non_numbers_as_missing() -> None:
    assert to_float(None) is None
    assert to_float(math.nan) is None
    assert to_float("12") is None
    assert to_float(True) is None
    assert to_float(12) == 12.0


def test_money_columns_are_recognised() -> None:
    money = ["won_revenue", "revenue_target", "open_pipeline", "remaining_quota", "revenue_goal"]
    counts = ["deals_won", "deals_won_target", "reps_with_quota", "new_accounts_target"]
    assert [column_unit(column) for column in money] == ["money"] * len(money)
    assert [column_unit(column) for column in counts] == ["count"] * len(counts)


def test_currency_comes_from_the_dbt_project_unless_overridden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(settings.CURRENCY_ENV, raising=False)
    assert settings.project_var("reporting_currency") == "JPY"
    assert settings.reporting_currency() == settings.Currency("JPY", "¥")
    monkeypatch.setenv(settings.CURRENCY_ENV, "usd")
    assert settings.reporting_currency() == settings.Currency("USD", "$")
    assert currency_for("CHF").symbol == "CHF "


def test_warehouse_path_defaults_to_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.WAREHOUSE_ENV, raising=False)
    assert settings.warehouse_path() == PROJECT_ROOT / "warehouse.duckdb"
    monkeypatch.setenv(settings.WAREHOUSE_ENV, "/data/other.duckdb")
    assert settings.warehouse_path() == Path("/data/other.duckdb")


def run_app(monkeypatch: pytest.MonkeyPatch, warehouse: Path) -> AppTest:
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(warehouse))
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    return app


def test_a_missing_warehouse_says_run_make_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = run_app(monkeypatch, tmp_path / "absent.duckdb")
    assert not app.exception
    assert len(app.error) == 1
    assert "Run `make build` first" in app.error[0].value
    assert str(tmp_path / "absent.duckdb") in app.error[0].value


def test_a_warehouse_without_marts_lists_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.duckdb"
    with duckdb.connect(str(empty)) as connection:
        connection.execute("create schema main_marts")
        connection.execute("create table main_marts.dim_kpi (kpi_id varchar)")
    app = run_app(monkeypatch, empty)
    assert not app.exception
    assert len(app.error) == 1
    message = app.error[0].value
    assert "Run `make build` first" in message
    for mart in queries.REQUIRED_MARTS:
        assert (f"`{mart}`" in message) == (mart != "dim_kpi"), mart
