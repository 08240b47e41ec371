"""Incremental models: an incremental run on top of a full build gives exactly the tables a
full refresh of the same data gives, and a rerun with no new data changes nothing - for the
event tables (a late-arriving window) and the snapshot tables (change detection by fingerprint).

The demo export is laid out as batches (sales_kpi_warehouse.batches): the latest 1 % of
activities, e-mail events and stage history is held back, the rest built in full; then the
held-back batch is delivered and `dbt build` runs incrementally.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import (
    DEMO_DIR,
    SKIP_TESTS,
    SKIP_UNIT_TESTS,
    Warehouse,
    build,
    difference_counts_sql,
    run_dbt,
)
from dbt.artifacts.schemas.run import RunExecutionResult
from dbt.contracts.graph.nodes import GenericTestNode

from sales_kpi_warehouse.batches import EVENT_TABLES, HeldBack, deliver_pending, hold_back

pytestmark = pytest.mark.dbt

# Tables compared: everything a user reads, and the staging tables the increments land in.
COMPARED_SCHEMAS = ("main_marts", "main_data_quality", "main_intermediate")
INCREMENTAL_MODELS = (
    *(f"base_crm__{table}" for table in EVENT_TABLES),
    "int_activities_enriched",
    "int_deal_stage_transitions",
    "int_pipeline_daily",
    "int_deal_funnel_stages",
)
# The base models of the snapshot tables: an export replaces them whole; only changed keys are
# re-read (snapshot_slice). Unchanged by the held-back events, so not in INCREMENTAL_MODELS.
SNAPSHOT_TABLES = {
    "deals": "deal_id",
    "leads": "lead_id",
    "accounts": "account_id",
    "contracts": "contract_id",
    "reps": "rep_id",
}
SNAPSHOT_MODELS = tuple(f"base_crm__{table}" for table in SNAPSHOT_TABLES)
# Incremental models built from the snapshot tables only (change detection by stored input
# fingerprints), so also unchanged by the held-back events.
SNAPSHOT_FED_MODELS = ("int_lead_lifecycles",)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    rows = con.sql(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = $catalog and table_type = 'BASE TABLE' "
        "and (table_schema in $schemas or table_name in $incremental) "
        "order by 1, 2",
        params={
            "catalog": catalog,
            "schemas": list(COMPARED_SCHEMAS),
            "incremental": [*INCREMENTAL_MODELS, *SNAPSHOT_MODELS, *SNAPSHOT_FED_MODELS],
        },
    ).fetchall()
    return [(str(schema), str(name)) for schema, name in rows]


def _snapshot(warehouse: Path, copy: Path) -> Path:
    """A checkpointed copy of a warehouse dbt may still hold open in this process."""
    with duckdb.connect(str(warehouse)) as con:
        con.sql("checkpoint")
    shutil.copyfile(warehouse, copy)
    return copy


def _differences(snapshot: Path, reference: Path) -> dict[str, tuple[int, int, int]]:
    """Per table: (rows only in the snapshot, rows only in the reference, row count).

    `reference` may be open in this process (dbt-duckdb caches its instance), so it is opened
    the same way and the snapshot - a file nobody holds - is attached to it."""
    with duckdb.connect(str(reference)) as con:
        con.sql(f"attach '{snapshot}' as snapshot (read_only)")
        left_tables, right_tables = _tables(con, "snapshot"), _tables(con, reference.stem)
        assert left_tables == right_tables, "the two builds hold different tables"
        assert len(left_tables) > 40, f"only {len(left_tables)} tables compared"
        found: dict[str, tuple[int, int, int]] = {}
        for schema, table in left_tables:
            lhs = f'select * from snapshot."{schema}"."{table}"'
            rhs = f'select * from "{reference.stem}"."{schema}"."{table}"'
            ((only_left, only_right, rows),) = con.sql(difference_counts_sql(lhs, rhs)).fetchall()
            found[f"{schema}.{table}"] = (int(only_left), int(only_right), int(rows))
        con.sql("detach snapshot")
    return found


def _assert_same(left: Path, right: Path) -> None:
    differences = _differences(left, right)
    differing = {name: d for name, d in differences.items() if d[0] or d[1]}
    assert not differing, f"incremental and full-refresh tables differ: {differing}"


@dataclass(frozen=True)
class Runs:
    """The batch layout, the warehouse built in full then incrementally (and a copy taken right
    after its first incremental run), and a warehouse fully refreshed from the same files."""

    layout: Path
    held: list[HeldBack]
    incremental: Warehouse
    before_increment: Path
    after_first_increment: Path
    full: Warehouse

    @property
    def files_vars(self) -> dict[str, Any]:
        return {"input_mode": "files", "raw_path": str(self.layout)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    layout = tmp_path_factory.mktemp("batches") / "raw"
    held = hold_back(DEMO_DIR, layout, share=0.01, fmt="csv")
    files: dict[str, Any] = {"input_mode": "files", "raw_path": str(layout)}
    incremental_db = tmp_path_factory.mktemp("incremental") / "incremental.duckdb"
    build(incremental_db, files, SKIP_TESTS)
    before = _snapshot(incremental_db, incremental_db.with_name("before_increment.duckdb"))
    deliver_pending(layout)
    # The incremental run runs every data test too: the increment must pass them.
    incremental = build(incremental_db, files)
    after_first = _snapshot(
        incremental_db, incremental_db.with_name("after_first_increment.duckdb")
    )
    full_db = tmp_path_factory.mktemp("full") / "full.duckdb"
    full = build(full_db, files, ("--full-refresh", *SKIP_TESTS))
    return Runs(layout, held, incremental, before, after_first, full)


def test_one_percent_is_held_back(runs: Runs) -> None:
    assert {h.table for h in runs.held} == set(EVENT_TABLES)
    for h in runs.held:
        share = h.held_back_rows / (h.kept_rows + h.held_back_rows)
        assert 0.005 < share < 0.02, f"{h.table}: {share:.2%} held back"


def test_increment_ran_as_an_incremental_update(runs: Runs) -> None:
    """The second run replaced a batch of keys in place (delete+insert), no table rebuild."""
    run_sql = runs.incremental.path.parent / "target" / "run"
    for model in (*INCREMENTAL_MODELS, *SNAPSHOT_MODELS, *SNAPSHOT_FED_MODELS):
        sql = next(run_sql.rglob(f"{model}.sql")).read_text()
        assert "delete from" in sql, f"{model} was not run incrementally"


def test_incremental_equals_full_refresh(runs: Runs) -> None:
    _assert_same(runs.after_first_increment, runs.full.path)


def test_the_comparison_sees_the_increment(runs: Runs) -> None:
    """Control: before the held-back batch arrived, the same comparison finds differences -
    in the increment's tables and in the marts built from them."""
    differences = _differences(runs.before_increment, runs.full.path)
    differing = {name for name, (left, right, _) in differences.items() if left or right}
    incremental_tables = {name for name in differences if name.split(".")[1] in INCREMENTAL_MODELS}
    assert len(incremental_tables) == len(INCREMENTAL_MODELS)
    assert incremental_tables <= differing
    assert "main_marts.kpi_team_performance" in differing
    assert differences["main_marts.kpi_team_performance"][2] > 1000


