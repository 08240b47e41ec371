"""Generate one chunk of deals with all their children and format it as raw tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from . import formatting as fmt
from . import products
from .commercial import (
    INDUSTRY_NOUNS,
    NAME_PREFIXES,
    NAME_SUFFIXES,
    Commercial,
    Frame,
    generate_commercial,
    size,
)
from .common import I64, Bool, i64
from .config import VARIANT_RATE, GeneratorConfig
from .dimensions import World
from .engagement import Engagement, generate_engagement
from .schema import (
    ACTIVITY_TYPE_VARIANTS,
    ACTIVITY_TYPES,
    CUR_EUR,
    CUR_JPY,
    CURRENCIES,
    DEAL_TYPES,
    EMAIL_EVENT_TYPES,
    INDUSTRIES,
    LEAD_SOURCES,
    LEAD_STATUSES,
    LOST_REASONS,
    OUTCOMES,
    REGIONS,
    SEGMENTS,
    SERVICE_CHANNELS,
    STAGE_VARIANTS,
    STAGES,
)

#: Tables written per chunk, in file order.
CHUNK_TABLES = (
    "accounts",
    "contracts",
    "leads",
    "deals",
    "deal_stage_history",
    "activities",
    "email_events",
    "content_usage",
    "service_requests",
    "quotes",
)

#: id prefix and a safe upper bound of clean rows per deal (see GeneratorConfig.id_width).
ID_SPACES: dict[str, tuple[str, float]] = {
    "accounts": ("A", 1.2),
    "contracts": ("C", 2.0),
    "leads": ("L", 4.0),
    "deals": ("D", 1.0),
    "deal_stage_history": ("SH", 9.0),
    "content_usage": ("CU", 10.0),
    "service_requests": ("SR", 10.0),
    "quotes": ("QT", 3.0),
}


class IdSpace:
    """Clean ids 1..n in generation order; ids of appended defect rows from 9 * 10**(w-1)."""

    def __init__(self, prefix: str, width: int) -> None:
        self.prefix = prefix
        self.width = width
        self.next_clean = 1
        self.defect_base = 9 * 10 ** (width - 1)
        self.next_defect = self.defect_base

    def clean(self, n: int, valid: Bool | None = None) -> pa.Array:
        numbers = np.arange(self.next_clean, self.next_clean + n, dtype=np.int64)
        self.next_clean += n
        if self.next_clean >= self.defect_base:
            raise RuntimeError(f"id space {self.prefix} exhausted; widen it in chunk.ID_SPACES")
        return fmt.ids(self.prefix, numbers, self.width, valid)

    def defect(self, n: int) -> pa.Array:
        numbers = np.arange(self.next_defect, self.next_defect + n, dtype=np.int64)
        self.next_defect += n
        return fmt.ids(self.prefix, numbers, self.width)

    def format(self, numbers: I64, valid: Bool | None = None) -> pa.Array:
        return fmt.ids(self.prefix, numbers, self.width, valid)

    def unknown(self) -> str:
        """An id of the right shape that no row will ever have."""
        return self.prefix + "9" * self.width


def id_spaces(config: GeneratorConfig) -> dict[str, IdSpace]:
    """The id spaces of every chunked table."""
    rate = config.activity_rate
    spaces = {
        name: IdSpace(prefix, config.id_width(bound)) for name, (prefix, bound) in ID_SPACES.items()
    }
    spaces["activities"] = IdSpace("ACT", config.id_width(rate * 1.3 + 5.0))
    spaces["email_events"] = IdSpace("EE", config.id_width(4.0 * (rate * 1.3 + 5.0)))
    return spaces


@dataclass
class Variants:
    """Clean values written in a form staging normalises (never rejected)."""

    deal_stages: int = 0
    history_stages: int = 0
    activity_types: int = 0
    lowercase_currency: int = 0


@dataclass
class ChunkFacts:
    """The little a run keeps from a chunk once it is written."""

    won: Frame  # won deals: owner, team, month (JST), currency, jpy, number (of the deal id)
    conversion_owner: I64
    conversion_month: I64
    eur_contracts_by_month: I64


@dataclass
class ChunkOutput:
    tables: dict[str, pa.Table]
    facts: ChunkFacts
    variants: Variants
    month_end_deals: list[dict[str, str]] = field(default_factory=list)
    month_end_activities: list[dict[str, str]] = field(default_factory=list)
    #: clean deals of the chunk whose product_id names no product (a defect; see products.py)
    unknown_products: int = 0


class _Spelling:
    """Writes vocabulary words; with variants on, ~2 % in a spelling staging normalises."""

    def __init__(self, rng: np.random.Generator, enabled: bool) -> None:
        self.rng = rng
        self.enabled = enabled
        self.counts = Variants()

    def words(
        self, words: tuple[str, ...], variants: dict[str, tuple[str, ...]], codes: I64
    ) -> tuple[pa.Array, int]:
        """Words of ``codes`` and how many were written as a variant."""
        if not self.enabled:
            return fmt.vocabulary(words, codes), 0
        extended = list(words)
        first_variant: list[int] = []
        counts: list[int] = []
        for word in words:
            options = variants.get(word, ())
            first_variant.append(len(extended))
            counts.append(len(options))
            extended.extend(options)
        n = codes.shape[0]
        n_options = np.array(counts)[codes]
        chosen = (self.rng.random(n) < VARIANT_RATE) & (n_options > 0)
        offset = self.rng.integers(0, 1_000_000, n) % np.maximum(n_options, 1)
        index = np.where(chosen, np.array(first_variant)[codes] + offset, codes)
        return fmt.vocabulary(tuple(extended), i64(index)), int(chosen.sum())

    def currencies(self, codes: I64) -> pa.Array:
        """ISO codes; with variants on, ~2 % in lower case."""
        lower = (self.rng.random(int(codes.shape[0])) < VARIANT_RATE) & self.enabled
        self.counts.lowercase_currency += int(lower.sum())
        words = CURRENCIES + tuple(c.lower() for c in CURRENCIES)
        return fmt.vocabulary(words, i64(codes + np.where(lower, len(CURRENCIES), 0)))


@dataclass(frozen=True)
class _Ids:
    accounts: pa.Array
    leads: pa.Array
    deals: pa.Array


def _names(prefix: I64, noun: I64, suffix: I64) -> pa.Array:
    nouns = tuple(word for group in INDUSTRY_NOUNS for word in group)
    return fmt.join(
        fmt.vocabulary(NAME_PREFIXES, prefix),
        " ",
        fmt.vocabulary(nouns, noun),
        " ",
        fmt.vocabulary(NAME_SUFFIXES, suffix),
    )


def _money(minor: I64, currency: I64, valid: Bool | None = None) -> pa.Array:
    return fmt.money(minor, currency == CUR_JPY, valid)


def _employee_counts(segment: I64) -> I64:
    """A plausible head count per account, inside its segment's band (enterprise 1,000+,
    mid-market 100-999, SMB 5-99, the thresholds of var segment_employee_thresholds); derived
    from the account's position, so no random draw of the generator changes."""
    spread = np.arange(segment.size, dtype=np.int64) * 7919
    low = np.array([1_000, 100, 5], dtype=np.int64)[segment]
    width = np.array([49_000, 900, 95], dtype=np.int64)[segment]
    return i64(low + spread % width)


