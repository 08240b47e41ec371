"""The KPI registry: seeds/config/kpi_catalogue.csv, one row per KPI (published as dim_kpi)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path

REGISTRY = Path("seeds") / "config" / "kpi_catalogue.csv"
COMMAND = "PYTHONPATH=tools .venv/bin/python -m sales_kpi_warehouse.registry"

# dim_kpi.unit → the meta `format` of the KPI's value column and metric
UNIT_FORMATS = {
    "money": "currency",
    "pct": "percent",
    "ratio": "ratio",
    "count": "count",
    "days": "days",
    "hours": "hours",
    "score": "score",
}
# family → its heading in docs/kpis.md, in catalogue order (KPI_CATALOGUE.md sections A–E)
FAMILY_TITLES = {
    "team_performance": "Team performance (チームパフォーマンス)",
    "leads": "Leads (リード)",
    "growth": "Growth (成長)",
    "customer": "Customer (カスタマー)",
    "planning": "Planning and monitoring",
}
CURRENCY = "{{ var('reporting_currency') }}"


class RegistryError(Exception):
    """The registry or a file generated from it is in a state the generator cannot repair."""


@dataclass(frozen=True)
class Kpi:
    """One row of the registry; empty strings where the CSV cell is empty. `kpi_id` is the name
    of the KPI's value column unless `id_differs_reason` says why not."""

    kpi_id: str
    family: str
    name_en: str
    name_ja: str
    formula: str
    unit: str
    mart: str
    value_column: str
    numerator_column: str
    denominator_column: str
    source_article: str
    metric: str
    metric_exclusion_reason: str
    id_differs_reason: str

    def parts(self) -> list[tuple[str, str]]:
        """(role, column) of the value, numerator and denominator columns that are set."""
        named = [
            ("value", self.value_column),
            ("numerator", self.numerator_column),
            ("denominator", self.denominator_column),
        ]
        return [(role, column) for role, column in named if column]


FIELDS = tuple(field.name for field in fields(Kpi))


def parse_kpis(text: str, where: str = str(REGISTRY)) -> list[Kpi]:
    """The registry's rows, checked for the columns and values the generator relies on."""
    reader = csv.DictReader(text.splitlines())
    missing = [name for name in FIELDS if name not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"{where}: no column(s) {missing}; the registry needs {list(FIELDS)}")
    kpis = [Kpi(**{name: (row[name] or "").strip() for name in FIELDS}) for row in reader]
    problems = [problem for kpi in kpis for problem in row_problems(kpi)]
    ids = [kpi.kpi_id for kpi in kpis]
    problems += [
        f"kpi_id {kpi_id!r} appears more than once"
        for kpi_id in sorted(set(ids))
        if ids.count(kpi_id) > 1
    ]
    if problems:
        raise RegistryError(f"{where}: fix these rows:\n  " + "\n  ".join(problems))
    return kpis


def row_problems(kpi: Kpi) -> list[str]:
    found = []
    if kpi.unit not in UNIT_FORMATS:
        found.append(f"{kpi.kpi_id}: unit {kpi.unit!r} is not one of {sorted(UNIT_FORMATS)}")
    if kpi.family not in FAMILY_TITLES:
        found.append(f"{kpi.kpi_id}: family {kpi.family!r} is not one of {list(FAMILY_TITLES)}")
    if kpi.mart and not kpi.value_column:
        found.append(f"{kpi.kpi_id}: has a mart but no value_column")
    return found


def load_kpis(root: Path) -> list[Kpi]:
    return parse_kpis((root / REGISTRY).read_text(encoding="utf-8"))
