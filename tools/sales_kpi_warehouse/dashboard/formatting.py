"""How numbers are shown: money with the currency symbol, rates in %, NULL as a dash."""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import Literal, get_args

from sales_kpi_warehouse.dashboard.settings import Currency

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = get_args(Lang)
# dim_kpi.unit
Unit = Literal["pct", "money", "count", "days", "hours", "ratio", "score"]
UNITS: tuple[Unit, ...] = get_args(Unit)

MISSING = "—"
_SUFFIXES: dict[Unit, dict[Lang, str]] = {
    "pct": {"en": "%", "ja": "%"},
    "days": {"en": " days", "ja": "日"},
    "hours": {"en": " h", "ja": "時間"},
    "ratio": {"en": "×", "ja": "倍"},
}
_DELTA_SUFFIXES: dict[Unit, dict[Lang, str]] = {
    "pct": {"en": " pt", "ja": "pt"},
}
_DECIMALS: dict[Unit, int] = {
    "pct": 1,
    "money": 0,
    "days": 1,
    "hours": 1,
    "ratio": 2,
    "score": 1,
}
# Scale words of compact money, largest first.
_SCALES: dict[Lang, tuple[tuple[float, str], ...]] = {
    "en": ((1e12, "T"), (1e9, "B"), (1e6, "M")),
    "ja": ((1e12, "兆"), (1e8, "億"), (1e4, "万")),
}
# Columns holding money that the suffix rule below misses.
_MONEY_COLUMNS = frozenset(
    {"contract_revenue_to_date", "revenue_goal", "open_pipeline_amount", "remaining_quota"}
)
_MONEY_SUFFIXES = ("_revenue", "_pipeline", "_costs", "_amount", "_target")
_COUNT_TARGETS = frozenset({"deals_won_target", "new_accounts_target"})


def as_unit(unit: str | None) -> Unit:
    """A dim_kpi unit; anything unknown is shown as a plain number (`count`)."""
    for known in UNITS:
        if unit == known:
            return known
    return "count"


def to_float(value: object) -> float | None:
    """A warehouse number as a float; None for NULL (None, NaN, pandas NA) or a non-number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def is_missing(value: object) -> bool:
    """True for a NULL from the warehouse (None, NaN, pandas NA)."""
    return to_float(value) is None


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def count_decimals(value: float) -> int:
    """Counts are whole numbers; a back-calculated count (67.18 deals) keeps one decimal."""
    return 0 if float(value).is_integer() else 1


def compact_money(amount: float, lang: Lang) -> str | None:
    """A large amount to three significant digits with a scale word: `265M`, `3.68M`, `1.00B`
    (English), `2.65億`, `368万` (Japanese); None when it is small enough to show whole."""
    rounded = float(f"{amount:.3g}")
    for scale, word in _SCALES[lang]:
        if rounded >= scale:
            scaled = rounded / scale
            decimals = max(0, 2 - math.floor(math.log10(scaled)))
            return f"{_number(scaled, decimals)}{word}"
    return None


def format_value(
    value: object, unit: Unit, currency: Currency, lang: Lang = "en", *, compact: bool = False
) -> str:
    """A KPI value for display: `¥1,234,567`, `34.5%`, `2.41×`, `12.3 days`, `1,024`; NULL → —.

    `compact` shows large money amounts as `¥265M` / `¥2.65億` (headline metrics)."""
    number = to_float(value)
    if number is None:
        return MISSING
    if unit == "money":
        sign = "-" if number < 0 else ""
        shown = compact_money(abs(number), lang) if compact else None
        return f"{sign}{currency.symbol}{shown or _number(abs(number), 0)}"
    if unit == "count":
        return _number(number, count_decimals(number))
    suffix = _SUFFIXES.get(unit, {}).get(lang, "")
    return f"{_number(number, _DECIMALS[unit])}{suffix}"


def format_delta(
    change: object, unit: Unit, currency: Currency, lang: Lang = "en", *, compact: bool = False
) -> str | None:
    """A change between two periods, signed (`+2.1 pt`, `-¥120,000`); None when unknown."""
    number = to_float(change)
    if number is None:
        return None
    sign = "+" if number > 0 else "-" if number < 0 else "±"
    if unit == "pct":
        return f"{sign}{_number(abs(number), 1)}{_DELTA_SUFFIXES['pct'][lang]}"
    return f"{sign}{format_value(abs(number), unit, currency, lang, compact=compact)}"


def column_unit(column: str) -> Unit:
    """The unit of a numerator or denominator column: money or a plain number."""
    if column in _COUNT_TARGETS:
        return "count"
    if (
        column in _MONEY_COLUMNS
        or column.endswith(_MONEY_SUFFIXES)
        or column.startswith("revenue_")
    ):
        return "money"
    return "count"


def humanise(column: str) -> str:
    """`deals_closed` → `deals closed` (column names in hover texts)."""
    return column.replace("_", " ")