def _compiled_select(warehouse: Warehouse, model: str) -> str:
    """The model's SQL as dbt last compiled it for `warehouse` (its incremental select)."""
    return next((warehouse.path.parent / "target" / "compiled").rglob(f"{model}.sql")).read_text()


def _pipeline_days_rebuilt(runs: Runs, copy: Path) -> tuple[Any, int, int]:
    """The days the first increment's int_pipeline_daily select builds: its compiled SQL run on
    the warehouse as it was before the increment (a copy, named as the compiled SQL expects), with
    the increment's pieces (a full table)."""
    shutil.copyfile(runs.before_increment, copy)
    select = _compiled_select(runs.incremental, "int_pipeline_daily")
    pieces = "main_intermediate.int_pipeline_pieces"
    with duckdb.connect(str(copy)) as con:
        con.sql(f"attach '{runs.after_first_increment}' as after_increment (read_only)")
        con.sql(f"create or replace table {pieces} as select * from after_increment.{pieces}")
        ((first_day, rebuilt, stored),) = con.sql(
            f"select min(pipeline_date), count(*), (select count(*) from"
            f" main_intermediate.int_pipeline_daily) from ({select})"
        ).fetchall()
    return first_day, int(rebuilt), int(stored)


def test_pipeline_rebuilds_only_the_days_since_the_first_change(runs: Runs, tmp_path: Path) -> None:
    """The increment's stage changes are the latest 1 %: int_pipeline_daily rebuilds the days
    from the first one they touch, not the whole history."""
    first_day, rebuilt, stored = _pipeline_days_rebuilt(runs, tmp_path / runs.incremental.path.name)
    cutoff = next(h.cutoff for h in runs.held if h.table == "deal_stage_history")
    assert first_day is not None, "no day rebuilt"
    assert str(first_day) >= str(pd.Timestamp(cutoff).date() - pd.Timedelta(days=1))
    assert 0 < rebuilt < stored / 10, f"{rebuilt} of {stored} rows rebuilt"


