"""``python -m sales_kpi_warehouse.generator``."""

from .cli import main

raise SystemExit(main())
