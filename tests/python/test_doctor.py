"""`make doctor` (python -m sales_kpi_warehouse.doctor) on a generated clean export and on copies
broken in one way each: the right problem is found, with the right row count, severity and exit
code; and docs/input_contract.md holds the contract as the doctor renders it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, generate

from sales_kpi_warehouse.doctor import Report, diagnose, load_contract, render_markdown
from sales_kpi_warehouse.doctor.checks import Finding
from sales_kpi_warehouse.doctor.cli import main

CONTRACT_DOC = PROJECT_ROOT / "docs" / "input_contract.md"
START, END = "<!-- contract:start -->\n", "<!-- contract:end -->"

Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def clean_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "crm"
    generate(out, "--deals", "300", "--no-defects", "--quiet")
    return out


@pytest.fixture
def export(clean_export: Path, tmp_path: Path) -> Path:
    """A private copy of the clean export, to break."""
    return Path(shutil.copytree(clean_export, tmp_path / "crm"))


def rewrite(path: Path, change: Callable[[Rows], Rows], drop: str | None = None) -> None:
    """Rewrite a CSV of the export through `change` (and without column `drop`)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c != drop]
        rows = change(list(reader))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def set_values(column: str, value: str, rows_to_change: list[int]) -> Callable[[Rows], Rows]:
    def change(rows: Rows) -> Rows:
        for index in rows_to_change:
            rows[index][column] = value
        return rows

    return change


def check(report: Report, table: str, column: str | None, name: str) -> list[Finding]:
    result = next(t for t in report.tables if t.table == table)
    return [f for f in result.findings if f.column == column and f.check == name]


def run(export: Path, mapping_path: Path | None = None) -> Report:
    return diagnose(export, mapping_path=mapping_path, progress=None)


def test_clean_export_passes(clean_export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(clean_export), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "no row would be rejected" in out
    assert "ERROR" not in out
    report = run(clean_export)
    assert report.findings("error") == []
    assert sum(t.rows for t in report.tables) > 0


def test_missing_required_table_fails(export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (export / "deals.csv").unlink()
    assert main([str(export), "--quiet"]) == 1
    assert "deals.csv (or folder deals/) is not in the export" in capsys.readouterr().out
    [finding] = check(run(export), "deals", None, "missing_table")
    assert finding.severity == "error"


def test_missing_optional_table_and_zero_byte_file_warn(export: Path) -> None:
    (export / "reps.csv").unlink()
    (export / "quotes.csv").write_bytes(b"")
    report = run(export)
    assert report.exit_code == 0
    [reps] = check(report, "reps", None, "missing_table")
    [quotes] = check(report, "quotes", None, "missing_table")
    assert (reps.severity, quotes.severity) == ("warning", "warning")
    assert "0 bytes" in quotes.message
    assert "quote_turnaround_hours" in quotes.impact


def test_missing_optional_column_warns(export: Path) -> None:
    rewrite(export / "leads.csv", lambda rows: rows, drop="lead_source")
    report = run(export)
    [finding] = check(report, "leads", "lead_source", "missing_column")
    assert finding.severity == "warning"
    assert "(unknown)" in finding.impact  # the contract's default
    assert report.exit_code == 0


def test_missing_required_column_fails(export: Path) -> None:
    rewrite(export / "deals.csv", lambda rows: rows, drop="created_at")
    report = run(export)
    [finding] = check(report, "deals", "created_at", "missing_column")
    assert finding.severity == "error"
    assert report.exit_code == 1


def test_unmapped_stages_are_counted_per_value(export: Path) -> None:
    rewrite(export / "deals.csv", set_values("stage", "Negotiating  Hard", [0, 3, 5]))
    rewrite(export / "deals.csv", set_values("stage", "legacy-stage", [7]))
    report = run(export)
    [finding] = check(report, "deals", "stage", "unmapped")
    assert finding.rows == 4
    assert finding.reason_code == "unmapped_stage"
    assert finding.examples == ("'negotiating hard' (3 rows)", "'legacy stage' (1 row)")
    deals = next(t for t in report.tables if t.table == "deals")
    assert deals.rejected_rows == 4
    assert report.exit_code == 1


def test_mapping_folder_extends_the_seeds(export: Path, tmp_path: Path) -> None:
    rewrite(export / "deals.csv", set_values("stage", "Negotiating Hard", [0, 3]))
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    (mappings / "map_deal_stages.csv").write_text(
        "source_value,canonical_stage,stage_order,stage_category,is_qualified\n"
        "NEGOTIATING_HARD,negotiation,5,open,true\n",
        encoding="utf-8",
    )
    assert check(run(export), "deals", "stage", "unmapped")
    assert not check(run(export, mappings), "deals", "stage", "unmapped")


def test_unparseable_date_is_reported_with_examples(export: Path) -> None:
    rewrite(export / "deals.csv", set_values("created_at", "2025-02-30 10:00:00", [2]))
    rewrite(export / "deals.csv", set_values("created_at", "31/01/2025", [4, 6]))
    report = run(export)
    [finding] = check(report, "deals", "created_at", "unparseable_timestamp")
    assert (finding.rows, finding.reason_code, finding.severity) == (3, "invalid_date", "error")
    assert finding.examples == ("'31/01/2025' (2 rows)", "'2025-02-30 10:00:00' (1 row)")
    assert report.exit_code == 1


def test_offsets_and_dates_are_valid_timestamps(export: Path) -> None:
    values = ["2025-04-01T09:00:00Z", "2025-04-01 09:00:00+09:00", "2025-04-01 09:00+0900"]
    for index, value in enumerate(values):
        rewrite(export / "leads.csv", set_values("created_at", value, [index]))
    rewrite(export / "leads.csv", set_values("created_at", "2025-04-01", [len(values)]))
    assert not check(run(export), "leads", "created_at", "unparseable_timestamp")


def test_empty_required_values_and_duplicate_keys(export: Path) -> None:
    rewrite(export / "activities.csv", set_values("started_at", "", [1, 2]))

    def conflicting_copy(rows: Rows) -> Rows:
        return [*rows, {**rows[0], "outcome": "held" if rows[0]["outcome"] != "held" else "sent"}]

    rewrite(export / "activities.csv", conflicting_copy)
    report = run(export)
    [empty] = check(report, "activities", "started_at", "empty_required")
    assert (empty.rows, empty.reason_code) == (2, "missing_value")
    [duplicate] = check(report, "activities", "activity_id", "duplicate_key")
    assert (duplicate.rows, duplicate.severity) == (1, "error")


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "tools")}
    command = [sys.executable, "-m", "sales_kpi_warehouse.doctor"]
    missing = subprocess.run([*command, str(tmp_path / "nope")], env=env, capture_output=True,
                             text=True, check=False)  # fmt: skip
    assert missing.returncode == 2
    assert "is not a folder" in missing.stderr
    bad_format = subprocess.run([*command, str(tmp_path), "--format", "xlsx"], env=env,
                                capture_output=True, text=True, check=False)  # fmt: skip
    assert bad_format.returncode == 2


