"""The worked examples in analyses/ compile and answer their question on the demo warehouse.

`dbt build` never compiles analyses, so a renamed mart column would break them silently: this
compiles every analysis with `dbt compile --select resource_type:analysis` and runs each
compiled query against the demo build, which must return rows.
"""

from __future__ import annotations

import pytest
from conftest import PROJECT_ROOT, Warehouse, duckdb_path
from dbt.artifacts.resources.types import NodeType
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.cli.main import dbtRunner

ANALYSES_DIR = PROJECT_ROOT / "analyses"


@pytest.fixture(scope="module")
def compiled_analyses(
    demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Analysis name → compiled SQL that reads the demo build's warehouse."""
    work = tmp_path_factory.mktemp("analyses")
    # Compiling needs no data, only a connection: give dbt an empty file of the same name (the
    # compiled relations name the DuckDB catalog after it), so it does not open the demo file
    # in-process with a configuration the queries below could not share.
    with duckdb_path(work / demo_warehouse.path.name):
        result = dbtRunner().invoke(
        [
            "compile",
            "--select", "resource_type:analysis",
            "--project-dir", str(PROJECT_ROOT),
            "--profiles-dir", str(PROJECT_ROOT / "profiles"),
            "--target-path", str(work / "target"),
            "--log-path", str(work / "logs"),
            "--no-partial-parse",
            "--quiet",
        ]
    )  # fmt: skip
    assert result.success, result.exception
    assert isinstance(result.result, RunExecutionResult)
    compiled: dict[str, str] = {}
    for run in result.result.results:
        assert run.node.resource_type == NodeType.Analysis, run.node.unique_id
        assert str(run.status) == "success", f"{run.node.unique_id}: {run.message}"
        compiled[run.node.name] = run.node.compiled_code or ""
    return compiled


def analysis_names() -> list[str]:
    return sorted(path.stem for path in ANALYSES_DIR.glob("*.sql"))


def test_every_analysis_compiles(compiled_analyses: dict[str, str]) -> None:
    assert len(analysis_names()) >= 4
    assert sorted(compiled_analyses) == analysis_names()
    for name, sql in compiled_analyses.items():
        assert "{{" not in sql and "ref(" not in sql, f"{name} still holds Jinja"


@pytest.mark.parametrize("name", analysis_names())
def test_analysis_returns_rows(
    demo_warehouse: Warehouse, compiled_analyses: dict[str, str], name: str
) -> None:
    header = (ANALYSES_DIR / f"{name}.sql").read_text(encoding="utf-8").lstrip()
    assert header.startswith("--"), f"{name}: start with a comment saying what it answers"
    rows = demo_warehouse.query(compiled_analyses[name])
    assert rows, f"{name} returned no rows on the demo warehouse"
    assert any(value is not None for row in rows for value in row[1:])


def test_cohort_triangle_is_a_triangle(
    demo_warehouse: Warehouse, compiled_analyses: dict[str, str]
) -> None:
    """The newest cohort has only its first months measured: later ages are NULL."""
    rows = demo_warehouse.query(compiled_analyses["cohort_retention_triangle"])
    newest = rows[-1]
    assert newest[2] is not None  # m0_pct
    assert newest[-1] is None  # m12_pct: not reached yet


def test_funnel_steps_add_up(demo_warehouse: Warehouse, compiled_analyses: dict[str, str]) -> None:
    rows = demo_warehouse.query(compiled_analyses["funnel_leakage_by_lead_source"])
    for row in rows:
        entered, advanced, dropped = row[4], row[5], row[6]
        assert entered == advanced + dropped and 0 <= advanced <= entered, row
