"""The KPI doc blocks `kpi_<kpi_id>` (models/marts/**/_*docs.md): the registry writes the
opening `**EN (JA)** — ` of each block's first line; the definition after it and the lines below
stay hand-written. A KPI without a block gets a stub in models/marts/_kpi__docs.md."""

from __future__ import annotations

import re
from pathlib import Path

from .model import COMMAND, Kpi, RegistryError

DOCS_DIR = Path("models") / "marts"
STUB_FILE = DOCS_DIR / "_kpi__docs.md"
BLOCK = re.compile(r"(\{%-?\s*docs\s+kpi_(\w+)\s*-?%\}\n)([^\n]*)")
DASH = "** — "


def doc_files(root: Path) -> list[Path]:
    """The doc files under models/marts, relative to root."""
    return sorted(path.relative_to(root) for path in (root / DOCS_DIR).rglob("_*docs.md"))


def documented(text: str) -> set[str]:
    return {match.group(2) for match in BLOCK.finditer(text)}


def heading(kpi: Kpi) -> str:
    return f"**{kpi.name_en} ({kpi.name_ja}){DASH}"


def first_line(kpi: Kpi, line: str) -> str:
    """`line` opening with the KPI's names; a hand-written definition after the dash stays."""
    if line.startswith(heading(kpi)):
        return line
    rest = line.split(DASH, 1)[1] if line.startswith("**") and DASH in line else line
    return heading(kpi) + (rest or f"{kpi.formula}.")


def stub(kpi: Kpi) -> str:
    ratio = (
        f"; numerator `{kpi.numerator_column}`, denominator `{kpi.denominator_column}`"
        if kpi.numerator_column
        else ""
    )
    return (
        f"\n{{% docs kpi_{kpi.kpi_id} %}}\n{heading(kpi)}{kpi.formula}.\n"
        f"Unit {kpi.unit}{ratio}. Source: {kpi.source_article}. (Stub written by `{COMMAND}`: "
        "replace this line with the NULL policy and what a reader must know.)\n{% enddocs %}\n"
    )


def doc_blocks(text: str, kpis: list[Kpi], where: str) -> str:
    """`text` with every KPI block's first line opening with the registry's names."""
    by_id = {kpi.kpi_id: kpi for kpi in kpis}
    unknown = sorted(documented(text) - by_id.keys())
    if unknown:
        raise RegistryError(
            f"{where}: doc blocks {['kpi_' + kpi_id for kpi_id in unknown]} name no KPI of the "
            "registry: rename the block, or add the KPI to seeds/config/kpi_catalogue.csv"
        )
    return BLOCK.sub(
        lambda m: m.group(1) + first_line(by_id[m.group(2)], m.group(3)),
        text,
    )


def with_stubs(text: str, kpis: list[Kpi], elsewhere: set[str]) -> str:
    """`text` with a stub block appended for each KPI documented nowhere."""
    missing = [kpi for kpi in kpis if kpi.kpi_id not in documented(text) | elsewhere]
    return text + "".join(stub(kpi) for kpi in missing)
