"""``python -m sales_kpi_warehouse.benchmark``."""

from .cli import main

raise SystemExit(main())
