"""The project's own generic tests and macros, proven on fixtures that must fail or pass.

tests/dbt_generic_tests is a tiny dbt project reusing ../../macros: each `must_fail__` test
sits on rows that break it, each `must_pass__` test on rows that satisfy it."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, duckdb_path
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.cli.main import dbtRunner

pytestmark = pytest.mark.dbt

CASES = PROJECT_ROOT / "tests" / "dbt_generic_tests"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    work = tmp_path_factory.mktemp("generic_tests")
    with duckdb_path(work / "cases.duckdb"):
        result = dbtRunner().invoke(
            [
                "build",
                "--project-dir", str(CASES),
                "--profiles-dir", str(PROJECT_ROOT / "profiles"),
                "--target-path", str(work / "target"),
                "--log-path", str(work / "logs"),
                "--quiet",
            ]
        )  # fmt: skip
    assert isinstance(result.result, RunExecutionResult), result.exception
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    return statuses, work / "cases.duckdb"


def test_every_generic_test_has_a_failing_case(built: tuple[dict[str, str], Path]) -> None:
    statuses, _ = built
    generic_tests = {
        p.stem.removeprefix("test_") for p in (PROJECT_ROOT / "macros" / "tests").glob("test_*.sql")
    }
    covered = {
        name.removeprefix("must_fail__") for name in statuses if name.startswith("must_fail__")
    }
    assert generic_tests <= covered, (
        f"generic tests without a failing case: {generic_tests - covered}"
    )


def test_failing_cases_fail_and_passing_cases_pass(built: tuple[dict[str, str], Path]) -> None:
    statuses, _ = built
    for name, status in statuses.items():
        if name.startswith("must_fail__"):
            assert status == "fail", name
        elif name.startswith("must_pass__"):
            assert status == "pass", name
        else:
            assert status == "success", name


def test_macros_on_tricky_inputs(built: tuple[dict[str, str], Path]) -> None:
    _, db_path = built
    with duckdb.connect(str(db_path)) as con:
        rows = con.sql("select * from main.macro_cases order by rate_pct nulls last").fetchall()
    first, second = rows
    assert json.loads(first[0]) == {
        "raw_text": 'a "quoted" \\ value',
        "stage_text": "  Closed__WON ",
    }
    assert json.loads(second[0]) == {"raw_text": None, "stage_text": "needs-analysis"}
    assert (first[1], second[1]) == ("closed won", "needs analysis")
    assert (first[2], second[2]) == (None, date(2025, 2, 28))
    assert (first[3], second[3]) == (datetime(2025, 3, 31, 23, 30), None)
    assert first[4] == date(2025, 4, 1)  # 23:30 UTC on 31 March is 1 April in Tokyo
    assert (first[5], second[5]) == ("USD", None)
    assert (first[6], second[6]) == (True, None)
    assert (first[7], second[7]) == (Decimal("66.6667"), None)


def test_time_as_users_mean_it(built: tuple[dict[str, str], Path]) -> None:
    """parse_timestamp: an offset wins, a bare date is a calendar date (the start of the day in
    the reporting zone, so its local date never moves), no offset = source_timezone (UTC);
    is_before compares at the coarser precision; failed_checks lists every failure once."""
    _, db_path = built
    with duckdb.connect(str(db_path)) as con:
        rows = {r[0]: r[1:] for r in con.sql("select * from main.time_cases").fetchall()}
    assert rows[1] == (datetime(2025, 4, 1, 0, 0), date(2025, 4, 1), False, None)
    assert rows[2] == (datetime(2025, 4, 1, 9, 0), date(2025, 4, 1), True, "impossible_date")
    assert rows[3] == (datetime(2025, 4, 1, 3, 30), date(2025, 4, 1), True, "impossible_date")
    assert rows[4] == (datetime(2025, 4, 1, 1, 0), date(2025, 4, 1), False, None)
    # Date-only: 00:00 in Tokyo is 15:00 UTC the day before; its local date is the date written.
    assert rows[5] == (datetime(2025, 3, 30, 15, 0), date(2025, 3, 31), None, "missing_value")
    assert rows[6] == (datetime(2025, 3, 31, 23, 30), date(2025, 4, 1), False, None)
    # An impossible offset does not parse; empty values are missing, counted once.
    assert rows[7] == (None, None, None, "invalid_date; missing_value")
