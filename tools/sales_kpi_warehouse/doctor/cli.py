"""Command line: ``python -m sales_kpi_warehouse.doctor RAW_PATH`` (``make doctor RAW_PATH=…``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .contract import ContractError, load_contract, render_markdown
from .report import render_json, render_text
from .run import diagnose, stderr_progress

DESCRIPTION = """\
Check a CRM export against the input contract (docs/input_contract.md) before any build, and
say everything at once: missing tables and columns, empty required values, unparseable values
by class, vocabulary values no mapping knows (with row counts), duplicated keys, and what each
means for the KPIs. Exit code: 0 = no row would be rejected, 1 = rows would be rejected or a
required table/column is missing, 2 = usage error. Exact copies and superseded versions are
reported as notes: staging keeps one copy / the latest version, nothing is lost."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.doctor",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("raw_path", nargs="?", type=Path, help="folder of the export (var raw_path)")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="file_format",
                   help="file format of the export (var raw_file_format; default csv)")  # fmt: skip
    p.add_argument("--mapping-path", type=Path, default=None,
                   help="folder of your own map_*.csv files that extend the shipped seeds "
                        "(var mapping_path)")  # fmt: skip
    p.add_argument("--reporting-currency", default="JPY",
                   help="var reporting_currency (default JPY): currencies without a rate to it "
                        "are reported")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--contract", action="store_true",
                   help="print the input contract as Markdown and exit")  # fmt: skip
    return p


def usage_error(args: argparse.Namespace) -> str | None:
    if args.raw_path is None:
        return "RAW_PATH is required: the folder holding the export's <table>.csv/.parquet files"
    if not args.raw_path.is_dir():
        return f"RAW_PATH {args.raw_path} is not a folder: point it at the export's folder"
    if args.mapping_path is not None and not args.mapping_path.is_dir():
        return f"--mapping-path {args.mapping_path} is not a folder of map_*.csv files"
    if len(args.reporting_currency) != 3 or not args.reporting_currency.isalpha():
        return f"--reporting-currency {args.reporting_currency!r} is not a 3-letter ISO code"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    try:
        if args.contract:
            sys.stdout.write(render_markdown(load_contract()))
            return 0
        problem = usage_error(args)
        if problem:
            p.print_usage(sys.stderr)
            print(f"error: {problem}", file=sys.stderr)
            return 2
        report = diagnose(
            args.raw_path,
            file_format=args.file_format,
            mapping_path=args.mapping_path,
            reporting_currency=args.reporting_currency,
            progress=None if args.quiet else stderr_progress,
        )
    except ContractError as error:
        print(f"error: the input contract is unreadable: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(render_json(report) if args.json else render_text(report))
    return report.exit_code