def _commercial_tables(
    world: World, spaces: dict[str, IdSpace], com: Commercial, ids: _Ids, spelling: _Spelling
) -> dict[str, pa.Table]:
    rep_ids = world.reps.ids
    acc, leads, deals, con = com.accounts, com.leads, com.deals, com.contracts
    account_names = _names(acc["name_prefix"], acc["name_noun"], acc["name_suffix"])
    tables: dict[str, pa.Table] = {}
    tables["accounts"] = fmt.build_table(
        "accounts",
        {
            "account_id": ids.accounts,
            "account_name": account_names,
            "segment": fmt.vocabulary(SEGMENTS, acc["seg"]),
            "region": fmt.vocabulary(REGIONS, acc["region"]),
            "industry": fmt.vocabulary(INDUSTRIES, acc["industry"]),
            "employee_count": fmt.integers(_employee_counts(acc["seg"])),
            "owner_rep_id": fmt.take(rep_ids, acc["owner"]),
            "created_at": fmt.timestamps(acc["created"]),
            "updated_at": fmt.timestamps(acc["updated"]),
        },
    )
    tables["contracts"] = fmt.build_table(
        "contracts",
        {
            "contract_id": spaces["contracts"].clean(size(con)),
            "account_id": fmt.take(ids.accounts, con["account"]),
            "deal_id": fmt.take(ids.deals, con["deal"], con["deal"] >= 0),
            "start_date": fmt.dates(con["start_day"]),
            "end_date": fmt.dates(con["end_day"]),
            "monthly_amount": _money(con["monthly"], con["currency"]),
            "currency_code": fmt.vocabulary(CURRENCIES, con["currency"]),
            "updated_at": fmt.timestamps(con["updated"]),
        },
    )
    converted = leads["deal"] >= 0
    tables["leads"] = fmt.build_table(
        "leads",
        {
            "lead_id": ids.leads,
            "lead_source": fmt.vocabulary(LEAD_SOURCES, leads["source"]),
            "status": fmt.vocabulary(LEAD_STATUSES, leads["status"]),
            "owner_rep_id": fmt.take(rep_ids, leads["owner"]),
            "company_name": _names(leads["name_prefix"], leads["name_noun"], leads["name_suffix"]),
            "created_at": fmt.timestamps(leads["created"]),
            "mql_at": fmt.timestamps(leads["mql"], leads["mql"] >= 0),
            "sql_at": fmt.timestamps(leads["sql"], leads["sql"] >= 0),
            "converted_at": fmt.timestamps(leads["converted"], converted),
            "converted_deal_id": fmt.take(ids.deals, leads["deal"], converted),
            "converted_account_id": fmt.take(ids.accounts, leads["account"], converted),
            "updated_at": fmt.timestamps(leads["updated"]),
        },
    )
    stage_text, spelling.counts.deal_stages = spelling.words(STAGES, STAGE_VARIANTS, deals["stage"])
    deal_type = fmt.vocabulary(DEAL_TYPES, deals["type"])
    tables["deals"] = fmt.build_table(
        "deals",
        {
            "deal_id": ids.deals,
            "deal_name": fmt.join(fmt.take(account_names, deals["account"]), " - ", deal_type),
            "account_id": fmt.take(ids.accounts, deals["account"]),
            "owner_rep_id": fmt.take(rep_ids, deals["owner"]),
            "lead_id": fmt.take(ids.leads, deals["lead"], deals["lead"] >= 0),
            "deal_type": deal_type,
            "stage": stage_text,
            "amount": _money(deals["amount"], deals["currency"]),
            "currency_code": spelling.currencies(deals["currency"]),
            "created_at": fmt.timestamps(deals["created"]),
            "closed_at": fmt.timestamps(deals["closed"], deals["closed"] >= 0),
            "expected_close_date": fmt.dates(deals["expected_close_day"]),
            "lost_reason": fmt.vocabulary(
                LOST_REASONS, deals["lost_reason"], deals["lost_reason"] >= 0
            ),
            "updated_at": fmt.timestamps(deals["updated"]),
            # filled by generate_chunk from the products' own random stream
            "product_id": fmt.constant(None, size(deals)),
        },
    )
    hist = com.history
    hist_stage, spelling.counts.history_stages = spelling.words(
        STAGES, STAGE_VARIANTS, hist["stage"]
    )
    tables["deal_stage_history"] = fmt.build_table(
        "deal_stage_history",
        {
            "stage_history_id": spaces["deal_stage_history"].clean(size(hist)),
            "deal_id": fmt.take(ids.deals, hist["deal"]),
            "stage": hist_stage,
            "entered_at": fmt.timestamps(hist["entered"]),
        },
    )
    return tables


