"""Turn generated numbers into the contract's text values (pyarrow string arrays).

Missing values are nulls (an empty field in CSV). Timestamps are ``YYYY-MM-DD HH:MM:SS`` UTC,
dates ``YYYY-MM-DD``, money with a ``.`` decimal point (whole yen for JPY, two decimals
otherwise), booleans ``true``/``false``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from .common import I64, Bool
from .schema import TABLE_COLUMNS


def _mask(valid: Bool | None) -> Bool | None:
    return None if valid is None else ~valid


def join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and literals."""
    return pc.binary_join_element_wise(*parts, "")


def ids(prefix: str, numbers: I64, width: int, valid: Bool | None = None) -> pa.Array:
    """``prefix`` + zero-padded number, e.g. ``D000042``; null where not ``valid``."""
    digits = pc.utf8_lpad(pa.array(numbers, mask=_mask(valid)).cast(pa.string()), width, "0")
    return join(prefix, digits)


def timestamps(ts: I64, valid: Bool | None = None) -> pa.Array:
    """``YYYY-MM-DD HH:MM:SS`` of UTC epoch seconds."""
    return pa.array(ts.astype("datetime64[s]"), mask=_mask(valid)).cast(pa.string())


def dates(days: I64, valid: Bool | None = None) -> pa.Array:
    """``YYYY-MM-DD`` of day numbers."""
    return pa.array(days.astype("datetime64[D]"), mask=_mask(valid)).cast(pa.string())


def integers(values: I64, valid: Bool | None = None) -> pa.Array:
    """Whole numbers as text."""
    return pa.array(values, mask=_mask(valid)).cast(pa.string())


def decimals(values: I64, scale: int, valid: Bool | None = None) -> pa.Array:
    """Fixed-point text of ``values / 10**scale`` with exactly ``scale`` decimals."""
    factor = 10**scale
    negative = values < 0
    magnitude = np.abs(values)
    whole = pa.array(magnitude // factor).cast(pa.string())
    fraction = pc.utf8_lpad(pa.array(magnitude % factor).cast(pa.string()), scale, "0")
    sign = pa.array(np.where(negative, "-", ""))
    text = join(sign, whole, ".", fraction)
    return (
        text
        if valid is None
        else pc.if_else(pa.array(valid), text, pa.nulls(len(text), pa.string()))
    )


def money(minor: I64, whole_units: Bool, valid: Bool | None = None) -> pa.Array:
    """Amounts given in minor units (1/100): whole numbers where ``whole_units`` (JPY)."""
    with_cents = decimals(minor, 2)
    negative = minor < 0
    whole = pa.array(np.abs(minor) // 100).cast(pa.string())
    whole_text = join(pa.array(np.where(negative, "-", "")), whole)
    text = pc.if_else(pa.array(whole_units), whole_text, with_cents)
    return (
        text
        if valid is None
        else pc.if_else(pa.array(valid), text, pa.nulls(len(text), pa.string()))
    )


def booleans(values: Bool) -> pa.Array:
    """``true`` / ``false``."""
    return pa.array(np.where(values, "true", "false"))


def vocabulary(words: Sequence[str], codes: I64, valid: Bool | None = None) -> pa.Array:
    """The word of each code."""
    return pa.array(list(words), pa.string()).take(pa.array(codes, mask=_mask(valid)))


def take(values: pa.Array, index: I64, valid: Bool | None = None) -> pa.Array:
    """``values[index]``, null where not ``valid``."""
    safe = np.where(valid, index, 0) if valid is not None else index
    return values.take(pa.array(safe, mask=_mask(valid)))


def constant(value: str | None, length: int) -> pa.Array:
    """A column holding one value (or null) ``length`` times."""
    if value is None:
        return pa.nulls(length, pa.string())
    return pa.array([value], pa.string()).take(pa.array(np.zeros(length, dtype=np.int64)))


def build_table(name: str, columns: Mapping[str, pa.Array]) -> pa.Table:
    """A table with exactly the contract's columns of ``name``, in order, all strings."""
    expected = TABLE_COLUMNS[name]
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected]
    if missing or extra:
        raise ValueError(f"table {name}: missing columns {missing}, unexpected {extra}")
    arrays = [columns[c].cast(pa.string()) for c in expected]
    return pa.Table.from_arrays(arrays, schema=table_schema(name))


def table_schema(name: str) -> pa.Schema:
    """The all-string schema of a raw table."""
    return pa.schema([pa.field(c, pa.string()) for c in TABLE_COLUMNS[name]])


def empty_table(name: str) -> pa.Table:
    """A raw table with no rows."""
    return table_schema(name).empty_table()
