"""The input doctor: checks a CRM export against the input contract before any build.

``python -m sales_kpi_warehouse.doctor RAW_PATH`` (``make doctor RAW_PATH=…``) explains the
command line; :func:`diagnose` is the Python entry point, :func:`load_contract` and
:func:`render_markdown` read and print the contract (docs/input_contract.md).
"""

from .contract import ColumnSpec, TableSpec, load_contract, render_markdown
from .run import Report, TableResult, diagnose

__all__ = [
    "ColumnSpec",
    "Report",
    "TableResult",
    "TableSpec",
    "diagnose",
    "load_contract",
    "render_markdown",
]