def _engagement_tables(
    world: World, spaces: dict[str, IdSpace], eng: Engagement, ids: _Ids, spelling: _Spelling
) -> tuple[dict[str, pa.Table], pa.Array]:
    rep_ids = world.reps.ids
    acts = eng.activities
    act_ids = spaces["activities"].clean(size(acts))
    act_type, spelling.counts.activity_types = spelling.words(
        ACTIVITY_TYPES, ACTIVITY_TYPE_VARIANTS, acts["type"]
    )
    tables: dict[str, pa.Table] = {}
    tables["activities"] = fmt.build_table(
        "activities",
        {
            "activity_id": act_ids,
            "activity_type": act_type,
            "rep_id": fmt.take(rep_ids, acts["rep"]),
            "account_id": fmt.take(ids.accounts, acts["account"], acts["account"] >= 0),
            "deal_id": fmt.take(ids.deals, acts["deal"], acts["deal"] >= 0),
            "lead_id": fmt.take(ids.leads, acts["lead"], acts["lead"] >= 0),
            "started_at": fmt.timestamps(acts["started"]),
            "duration_minutes": fmt.integers(acts["duration"]),
            "outcome": fmt.vocabulary(OUTCOMES, acts["outcome"]),
            "is_value_added": fmt.booleans(acts["value_added"]),
        },
    )
    ev = eng.email_events
    tables["email_events"] = fmt.build_table(
        "email_events",
        {
            "email_event_id": spaces["email_events"].clean(size(ev)),
            "email_id": fmt.take(act_ids, ev["activity"]),
            "rep_id": fmt.take(rep_ids, ev["rep"]),
            "lead_id": fmt.take(ids.leads, ev["lead"], ev["lead"] >= 0),
            "event_type": fmt.vocabulary(EMAIL_EVENT_TYPES, ev["event"]),
            "occurred_at": fmt.timestamps(ev["at"]),
        },
    )
    cu = eng.content_usage
    tables["content_usage"] = fmt.build_table(
        "content_usage",
        {
            "usage_id": spaces["content_usage"].clean(size(cu)),
            "asset_id": fmt.take(world.assets.ids, cu["asset"]),
            "rep_id": fmt.take(rep_ids, cu["rep"]),
            "deal_id": fmt.take(ids.deals, cu["deal"], cu["deal"] >= 0),
            "used_at": fmt.timestamps(cu["used"]),
        },
    )
    sr = eng.service_requests
    tables["service_requests"] = fmt.build_table(
        "service_requests",
        {
            "request_id": spaces["service_requests"].clean(size(sr)),
            "account_id": fmt.take(ids.accounts, sr["account"]),
            "rep_id": fmt.take(rep_ids, sr["rep"], sr["rep"] >= 0),
            "channel": fmt.vocabulary(SERVICE_CHANNELS, sr["channel"]),
            "opened_at": fmt.timestamps(sr["opened"]),
            "resolved_at": fmt.timestamps(sr["resolved"], sr["resolved"] >= 0),
            "contact_count": fmt.integers(sr["contacts"]),
        },
    )
    qt = eng.quotes
    tables["quotes"] = fmt.build_table(
        "quotes",
        {
            "quote_id": spaces["quotes"].clean(size(qt)),
            "deal_id": fmt.take(ids.deals, qt["deal"]),
            "rep_id": fmt.take(rep_ids, qt["rep"]),
            "requested_at": fmt.timestamps(qt["requested"]),
            "delivered_at": fmt.timestamps(qt["delivered"], qt["delivered"] >= 0),
            "quote_amount": _money(qt["amount"], qt["currency"]),
            "currency_code": fmt.vocabulary(CURRENCIES, qt["currency"]),
        },
    )
    return tables, act_ids


