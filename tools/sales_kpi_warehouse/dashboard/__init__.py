"""The KPI dashboard: a multipage Streamlit app on the marts of a built warehouse.

Run it with ``make dashboard`` (or ``PYTHONPATH=tools streamlit run
tools/sales_kpi_warehouse/dashboard/app.py``). It reads ``warehouse.duckdb`` (or the file named by
``SKW_WAREHOUSE``) read-only and only its ``main_marts`` schema; every query is in
:mod:`sales_kpi_warehouse.dashboard.queries`.
"""
