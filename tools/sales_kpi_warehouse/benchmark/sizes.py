"""The benchmark sizes: a name and a number of deals (every other table scales with it)."""

from __future__ import annotations

from dataclasses import dataclass

#: S, M and L of issue 9; XS is the demo's size, for a quick try of the harness.
SIZES: dict[str, int] = {
    "XS": 1_500,
    "S": 10_000,
    "M": 1_000_000,
    "L": 10_000_000,
}


@dataclass(frozen=True)
class Size:
    name: str
    deals: int


class SizeError(ValueError):
    """A --sizes value that is neither a known size nor NAME=DEALS."""


def _one_size(text: str) -> Size:
    name, sep, deals_text = text.partition("=")
    name = name.strip()
    if not sep:
        if name.upper() in SIZES:
            return Size(name.upper(), SIZES[name.upper()])
        known = ", ".join(f"{key} ({value:,} deals)" for key, value in SIZES.items())
        msg = f"unknown size '{name}': use one of {known}, or NAME=DEALS (e.g. M2=2000000)."
        raise SizeError(msg)
    try:
        deals = int(deals_text.replace("_", "").strip())
    except ValueError:
        msg = f"'{text}': the number of deals after '=' must be a whole number."
        raise SizeError(msg) from None
    if not name or deals < 100:
        msg = f"'{text}': use NAME=DEALS with a name and at least 100 deals."
        raise SizeError(msg)
    return Size(name, deals)


def parse_sizes(text: str) -> list[Size]:
    """``"S,M,L"`` (or ``"S,M2=2000000"``) as sizes, smallest first, without repeats."""
    sizes = {size.name: size for size in map(_one_size, filter(None, text.split(",")))}
    if not sizes:
        msg = "--sizes is empty: give a comma-separated list such as S,M,L."
        raise SizeError(msg)
    return sorted(sizes.values(), key=lambda size: size.deals)
