"""Append the defects of real CRM exports to clean tables, and count them by reason code.

Every defective row is an *extra* row appended after the clean rows: a copy of a clean row
with a fresh id (or the same id, for duplicates and older versions) and exactly one problem,
so staging assigns exactly one, known, reason code — or, for an unknown reference
(FINDING_CODES), stages it and lists it in dq_findings. Nothing references a defective row,
so rejecting it never cascades. Clean rows are never changed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from . import formatting as fmt
from .chunk import IdSpace
from .common import DAY, I64, i64, round_half_up
from .config import DEFECT_RATE, MIN_DEFECT_ROWS
from .schema import (
    INDUSTRIES,
    MALFORMED_TIMESTAMPS,
    UNMAPPED_ACTIVITY_TYPE,
    UNMAPPED_DEAL_TYPE,
    UNMAPPED_LEAD_STATUS,
    UNMAPPED_STAGE,
)

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"

#: A currency code that is not a 3-letter ISO code (an empty one takes var default_currency).
MALFORMED_CURRENCY = "US Dollar"

#: Defects that are staged, not rejected: a reference to a row that does not exist is resolved
#: in the intermediate layer (the (unknown) member) and listed in dq_findings.
FINDING_CODES = frozenset({"unknown_reference"})

#: The defects per table, in the order they are appended: (reason code, defect name).
DEFECT_PLAN: dict[str, tuple[tuple[str, str], ...]] = {
    "reps": (("exact_duplicate", "copy"),),
    "accounts": (("exact_duplicate", "copy"), ("superseded_version", "older_version")),
    "contracts": (("impossible_date", "end_before_start"),),
    "leads": (
        ("exact_duplicate", "copy"),
        ("superseded_version", "older_version"),
        ("invalid_date", "malformed_created_at"),
        ("unmapped_lead_status", "unknown_status"),
    ),
    "deals": (
        ("exact_duplicate", "copy"),
        ("superseded_version", "older_version"),
        ("invalid_date", "malformed_created_or_closed_at"),
        ("impossible_date", "closed_before_created"),
        ("negative_amount", "negative_amount"),
        ("missing_amount", "empty_amount"),
        ("unmapped_stage", "unknown_stage"),
        ("unmapped_deal_type", "unknown_deal_type"),
        ("unknown_reference", "unknown_rep_or_account"),
        ("invalid_currency", "malformed_currency"),
        ("missing_key", "empty_deal_id"),
    ),
    "deal_stage_history": (("unknown_reference", "unknown_deal"),),
    "activities": (
        ("exact_duplicate", "copy"),
        ("invalid_date", "malformed_started_at"),
        ("negative_amount", "negative_duration"),
        ("unmapped_activity_type", "unknown_type"),
        ("unknown_reference", "unknown_rep"),
        ("missing_key", "empty_activity_id"),
    ),
}

Counts = defaultdict[str, defaultdict[str, int]]


def new_counts() -> Counts:
    """Rejections expected per table and reason code."""
    return defaultdict(lambda: defaultdict(int))


def defect_rows(n_clean: int, first_chunk: bool) -> int:
    """Rows per defect kind: 0.3 % of the clean rows, at least 3 in the first chunk."""
    count = round_half_up(DEFECT_RATE * n_clean)
    return max(MIN_DEFECT_ROWS, count) if first_chunk else count


def _set(table: pa.Table, column: str, values: pa.Array | str | None) -> pa.Table:
    """``table`` with ``column`` replaced by ``values`` (an array, or one value for all rows)."""
    if values is None or isinstance(values, str):
        array = fmt.constant(values, table.num_rows)
    else:
        array = values
    index = table.schema.get_field_index(column)
    return table.set_column(index, column, array.cast(pa.string()))


def _seconds(values: pa.ChunkedArray | pa.Array) -> I64:
    parsed = pc.strptime(values, format=TIMESTAMP_FORMAT, unit="s")
    return i64(parsed.cast(pa.int64()).to_numpy(zero_copy_only=False))


def _cycle(values: tuple[str, ...], n: int) -> pa.Array:
    return pa.array([values[i % len(values)] for i in range(n)], pa.string())


def _scale_money(values: pa.ChunkedArray, factor: float) -> pa.Array:
    """Amount strings times ``factor``, keeping whole numbers whole."""
    text = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    number = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    whole = ~pc.match_substring(text, ".").to_numpy(zero_copy_only=False)
    minor = i64(np.rint(number * factor * 100.0))
    minor = i64(np.where(whole, np.rint(minor / 1_000_000.0) * 1_000_000, minor))
    return fmt.money(minor, whole)


class Injector:
    """Appends the defects of one chunk, counting them in ``counts``."""

    def __init__(self, rng: np.random.Generator, counts: Counts, first_chunk: bool) -> None:
        self.rng = rng
        self.counts = counts
        self.first = first_chunk

    def _templates(self, pool: I64, n: int) -> I64:
        return i64(self.rng.choice(pool, size=n, replace=pool.size < n))

    def _apply(
        self,
        name: str,
        table: pa.Table,
        makers: dict[str, Callable[[int], pa.Table | None]],
    ) -> pa.Table:
        extra: list[pa.Table] = [table]
        k = defect_rows(table.num_rows, self.first)
        if k == 0 or table.num_rows == 0:
            return table
        for reason, defect in DEFECT_PLAN[name]:
            rows = makers[defect](k)
            if rows is None or rows.num_rows == 0:
                continue
            self.counts[name][reason] += rows.num_rows
            extra.append(rows)
        return pa.concat_tables(extra)

    def _copies_and_versions(self, table: pa.Table, k: int) -> tuple[pa.Table, I64]:
        """Exact copies (the first row copied twice) and the rows chosen for older versions."""
        n = table.num_rows
        order = self.rng.permutation(n)
        distinct = max(1, k - 1) if k >= 2 else k
        copies = order[:distinct]
        copy_rows = np.concatenate([copies[:1], copies])[:k] if k >= 2 else copies
        versions = order[distinct : distinct + k]
        return table.take(pa.array(np.sort(copy_rows))), i64(np.sort(versions))

    def _older(self, table: pa.Table, rows: I64) -> pa.Table:
        older = table.take(pa.array(rows))
        created = _seconds(older.column("created_at"))
        updated = _seconds(older.column("updated_at"))
        earlier = created + i64((updated - created) * self.rng.uniform(0.3, 0.7, rows.size))
        earlier = np.minimum(earlier, updated - 1)
        return _set(older, "updated_at", fmt.timestamps(i64(earlier)))

    # ---- tables ------------------------------------------------------------------------------

    def reps(self, table: pa.Table) -> pa.Table:
        def copy(k: int) -> pa.Table:
            return self._copies_and_versions(table, k)[0]

        return self._apply("reps", table, {"copy": copy})

    def accounts(self, table: pa.Table) -> pa.Table:
        state: dict[str, I64] = {}

        def copy(k: int) -> pa.Table:
            copies, state["versions"] = self._copies_and_versions(table, k)
            return copies

        def older_version(_: int) -> pa.Table:
            older = self._older(table, state["versions"])
            industry = pc.index_in(older.column("industry"), pa.array(INDUSTRIES)).to_numpy(
                zero_copy_only=False
            )
            shifted = i64((np.nan_to_num(industry, nan=0).astype(np.int64) + 1) % len(INDUSTRIES))
            return _set(older, "industry", fmt.vocabulary(INDUSTRIES, shifted))

        return self._apply("accounts", table, {"copy": copy, "older_version": older_version})

    def contracts(self, table: pa.Table, ids: IdSpace) -> pa.Table:
        def end_before_start(k: int) -> pa.Table:
            rows = table.take(
                pa.array(self._templates(np.arange(table.num_rows, dtype=np.int64), k))
            )
            start = pc.strptime(rows.column("start_date"), format="%Y-%m-%d", unit="s")
            days = i64(start.cast(pa.int64()).to_numpy(zero_copy_only=False)) // DAY
            end = days - self.rng.integers(1, 60, k)
            rows = _set(rows, "contract_id", ids.defect(k))
            return _set(rows, "end_date", fmt.dates(i64(end)))

        return self._apply("contracts", table, {"end_before_start": end_before_start})

    def leads(self, table: pa.Table, ids: IdSpace) -> pa.Table:
        state: dict[str, I64] = {}
        status = table.column("status").to_numpy(zero_copy_only=False)
        open_pool = np.flatnonzero(status != "Converted")
        pool = open_pool if open_pool.size else np.arange(table.num_rows)

        def copy(k: int) -> pa.Table:
            copies, state["versions"] = self._copies_and_versions(table, k)
            return copies

        def older_version(_: int) -> pa.Table:
            older = self._older(table, state["versions"])
            older = _set(older, "status", "Working")
            for column in (
                "mql_at",
                "sql_at",
                "converted_at",
                "converted_deal_id",
                "converted_account_id",
            ):
                older = _set(older, column, None)
            return older

        def fresh(k: int) -> pa.Table:
            rows = table.take(pa.array(self._templates(i64(pool), k)))
            return _set(rows, "lead_id", ids.defect(k))

        def malformed_created_at(k: int) -> pa.Table:
            return _set(fresh(k), "created_at", _cycle(MALFORMED_TIMESTAMPS, k))

        def unknown_status(k: int) -> pa.Table:
            return _set(fresh(k), "status", UNMAPPED_LEAD_STATUS)

        return self._apply(
            "leads",
            table,
            {
                "copy": copy,
                "older_version": older_version,
                "malformed_created_at": malformed_created_at,
                "unknown_status": unknown_status,
            },
        )

    def deals(
        self, table: pa.Table, ids: IdSpace, unknown_rep: str, unknown_account: str
    ) -> pa.Table:
        state: dict[str, I64] = {}
        closed = table.column("closed_at").is_valid().to_numpy(zero_copy_only=False)
        no_lead = table.column("lead_id").is_null().to_numpy(zero_copy_only=False)
        pool = np.flatnonzero(closed & no_lead)
        if pool.size < 10:
            pool = np.flatnonzero(closed)
        if pool.size == 0:
            pool = np.arange(table.num_rows)
        pool = i64(pool)

        def copy(k: int) -> pa.Table:
            copies, state["versions"] = self._copies_and_versions(table, k)
            return copies

        def older_version(_: int) -> pa.Table:
            older = self._older(table, state["versions"])
            older = _set(older, "stage", "Qualification")
            older = _set(older, "closed_at", None)
            older = _set(older, "lost_reason", None)
            return _set(older, "amount", _scale_money(older.column("amount"), 0.9))

        def fresh(k: int) -> pa.Table:
            rows = table.take(pa.array(self._templates(pool, k)))
            return _set(rows, "deal_id", ids.defect(k))

        def malformed(k: int) -> pa.Table:
            rows = fresh(k)
            bad = _cycle(MALFORMED_TIMESTAMPS, k)
            use_created = np.arange(k) % 2 == 0
            created = pc.if_else(
                pa.array(use_created), bad, rows.column("created_at").combine_chunks()
            )
            closed_at = pc.if_else(
                pa.array(~use_created), bad, rows.column("closed_at").combine_chunks()
            )
            return _set(_set(rows, "created_at", created), "closed_at", closed_at)

        def closed_before_created(k: int) -> pa.Table:
            rows = fresh(k)
            created = _seconds(rows.column("created_at"))
            earlier = created - self.rng.integers(DAY, 10 * DAY, k)
            return _set(rows, "closed_at", fmt.timestamps(i64(earlier)))

        def negative_amount(k: int) -> pa.Table:
            rows = fresh(k)
            return _set(rows, "amount", fmt.join("-", rows.column("amount").combine_chunks()))

        def unknown_rep_or_account(k: int) -> pa.Table:
            rows = fresh(k)
            use_rep = np.arange(k) % 2 == 0
            rep = pc.if_else(
                pa.array(use_rep), unknown_rep, rows.column("owner_rep_id").combine_chunks()
            )
            account = pc.if_else(
                pa.array(~use_rep), unknown_account, rows.column("account_id").combine_chunks()
            )
            return _set(_set(rows, "owner_rep_id", rep), "account_id", account)

        def empty_deal_id(k: int) -> pa.Table:
            return _set(fresh(k), "deal_id", None)

        return self._apply(
            "deals",
            table,
            {
                "copy": copy,
                "older_version": older_version,
                "malformed_created_or_closed_at": malformed,
                "closed_before_created": closed_before_created,
                "negative_amount": negative_amount,
                "empty_amount": lambda k: _set(fresh(k), "amount", None),
                "unknown_stage": lambda k: _set(fresh(k), "stage", UNMAPPED_STAGE),
                "unknown_deal_type": lambda k: _set(fresh(k), "deal_type", UNMAPPED_DEAL_TYPE),
                "unknown_rep_or_account": unknown_rep_or_account,
                "malformed_currency": lambda k: _set(fresh(k), "currency_code", MALFORMED_CURRENCY),
                "empty_deal_id": empty_deal_id,
            },
        )

    def deal_stage_history(self, table: pa.Table, ids: IdSpace, unknown_deal: str) -> pa.Table:
        def unknown_deal_rows(k: int) -> pa.Table:
            rows = table.take(
                pa.array(self._templates(np.arange(table.num_rows, dtype=np.int64), k))
            )
            rows = _set(rows, "stage_history_id", ids.defect(k))
            return _set(rows, "deal_id", unknown_deal)

        return self._apply("deal_stage_history", table, {"unknown_deal": unknown_deal_rows})

    def activities(self, table: pa.Table, ids: IdSpace, unknown_rep: str) -> pa.Table:
        kind = pc.utf8_lower(pc.utf8_trim_whitespace(table.column("activity_type")))
        pool = i64(np.flatnonzero(kind.to_numpy(zero_copy_only=False) != "email"))
        if pool.size == 0:
            pool = np.arange(table.num_rows, dtype=np.int64)

        def copy(k: int) -> pa.Table:
            return self._copies_and_versions(table, k)[0]

        def fresh(k: int) -> pa.Table:
            rows = table.take(pa.array(self._templates(pool, k)))
            return _set(rows, "activity_id", ids.defect(k))

        def negative_duration(k: int) -> pa.Table:
            return _set(
                fresh(k), "duration_minutes", fmt.integers(i64(-self.rng.integers(5, 61, k)))
            )

        return self._apply(
            "activities",
            table,
            {
                "copy": copy,
                "malformed_started_at": lambda k: _set(
                    fresh(k), "started_at", _cycle(MALFORMED_TIMESTAMPS, k)
                ),
                "negative_duration": negative_duration,
                "unknown_type": lambda k: _set(fresh(k), "activity_type", UNMAPPED_ACTIVITY_TYPE),
                "unknown_rep": lambda k: _set(fresh(k), "rep_id", unknown_rep),
                "empty_activity_id": lambda k: _set(fresh(k), "activity_id", None),
            },
        )
