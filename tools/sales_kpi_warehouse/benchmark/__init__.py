"""Benchmark of the dbt project at scale against a hand-written DuckDB floor (issue 9).

``python -m sales_kpi_warehouse.benchmark --sizes S,M,L`` (or ``make benchmark``); see
``docs/benchmark.md``. Modules: :mod:`.cli` (the run), :mod:`.data` (cached exports),
:mod:`.dbt_phases` and :mod:`.measure` (timed commands), :mod:`.floor` (``floor.sql``),
:mod:`.analysis` (ratios, exponents, targets), :mod:`.report` and :mod:`.plot` (outputs).
"""
