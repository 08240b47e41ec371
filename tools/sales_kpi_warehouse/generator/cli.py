"""Command line of the synthetic CRM generator."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from .config import (
    DEFAULT_CHUNK_DEALS,
    DEFAULT_MONTHS,
    DEFAULT_OUT,
    DEFAULT_SEED,
    DEFAULT_START_MONTH,
    DEMO_DEALS,
    ConfigError,
    GeneratorConfig,
)
from .connectors.shapes import FILES, SHAPES, SUPPLEMENT, write_shapes
from .engine import Progress, Summary, generate

DESCRIPTION = """\
Generate the deterministic synthetic CRM export of a fictional Japanese B2B software company
(Sakura Cloud Systems): the 20 raw tables of docs/input_contract.md, all values as text, plus
defect_manifest.json with the rows staging must reject per table and reason code.

Same options, same bytes. The defaults write the committed demo (1,500 deals, Nov 2024 -
Oct 2026, as-of date 2026-10-31) as CSV into seeds/demo/crm.
"""

EPILOG = """\
examples:
  %(prog)s                                        regenerate the demo seeds (CSV)
  %(prog)s --deals 20000 --out /tmp/crm           a bigger CSV export
  %(prog)s --deals 10000000 --format parquet --out /data/crm --chunk-deals 250000
                                                  10 M deals as Parquet, 250 k deals per chunk
  %(prog)s --no-defects --out /tmp/clean          clean data only (empty manifest rejections)
  %(prog)s --no-defects --shape all --expressible --out /tmp/co
                                                  one company in all three shapes, same marts

--out is required unless every generation option has its default (that run writes the demo).
Use the files with dbt: --vars '{input_mode: files, raw_path: <dir>, raw_file_format: <fmt>}'.

