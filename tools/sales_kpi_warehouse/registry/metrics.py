"""The registry's part of each KPI's MetricFlow metric: `label` (the English name), `config:
meta:` (kpi_id, unit, format, Japanese name, currency of a money KPI) and the description's
opening `EN (JA) — ` and its reference `KPI `id`; mart column mart.column.`. The rest of the
metric (type, measures, filters, the description's prose) is hand-written."""

from __future__ import annotations

import re

import yaml  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, ScalarNode  # type: ignore[import-untyped]

from .model import CURRENCY, UNIT_FORMATS, Kpi, RegistryError
from .yaml_edit import Edit, Value, child, line_start, set_keys, text_of

REFERENCE = re.compile(r"KPI `[^`]*`; mart column \S+?\.(?=\s|$)")
DASH = " — "


def metric_meta(kpi: Kpi) -> dict[str, Value | None]:
    return {
        "kpi_id": kpi.kpi_id,
        "unit": kpi.unit,
        "format": UNIT_FORMATS[kpi.unit],
        "name_ja": kpi.name_ja,
        "currency": CURRENCY if kpi.unit == "money" else None,
    }


def description(kpi: Kpi, current: str) -> str:
    """`current` opening with the KPI's names and holding its reference."""
    opening = f"{kpi.name_en} ({kpi.name_ja}){DASH}"
    reference = f"KPI `{kpi.kpi_id}`; mart column {kpi.mart}.{kpi.value_column}."
    text = current.strip()
    if not text.startswith(opening):
        text = opening + (text.split(DASH, 1)[1] if DASH in text else text)
    if REFERENCE.search(text):
        return REFERENCE.sub(lambda _: reference, text, count=1)
    return f"{text} {reference}"


def dump_description(value: str, indent: int) -> str:
    """A plain multi-line scalar for a `description:` key at `indent`, wrapped like the
    hand-written ones (about 100 characters a line)."""
    dumped = str(yaml.safe_dump({"description": value}, allow_unicode=True, width=100 - indent))
    body = dumped.removeprefix("description: ").rstrip("\n")
    return body.replace("\n  ", "\n" + " " * (indent + 2))


def metric_edits(text: str, metric: MappingNode, kpi: Kpi, where: str) -> list[Edit]:
    """Edits to one metric: label, meta and description."""
    edits = set_keys(text, metric, {"label": kpi.name_en}, f"{where}: metric {kpi.metric}")
    meta = child(child(metric, "config"), "meta")
    if not isinstance(meta, MappingNode):
        raise RegistryError(
            f"{where}: metric {kpi.metric} has no `config: meta:` mapping; add one "
            f"(`meta: {{kpi_id: {kpi.kpi_id}}}`) and run the generator again"
        )
    edits += set_keys(text, meta, metric_meta(kpi), f"{where}: metric {kpi.metric} meta")
    node = child(metric, "description")
    current = text_of(node)
    wanted = description(kpi, current)
    if isinstance(node, ScalarNode) and wanted != current.strip():
        start = node.start_mark.index
        indent = len(text[line_start(text, start) : start]) - len(
            text[line_start(text, start) : start].lstrip()
        )
        edits.append(Edit(start, node.end_mark.index, dump_description(wanted, indent)))
    elif node is None:
        edits += set_keys(text, metric, {"description": wanted}, f"{where}: metric {kpi.metric}")
    return edits
