"""``python -m sales_kpi_warehouse.registry [--check] [--root DIR]``."""

from .cli import main

raise SystemExit(main())
