"""The KPI part of mart columns' `meta`: `kpi_id`, `kpi_role` and `kpi_ids` on every column
the registry names as a KPI's value, numerator or denominator in the KPI's mart, and the
`format` (and `currency`) of a value column from the KPI's unit.

Columns of other marts (facts, breakdowns) may carry hand-written KPI meta; in a KPI's own mart
a column the registry does not name loses the meta of that mart's KPIs (it is stale)."""

from __future__ import annotations

from yaml.nodes import MappingNode  # type: ignore[import-untyped]

from .model import CURRENCY, UNIT_FORMATS, Kpi, RegistryError
from .yaml_edit import Edit, Value, child, items, set_keys, text_of, value_of

KPI_KEYS = ("kpi_id", "kpi_role", "kpi_ids")


def column_meta(kpis: list[Kpi], mart: str) -> dict[str, dict[str, Value | None]]:
    """column → the KPI meta it must have, for the columns of `mart` the registry names."""
    roles: dict[str, list[tuple[Kpi, str]]] = {}
    for kpi in kpis:
        if kpi.mart == mart:
            for role, column in kpi.parts():
                roles.setdefault(column, []).append((kpi, role))
    return {column: meta_for(entries) for column, entries in roles.items()}


def meta_for(entries: list[tuple[Kpi, str]]) -> dict[str, Value | None]:
    """The column's KPI is the one it is the value of, else the first (registry order)."""
    values = [entry for entry in entries if entry[1] == "value"]
    kpi, role = (values or entries)[0]
    ids = list(dict.fromkeys([kpi.kpi_id, *(other.kpi_id for other, _ in entries)]))
    meta: dict[str, Value | None] = {
        "kpi_id": kpi.kpi_id,
        "kpi_role": role,
        "kpi_ids": ids if len(ids) > 1 else None,
    }
    if values:
        meta["format"] = UNIT_FORMATS[kpi.unit]
        meta["currency"] = CURRENCY if kpi.unit == "money" else None
    return meta


def model_edits(text: str, model: MappingNode, kpis: list[Kpi], where: str) -> list[Edit]:
    """Edits to one model's columns (none when no KPI lives in it)."""
    mart = text_of(child(model, "name"))
    owned = column_meta(kpis, mart)
    homed_here = {kpi.kpi_id for kpi in kpis if kpi.mart == mart}
    if not homed_here:
        return []
    edits: list[Edit] = []
    for column in items(child(model, "columns")):
        name = text_of(child(column, "name"))
        meta = child(child(column, "config"), "meta")
        wanted = wanted_meta(owned.get(name), meta, homed_here)
        if not wanted:
            continue
        if not isinstance(meta, MappingNode):
            raise RegistryError(
                f"{where}: column {mart}.{name} has no `config: meta:` mapping; add one with "
                "its `format` (docs/serving.md, Column metadata for BI tools)"
            )
        edits += set_keys(text, meta, wanted, f"{where}: {mart}.{name} meta")
    return edits


def wanted_meta(
    owned: dict[str, Value | None] | None, meta: object, homed_here: set[str]
) -> dict[str, Value | None]:
    """What to set on one column: the registry's meta, or removal of stale KPI meta."""
    if owned is not None:
        wanted = dict(owned)
        if isinstance(meta, MappingNode) and child(meta, "unit_column") is not None:
            # the unit varies per row: format and currency stay hand-written
            wanted.pop("format", None)
            wanted.pop("currency", None)
        return wanted
    if not isinstance(meta, MappingNode):
        return {}
    if named_kpis(meta) & homed_here:
        return dict.fromkeys(KPI_KEYS)
    return {}


def named_kpis(meta: MappingNode) -> set[str]:
    """The KPI ids a column's meta names in `kpi_id` and `kpi_ids`."""
    named = {text_of(child(meta, "kpi_id"))} - {""}
    ids = child(meta, "kpi_ids")
    listed = value_of(ids) if ids is not None else None
    return named | (set(listed) if isinstance(listed, list) else set())