def test_json_output(clean_export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(clean_export), "--quiet", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["exit_code"] == 0
    assert {t["table"] for t in document["tables"]} == {t.name for t in load_contract()}


def test_only_deals_is_a_required_table() -> None:
    assert [t.name for t in load_contract() if t.required] == ["deals"]


def test_docs_hold_the_rendered_contract() -> None:
    text = CONTRACT_DOC.read_text(encoding="utf-8")
    assert START in text and END in text, f"{CONTRACT_DOC} lacks the contract markers"
    documented = text.split(START, 1)[1].split(END, 1)[0]
    assert documented == render_markdown(load_contract()), (
        f"{CONTRACT_DOC} is out of date: replace the part between the markers with the output "
        "of `PYTHONPATH=tools .venv/bin/python -m sales_kpi_warehouse.doctor --contract`"
    )


def break_like_the_documented_example(export: Path) -> None:
    """The broken export of docs/doctor_example.txt (quoted in docs/use-your-own-data.md):
    reps.csv missing, two unmapped stages (3 + 2 rows), created_at empty in 2 rows, a day-first
    closed_at."""
    (export / "reps.csv").unlink()

    def change(rows: Rows) -> Rows:
        closed = [i for i, row in enumerate(rows) if row["closed_at"]]
        for index in closed[:3]:
            rows[index]["stage"] = "Negotiating Hard"
        for index in closed[3:5]:
            rows[index]["stage"] = "on_hold"
        for index in closed[5:7]:
            rows[index]["created_at"] = ""
        rows[closed[7]]["closed_at"] = "31/03/2025"
        return rows

    rewrite(export / "deals.csv", change)


def test_documented_example_is_current(
    clean_export: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    export = Path(shutil.copytree(clean_export, tmp_path / "crm_export"))
    break_like_the_documented_example(export)
    monkeypatch.chdir(tmp_path)
    assert main(["crm_export", "--quiet"]) == 1
    out = capsys.readouterr().out
    documented = (PROJECT_ROOT / "docs" / "doctor_example.txt").read_text(encoding="utf-8")
    assert out == documented, (
        "docs/doctor_example.txt is out of date: write the output of this test's export into it"
    )
