"""Array types, calendar arithmetic and random helpers shared by the generator modules.

Times are int64 seconds since 1970-01-01 UTC; dates are int64 days since 1970-01-01. The
reporting time zone of the warehouse is Asia/Tokyo (UTC+9, no daylight saving), so a JST
calendar date is the UTC date of ``ts + 9 h``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

DAY: int = 86_400
HOUR: int = 3_600
JST_OFFSET: int = 9 * HOUR
#: Business hours 09:00-19:00 JST are 00:00-10:00 UTC.
BUSINESS_SECONDS: int = 10 * HOUR
#: "Never" for open-ended employment and similar bounds.
FAR_FUTURE: int = 10**11


def i64(values: npt.ArrayLike) -> I64:
    """Any array-like as an int64 array."""
    return np.asarray(values, dtype=np.int64)


def f64(values: npt.ArrayLike) -> F64:
    """Any array-like as a float64 array."""
    return np.asarray(values, dtype=np.float64)


def day_number(value: date) -> int:
    """Days since 1970-01-01 of a date."""
    return (value - date(1970, 1, 1)).days


def from_day_number(days: int) -> date:
    """The date of a day number."""
    return date.fromordinal(date(1970, 1, 1).toordinal() + days)


def add_months(value: date, months: int) -> date:
    """First day of the month ``months`` after the month of ``value``."""
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def add_months_days(days: I64, months: I64 | int) -> I64:
    """Vectorised: the first day of the month ``months`` after the month of each day."""
    month = days.astype("datetime64[D]").astype("datetime64[M]")
    shifted = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    return i64(shifted.astype("datetime64[D]").astype(np.int64))


def month_start_days(days: I64) -> I64:
    """Vectorised: first day of the month of each day."""
    return add_months_days(days, 0)


def weekday(days: I64) -> I64:
    """Vectorised weekday of day numbers, Monday = 0 (1970-01-01 was a Thursday)."""
    return i64((days + 3) % 7)


def jst_day(ts: I64) -> I64:
    """Vectorised calendar day (day number) in Asia/Tokyo of UTC timestamps."""
    return i64((ts + JST_OFFSET) // DAY)


@dataclass(frozen=True)
class Calendar:
    """The generated period: ``months`` whole months from ``start_month``.

    ``start_ts`` is the first instant of the period and ``end_ts`` the last instant any clean
    event may have: 12:00 UTC (21:00 JST) on the as-of date, the last day of the period, so
    every clean event falls on or before the as-of date in both UTC and JST.
    """

    start_month: date
    months: int

    @property
    def month_starts(self) -> I64:
        """Day numbers of the first day of each month, plus the first day after the period."""
        return i64([day_number(add_months(self.start_month, m)) for m in range(self.months + 1)])

    @property
    def start_day(self) -> int:
        return day_number(self.start_month)

    @property
    def end_day(self) -> int:
        """Day number of the first day after the period."""
        return day_number(add_months(self.start_month, self.months))

    @property
    def as_of(self) -> date:
        return from_day_number(self.end_day - 1)

    @property
    def start_ts(self) -> int:
        return self.start_day * DAY

    @property
    def end_ts(self) -> int:
        return (self.end_day - 1) * DAY + 12 * HOUR

    def month_index_of_day(self, days: I64) -> I64:
        """Index of the period month holding each day (-1 before, ``months`` after)."""
        return i64(np.searchsorted(self.month_starts, days, side="right") - 1)

    def jst_month_index(self, ts: I64) -> I64:
        """Index of the period month of each timestamp in Asia/Tokyo."""
        return self.month_index_of_day(jst_day(ts))

    def utc_month_index(self, ts: I64) -> I64:
        """Index of the period month of each timestamp in UTC."""
        return self.month_index_of_day(i64(ts // DAY))

    def month_label(self, index: int) -> str:
        """``YYYY-MM-01`` of a period month."""
        return add_months(self.start_month, index).isoformat()


def lognormal(rng: np.random.Generator, median: F64 | float, sigma: float, size: int) -> F64:
    """Log-normal draws with the given median."""
    return f64(np.asarray(median, dtype=np.float64) * np.exp(sigma * rng.standard_normal(size)))


def categorical(rng: np.random.Generator, probabilities: tuple[float, ...], size: int) -> I64:
    """Category codes 0..k-1 drawn with the given (normalised here) probabilities."""
    weights = f64(probabilities)
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return i64(np.searchsorted(cumulative, rng.random(size), side="right"))


def business_time(
    rng: np.random.Generator,
    raw: I64,
    lower: I64 | int,
    upper: I64 | int,
) -> I64:
    """Move timestamps to a weekday during JST business hours on (about) the same day.

    Each ``raw`` time is moved to a random time 09:00-19:00 JST (00:00-10:00 UTC) of its day,
    Saturday to the Friday before and Sunday to the Monday after. A moved time outside
    ``[lower, upper]`` falls back to the raw time with its time of day clipped to 14:59 UTC,
    then to the raw time itself, so the result always lies in ``[lower, upper]`` when ``raw``
    does.
    """
    lower_arr = np.broadcast_to(np.asarray(lower, dtype=np.int64), raw.shape)
    upper_arr = np.broadcast_to(np.asarray(upper, dtype=np.int64), raw.shape)
    day = raw // DAY
    dow = weekday(day)
    day = day + np.where(dow == 5, -1, 0) + np.where(dow == 6, 1, 0)
    moved = day * DAY + rng.integers(0, BUSINESS_SECONDS, raw.shape[0])
    inside = (moved >= lower_arr) & (moved <= upper_arr)
    clipped = (raw // DAY) * DAY + np.minimum(raw % DAY, 15 * HOUR - 1)
    clipped_inside = (clipped >= lower_arr) & (clipped <= upper_arr)
    return i64(np.where(inside, moved, np.where(clipped_inside, clipped, raw)))


def uniform_time(rng: np.random.Generator, lower: I64, upper: I64) -> I64:
    """A uniform time in ``[lower, upper]`` moved to business hours when possible."""
    span = np.maximum(upper - lower, 0)
    raw = lower + np.floor(rng.random(lower.shape[0]) * (span + 1)).astype(np.int64)
    raw = np.minimum(raw, upper)
    return business_time(rng, i64(raw), lower, upper)


def seasonal_month_weights(calendar: Calendar) -> F64:
    """Relative deal/lead volume per period month.

    A gentle growth trend (+1.5 % a month) times Japanese B2B seasonality: the fiscal
    year-end (March) and half-year-end (September) rush, quieter Golden Week (May), Obon
    (August) and New Year (December/January).
    """
    season = {1: 0.92, 2: 1.05, 3: 1.25, 4: 0.95, 5: 0.9, 6: 1.0}
    season |= {7: 1.02, 8: 0.88, 9: 1.2, 10: 1.0, 11: 1.0, 12: 0.85}
    weights = []
    for m in range(calendar.months):
        month = add_months(calendar.start_month, m).month
        weights.append((1.0 + 0.015 * m) * season[month])
    return f64(weights)


def seasonal_time(rng: np.random.Generator, calendar: Calendar, size: int, margin: int) -> I64:
    """``size`` business-hour times spread over the period by :func:`seasonal_month_weights`.

    ``margin`` seconds are kept free before ``calendar.end_ts``.
    """
    weights = seasonal_month_weights(calendar)
    months = categorical(rng, tuple(float(w) for w in weights), size)
    starts = calendar.month_starts * DAY
    lower = i64(np.maximum(starts[months], calendar.start_ts))
    upper = i64(np.minimum(starts[months + 1] - 1, calendar.end_ts - margin))
    return uniform_time(rng, lower, upper)


def counts_to_offsets(counts: I64) -> I64:
    """Start offset of each group in a flat array holding ``counts[i]`` items per group."""
    offsets = np.zeros(counts.shape[0], dtype=np.int64)
    if counts.shape[0] > 1:
        np.cumsum(counts[:-1], out=offsets[1:])
    return offsets


def rank_within_groups(counts: I64) -> I64:
    """0, 1, ... within each group of a flat array grouped by ``counts``."""
    total = int(counts.sum())
    offsets = counts_to_offsets(counts)
    return i64(np.arange(total, dtype=np.int64) - np.repeat(offsets, counts))


def round_half_up(value: float) -> int:
    """Conventional rounding (``round`` rounds half to even)."""
    return int(np.floor(value + 0.5))
