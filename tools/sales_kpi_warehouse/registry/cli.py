"""Command line: write the generated files, or (--check) list the stale ones and exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import COMMAND, REGISTRY, RegistryError
from .run import stale, write


def project_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding dbt_project.yml."""
    for folder in (start, *start.parents):
        if (folder / "dbt_project.yml").exists():
            return folder
    raise RegistryError(f"no dbt_project.yml at or above {start}: pass --root")


def check(root: Path) -> int:
    diffs = stale(root)
    if not diffs:
        print(f"KPI registry: every generated file is current with {REGISTRY}.")
        return 0
    for diff in diffs.values():
        print(diff, end="" if diff.endswith("\n") else "\n")
    names = "\n".join(f"  {path}" for path in diffs)
    print(
        f"\n{len(diffs)} file(s) differ from what {REGISTRY} generates:\n{names}\n"
        f"Edit the registry, not these parts of the files, then regenerate them: {COMMAND}",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sales_kpi_warehouse.registry",
        description=f"Generate the KPI table, doc-block headings, column meta and metric labels "
        f"from the KPI registry ({REGISTRY}).",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--root", type=Path, help="the dbt project (default: found from cwd)")
    args = parser.parse_args(argv)
    try:
        root = args.root or project_root(Path.cwd())
        if args.check:
            return check(root)
        for path in write(root):
            print(f"wrote {path}")
    except RegistryError as error:
        print(f"KPI registry: {error}", file=sys.stderr)
        return 2
    return 0
