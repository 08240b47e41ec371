"""The doctor's report as readable text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from .checks import Finding
from .run import Report, TableResult

LABELS = {"error": "ERROR  ", "warning": "WARNING", "info": "NOTE   "}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def hint(finding: Finding, report: Report) -> str:
    """What to do about a finding."""
    check = finding.check
    mapping_folder = report.mapping_path or "your mapping folder (MAPPING_PATH=…)"
    if check == "unmapped":
        seed = finding.message.rsplit(" ", 1)[-1]
        return f"add the values to {seed}.csv in {mapping_folder}, or fix them in the CRM"
    if check == "missing_table":
        return f"put the {finding.table} export in {report.raw_path}" + (
            "" if finding.severity == "error" else " if you have it"
        )
    if check == "no_fx_rate":
        return f"add rates to {report.reporting_currency} for these currencies to fx_rates"
    if check.startswith("unparseable") or check in ("invalid_value", "out_of_range"):
        return "fix the values in the export (docs/input_contract.md gives the formats)"
    if check in ("empty_required", "missing_on_closed_stage", "duplicate_key", "missing_column"):
        return "fix the export" if finding.severity == "error" else ""
    return ""


def finding_lines(finding: Finding, report: Report) -> list[str]:
    where = f"{finding.column}: " if finding.column else ""
    count = f"{finding.rows:,} row{'s' if finding.rows != 1 else ''} — " if finding.rows else ""
    lines = [f"  {LABELS[finding.severity]} {where}{count}{finding.message}"]
    if finding.examples:
        lines.append(f"          values: {', '.join(finding.examples)}")
    lines.append(f"          → {finding.impact}")
    todo = hint(finding, report)
    if todo:
        lines.append(f"          what to do: {todo}")
    return lines


def table_heading(result: TableResult) -> str:
    kind = "required" if result.required else "optional"
    if result.status != "checked":
        return f"{result.table} ({kind}): {result.status.replace('_', ' ')}"
    rejected = f", {result.rejected_rows:,} would be rejected" if result.rejected_rows else ""
    return f"{result.table} ({kind}): {result.rows:,} rows{rejected}"


def render_text(report: Report) -> str:
    lines = [
        f"Input check of {report.raw_path} ({report.file_format}) against docs/input_contract.md",
        "mappings: seeds/config"
        + (f" extended by {report.mapping_path}" if report.mapping_path else "")
        + f"; reporting currency {report.reporting_currency}",
        "",
    ]
    clean: list[str] = []
    for result in report.tables:
        if not result.findings:
            clean.append(f"{result.table} ({result.rows:,})")
            continue
        lines.append(table_heading(result))
        ordered = sorted(result.findings, key=lambda f: SEVERITY_ORDER[f.severity])
        for finding in ordered:
            lines += finding_lines(finding, report)
        lines.append("")
    if clean:
        lines += [f"No problems: {', '.join(clean)}", ""]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    errors, warnings = len(report.findings("error")), len(report.findings("warning"))
    rejected = sum(t.rejected_rows for t in report.tables)
    in_tables = sum(1 for t in report.tables if t.rejected_rows)
    verdict = (
        "no row would be rejected"
        if not rejected
        else f"{rejected:,} rows would be rejected in {in_tables} table(s)"
    )
    stops = [
        f.message
        for f in report.findings("error")
        if f.check in ("missing_table", "missing_column")
    ]
    stop = f"; the build would stop ({len(stops)} missing required input(s))" if stops else ""
    return (
        f"Summary: {errors} error(s), {warnings} warning(s); {verdict}{stop}. "
        f"Exit code {report.exit_code}."
    )


def render_json(report: Report) -> str:
    document = asdict(report)
    document["exit_code"] = report.exit_code
    document["rejected_rows"] = sum(t.rejected_rows for t in report.tables)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