def _not_null_deals_won(warehouse: Path, dbt_vars: dict[str, Any]) -> str:
    """The status of kpi_team_performance's not_null test on deals_won in `dbt test`."""
    result = run_dbt(
        ["test", "--select", "kpi_team_performance,test_name:not_null"], warehouse, dbt_vars
    )
    assert isinstance(result.result, RunExecutionResult), result.exception
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    return statuses["not_null_kpi_team_performance_deals_won"]


def test_scoped_tests_check_the_periods_from_test_since(runs: Runs, tmp_path: Path) -> None:
    """var('test_since') scopes the row-level data tests to the periods from its month on: a broken
    row in May 2025 passes a run scoped to October 2026 and fails an unscoped one; a broken row
    in October 2026 fails the scoped run too."""
    warehouse = tmp_path / "scoped.duckdb"
    shutil.copyfile(runs.after_first_increment, warehouse)
    scoped = {**runs.files_vars, "test_since": "2026-10-15"}

    def break_month(month: str) -> None:
        with duckdb.connect(str(warehouse)) as con:
            con.sql(
                "update main_marts.kpi_team_performance set deals_won = null"
                f" where period_grain = 'month' and period_start = '{month}' and scope = 'company'"
            )

    break_month("2025-05-01")
    assert _not_null_deals_won(warehouse, scoped) == "pass"
    assert _not_null_deals_won(warehouse, runs.files_vars) == "fail"
    break_month("2026-10-01")
    assert _not_null_deals_won(warehouse, scoped) == "fail"


def test_lead_lifecycles_rebuild_only_the_leads_that_changed(runs: Runs, tmp_path: Path) -> None:
    """int_lead_lifecycles' incremental select on a current warehouse rebuilds no lead; with the
    as-of date a month earlier, it rebuilds every lead reaching a milestone since (the leads
    created since are deleted, not rebuilt), a small share of all leads. Only this model is
    compiled: its inputs stay as of the later date, so a lead whose deal was won since is not
    among them (in a real run int_deals_enriched changes, and so does the lead's fingerprint; the
    equality tests above cover that)."""
    warehouse = tmp_path / "leads.duckdb"
    shutil.copyfile(runs.after_first_increment, warehouse)

    def rebuilt(dbt_vars: dict[str, Any]) -> set[str]:
        compiled = run_dbt(["compile", "--select", "int_lead_lifecycles"], warehouse, dbt_vars)
        assert compiled.success, compiled.exception
        select = _compiled_select(Warehouse(warehouse, compiled), "int_lead_lifecycles")
        with duckdb.connect(str(warehouse)) as con:
            return {str(lead) for (lead,) in con.sql(f"select lead_id from ({select})").fetchall()}

    assert rebuilt(runs.files_vars) == set()
    earlier = rebuilt({**runs.files_vars, "as_of_date": "2026-09-30"})
    with duckdb.connect(str(warehouse), read_only=True) as con:
        since = con.sql(
            "select lead_id from main_intermediate.int_lead_lifecycles where greatest("
            " created_date, coalesce(mql_date, created_date), coalesce(sql_date, created_date),"
            " coalesce(opportunity_date, created_date)) > date '2026-09-30'"
        ).fetchall()
        ((leads,),) = con.sql(
            "select count(*) from main_intermediate.int_lead_lifecycles"
        ).fetchall()
    changed = {str(lead) for (lead,) in since}
    # leads created after the earlier as-of date are only deleted: no row is rebuilt for them
    assert changed, "no lead changes as of a month earlier"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        created_since = {
            str(lead)
            for (lead,) in con.sql(
                "select lead_id from main_intermediate.int_lead_lifecycles"
                " where created_date > date '2026-09-30'"
            ).fetchall()
        }
    assert changed - created_since <= earlier
    assert not earlier & created_since
    assert len(earlier) < leads / 4, f"{len(earlier)} of {leads} leads rebuilt"


