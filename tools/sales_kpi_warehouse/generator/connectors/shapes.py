"""One generated company written in the shapes a build can read it from.

`write_shapes(export_dir, out_dir, shapes, expressible)` takes a contract export (CSV, clean) and
writes, under `out_dir`:

- files:       the contract export (out_dir itself when it is the only shape, else out_dir/files);
- salesforce:  out_dir/salesforce, the Fivetran Salesforce connector's tables (write_salesforce);
- hubspot:     out_dir/hubspot, the Fivetran HubSpot connector's tables (write_hubspot);
- supplement:  out_dir/supplement, with a connector shape: the contract files the connector(s)
  do not hold (quotas, fx_rates, ...), for var supplement_path.

With `expressible`, every shape is written from the export reduced to what both connectors can
express (expressible.EXPRESSIBLE), so the three shapes hold the same company and build to
identical marts.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .expressible import CONNECTORS, DEFAULT_ZONE, supplement_tables, write_expressible_export
from .hubspot import write_hubspot
from .salesforce import write_salesforce

FILES = "files"
SUPPLEMENT = "supplement"
SHAPES: tuple[str, ...] = (FILES, *CONNECTORS)

Converter = Callable[[Path, Path, str], dict[str, int]]
#: A folder written and the rows of each of its tables.
Written = tuple[Path, dict[str, int]]
CONVERTERS: dict[str, Converter] = {"salesforce": write_salesforce, "hubspot": write_hubspot}


def shape_folder(out_dir: Path, shape: str, shapes: tuple[str, ...]) -> Path:
    """Where `shape` is written: the contract files alone go to out_dir itself."""
    return out_dir if shapes == (FILES,) else out_dir / shape


def write_shapes(
    export_dir: Path,
    out_dir: Path,
    shapes: tuple[str, ...],
    expressible: bool,
    zone: str = DEFAULT_ZONE,
) -> dict[str, Written]:
    """Write the contract export at `export_dir` in `shapes` under `out_dir` (module docstring);
    return per shape written (and `supplement`) its folder and the rows of its tables."""
    unknown = sorted(set(shapes) - set(SHAPES))
    if unknown:
        raise ValueError(f"unknown shape(s) {unknown}; known: {list(SHAPES)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".reduced-", dir=out_dir) as work:
        source = export_dir
        if expressible:
            source = Path(work)
            write_expressible_export(export_dir, source, zone)
        return _write_from(source, out_dir, shapes, zone)


def _write_from(
    source: Path, out_dir: Path, shapes: tuple[str, ...], zone: str
) -> dict[str, Written]:
    written: dict[str, Written] = {}
    if FILES in shapes:
        folder = shape_folder(out_dir, FILES, shapes)
        written[FILES] = (folder, copy_files(sorted(source.iterdir()), folder))
    connectors = tuple(shape for shape in shapes if shape in CONVERTERS)
    for connector in connectors:
        folder = shape_folder(out_dir, connector, shapes)
        written[connector] = (folder, CONVERTERS[connector](source, folder, zone))
    if connectors:
        folder = out_dir / SUPPLEMENT
        written[SUPPLEMENT] = (folder, copy_files(supplement_tables(source, connectors), folder))
    return written


def copy_files(paths: list[Path], folder: Path) -> dict[str, int]:
    """Copy the files `paths` into `folder` (created if missing); return the rows per CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for path in (path for path in paths if path.is_file()):
        target = folder / path.name
        if path.resolve() != target.resolve():
            shutil.copyfile(path, target)
        if path.suffix == ".csv":
            with target.open(newline="", encoding="utf-8") as handle:
                rows[path.stem] = sum(1 for _ in csv.reader(handle)) - 1
    return rows
