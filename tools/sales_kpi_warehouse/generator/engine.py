"""Run a generation: dimensions, chunks, defects, planning tables and the defect manifest."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from . import dimensions as dims
from . import products
from .chunk import CHUNK_TABLES, ChunkOutput, IdSpace, Variants, generate_chunk, id_spaces
from .common import I64, i64
from .config import GENERATOR_VERSION, GeneratorConfig
from .defects import DEFECT_PLAN, FINDING_CODES, Injector, defect_rows, new_counts
from .planning import Actuals, quotas_table, revenue_goals_table
from .schema import (
    ACTIVITY_TYPES,
    CUR_EUR,
    DEAL_TYPES,
    LEAD_SOURCES,
    LEAD_STATUSES,
    MALFORMED_TIMESTAMPS,
    OUTCOMES,
    STAGES,
    TABLES,
    UNMAPPED_ACTIVITY_TYPE,
    UNMAPPED_DEAL_TYPE,
    UNMAPPED_LEAD_STATUS,
    UNMAPPED_STAGE,
)
from .writer import TableWriters

MANIFEST_NAME = "defect_manifest.json"
MAX_LISTED_IDS = 50


@dataclass(frozen=True)
class Progress:
    """Reported after each chunk."""

    chunk: int
    chunks: int
    deals_done: int
    deals_total: int
    elapsed_seconds: float


@dataclass
class Summary:
    """What a run produced."""

    out_dir: Path
    files: dict[str, Path]
    rows: dict[str, int]
    rejected: dict[str, dict[str, int]]
    manifest_path: Path
    seconds: float
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def defect_rows(self) -> int:
        return sum(sum(r.values()) for r in self.rejected.values())


@dataclass
class _Totals:
    variants: Variants = field(default_factory=Variants)
    eur_won_by_month: I64 | None = None
    eur_won_deals: list[tuple[int, int]] = field(default_factory=list)  # (month, deal number)
    eur_contracts_by_month: I64 | None = None
    month_end_deals: list[dict[str, str]] = field(default_factory=list)
    month_end_activities: list[dict[str, str]] = field(default_factory=list)


def generate(
    config: GeneratorConfig,
    progress: Callable[[Progress], None] | None = None,
) -> Summary:
    """Write every raw table and the defect manifest into ``config.out_dir``."""
    began = time.perf_counter()
    out_dir = config.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    world = dims.build_world(config)
    calendar = world.calendar
    counts = new_counts()
    totals = _Totals(
        eur_won_by_month=np.zeros(calendar.months, dtype=np.int64),
        eur_contracts_by_month=np.zeros(calendar.months, dtype=np.int64),
    )
    actuals = Actuals.empty(world)
    spaces = id_spaces(config)
    unknown_rep = _unknown_rep(world)
    writers = TableWriters(out_dir, config.output_format)
    with writers:
        writers.write("teams", dims.teams_table(world))
        reps = dims.reps_table(world)
        if config.defects:
            injector = Injector(_defect_rng(config, 0), counts, first_chunk=True)
            reps = injector.reps(reps)
        writers.write("reps", reps)
        writers.write("rep_team_history", dims.rep_team_history_table(world))
        writers.write("content_assets", dims.content_assets_table(world))
        enrolments, assessments = dims.training_tables(world)
        writers.write("training_enrolments", enrolments)
        writers.write("training_assessments", assessments)
        writers.write("acquisition_costs", dims.acquisition_costs_table(world))

        sizes = config.chunk_sizes
        done = 0
        for index, n in enumerate(sizes):
            out = generate_chunk(world, spaces, index, n, with_variants=config.defects)
            _accumulate(world, out, totals, actuals)
            tables = out.tables
            if config.defects:
                # staged clean deals naming an unknown product (products.py): dq_findings
                counts["deals"]["unknown_reference"] += out.unknown_products
                injector = Injector(_defect_rng(config, index + 1), counts, first_chunk=index == 0)
                tables = _inject(injector, tables, spaces, unknown_rep)
            for name in CHUNK_TABLES:
                writers.write(name, tables[name])
            if index == 0:
                totals.month_end_deals = out.month_end_deals
                totals.month_end_activities = out.month_end_activities
            del out, tables
            done += n
            if progress is not None:
                progress(
                    Progress(index + 1, len(sizes), done, config.deals, time.perf_counter() - began)
                )

        gap = _fx_gap(config, totals) if config.defects else None
        for name, table in (
            ("fx_rates", dims.fx_rates_table(world, gap)),
            ("quotas", quotas_table(world, actuals, config.seed)),
            ("revenue_goals", revenue_goals_table(world, actuals)),
            ("products", products.products_table()),
        ):
            writers.write(name, table)

    rejected = {name: dict(sorted(counts[name].items())) for name in TABLES if counts.get(name)}
    notes = _notes(world, totals, gap, spaces)
    manifest = _manifest(config, world, writers.rows, rejected, notes)
    manifest_path = out_dir / MANIFEST_NAME
    manifest_path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return Summary(
        out_dir=out_dir,
        files={name: writers.path(name) for name in TABLES},
        rows=dict(writers.rows),
        rejected=rejected,
        manifest_path=manifest_path,
        seconds=time.perf_counter() - began,
        notes=notes,
    )


def _unknown_rep(world: dims.World) -> str:
    """A rep id of the right shape that no rep has (R999 at the demo)."""
    return "R" + "9" * len(str(world.reps.ids[0].as_py())[1:])


def _defect_rng(config: GeneratorConfig, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([config.seed, 2, stream]))


def _inject(
    injector: Injector,
    tables: dict[str, pa.Table],
    spaces: dict[str, IdSpace],
    unknown_rep: str,
) -> dict[str, pa.Table]:
    out = dict(tables)
    out["accounts"] = injector.accounts(tables["accounts"])
    out["contracts"] = injector.contracts(tables["contracts"], spaces["contracts"])
    out["leads"] = injector.leads(tables["leads"], spaces["leads"])
    out["deals"] = injector.deals(
        tables["deals"], spaces["deals"], unknown_rep, spaces["accounts"].unknown()
    )
    out["deal_stage_history"] = injector.deal_stage_history(
        tables["deal_stage_history"], spaces["deal_stage_history"], spaces["deals"].unknown()
    )
    out["activities"] = injector.activities(tables["activities"], spaces["activities"], unknown_rep)
    return out


def _accumulate(world: dims.World, out: ChunkOutput, totals: _Totals, actuals: Actuals) -> None:
    facts = out.facts
    won = facts.won
    actuals.add_wins(won["owner"], won["team"], won["month"], won["jpy"])
    actuals.add_conversions(facts.conversion_owner, facts.conversion_month)
    eur = won["currency"] == CUR_EUR
    months = world.calendar.months
    eur_month = won["month"][eur]
    ok = (eur_month >= 0) & (eur_month < months)
    assert totals.eur_won_by_month is not None and totals.eur_contracts_by_month is not None
    totals.eur_won_by_month += np.bincount(eur_month[ok], minlength=months)
    numbers = won["number"][eur]
    totals.eur_won_deals.extend(zip(eur_month[ok].tolist(), numbers[ok].tolist(), strict=True))
    totals.eur_contracts_by_month += facts.eur_contracts_by_month
    v = out.variants
    totals.variants.deal_stages += v.deal_stages
    totals.variants.history_stages += v.history_stages
    totals.variants.activity_types += v.activity_types
    totals.variants.lowercase_currency += v.lowercase_currency


def _fx_gap(config: GeneratorConfig, totals: _Totals) -> tuple[int, int]:
    """The EUR month left without a rate: the month (not the first two or last two) in
    which most EUR deals were won (JST close month), earliest on ties."""
    assert totals.eur_won_by_month is not None
    months = config.calendar.months
    candidates = totals.eur_won_by_month[2 : months - 2]
    return CUR_EUR, int(np.argmax(candidates)) + 2


def _notes(
    world: dims.World,
    totals: _Totals,
    gap: tuple[int, int] | None,
    spaces: dict[str, IdSpace],
) -> dict[str, Any]:
    config = world.config
    unknown_rep = _unknown_rep(world)
    calendar = world.calendar
    v = totals.variants
    notes: dict[str, Any] = {
        "as_of_date": calendar.as_of.isoformat(),
        "reporting_time_zone": "Asia/Tokyo",
        "timestamps_are": "UTC",
    }
    if gap is not None:
        month = gap[1]
        deal_ids = [
            spaces["deals"].format(i64([number])).to_pylist()[0]
            for m, number in totals.eur_won_deals
            if m == month
        ]
        assert totals.eur_contracts_by_month is not None
        notes["deals_missing_fx_rate"] = len(deal_ids)
        notes["fx_rate_gap"] = {
            "currency_code": "EUR",
            "quote_currency": "JPY",
            "rate_month": calendar.month_label(month),
            "rule": "clean EUR deals won in this month (closed_at in Asia/Tokyo): staged, "
            "with a NULL converted amount",
            "won_deal_ids": sorted(deal_ids)[:MAX_LISTED_IDS],
            "eur_contracts_running_in_month": int(totals.eur_contracts_by_month[month]),
        }
    else:
        notes["deals_missing_fx_rate"] = 0
    fiscal = [d["deal_id"] for d in totals.month_end_deals if d["kind"] == "fiscal_year_end_won"]
    notes["month_end_2330_utc_events"] = {
        "rule": "23:30:00 UTC on a month's last day is 08:30 JST on the 1st of the next month",
        "deal_closes": totals.month_end_deals,
        "fiscal_year_end_won_deal_ids": fiscal,
        "activities": totals.month_end_activities,
        "deal_count": len(totals.month_end_deals),
        "activity_count": len(totals.month_end_activities),
    }
    notes["stage_case_variants"] = v.deal_stages + v.history_stages
    notes["stage_case_variants_by_table"] = {
        "deals": v.deal_stages,
        "deal_stage_history": v.history_stages,
    }
    notes["activity_type_variants"] = v.activity_types
    notes["lowercase_currency_codes"] = v.lowercase_currency
    notes["lowercase_currency_codes_table"] = "deals"
    notes["special_reps"] = dims.special_reps(world)
    notes["scale"] = {
        "divisions": config.divisions,
        "teams": world.n_teams,
        "reps": world.reps.n,
        "chunks": len(config.chunk_sizes),
        "activities_per_deal": config.activity_rate,
    }
    notes["defect_values"] = (
        {
            "exact_duplicate": "one rejection per extra copy",
            "malformed_timestamps": list(MALFORMED_TIMESTAMPS),
            "unmapped_stage": UNMAPPED_STAGE,
            "unmapped_activity_type": UNMAPPED_ACTIVITY_TYPE,
            "unmapped_lead_status": UNMAPPED_LEAD_STATUS,
            "unmapped_deal_type": UNMAPPED_DEAL_TYPE,
            "unknown_rep_id": unknown_rep,
            "unknown_account_id": spaces["accounts"].unknown(),
            "unknown_deal_id": spaces["deals"].unknown(),
            "unknown_product_id": products.UNKNOWN_PRODUCT,
            "plan": {
                t: [f"{reason}: {defect}" for reason, defect in plan]
                for t, plan in DEFECT_PLAN.items()
            },
        }
        if config.defects
        else {}
    )
    notes["vocabulary"] = {
        "stage": list(STAGES),
        "deal_type": list(DEAL_TYPES),
        "lead_status": list(LEAD_STATUSES),
        "lead_source": list(LEAD_SOURCES),
        "activity_type": list(ACTIVITY_TYPES),
        "outcome": list(OUTCOMES),
    }
    return notes


def _manifest(
    config: GeneratorConfig,
    world: dims.World,
    rows: dict[str, int],
    rejected: dict[str, dict[str, int]],
    notes: dict[str, Any],
) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for name in TABLES:
        injected = rejected.get(name, {})
        expected = {code: n for code, n in injected.items() if code not in FINDING_CODES}
        findings = {code: n for code, n in injected.items() if code in FINDING_CODES}
        raw = rows[name]
        tables[name] = {
            "raw_rows": raw,
            "expected_rejected": expected,
            "expected_staged": raw - sum(expected.values()),
            "expected_findings": findings,
        }
    return {
        "generator": {
            "version": GENERATOR_VERSION,
            "deals": config.deals,
            "seed": config.seed,
            "start_month": config.start_month.isoformat()[:7],
            "months": config.months,
            "as_of_date": world.calendar.as_of.isoformat(),
            "format": config.output_format,
            "chunk_deals": config.chunk_deals,
            "defects": config.defects,
            "activities_per_deal": config.activity_rate,
        },
        "tables": tables,
        "notes": notes,
    }


__all__ = ["MANIFEST_NAME", "Progress", "Summary", "defect_rows", "generate"]