def test_rerun_without_new_data_changes_nothing(runs: Runs) -> None:
    rerun = build(runs.incremental.path, runs.files_vars, SKIP_TESTS)
    _assert_same(_snapshot(rerun.path, rerun.path.with_name("rerun.duckdb")), runs.full.path)


def _edit_csv(layout: Path, table: str, edit: Callable[[list[str]], list[str]]) -> None:
    """Replace ``<table>.csv`` of a layout (a symlink into the demo seeds) by an edited copy."""
    path = layout / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.unlink()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


def _rename_r002(lines: list[str]) -> list[str]:
    return [line.replace("R002,Rina Yamada,", "R002,Rina Yamada-Sato,") for line in lines]


def _drop_key(key: str) -> Callable[[list[str]], list[str]]:
    """An edit that removes the rows whose first column is ``key``."""
    return lambda lines: [line for line in lines if not line.startswith(f"{key},")]


def _move_r002_in_april_2025(lines: list[str]) -> list[str]:
    moved = ["R002,T01,2012-01-01,2025-03-31", "R002,T02,2025-04-01,"]
    return [new for line in lines for new in (moved if line == "R002,T01,2012-01-01," else [line])]


def test_rep_changes_re_enrich_old_activities(runs: Runs, tmp_path: Path) -> None:
    """A rep renamed and moved to another team in April 2025, and a rep removed from the export,
    with no new events: the incremental run re-enriches (or drops) all of their activities,
    months outside the late-arriving window (as-of 2026-10-31), and matches a full refresh."""
    layout = tmp_path / "raw"
    shutil.copytree(runs.layout, layout, symlinks=True)
    _edit_csv(layout, "reps", lambda lines: _drop_key("R025")(_rename_r002(lines)))
    _edit_csv(
        layout, "rep_team_history", lambda lines: _drop_key("R025")(_move_r002_in_april_2025(lines))
    )
    files: dict[str, Any] = {"input_mode": "files", "raw_path": str(layout)}

    incremental_db = tmp_path / "incremental.duckdb"
    shutil.copyfile(runs.after_first_increment, incremental_db)
    incremental = build(incremental_db, files, SKIP_TESTS)
    full = build(tmp_path / "full.duckdb", files, ("--full-refresh", *SKIP_TESTS))
    _assert_same(_snapshot(incremental.path, tmp_path / "after.duckdb"), full.path)

    # Control: the changed rows are old ones, and the run before the change had them otherwise.
    with duckdb.connect(str(full.path)) as con:
        ((old_rows, earliest),) = con.sql(
            "select count(*), min(activity_date) from main_intermediate.int_activities_enriched"
            " where rep_id = 'R002' and team_id = 'T02'"
        ).fetchall()
    assert old_rows > 50, f"only {old_rows} activities of R002 moved to T02"
    assert str(earliest) < "2025-05-01", f"R002's re-enriched activities start {earliest}"
    before = _differences(runs.after_first_increment, full.path)
    assert before["main_intermediate.int_activities_enriched"][0] > 0


def test_removed_deal_and_later_as_of_date(runs: Runs, tmp_path: Path) -> None:
    """A daily run: the as-of date moves a month on, and an old deal (created November 2024,
    five stage changes) is gone from the export, with no new events. The incremental run drops
    the deal's stage history, keeps every other deal's stored changes (nothing stored depends on
    the as-of date) and matches a full refresh with the same as-of date."""
    layout = tmp_path / "raw"
    shutil.copytree(runs.layout, layout, symlinks=True)
    _edit_csv(layout, "deals", _drop_key("D00002"))
    files: dict[str, Any] = {
        "input_mode": "files",
        "raw_path": str(layout),
        "as_of_date": "2026-11-30",
    }

    incremental_db = tmp_path / "incremental.duckdb"
    shutil.copyfile(runs.after_first_increment, incremental_db)
    incremental = build(incremental_db, files, SKIP_TESTS)
    full = build(tmp_path / "full.duckdb", files, ("--full-refresh", *SKIP_TESTS))
    _assert_same(_snapshot(incremental.path, tmp_path / "after.duckdb"), full.path)

    # Control: the run before had D00002's changes, and the pipeline ended a month earlier.
    query = (
        "select (select count(*) from main_intermediate.int_deal_stage_transitions"
        " where deal_id = 'D00002'), (select max(pipeline_date) from"
        " main_intermediate.int_pipeline_daily)"
    )
    with duckdb.connect(str(runs.after_first_increment), read_only=True) as con:
        ((changes_before, pipeline_end_before),) = con.sql(query).fetchall()
    with duckdb.connect(str(full.path)) as con:
        ((changes_after, pipeline_end_after),) = con.sql(query).fetchall()
    assert (changes_before, changes_after) == (5, 0)
    assert (str(pipeline_end_before), str(pipeline_end_after)) == ("2026-10-31", "2026-11-30")


