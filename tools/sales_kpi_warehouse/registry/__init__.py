"""The KPI registry and what is generated from it.

The registry is the seed seeds/config/kpi_catalogue.csv (published as dim_kpi): one row per KPI
with its id, English and Japanese names, formula, unit, family, source article, the mart and
columns holding its value, numerator and denominator, and its MetricFlow metric (or why it has
none). From it `python -m sales_kpi_warehouse.registry` writes:

- the KPI table of docs/kpis.md (between marker comments);
- the opening `**EN (JA)** — ` of every doc block `kpi_<kpi_id>`, and a stub block for a KPI
  that has none;
- `kpi_id` / `kpi_role` / `kpi_ids` (and a value column's `format`) in the column `meta` of
  each KPI's mart;
- the `label`, `meta` and description opening/reference of each KPI's MetricFlow metric.

`--check` writes nothing and exits 1 with a diff of every stale file.
"""

from .model import COMMAND, REGISTRY, Kpi, RegistryError, load_kpis, parse_kpis
from .run import stale, targets, write

__all__ = [
    "COMMAND",
    "REGISTRY",
    "Kpi",
    "RegistryError",
    "load_kpis",
    "parse_kpis",
    "stale",
    "targets",
    "write",
]
