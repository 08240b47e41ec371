"""Sales KPI Warehouse: Python helpers that ship with the dbt project.

The dbt project itself lives at the repository root; this package holds the deterministic
synthetic CRM data generator (:mod:`sales_kpi_warehouse.generator`).
"""

__version__ = "0.1.0"
