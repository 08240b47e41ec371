"""Where the dashboard reads from and how it shows money: environment variables and dbt vars."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

import yaml  # type: ignore[import-untyped]

PROJECT_ROOT = Path(__file__).resolve().parents[3]
WAREHOUSE_ENV = "SKW_WAREHOUSE"
CURRENCY_ENV = "SKW_REPORTING_CURRENCY"
DEFAULT_CURRENCY = "JPY"

# Symbols of the common reporting currencies; any other ISO code is shown as a prefix ("CHF 1,234").
CURRENCY_SYMBOLS = {
    "JPY": "¥",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "CNY": "CN¥",
    "KRW": "₩",
    "INR": "₹",
    "AUD": "A$",
    "CAD": "CA$",
    "SGD": "S$",
    "HKD": "HK$",
    "TWD": "NT$",
}


@dataclass(frozen=True)
class Currency:
    """The reporting currency: its ISO code and the symbol money is shown with."""

    code: str
    symbol: str


def warehouse_path() -> Path:
    """The DuckDB file to read: $SKW_WAREHOUSE, else warehouse.duckdb at the project root."""
    configured = os.environ.get(WAREHOUSE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    return PROJECT_ROOT / "warehouse.duckdb"


def project_var(name: str, project_file: Path = PROJECT_ROOT / "dbt_project.yml") -> str | None:
    """A scalar `vars:` entry of dbt_project.yml, as text; None when the file or entry is absent."""
    if not project_file.is_file():
        return None
    document = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    variables = document.get("vars") if isinstance(document, dict) else None
    value = variables.get(name) if isinstance(variables, dict) else None
    return None if value is None else str(value)


def is_loopback(address: object) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost); False for
    an empty or missing one, which Streamlit binds to every interface."""
    if not isinstance(address, str) or not address.strip():
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def currency_for(code: str) -> Currency:
    """The display symbol of an ISO currency code (the code itself plus a space when unknown)."""
    normalised = code.strip().upper()
    return Currency(normalised, CURRENCY_SYMBOLS.get(normalised, f"{normalised} "))


def reporting_currency() -> Currency:
    """The currency every money column of the marts is in.

    $SKW_REPORTING_CURRENCY when set (a warehouse built with `--vars 'reporting_currency: …'`),
    else the `reporting_currency` var of dbt_project.yml, else JPY.
    """
    code = os.environ.get(CURRENCY_ENV, "").strip() or project_var("reporting_currency")
    return currency_for(code or DEFAULT_CURRENCY)
