"""Column metadata BI tools read: every mart column carries `meta` (under `config:`) with its
display format and the reporting currency on money columns.

The vocabulary (docs/serving.md "Column metadata for BI tools"):
- `format` (every column): one of FORMATS — `percent` is 0–100, `currency` is in the reporting
  currency, `ratio` a plain quotient (e.g. 3.2×), `number` a value whose unit varies per row
  (then `unit_column` names the column holding the row's unit) or a plain number;
- `currency` (exactly the `currency` columns): `{{ var('reporting_currency') }}`, so it follows
  the project variable — checked here by parsing with another currency.

The KPI part (`kpi_id`, `kpi_role`, `kpi_ids`) is generated from the KPI registry and checked by
test_kpi_registry. A second test breaks a copy of the metadata in each of the ways above and
proves the check fails.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from parsed_project import TEST_CURRENCY, Columns, Marts, mart_columns, parse_project

FORMATS = frozenset(
    {
        "currency",
        "percent",
        "ratio",
        "count",
        "days",
        "hours",
        "minutes",
        "score",
        "number",
        "date",
        "text",
        "id",
        "boolean",
    }
)


def column_problems(where: str, meta: dict[str, Any], columns: Columns, currency: str) -> list[str]:
    """What is wrong with one column's meta (`where` names it in the messages)."""
    found: list[str] = []
    fmt = meta.get("format")
    if fmt is None:
        found.append(f"{where}: no meta.format")
    elif fmt not in FORMATS:
        found.append(f"{where}: format {fmt!r} is not one of {sorted(FORMATS)}")
    if fmt == "currency" and meta.get("currency") != currency:
        found.append(f"{where}: currency column without currency {currency!r}")
    if fmt != "currency" and "currency" in meta:
        found.append(f"{where}: currency on a {fmt!r} column")
    if "unit_column" in meta and meta["unit_column"] not in columns:
        found.append(f"{where}: unit_column {meta['unit_column']!r} is not a column")
    return found


def problems(marts: Marts, currency: str) -> list[str]:
    """Everything wrong with the marts' column metadata; empty when all is well."""
    found: list[str] = []
    for model, columns in sorted(marts.models.items()):
        for name, column in columns.items():
            found += column_problems(f"{model}.{name}", column["meta"], columns, currency)
    return found


@pytest.fixture(scope="module")
def marts(tmp_path_factory: pytest.TempPathFactory) -> Marts:
    return mart_columns(parse_project(tmp_path_factory.getbasetemp() / "parsed_project"))


def test_every_mart_column_has_bi_metadata(marts: Marts) -> None:
    assert len(marts.models) >= 20 and "kpi_team_performance" in marts.models
    found = problems(marts, TEST_CURRENCY)
    assert not found, f"{len(found)} column metadata problems:\n" + "\n".join(found[:40])


def _broken(marts: Marts, model: str, column: str, **meta: Any) -> Marts:
    broken = copy.deepcopy(marts)
    target = broken.models[model][column]["meta"]
    for key, value in meta.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value
    return broken


@pytest.mark.parametrize(
    ("model", "column", "change", "expected"),
    [
        ("kpi_leads", "period_label", {"format": None}, "no meta.format"),
        ("kpi_leads", "new_leads", {"format": "thousands"}, "is not one of"),
        ("kpi_growth", "revenue", {"currency": None}, "currency column without currency"),
        ("kpi_growth", "revenue", {"currency": "JPY"}, "currency column without currency"),
        ("kpi_leads", "new_leads", {"currency": TEST_CURRENCY}, "currency on a 'count' column"),
        ("kpi_alerts", "kpi_value", {"unit_column": "no_such_column"}, "is not a column"),
    ],
)
def test_the_check_fails_on_broken_metadata(
    marts: Marts, model: str, column: str, change: dict[str, Any], expected: str
) -> None:
    found = problems(_broken(marts, model, column, **change), TEST_CURRENCY)
    assert any(expected in problem for problem in found), found
