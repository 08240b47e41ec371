"""docs/kpis.md's KPI table, between two marker comments; the rest of the file is prose."""

from __future__ import annotations

from pathlib import Path

from .model import COMMAND, FAMILY_TITLES, Kpi, RegistryError

KPI_DOC = Path("docs") / "kpis.md"
START = f"<!-- kpi-table: generated from seeds/config/kpi_catalogue.csv by `{COMMAND}` -->"
END = "<!-- /kpi-table -->"
HEADER = "| KPI | Japanese | where | value = numerator / denominator |\n|---|---|---|---|"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def row(kpi: Kpi) -> str:
    if not kpi.mart:
        return f"| {cell(kpi.name_en)} | {cell(kpi.name_ja)} | (not yet built) | |"
    columns = f"`{kpi.value_column}`"
    if kpi.numerator_column or kpi.denominator_column:
        columns += f" = `{kpi.numerator_column}` / `{kpi.denominator_column}`"
    return f"| {cell(kpi.name_en)} | {cell(kpi.name_ja)} | `{kpi.mart}` | {columns} |"


def summary(kpis: list[Kpi]) -> str:
    built = sum(1 for kpi in kpis if kpi.mart)
    metrics = sum(1 for kpi in kpis if kpi.metric)
    return (
        f"{len(kpis)} KPIs, {built} built (in a mart), {metrics} with a MetricFlow metric "
        "(`mf query --metrics <metric>`, docs/serving.md)."
    )


def table(kpis: list[Kpi]) -> str:
    sections = [summary(kpis)]
    for family, title in FAMILY_TITLES.items():
        rows = [row(kpi) for kpi in kpis if kpi.family == family]
        if rows:
            sections.append(f"**{title}**\n\n{HEADER}\n" + "\n".join(rows))
    return "\n\n".join(sections)


def kpi_table(text: str, kpis: list[Kpi], where: str) -> str:
    """`text` with the part between the markers replaced by the table."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise RegistryError(
            f"{where}: the markers are missing; put the lines\n{START}\n{END}\n"
            "where the KPI table belongs and run the generator again"
        )
    return f"{text[: start + len(START)]}\n\n{table(kpis)}\n\n{text[end:]}"