shapes (--shape; CSV and --no-defects for any but files):
  files       the contract export in DIR (today's output; with --shape all: DIR/files)
  salesforce  DIR/salesforce: the tables a Fivetran Salesforce connector writes (opportunity,
              opportunity_history, user, user_role, account, lead, task, event)
  hubspot     DIR/hubspot: the tables a Fivetran HubSpot connector writes (deal, deal_stage,
              owner, team, company, contact, engagement_*, associations, ...)
  all         the three
  A connector shape also writes DIR/supplement: the contract files the connector does not hold
  (quotas, fx_rates, contracts, ...). Load DIR/<connector>/*.csv as tables of a schema, then
  --vars '{input_mode: <connector>, <connector>_schema: <schema>, supplement_path: DIR/supplement}'
  plus the custom field vars of docs/connect-<connector>.md.
  --expressible writes every shape from the export reduced to what BOTH connectors can express
  (EXPRESSIBLE in generator/connectors/expressible.py, each reduction with its reason): then the
  three shapes hold the same company and build to identical marts.
"""


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a month; use YYYY-MM, e.g. 2024-11"
        ) from None


def _whole_number(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (``--help`` text included)."""
    parser = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.generator",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add(
        "--deals",
        type=_whole_number,
        default=DEMO_DEALS,
        metavar="N",
        help=f"clean deals to generate (default {DEMO_DEALS:,}, the demo; at least 100)",
    )
    add(
        "--seed",
        type=_whole_number,
        default=DEFAULT_SEED,
        help=f"random seed (default {DEFAULT_SEED})",
    )
    add(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"output directory, created if missing (default {DEFAULT_OUT}, for the demo only)",
    )
    add(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        dest="output_format",
        help="file format: csv (the demo seeds, default) or parquet (big runs)",
    )
    add(
        "--chunk-deals",
        type=_whole_number,
        default=DEFAULT_CHUNK_DEALS,
        metavar="N",
        help=f"deals generated and written per chunk, bounding memory (default "
        f"{DEFAULT_CHUNK_DEALS:,}); the data depend on it, keep it fixed to reproduce a run",
    )
    add(
        "--no-defects",
        action="store_true",
        help="clean data only: no appended defect rows, no spelling variants, no FX gap",
    )
    add(
        "--start-month",
        type=_month,
        default=DEFAULT_START_MONTH,
        metavar="YYYY-MM",
        help="first month of the period (default 2024-11)",
    )
    add(
        "--months",
        type=_whole_number,
        default=DEFAULT_MONTHS,
        help=f"length of the period in months, 12-120 (default {DEFAULT_MONTHS}); "
        "the as-of date is its last day",
    )
    add(
        "--activities-per-deal",
        type=float,
        default=None,
        metavar="X",
        help="activities per deal, all kinds (default 14 up to 10,000 deals, else 8)",
    )
    add(
        "--shape",
        choices=(*SHAPES, "all"),
        default=FILES,
        help="what to write: the contract files (default), a connector's tables plus "
        "DIR/supplement, or all three (see shapes below)",
    )
    add(
        "--expressible",
        action="store_true",
        help="reduce the company to what both the Salesforce and the HubSpot connector can "
        "express (needs --no-defects)",
    )
    add("--quiet", action="store_true", help="print nothing but errors")
    return parser


def _is_demo(args: argparse.Namespace) -> bool:
    return (
        args.deals == DEMO_DEALS
        and args.seed == DEFAULT_SEED
        and args.output_format == "csv"
        and not args.no_defects
        and args.start_month == DEFAULT_START_MONTH
        and args.months == DEFAULT_MONTHS
        and args.activities_per_deal is None
        and args.shape == FILES
        and not args.expressible
    )


def _shape_problem(args: argparse.Namespace) -> str | None:
    """Why --shape / --expressible cannot be written with these options, or None."""
    shaped = "--expressible" if args.shape == FILES else f"--shape {args.shape}"
    if args.shape == FILES and not args.expressible:
        return None
    if not args.no_defects:
        return (
            f"{shaped} needs --no-defects: the connector converters and the reduction map clean "
            "contract values only (a defect row, e.g. a malformed date, has no connector value)"
        )
    if args.output_format != "csv":
        return f"{shaped} writes CSV files: drop --format {args.output_format}"
    return None


def _shapes(args: argparse.Namespace) -> tuple[str, ...]:
    return SHAPES if args.shape == "all" else (args.shape,)


class _Reporter:
    """Prints one line per chunk (and nothing for single-chunk runs)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, progress: Progress) -> None:
        if progress.chunks == 1:
            return
        share = progress.deals_done / progress.deals_total
        remaining = progress.elapsed_seconds / share * (1 - share) if share else 0.0
        done, total = f"{progress.deals_done:,}", f"{progress.deals_total:,}"
        elapsed, left = _duration(progress.elapsed_seconds), _duration(remaining)
        print(
            f"  chunk {progress.chunk}/{progress.chunks}: {done}/{total} deals ({share:.0%}), "
            f"{elapsed} elapsed, ~{left} left",
            file=self.stream,
            flush=True,
        )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{seconds:.1f}s"


def print_summary(summary: Summary, stream: TextIO) -> None:
    """Rows per table, defects, time."""
    width = max(len(name) for name in summary.rows)
    print(f"\nWrote {len(summary.rows)} tables to {summary.out_dir}:", file=stream)
    print(f"  {'table':<{width}}  {'rows':>12}  {'defect rows':>11}", file=stream)
    for name, rows in summary.rows.items():
        rejected = sum(summary.rejected.get(name, {}).values())
        defects = f"{rejected:,}" if rejected else ""
        print(f"  {name:<{width}}  {rows:>12,}  {defects:>11}", file=stream)
    total = sum(summary.rows.values())
    print(f"  {'total':<{width}}  {total:>12,}  {summary.defect_rows:>11,}", file=stream)
    notes = summary.notes
    print(
        f"Defects: {summary.defect_rows:,} appended rows staging must reject "
        f"(by table and reason in {summary.manifest_path.name}); "
        f"{notes.get('deals_missing_fx_rate', 0)} EUR deals won in a month without an FX rate.",
        file=stream,
    )
    print(f"Done in {_duration(summary.seconds)}.", file=stream)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = args.out
    if out is None:
        if not _is_demo(args):
            parser.error(
                "--out DIR is required when any option differs from the demo defaults "
                f"(only the demo is written to {DEFAULT_OUT} by default)"
            )
        out = DEFAULT_OUT
    if out.exists() and not out.is_dir():
        parser.error(f"--out {out} is a file; give a directory (it is created if missing)")
    problem = _shape_problem(args)
    if problem:
        parser.error(problem)
    if args.shape == FILES and not args.expressible:
        return _generate(parser, args, out, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".export-", dir=out) as work:
            status = _generate(parser, args, Path(work), out)
            if status:
                return status
            written = write_shapes(Path(work), out, _shapes(args), args.expressible)
    except OSError as error:
        return _write_error(out, error)
    if not args.quiet:
        print_shapes(written, args.expressible, sys.stderr)
    return 0


def _write_error(out: Path, error: OSError) -> int:
    reason = error.strerror or error
    print(
        f"error: cannot write to {out}: {reason}. Check the path and free space.", file=sys.stderr
    )
    return 1


def print_shapes(
    written: dict[str, tuple[Path, dict[str, int]]], expressible: bool, stream: TextIO
) -> None:
    """Tables and rows per shape written."""
    reduced = " (reduced to what both connectors can express)" if expressible else ""
    print(f"\nWrote{reduced}:", file=stream)
    for shape, (folder, rows) in written.items():
        kind = "contract" if shape in (FILES, SUPPLEMENT) else "connector"
        print(
            f"  {shape:<10}  {len(rows):>3} {kind} tables, {sum(rows.values()):>12,} rows"
            f"  in {folder}",
            file=stream,
        )


def _generate(
    parser: argparse.ArgumentParser, args: argparse.Namespace, export_dir: Path, out: Path
) -> int:
    """Generate the contract export into `export_dir` (`out` is the --out the user gave)."""
    try:
        config = GeneratorConfig(
            deals=args.deals,
            seed=args.seed,
            out_dir=export_dir,
            output_format=args.output_format,
            chunk_deals=args.chunk_deals,
            defects=not args.no_defects,
            start_month=args.start_month,
            months=args.months,
            activities_per_deal=args.activities_per_deal,
        )
    except ConfigError as error:
        parser.error(str(error))
    stream = sys.stderr
    if not args.quiet:
        chunks = len(config.chunk_sizes)
        period = f"{config.calendar.start_month:%Y-%m}, {config.months} months"
        in_chunks = f" in {chunks} chunks" if chunks > 1 else ""
        shape = "" if export_dir == out else f" in shape {args.shape}"
        print(
            f"Generating {config.deals:,} deals ({period}, seed {config.seed}) "
            f"as {config.output_format}{shape} into {out}{in_chunks} ...",
            file=stream,
            flush=True,
        )
    try:
        summary = generate(config, None if args.quiet else _Reporter(stream))
    except OSError as error:
        return _write_error(out, error)
    if not args.quiet and export_dir == out:
        print_summary(summary, stream)
    return 0
