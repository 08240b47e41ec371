"""The dashboard pages, one module per KPI family; each exposes render(ctx)."""