def _replace_in_row(key: str, old: str, new: str) -> Callable[[list[str]], list[str]]:
    """An edit that replaces ``old`` by ``new`` in the row whose first column is ``key``."""

    def edit(lines: list[str]) -> list[str]:
        edited = [line.replace(old, new) if line.startswith(f"{key},") else line for line in lines]
        assert edited != lines, f"{key}: {old!r} not found"
        return edited

    return edit


def _row_of(lines: list[str], key: str) -> str:
    """The row whose first column is ``key``."""
    return next(line for line in lines if line.startswith(f"{key},"))


def _keyless_rows(layout: Path, table: str) -> int:
    frame = pd.read_csv(layout / f"{table}.csv", dtype=str, keep_default_na=False)
    return int((frame[SNAPSHOT_TABLES[table]].str.strip() == "").sum())


def _rows_read(warehouse: Warehouse, model: str) -> int:
    """Rows the model's incremental select reads: its compiled SQL run on the warehouse."""
    with duckdb.connect(str(warehouse.path)) as con:
        ((rows,),) = con.sql(
            f"select count(*) from ({_compiled_select(warehouse, model)})"
        ).fetchall()
    return int(rows)


def edit_snapshot_export(layout: Path) -> dict[str, int]:
    """The next daily export of the snapshot tables, edited in `layout`: a changed, a new, a
    deleted and a copied row (deals), a changed and a new malformed row (leads), a changed row
    (accounts) and a deleted row (contracts). Returns the raw rows each snapshot table's
    incremental run must re-read, keyless rows aside."""

    def edit_deals(lines: list[str]) -> list[str]:
        lines = _drop_key("D00003")(_replace_in_row("D00001", ",13485.24,", ",14485.24,")(lines))
        copied = _row_of(lines, "D00005")
        new = _row_of(lines, "D00010").replace("D00010,", "D99999,", 1)
        return [*lines, copied, new]

    def edit_leads(lines: list[str]) -> list[str]:
        lines = _replace_in_row("L00002", "Kasumi Media Corporation", "Kasumi Media Corp.")(lines)
        malformed = "L99999,web,New,R022,Test K.K.,2026-10-32 09:00:00,,,,,,2026-10-30 09:00:00"
        return [*lines, malformed]

    _edit_csv(layout, "deals", edit_deals)
    _edit_csv(layout, "leads", edit_leads)
    _edit_csv(layout, "accounts", _replace_in_row("A00002", ",kanto,", ",kansai,"))
    _edit_csv(layout, "contracts", _drop_key("C00002"))
    return {"deals": 4, "leads": 2, "accounts": 1, "contracts": 0, "reps": 0}


