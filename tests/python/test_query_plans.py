"""No model makes DuckDB copy a whole table into memory by accident.

DuckDB materialises a CTE that is read more than once. For an import CTE (`name as (select *
from {{ ref(...) }})`) that is a full-width copy of the table — 80 M activities at size L — held
or spilled for the whole query, while reading the table again costs only a scan. Such CTEs carry
`{{ cte_materialization(false) }}` (docs/engines.md). This test asks DuckDB for the plan of
every model built from the demo and fails when an import CTE is still materialised, naming the
model and the CTE. CTEs that compute something (aggregates, windows) may stay materialised:
there, computing once is the point.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, Warehouse

MODELS_DIR = PROJECT_ROOT / "models"
IMPORT_CTE = re.compile(
    r"^(\w+) as (?:\{\{[^}]*\}\} )?\(\s*select \* from \{\{ (?:ref|source|crm_source)\(",
    re.MULTILINE,
)
MATERIALISED = re.compile(r"CTE Name: (\w+)")


def import_ctes(model_sql: str) -> set[str]:
    """Names of the CTEs that only select * from one ref/source."""
    return set(IMPORT_CTE.findall(model_sql))


def materialised_ctes(con: duckdb.DuckDBPyConnection, compiled_sql: str) -> set[str]:
    plan = "\n".join(str(row[1]) for row in con.execute(f"explain {compiled_sql}").fetchall())
    return set(MATERIALISED.findall(plan))


def test_import_cte_pattern_reads_the_models_way() -> None:
    sql = (
        "with\n\ndeals as {{ cte_materialization(false) }} (\n    select * from {{ ref('d') }}\n),"
        "\n\nreps as (\n    select * from {{ ref('r') }}\n),\n\nwon as (\n    select deal_id"
        " from deals\n)"
    )
    assert import_ctes(sql) == {"deals", "reps"}


def test_no_import_cte_is_materialised(demo_warehouse: Warehouse) -> None:
    compiled_root = demo_warehouse.path.parent / "target" / "compiled" / "sales_kpi_warehouse"
    offenders: list[str] = []
    checked = 0
    with duckdb.connect(str(demo_warehouse.path), read_only=True) as con:
        for model in sorted(MODELS_DIR.rglob("*.sql")):
            relative = model.relative_to(PROJECT_ROOT)
            compiled = compiled_root / relative
            names = import_ctes(model.read_text(encoding="utf-8"))
            if not names or not compiled.is_file():
                continue
            checked += 1
            copied = names & materialised_ctes(con, compiled.read_text(encoding="utf-8"))
            offenders += [f"{relative}: {name}" for name in sorted(copied)]
    assert checked > 50, f"only {checked} compiled models found under {compiled_root}"
    if offenders:
        pytest.fail(
            "DuckDB materialises these import CTEs (a full copy of the table); write "
            "`name as {{ cte_materialization(false) }} (`:\n" + "\n".join(offenders)
        )


def test_the_check_catches_a_materialised_import_cte(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "plan.duckdb")) as con:
        con.execute("create table deals as select range as deal_id from range(10)")
        sql = (
            "with d as (select * from deals) "
            "select * from d as a inner join d as b on a.deal_id = b.deal_id"
        )
        assert "d" in materialised_ctes(con, sql)
        hinted = sql.replace("d as (", "d as not materialized (", 1)
        assert "d" not in materialised_ctes(con, hinted)
