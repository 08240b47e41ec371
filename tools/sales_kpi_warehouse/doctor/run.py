"""One pass over an export: every table of the contract is located, read and checked."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .checks import Finding, run_checks
from .contract import SOURCES_YML, TableSpec, describe_kpis, load_contract
from .duplicates import duplicate_findings
from .export import register_mappings, register_table


@dataclass
class TableResult:
    """What the doctor found in one raw table."""

    table: str
    required: bool
    status: str  # checked | missing | empty_file
    rows: int = 0
    rejected_rows: int = 0
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Report:
    raw_path: str
    file_format: str
    mapping_path: str | None
    reporting_currency: str
    tables: list[TableResult] = field(default_factory=list)

    def findings(self, severity: str) -> list[Finding]:
        return [f for t in self.tables for f in t.findings if f.severity == severity]

    @property
    def exit_code(self) -> int:
        """0 = nothing is rejected and nothing stops the build; 1 otherwise."""
        return 1 if self.findings("error") else 0


def missing_table(spec: TableSpec, status: str, file_format: str) -> TableResult:
    what = f"{spec.name}.{file_format} (or folder {spec.name}/)"
    message = f"{what} is 0 bytes" if status == "empty_file" else f"{what} is not in the export"
    if spec.required:
        finding = Finding(spec.name, None, "missing_table", "error", 0, message, spec.without)
    else:
        finding = Finding(spec.name, None, "missing_table", "warning", 0, message,
                          f"read as an empty table: {spec.without}")  # fmt: skip
    return TableResult(spec.name, spec.required, status, findings=[finding])


def column_findings(spec: TableSpec, present: list[str]) -> list[Finding]:
    found: list[Finding] = []
    for column in spec.columns:
        if column.name in present:
            continue
        if column.required:
            found.append(
                Finding(spec.name, column.name, "missing_column", "error", 0,
                        f"required column {column.name} is not in the file",
                        "the build stops: add the column (it may not be empty)")
            )  # fmt: skip
        else:
            default = f" → {column.default}" if column.default else ""
            found.append(
                Finding(spec.name, column.name, "missing_column", "warning", 0,
                        f"optional column {column.name} is not in the file",
                        f"read as empty{default} in every row; the column feeds: "
                        f"{describe_kpis(column.kpis)}")
            )  # fmt: skip
    extra = sorted(set(present) - {c.name for c in spec.columns})
    if extra:
        found.append(
            Finding(spec.name, None, "extra_columns", "info", 0,
                    f"columns not in the contract: {', '.join(extra)}", "ignored")
        )  # fmt: skip
    return found


def fx_pairs(con: duckdb.DuckDBPyConnection, has_fx: bool, reporting_currency: str) -> None:
    """Table fx_pairs: the currencies fx_rates converts to the reporting currency."""
    query = (
        "select distinct upper(currency_code) as currency_code from raw_fx_rates "
        f"where upper(quote_currency) = '{reporting_currency}'"
        if has_fx
        else "select cast(null as varchar) as currency_code where false"
    )
    con.execute(f"create or replace temp table fx_pairs as {query}")


def check_table(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, raw_path: Path, file_format: str,
    reporting_currency: str,
) -> TableResult:  # fmt: skip
    found = register_table(con, spec, raw_path, file_format)
    if not found.found:
        return missing_table(spec, "empty_file" if found.empty_files else "missing", file_format)
    result = TableResult(spec.name, spec.required, "checked")
    result.findings += column_findings(spec, found.present)
    rows, rejected, findings = run_checks(con, spec, found.present, reporting_currency)
    result.rows, result.findings = rows, result.findings + findings
    duplicates = duplicate_findings(con, spec)
    result.findings += duplicates
    result.rejected_rows = rejected + sum(f.rows for f in duplicates if f.severity == "error")
    if rows == 0:
        result.findings.append(
            Finding(spec.name, None, "no_rows", "error" if spec.required else "warning", 0,
                    "the file has a header but no rows",
                    spec.without if spec.required else f"read as an empty table: {spec.without}")
        )  # fmt: skip
    return result


def stderr_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def diagnose(
    raw_path: Path,
    *,
    file_format: str = "csv",
    mapping_path: Path | None = None,
    reporting_currency: str = "JPY",
    progress: Callable[[str], None] | None = stderr_progress,
    contract_path: Path = SOURCES_YML,
) -> Report:
    """Check the export at `raw_path` against the contract; count in an in-memory DuckDB."""
    tables = load_contract(contract_path)
    report = Report(str(raw_path), file_format, str(mapping_path) if mapping_path else None,
                    reporting_currency.upper())  # fmt: skip
    spill = tempfile.TemporaryDirectory(prefix="skw-doctor-")
    con = duckdb.connect(config={"temp_directory": spill.name})
    # no DuckDB progress bar: it would write into the report on stdout
    con.execute("set enable_progress_bar = false")
    con.execute("set timezone = 'UTC'")
    register_mappings(con, mapping_path)
    fx_spec = next(t for t in tables if t.name == "fx_rates")
    ordered = [fx_spec, *(t for t in tables if t is not fx_spec)]  # fx first: FX coverage
    results: dict[str, TableResult] = {}
    for number, spec in enumerate(ordered, start=1):
        started = time.perf_counter()
        currency = report.reporting_currency
        results[spec.name] = check_table(con, spec, raw_path, file_format, currency)
        if spec is fx_spec:
            fx_pairs(con, results[spec.name].status == "checked", report.reporting_currency)
        con.execute(f"drop table if exists raw_{spec.name}")
        if progress:
            result = results[spec.name]
            done = f"{result.rows:,} rows" if result.status == "checked" else result.status
            progress(f"doctor [{number}/{len(ordered)}] {spec.name}: {done} "
                     f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    con.close()
    spill.cleanup()
    report.tables = [results[t.name] for t in tables]
    return report