def test_snapshot_changes_re_read_only_changed_keys(runs: Runs, tmp_path: Path) -> None:
    """A daily export of the snapshot tables with a changed, a new, a deleted and a copied row
    (deals), a changed and a new malformed row (leads), a changed row (accounts) and a deleted
    row (contracts): the incremental run re-reads exactly the rows of those keys (and the
    keyless rows, always re-judged) and matches a full refresh."""
    layout = tmp_path / "raw"
    shutil.copytree(runs.layout, layout, symlinks=True)
    expected_rows = edit_snapshot_export(layout)
    files: dict[str, Any] = {"input_mode": "files", "raw_path": str(layout)}

    incremental_db = tmp_path / "incremental.duckdb"
    shutil.copyfile(runs.after_first_increment, incremental_db)
    # compile runs no on-run-start hook: point the raw views at the edited layout first
    registered = run_dbt(["run-operation", "register_raw_files"], incremental_db, files)
    assert registered.success, registered.exception
    compiled = run_dbt(["compile", "--select", *SNAPSHOT_MODELS], incremental_db, files)
    assert compiled.success, compiled.exception
    warehouse = Warehouse(incremental_db, compiled)
    for table, changed_rows in expected_rows.items():
        expected = changed_rows + _keyless_rows(layout, table)
        assert _rows_read(warehouse, f"base_crm__{table}") == expected, table

    incremental = build(incremental_db, files, SKIP_TESTS)
    full = build(tmp_path / "full.duckdb", files, ("--full-refresh", *SKIP_TESTS))
    _assert_same(_snapshot(incremental.path, tmp_path / "after.duckdb"), full.path)

    # Control: the export changed what the warehouse holds, down to the marts.
    before = _differences(runs.after_first_increment, full.path)
    for table in ("base_crm__deals", "base_crm__leads", "base_crm__accounts"):
        assert before[f"main_staging.{table}"][0] > 0, table
    assert before["main_marts.kpi_team_performance"][0] > 0
    (reasons,) = full.query(
        "select string_agg(reason_code, ',' order by reason_code)"
        " from main_data_quality.rejected_rows where record_key in ('D00005', 'L99999')"
    )
    assert "exact_duplicate" in str(reasons[0]) and "invalid_date" in str(reasons[0])


def test_a_file_delivered_twice_is_never_double_counted(runs: Runs, tmp_path: Path) -> None:
    """Issue "Nothing lost, nothing silent" #10. The newest rows delivered again (inside the
    late-arriving window) are re-read and rejected as exact_duplicate, with raw = staged +
    rejected. An old batch delivered again (outside the window) is not read by
    an incremental run: nothing is double counted, and the reconciliation test fails naming the
    table and saying to run a full refresh."""
    layout = tmp_path / "raw"
    shutil.copytree(runs.layout, layout, symlinks=True)
    db_path = tmp_path / "w.duckdb"
    shutil.copyfile(runs.after_first_increment, db_path)
    files = {"input_mode": "files", "raw_path": str(layout)}
    staged_before = Warehouse(db_path, runs.incremental.result).query(
        "select staged_rows from main_data_quality.dq_row_reconciliation"
        " where source_table = 'activities'"
    )
    folder = layout / "activities"
    # the newest day of the latest batch, certainly inside the late-arriving window
    latest = pd.read_csv(folder / "batch-0001.csv", dtype=str, keep_default_na=False)
    started = pd.to_datetime(latest["started_at"], format="mixed")
    recent = latest[started >= started.max() - pd.Timedelta(days=1)]
    recent.to_csv(folder / "batch-0002.csv", index=False)
    again = build(db_path, files, SKIP_TESTS)
    recent_rows = len(recent)
    (reconciled,) = again.query(
        "select raw_rows - staged_rows - rejected_rows, staged_rows"
        " from main_data_quality.dq_row_reconciliation where source_table = 'activities'"
    )
    assert reconciled == (0, staged_before[0][0]), "the copy was counted, or rows went missing"
    duplicates = again.query(
        "select count(*) from main_data_quality.rejected_rows"
        " where source_table = 'activities' and reason_code = 'exact_duplicate'"
    )
    assert duplicates[0][0] >= recent_rows

    shutil.copyfile(folder / "batch-0000.csv", folder / "batch-0003.csv")
    result = run_dbt(["build", *SKIP_UNIT_TESTS], db_path, files)
    assert not result.success, "an old batch delivered again went unnoticed"
    assert isinstance(result.result, RunExecutionResult)
    failed = [r for r in result.result.results if str(r.status) in ("fail", "error")]
    assert [r.node.name for r in failed] == ["raw_rows_are_staged_or_rejected"], failed
    node = failed[0].node
    assert isinstance(node, GenericTestNode) and node.compiled_code
    with duckdb.connect(str(db_path)) as con:
        cursor = con.execute(node.compiled_code)
        names = [d[0] for d in cursor.description or []]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert [row["source_table"] for row in rows] == ["activities"]
    assert "--full-refresh" in rows[0]["what_to_do"]
    (counts,) = Warehouse(db_path, result).query(
        "select staged_rows from main_data_quality.dq_row_reconciliation"
        " where source_table = 'activities'"
    )
    assert counts == staged_before[0], "an old batch delivered again was double counted"
