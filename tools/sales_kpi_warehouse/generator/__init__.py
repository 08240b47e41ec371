"""Deterministic synthetic CRM export for the Sales KPI Warehouse.

``python -m sales_kpi_warehouse.generator --help`` explains the command line;
:func:`generate` is the Python entry point. See ``docs/generator.md``.
"""

from .config import ConfigError, GeneratorConfig
from .engine import MANIFEST_NAME, Progress, Summary, generate
from .schema import REASON_CODES, TABLE_COLUMNS, TABLES

__all__ = [
    "MANIFEST_NAME",
    "REASON_CODES",
    "TABLES",
    "TABLE_COLUMNS",
    "ConfigError",
    "GeneratorConfig",
    "Progress",
    "Summary",
    "generate",
]
