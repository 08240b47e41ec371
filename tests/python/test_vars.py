"""Project vars are validated before any model runs (macros/inputs/validate_vars.sql, the first
on-run-start hook) and the text ones are quoted safely (macros/cross_db/sql_string_literal.sql).

A bad var must stop the run at the start, before any model is built, with one error that names
every bad var, its value and what is allowed. A failed on-run-start hook aborts dbt's run: the
programmatic runner returns success False, the CompilationError as `result.exception` and no
node results (`result.result` is None).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml  # type: ignore[import-untyped]
from conftest import PROJECT_ROOT, SKIP_TESTS, run_dbt
from dbt.artifacts.resources.types import NodeType
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.cli.main import dbtRunnerResult

pytestmark = pytest.mark.dbt

VALIDATE_VARS = PROJECT_ROOT / "macros" / "inputs" / "validate_vars.sql"
QUICK_RUN = ["run", "--select", "int_calendar_months"]
SEEDS_AND_MODELS = ["--resource-type", "seed", "--resource-type", "model"]
PROBLEM_LINE = re.compile(r"^\s*- var '(?P<name>[a-z_]+)' is ", re.MULTILINE)


def project_vars() -> dict[str, Any]:
    project: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    project_vars: dict[str, Any] = project["vars"]
    return project_vars


def models_run(result: dbtRunnerResult) -> list[str]:
    """The models the run executed (any status)."""
    if not isinstance(result.result, RunExecutionResult):
        return []
    return [
        r.node.unique_id for r in result.result.results if r.node.resource_type == NodeType.Model
    ]


def failures(result: dbtRunnerResult) -> str:
    """dbt's messages for the nodes that did not succeed (or the run's exception)."""
    if not isinstance(result.result, RunExecutionResult):
        return str(result.exception)
    return "\n".join(
        f"{r.node.unique_id}: {r.message}"
        for r in result.result.results
        if str(r.status) not in ("success", "pass")
    )


def warehouse_tables(db_path: Path) -> list[str]:
    if not db_path.exists():
        return []
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.sql("select table_schema || '.' || table_name from information_schema.tables")
        return [row[0] for row in rows.fetchall()]


def rejected_run(tmp_path: Path, dbt_vars: dict[str, Any]) -> str:
    """Run one model with `dbt_vars`; assert the run stopped before any model; the error text."""
    db_path = tmp_path / "w.duckdb"
    result = run_dbt(QUICK_RUN, db_path, dbt_vars)
    assert not result.success, f"the vars {dbt_vars} were accepted"
    assert models_run(result) == [], "a model ran although the vars were invalid"
    assert warehouse_tables(db_path) == [], "the warehouse was written to before validation"
    return str(result.exception)


def test_every_project_var_is_validated() -> None:
    """A var added to dbt_project.yml without a rule in validate_vars fails here."""
    macro = VALIDATE_VARS.read_text()
    unchecked = [name for name in project_vars() if f"'{name}'" not in macro]
    assert unchecked == [], f"validate_vars.sql has no check for: {unchecked}"


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("as_of_date", "2026-13-45", "YYYY-MM-DD"),
        ("as_of_date", "yesterday", "YYYY-MM-DD"),
        ("as_of_date", "2026-01-01'; drop table x; --", "YYYY-MM-DD"),
        ("test_since", "2026-10-32", "YYYY-MM-DD"),
        ("reporting_currency", "usd", "use 'USD'"),
        ("fiscal_year_start_month", 13, "from 1 (January) to 12 (December)"),
        ("source_timezone", "Mars/Olympus", "IANA time zone"),
        ("max_rejected_share", 2, "from 0 to 1"),
        ("raw_schema", "x; drop", "plain identifier"),
    ],
)
def test_bad_var_stops_the_run_before_any_model(
    tmp_path: Path, name: str, value: Any, allowed: str
) -> None:
    message = rejected_run(tmp_path, {name: value})
    assert f"var '{name}' is '{value}': " in message
    assert allowed in message
    assert PROBLEM_LINE.findall(message) == [name], "only the bad var is reported"


def test_all_bad_vars_are_reported_in_one_error(tmp_path: Path) -> None:
    bad = {
        "input_mode": "Files",
        "raw_file_format": "xlsx",
        "default_currency": "EURO",
        "reporting_timezone": "Asia/Tokio",
        "fiscal_year_start_month": "0",
        "planning_trailing_months": 0,
        "incremental_lookback_days": "three",
        "warn_rejected_share": 0.6,
        "default_deal_type": "New Business",
        "default_rep_role": "AE",
        "default_team_type": "remote",
        "segment_employee_thresholds": {"enterprise": 100, "mid_market": 1000},
        "company_name": "Acme\nInc",
        "mapping_path": "maps\tx",
        "raw_database": "db.x",
        "bi_role": "bi role",
        "as_of_date": "2026-02-29",
        "calendar_end_date": "2035-13-01",
    }
    message = rejected_run(tmp_path, bad)
    assert sorted(PROBLEM_LINE.findall(message)) == sorted(bad)
    assert f"{len(bad)} project var(s) invalid" in message
    assert "var 'company_name' is 'Acme\\nInc'" in message, "control characters are shown escaped"


def test_default_vars_and_vars_given_as_text_pass(tmp_path: Path) -> None:
    """dbt_project.yml as shipped passes; so do its numbers written as text on the command
    line, and the text reaches the model as the number it spells."""
    fiscal_year_start_month = 1
    as_text: dict[str, Any] = {
        "fiscal_year_start_month": str(fiscal_year_start_month),
        "planning_trailing_months": "12",
        "incremental_lookback_days": "3",
        "max_rejected_share": "0.5",
        "warn_rejected_share": ".1",
        "segment_employee_thresholds": {"enterprise": "1000", "mid_market": "100"},
    }
    for dbt_vars in (None, as_text):
        db_path = tmp_path / f"{'text' if dbt_vars else 'default'}.duckdb"
        # the calendar derives from the staged data: seeds and staging are built too
        result = run_dbt(
            ["build", "--select", "+int_calendar_months", *SKIP_TESTS], db_path, dbt_vars
        )
        assert result.success, f"valid vars {dbt_vars} were rejected: {failures(result)}"
        assert "model.sales_kpi_warehouse.int_calendar_months" in models_run(result)
    with duckdb.connect(str(tmp_path / "text.duckdb"), read_only=True) as con:
        starts = con.sql(
            "select distinct month(fiscal_year_start) from main_intermediate.int_calendar_months"
        ).fetchall()
    assert starts == [(fiscal_year_start_month,)]


def test_company_name_with_quotes_is_shown_literally(tmp_path: Path) -> None:
    """The company scope's name, pasted by int_scope_months and expand_to_customer_scopes
    (kpi_customer_cohorts), reads back exactly: quotes, a backslash and SQL in it are text."""
    name = "O'Brien & Co \\ Söhne'); drop table main.x; --"
    db_path = tmp_path / "w.duckdb"
    result = run_dbt(
        ["build", "--select", "+int_scope_months", "+kpi_customer_cohorts", *SEEDS_AND_MODELS],
        db_path,
        {"company_name": name},
    )
    assert result.success, failures(result)
    with duckdb.connect(str(db_path), read_only=True) as con:
        for table in ("main_intermediate.int_scope_months", "main_marts.kpi_customer_cohorts"):
            names = con.sql(
                f"select distinct scope_name from {table} where scope = 'company'"
            ).fetchall()
            assert names == [(name,)], table


def test_sql_in_raw_path_is_never_run(tmp_path: Path) -> None:
    """Issue "Nothing lost, nothing silent" #7: a raw_path that is SQL. It names no folder, so
    the run stops at the start naming the var (rejected_run: no model, nothing written), and
    the statement in it never runs."""
    injection = "x'); create table main.pwned as select 1 as i; select ('"
    message = rejected_run(tmp_path, {"input_mode": "files", "raw_path": injection})
    assert PROBLEM_LINE.findall(message) == ["raw_path"]
    assert "a folder that exists" in message
