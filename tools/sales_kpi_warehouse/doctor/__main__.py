"""``python -m sales_kpi_warehouse.doctor``."""

from .cli import main

raise SystemExit(main())