def _timestamp(ts: int) -> str:
    return str(fmt.timestamps(i64([ts])).to_pylist()[0])


def _fixture_notes(
    out: ChunkOutput, com: Commercial, eng: Engagement, ids: _Ids, act_ids: pa.Array
) -> None:
    """The deals and activities placed at 23:30 UTC on month-ends, for the manifest."""
    deals, acts = com.deals, eng.activities
    deal_ids = ids.deals.to_pylist()
    for index, label in com.month_end_deals:
        out.month_end_deals.append(
            {
                "deal_id": str(deal_ids[index]),
                "closed_at": _timestamp(int(deals["closed"][index])),
                "stage": STAGES[int(deals["stage"][index])],
                "currency_code": CURRENCIES[int(deals["currency"][index])],
                "kind": label,
            }
        )
    for row in eng.month_end_activities.tolist():
        out.month_end_activities.append(
            {
                "activity_id": str(act_ids[row].as_py()),
                "activity_type": ACTIVITY_TYPES[int(acts["type"][row])],
                "started_at": _timestamp(int(acts["started"][row])),
            }
        )


def generate_chunk(
    world: World,
    spaces: dict[str, IdSpace],
    chunk_index: int,
    n_deals: int,
    *,
    with_variants: bool,
) -> ChunkOutput:
    """Generate and format one chunk. ``spaces`` carry the id counters across chunks."""
    rng = np.random.default_rng(np.random.SeedSequence([world.config.seed, 1, chunk_index]))
    first = chunk_index == 0
    com = generate_commercial(world, rng, n_deals, fixtures=first)
    eng = generate_engagement(world, rng, com, n_deals, fixtures=first)
    spelling = _Spelling(rng, with_variants)
    first_deal = spaces["deals"].next_clean
    ids = _Ids(
        accounts=spaces["accounts"].clean(size(com.accounts)),
        leads=spaces["leads"].clean(size(com.leads)),
        deals=spaces["deals"].clean(size(com.deals)),
    )
    tables = _commercial_tables(world, spaces, com, ids, spelling)
    engagement_tables, act_ids = _engagement_tables(world, spaces, eng, ids, spelling)
    tables |= engagement_tables
    won = won_facts(world, com)
    won["number"] = first_deal + won["deal"]
    owner, month = conversions_by_owner(world, com)
    facts = ChunkFacts(won, owner, month, contract_month_overlap(world, com, CUR_EUR))
    deal_products, unknown_products = products.deal_products(
        world.config.seed, chunk_index, com.deals["closed"] >= 0, with_defects=with_variants
    )
    deals_table = tables["deals"]
    tables["deals"] = deals_table.set_column(
        deals_table.schema.get_field_index("product_id"), "product_id", deal_products
    )
    out = ChunkOutput(
        tables=tables,
        facts=facts,
        variants=spelling.counts,
        unknown_products=unknown_products,
    )
    if first:
        _fixture_notes(out, com, eng, ids, act_ids)
    return out


