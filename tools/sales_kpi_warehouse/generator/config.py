"""Generator settings and the scale rules derived from them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from .common import Calendar

OutputFormat = Literal["csv", "parquet"]

DEMO_DEALS = 1_500
DEFAULT_SEED = 42
DEFAULT_CHUNK_DEALS = 250_000
DEFAULT_START_MONTH = date(2024, 11, 1)
DEFAULT_MONTHS = 24
DEFAULT_OUT = Path("seeds/demo/crm")
MIN_DEALS = 100
MIN_MONTHS = 12
MAX_MONTHS = 120
MIN_CHUNK_DEALS = 1_000
#: Activities per deal: the demo is dense (≈14), big runs lighter (≈8) to keep files sane.
DEMO_ACTIVITIES_PER_DEAL = 14.0
SCALE_ACTIVITIES_PER_DEAL = 8.0
DENSE_ACTIVITY_LIMIT = 10_000
#: Share of rows per defect kind (at least MIN_DEFECT_ROWS in the first chunk).
DEFECT_RATE = 0.003
MIN_DEFECT_ROWS = 3
#: Share of clean rows given a vocabulary/currency variant that staging normalises.
VARIANT_RATE = 0.02
REPS_PER_DIVISION = 25
TEAMS_PER_DIVISION = 4
GENERATOR_VERSION = "1"


class ConfigError(ValueError):
    """A setting is out of range; the message says what to use instead."""


@dataclass(frozen=True)
class GeneratorConfig:
    """Everything the output depends on. Same config, same bytes."""

    deals: int = DEMO_DEALS
    seed: int = DEFAULT_SEED
    out_dir: Path = DEFAULT_OUT
    output_format: OutputFormat = "csv"
    chunk_deals: int = DEFAULT_CHUNK_DEALS
    defects: bool = True
    start_month: date = DEFAULT_START_MONTH
    months: int = DEFAULT_MONTHS
    activities_per_deal: float | None = None
    calendar: Calendar = field(init=False)

    def __post_init__(self) -> None:
        if self.deals < MIN_DEALS:
            raise ConfigError(
                f"--deals must be at least {MIN_DEALS} (got {self.deals}): the fixed demo "
                "scenarios (team change, leaver, month-end closes) need that many deals."
            )
        if self.chunk_deals < MIN_CHUNK_DEALS:
            raise ConfigError(
                f"--chunk-deals must be at least {MIN_CHUNK_DEALS} (got {self.chunk_deals})."
            )
        if not MIN_MONTHS <= self.months <= MAX_MONTHS:
            raise ConfigError(
                f"--months must be between {MIN_MONTHS} and {MAX_MONTHS} (got {self.months})."
            )
        if self.start_month.day != 1:
            raise ConfigError("--start-month must be a month (YYYY-MM).")
        if self.seed < 0:
            raise ConfigError(f"--seed must be zero or positive (got {self.seed}).")
        if self.activities_per_deal is not None and not 1.0 <= self.activities_per_deal <= 50.0:
            raise ConfigError(
                f"--activities-per-deal must be between 1 and 50 (got {self.activities_per_deal})."
            )
        if self.output_format not in ("csv", "parquet"):
            raise ConfigError(f"--format must be csv or parquet (got {self.output_format}).")
        object.__setattr__(self, "calendar", Calendar(self.start_month, self.months))

    @property
    def activity_rate(self) -> float:
        """Activities per deal (all kinds together)."""
        if self.activities_per_deal is not None:
            return self.activities_per_deal
        if self.deals <= DENSE_ACTIVITY_LIMIT:
            return DEMO_ACTIVITIES_PER_DEAL
        return SCALE_ACTIVITIES_PER_DEAL

    @property
    def divisions(self) -> int:
        """Sales divisions of 25 reps in 4 teams.

        One division at the demo size; the rep count grows with deals**0.75, so a rep's deal
        volume grows slowly with size (≈2.5 deals a month at the demo, ≈13 at 1 M deals and
        ≈23 at 10 M) while the number of reps stays in the thousands.
        """
        return max(1, round(float((self.deals / DEMO_DEALS) ** 0.75)))

    @property
    def chunk_sizes(self) -> list[int]:
        """Deals per chunk, in order."""
        full, rest = divmod(self.deals, self.chunk_deals)
        return [self.chunk_deals] * full + ([rest] if rest else [])

    def id_width(self, per_deal_bound: float) -> int:
        """Digits of an id whose clean numbers stay below ``per_deal_bound * deals``.

        Clean ids are 1..n; ids of appended defect rows start at 9 * 10**(width - 1), so
        they can never collide with a clean id.
        """
        bound = max(1, math.ceil(per_deal_bound * self.deals))
        return max(5, len(str(bound)) + 1)
