"""The input contract, read from the `crm` source's YAML (models/staging/crm/_crm__sources.yml):
table `meta` (required, key, kpis) and column `config.meta` (required, default, rejects_when,
kpis, type and the value rules). :func:`render_markdown` prints it for docs/input_contract.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

PROJECT_DIR = Path(__file__).resolve().parents[3]
SOURCES_YML = PROJECT_DIR / "models" / "staging" / "crm" / "_crm__sources.yml"

#: KPI family letters of KPI_CATALOGUE.md.
FAMILIES = {
    "A": "A team performance",
    "B": "B leads",
    "C": "C growth",
    "D": "D customer",
    "E": "E planning",
}
TYPES = frozenset(
    {"text", "date", "month", "timestamp", "integer", "number", "currency", "boolean"}
)


class ContractError(ValueError):
    """The sources YAML does not hold a readable contract."""


@dataclass(frozen=True)
class ColumnSpec:
    """One raw column: when it rejects a row, what an empty value becomes, who needs it."""

    name: str
    description: str
    required: bool
    default: str | None
    rejects_when: str | None
    kpis: tuple[str, ...]
    type: str
    mapping: str | None = None
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    not_before: str | None = None
    required_when: str | None = None
    empty_when: str | None = None

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """The reason codes of `rejects_when`, in order (each clause ends in `(code)`)."""
        return tuple(re.findall(r"\(([a-z_]+)\)", self.rejects_when or ""))


@dataclass(frozen=True)
class TableSpec:
    """One raw table of the export."""

    name: str
    description: str
    required: bool
    key: tuple[str, ...]
    kpis: tuple[str, ...]
    without: str  # what happens to the KPIs when the table is missing
    columns: tuple[ColumnSpec, ...]

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)


def describe_kpis(kpis: tuple[str, ...]) -> str:
    """`('A', 'win_rate_pct')` → `A team performance, win_rate_pct`; nothing → `no KPI`."""
    return ", ".join(FAMILIES.get(k, k) for k in kpis) or "no KPI"


def _column(table: str, raw: dict[str, Any]) -> ColumnSpec:
    meta = (raw.get("config") or {}).get("meta") or raw.get("meta") or {}
    where = f"{table}.{raw.get('name')}"
    missing = {"required", "default", "rejects_when", "kpis", "type"} - set(meta)
    if missing:
        raise ContractError(f"{where}: config.meta lacks {sorted(missing)} in {SOURCES_YML}")
    if meta["type"] not in TYPES:
        raise ContractError(f"{where}: type {meta['type']!r} is not one of {sorted(TYPES)}")
    return ColumnSpec(
        name=raw["name"],
        description=raw.get("description", ""),
        required=bool(meta["required"]),
        default=meta["default"],
        rejects_when=meta["rejects_when"],
        kpis=tuple(meta["kpis"]),
        type=meta["type"],
        mapping=meta.get("mapping"),
        values=tuple(meta.get("values") or ()),
        min=meta.get("min"),
        max=meta.get("max"),
        not_before=meta.get("not_before"),
        required_when=meta.get("required_when"),
        empty_when=meta.get("empty_when"),
    )


def load_contract(path: Path = SOURCES_YML) -> tuple[TableSpec, ...]:
    """Every table of the `crm` source, in the YAML's order."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = next((s for s in document.get("sources", []) if s.get("name") == "crm"), None)
    if source is None:
        raise ContractError(f"{path} has no source named crm")
    tables = []
    for raw in source["tables"]:
        meta = raw.get("meta") or {}
        tables.append(
            TableSpec(
                name=raw["name"],
                description=raw.get("description", ""),
                required=bool(meta.get("required", False)),
                key=tuple(meta.get("key") or ()),
                kpis=tuple(meta.get("kpis") or ()),
                without=str(meta.get("without") or "the KPIs that need it come out NULL"),
                columns=tuple(_column(raw["name"], c) for c in raw["columns"]),
            )
        )
    return tuple(tables)


def _cell(value: str | None) -> str:
    return "—" if value is None else value.replace("|", "\\|")


def render_markdown(tables: tuple[TableSpec, ...]) -> str:
    """One Markdown table per raw table: column, required, default, rejects when, needed by."""
    parts: list[str] = []
    for table in tables:
        status = "**required**" if table.required else "optional"
        parts += [
            f"### `{table.name}` ({status})",
            "",
            f"{table.description} Key: {', '.join(table.key)}. Without it: {table.without}.",
            "",
            "| column | type | required | default | rejects the row when | needed by |",
            "|---|---|---|---|---|---|",
        ]
        for c in table.columns:
            parts.append(
                f"| `{c.name}` | {c.type} | {'yes' if c.required else 'no'} | {_cell(c.default)} "
                f"| {_cell(c.rejects_when)} | {describe_kpis(c.kpis) if c.kpis else '—'} |"
            )
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"