def won_facts(world: World, com: Commercial) -> Frame:
    """Won deals: owner, JST close month, JPY value, currency; for quotas and goals."""
    deals = com.deals
    won = np.flatnonzero(deals["won"])
    closed = deals["closed"][won]
    month = world.calendar.jst_month_index(closed)
    currency = deals["currency"][won]
    jpy = deals["amount"][won] / 100.0 * world.rate(currency, month)
    owner = deals["owner"][won]
    return {
        "deal": i64(won),
        "owner": owner,
        "team": world.reps.team_at(owner, closed),
        "month": month,
        "currency": currency,
        "jpy": jpy,
        "new_account": deals["type"][won] == 0,
    }


def contract_month_overlap(world: World, com: Commercial, currency: int) -> I64:
    """Per period month: contracts in ``currency`` running on at least one day of it."""
    calendar = world.calendar
    con = com.contracts
    pick = con["currency"] == currency
    starts = calendar.month_starts
    out = np.zeros(calendar.months, dtype=np.int64)
    for m in range(calendar.months):
        out[m] = int(
            (pick & (con["start_day"] < starts[m + 1]) & (con["end_day"] >= starts[m])).sum()
        )
    return out


def conversions_by_owner(world: World, com: Commercial) -> tuple[I64, I64]:
    """(owner, JST month) of every converted lead."""
    leads = com.leads
    conv = leads["deal"] >= 0
    return i64(leads["owner"][conv]), world.calendar.jst_month_index(leads["converted"][conv])
